"""The identity provider: signing keys and their discovery, citizen and staff accounts,
agency clients, and the tokens the gateway issues them all."""
