"""The parent's family card, read from the gateway with the parent's own token."""
