"""Monitoring read models benchmark: a year of the city's events ingested, read and kept fresh.

Run it from the repository root (``make bench-monitoring`` does the same with the defaults):

    uv run python bench/monitoring.py                       # 1,000,000 events
    uv run python bench/monitoring.py --events 50000        # a quick run
    uv run python bench/monitoring.py --events 50000 --profile   # and where the rebuild's time goes
    uv run python bench/monitoring.py --help                # every knob

It starts its own PostgreSQL and Kafka in ``.kota/bench-monitoring`` (with the event
benchmark's ``events_bench.servers``; stopped at the end, and removed unless the run failed),
unless ``KOTA_BENCH_POSTGRES_URL`` (a superuser URL on the maintenance database) and
``KOTA_BENCH_KAFKA`` (bootstrap servers) name running ones: then it uses topics, a consumer
group and databases of the run's own there, and drops the databases afterwards. One JSON
object goes to stdout, progress to stderr.

What it measures, all in one run on one machine:

1. The log: ``--events`` synthetic events of ``--days`` days up to now, across every topic
   monitoring watches (``synthetic``: permits' application journeys, payments' invoices,
   clinic bookings, school registrations, citizens' registrations, monitoring's own alerts),
   published before anything is measured.
2. Raw consumption of the same topics, beside what the read models' consumer does: one plain
   ``AIOKafkaConsumer`` reading them from the beginning to the end with ``json.loads`` (the
   baseline), and again parsing each record as an event (``parse_message``, with the
   published schemas), so the gap splits into parsing and the read models' database work.
3. Read-model ingestion: ``monitoring.rebuild.rebuild`` replaying the log into a fresh,
   migrated database; events/s = applied / seconds, and the CPU of the rebuilding process,
   PostgreSQL and Kafka per event. ``--profile`` adds a second rebuild under cProfile.
4. The dashboard's API at that size: the monitoring app (uvicorn, one process) on the rebuilt
   database; each figures endpoint (service levels by permit type, kecamatan, day and month
   over 365 days, the backlog, payments by day, revenue, clinic bookings, school registrations,
   reach by kecamatan, the alerts' first page, the event counts) asked ``--requests`` times
   over ``--connections`` connections: p50, p95 and p99 per endpoint.
5. Freshness: with the app's live consumer running, ``--fresh-rate`` events a second for
   ``--fresh-duration`` seconds, each a change the API shows, polled through the API:
   publish → visible, p50 and p99.

Goals (from the issue): ingestion ≥ 2,000 events/s; API p95 ≤ 200 ms; an event's effect
visible in the API p99 ≤ 5 s at 200 events/s.

The modules, one job each (the entry point ``bench/monitoring.py`` only calls ``cli.main``):

- ``cli``: options, the servers' and the app's lifetime, the JSON on stdout;
- ``run``: the measurements in order, on topics, databases and a generation of the run's;
- ``synthetic``: the city's year of events, in time order;
- ``log``: publishing it as the outbox relay would;
- ``raw``: the baselines;
- ``ingest``: the rebuild, timed and its CPU counted (and profiled);
- ``databases``: the run's databases, created, measured and dropped;
- ``api``: the app's process and the endpoints' latency;
- ``freshness``: publish → visible through the live consumer and the API;
- ``report``: the JSON document: machine, params, figures, goals, notes;
- ``config``: paths, goals, the progress log.

Shared with the other benchmarks, imported rather than copied: ``benchkit`` (CPU from /proc,
the report's ``machine``), ``events_bench`` (the servers, the open-loop pacing, percentiles)
and ``gateway_bench`` (child processes, uvicorn's command and readiness, profile summaries).
"""
