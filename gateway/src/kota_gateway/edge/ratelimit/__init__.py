"""Rate limits per caller and route class, counted by the `limits` library.

Who is counted (the *subject*, `subjects`): the ``sub`` of a valid access token, verified
with the same `TokenVerifier` the services use, so nobody can spend someone else's budget or
dodge theirs with a made-up token; without one (or with an invalid one) the client's IP
address (`client_ip`). Sign-in routes (``/v1/auth/*``) are always counted per IP: they are
where tokens come from.

Route classes (`policy`): ``auth`` (``/v1/auth/*``), ``read`` (GET, HEAD, OPTIONS) and
``write`` (everything else) under ``/v1/``; probes, metrics and key discovery are never
limited.

Counts (`limiter`) live in this process unless ``redis_url`` is set, when every gateway
replica shares them in Redis. Answers carry ``RateLimit-*`` headers and a refusal is a 429
problem+json with ``Retry-After`` (`middleware`).
"""
