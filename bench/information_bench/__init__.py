"""Information benchmark: an announcement to a million inboxes, and the dispatcher's sends.

Run it from the repository root (``make bench-information`` does the same with the defaults):

    uv run python bench/information.py                                   # 1,000,000 citizens
    uv run python bench/information.py --citizens 20000 --sends 2000     # a quick run
    uv run python bench/information.py --receipts service                # receipts applied too
    uv run python bench/information.py --help                            # every knob

It starts its own PostgreSQL and Kafka in ``.kota/bench-information`` (with the event
benchmark's ``events_bench.servers``; stopped at the end, and removed unless the run failed),
unless ``KOTA_BENCH_POSTGRES_URL`` (a superuser URL on the maintenance database) and
``KOTA_BENCH_KAFKA`` (bootstrap servers) name running ones: then it uses databases of the
run's own there, and drops them afterwards. Each process's log is kept in
``.kota/bench-information-logs``. One JSON object goes to stdout, progress to stderr.

What it measures, all in one run on one machine:

1. The directory: ``--citizens`` citizens written into information's directory by one
   set-based statement; the first ``--sends`` of them by account id prefer SMS.
2. The fan-out: the information service (uvicorn, one process, no provider configured) on
   that database; an information officer publishes one announcement to everyone through its
   API; the time from the publish request until every inbox holds it, inboxes and rows per
   second, the service's peak resident memory meanwhile, and each party's CPU (service,
   PostgreSQL, Kafka); then a check that every citizen holds it, once.
3. The dispatcher: the service restarted with its SMS provider pointed at the provider
   simulator (notifysim, a process of its own) and its contacts read from a real gateway
   (a process of its own, the sample's accounts with phones in its database); it sends the
   sample's messages (planned by the fan-out): sends/s, per send from the sending mark to
   the simulator taking it, p50 and p99, CPU per send of each party.
4. The bare loop: the same requests, straight to the simulator by httpx with the
   dispatcher's concurrency, once the service and the gateway have stopped; sends/s, round
   trips, and the dispatcher's rate as a share of it.

Goal (from the issue): every inbox of 1,000,000 within 5 minutes on this machine.

The modules, one job each (the entry point ``bench/information.py`` only calls ``cli.main``):

- ``cli``: options, the servers' and children's lifetime, the JSON on stdout;
- ``run``: the steps in order, on databases of the run's;
- ``population``: the directory, the sample's preferences, the sample's accounts at identity;
- ``apps``: the HTTP processes (service, gateway, simulator): started, ready, logs kept;
- ``service``: the information service's settings for fanning out and for dispatching;
- ``gateway``: the gateway's settings, its migrations, the service's agency client;
- ``notifysim``: the simulator's settings, its inbox read back, its controls;
- ``fan_out``: publishing, timing the fan-out, memory and CPU;
- ``dispatch``: the dispatcher's window and its per-send times;
- ``bare_loop``: the same requests without the service;
- ``readings``: what is read from the service's database;
- ``report``: the JSON document: machine, params, figures, goal, notes;
- ``config``: paths, the goal, the progress log.

Shared with the other benchmarks, imported rather than copied: ``benchkit`` (CPU and memory
from /proc, the report's ``machine``), ``events_bench`` (the servers, percentiles),
``gateway_bench`` (child processes, uvicorn's command and readiness) and ``monitoring_bench``
(the run's databases, the logs' warnings).
"""
