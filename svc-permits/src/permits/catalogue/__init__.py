"""The permit-type catalogue: what each permit asks of a citizen, what it costs, how fast."""
