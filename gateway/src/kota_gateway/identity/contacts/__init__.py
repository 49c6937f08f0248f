"""Contact details for the city's own services: read through a scoped API, audited, never
put on a topic (``GET /v1/identity/contacts/{account_id}``)."""
