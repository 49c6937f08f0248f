"""Gateway benchmark: one real service endpoint direct, through nginx, and through the gateway.

Run it as ``uv run python bench/gateway.py`` from the repository root (``--help`` for every knob).
It starts, under ``.kota/bench-gateway`` (stopped at the end, even on Ctrl-C or an error, and
removed unless the run failed, had failed requests, or ``--keep-state`` was given, so that the
servers' logs, the generated nginx.conf and the raw profiles can be read):

- a PostgreSQL cluster (``kota_dev.postgres``), with databases for the services below;
- the health service (``uvicorn health.main:create_app``, ``--service-workers`` processes),
  with its demo facilities seeded. The endpoint measured is its public directory read
  ``GET /v1/health/facilities?district_code=367105``: one transaction reading the one
  facility of that district (one row, ~270 bytes of JSON). It needs no token, so the service
  never verifies one: any token verification is the gateway's own;
- nginx (Debian's ``/usr/sbin/nginx``, installed with apt-get when missing and run as root),
  from ``bench/nginx.conf.template``: ``proxy_pass`` to an ``upstream`` with ``keepalive``,
  ``proxy_http_version 1.1``, ``Connection ""``; ``worker_processes`` = ``--workers``;
- two gateways (``uvicorn kota_gateway.main:create_app``, ``--workers`` processes each,
  ``GATEWAY_UPSTREAMS`` = that one health service):

  * ``gateway``: ``GATEWAY_RATE_LIMITS_ENABLED=true`` with a read limit too high to refuse
    anything (so every request is counted, none is turned away), which is also what makes the
    gateway verify tokens: the rate limiter counts a request against the ``sub`` of a valid
    bearer token, verified (EdDSA signature, iss, aud, exp, typ) the first time a token is
    seen and then cached until it expires;
  * ``gateway_auth_limits_off``: ``GATEWAY_RATE_LIMITS_ENABLED=false``: no rate-limit
    middleware, and so no token verification at the gateway at all (the proxy route itself
    never verifies tokens: each service does, for the endpoints that need one).

  Request ids, the trace context (a span per request, not recorded unless OTEL_* asks),
  Prometheus metrics and the JSON access log (the shared ``ObservabilityMiddleware``) and the
  body-size limit cannot be turned off: both gateways have them, as does the service.
  ``checks`` in the output shows, per scenario, what the answers prove (request id and
  RateLimit headers, metrics, counting per verified subject).

Kafka is not needed for any of this (the services' outbox relays retry in the background,
off the request path, and ``/readyz`` is not used); ``--kafka`` starts a broker anyway.

Every scenario sends the same request bytes, ``Authorization: Bearer <token>`` included (one of
``--tokens`` citizen tokens signed with the gateway's key, taken in turn, each sent once before
every warm-up so the gateway has verified and cached them all): the service ignores the header,
nginx passes it on, the gateways pass it on (and ``gateway`` verifies it).

What it measures, each scenario in turn (direct first, then ``--scenarios``' order):

1. Maximum throughput, closed loop: ``--concurrency`` keep-alive connections, each sending its
   next request as soon as the previous answer is complete, for ``--warmup`` + ``--duration``
   seconds; requests/s and latency percentiles over the measured part.
2. Latency at half the maximum rate, open loop: requests due at a fixed rate (half the direct
   scenario's maximum, or ``--rate``) whatever earlier ones took, over a pool of
   ``--concurrency`` keep-alive connections; latency from sending (waiting for a free
   connection included) to the complete answer. "added p50" = a scenario's p50 minus direct's.
3. CPU per request of each process (service, PostgreSQL, proxy, load generator, everything
   else on the machine) from /proc, for every run of 1. and 2.; for the gateways, their own
   upstream failure and retry counters (from /metrics) over each run.
4. Where the gateway's time goes: one gateway process (``gateway``'s settings) started
   in-process and profiled under the same closed-loop load, first with cProfile (call counts,
   top functions by cumulative and own time), then with a stdlib CPU-time sampler (SIGPROF),
   which preemption on a busy machine cannot skew; both summed per module and per layer
   (each middleware, sending upstream, relaying the answer, logging).
5. Micro-benchmarks of the gateway's per-request auth and limiting pieces, in the benchmark's
   own process.

The load generator is the benchmark in a process of its own (a raw asyncio HTTP/1.1 keep-alive
client on uvloop with httptools' parser), so it never shares an event loop with a server; it
does share the machine's CPUs with them (its CPU per request is reported).

Goals (from the issue): gateway throughput >= 0.8 x nginx's; auth + limiting cost <= 10% of
throughput; added p50 <= 1 ms at half the maximum rate. One JSON object goes to stdout,
progress to stderr.

The modules, one job each (the entry point ``bench/gateway.py`` only calls ``cli.main``):

- ``cli``: options, signals, the state directory's lifetime, the JSON on stdout; the children's
  roles (``gateway.py _load CONFIG``, ``gateway.py _profile CONFIG``) are dispatched there;
- ``scenarios``: the whole run in order: servers up, checks, runs, profile, servers down;
- ``servers``: starting the targets (health service, nginx, gateways) and waiting for them;
- ``checks``: what one request through each target proves;
- ``measure``: one load run against a target (CPU per request, gateway counters), the profile;
- ``load``: the load generator (a child process): connections, closed and open loop, tally;
- ``profiler``: the profiled gateway (a child process): cProfile and a CPU-time sampler;
- ``profile_summary``: profiles summed per function, module and middleware layer;
- ``processes``: child processes, their registry of leftovers, their line protocol;
- ``tokens``, ``micro``: citizen tokens; micro-benchmarks of verifying and limiting;
- ``report``: the JSON document: machine, params, ratios, goals, notes;
- ``config``: paths, the endpoint, the token issuer, the scenarios and what they mean.

What /proc says (CPU per process tree and of the machine, start times, CPU pressure) and the
report's ``machine`` come from ``benchkit`` (``procfs``, ``machine``), shared with the event
benchmark.
"""
