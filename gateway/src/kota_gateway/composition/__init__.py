"""Composition: what the gateway assembles from several services at once, the citizen's
home screen (``GET /v1/me/overview``) and one OpenAPI document for the whole API."""
