"""The edge: what every request passes (CORS, rate limits, body limit) and the reverse proxy
that relays ``/v1/<service>/...`` to the services, each behind a circuit breaker."""
