"""Event delivery benchmark: outbox → relay → Kafka → idempotent consumer, beside raw aiokafka.

Run it from the repository root (``make bench`` does the same with the defaults):

    uv run python bench/events.py                  # 60 s at 1,000 events/s, 50,000 relay events
    uv run python bench/events.py --duration 10    # a quick run
    uv run python bench/events.py --help           # every knob

It starts its own PostgreSQL and Kafka in ``.kota/bench`` (stopped at the end, and removed
unless the run failed) unless ``KOTA_BENCH_POSTGRES_URL`` (a superuser URL on the maintenance
database) and ``KOTA_BENCH_KAFKA`` (bootstrap servers) name running ones; then it creates
databases and topics of its own there and drops the databases afterwards. One JSON object goes
to stdout, progress to stderr.

What it measures, all in one run on one machine:

1. Latency at a fixed rate. A writer commits one event per small transaction (a state row and
   an outbox row, as a service's request would) on an absolute schedule of ``--rate`` per
   second for ``--warmup`` + ``--duration`` seconds, stamping the wall clock right after each
   commit. The ``OutboxRelay`` runs in the writer's process, as it does in a service. An
   ``EventConsumer`` in a second process stamps the wall clock on entering its handler.
   Latency = handler stamp - commit stamp, warm-up events excluded.
2. The same with raw aiokafka: an idempotent producer sends the same bytes at the same rate, a
   consumer group (manual offset commits) in a second process stamps each record it reads.
3. Maximum throughput: ``--relay-events`` outbox rows are inserted while no relay runs, then an
   ``OutboxRelay`` is started and timed until every row is marked published. The baseline is
   one idempotent ``AIOKafkaProducer`` sending the same messages as fast as it can.

For 1. and 2., the CPU each party used per event: the writing process, the consumer process,
and (when the bench started them) PostgreSQL's postmaster with its backends, live and reaped,
and Kafka; and how busy the whole machine was.

Goals (from the issue): p99 ≤ 50 ms at 1,000 events/s; relay ≥ 0.3x raw aiokafka.

The modules, one job each (the entry point ``bench/events.py`` only calls ``cli.main``):

- ``cli``: options, logging, the servers' lifetime, the JSON on stdout; the consumer child's
  role (``events.py _consumer CONFIG``) is dispatched there;
- ``run``: the three measurements in order, on databases and topics named after the run;
- ``servers``: the PostgreSQL and Kafka named by the environment, or started for the run;
- ``databases``: the run's databases, created with the bench tables, dropped afterwards;
- ``model``: the miniature service: its tables, the ``ReadingRecorded`` event, its bytes;
- ``consumer``: the consumer child (kota or raw) and its stdin/stdout protocol, both sides;
- ``pacing``: the open-loop schedule the writer and the raw producer keep;
- ``latency``: 1. and 2.: the fixed-rate runs, their latency, stages and CPU per event;
- ``throughput``: 3.: the relay draining a full outbox, and the raw producer;
- ``percentiles``: latency summaries in milliseconds;
- ``report``: the JSON document: machine, params, results, goals, notes;
- ``config``: paths, the entry script, the progress log.

What /proc says (CPU per process tree and of the machine, CPU pressure) and the report's
``machine`` come from ``benchkit`` (``procfs``, ``machine``), shared with the gateway benchmark.
"""
