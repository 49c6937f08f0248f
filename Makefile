# The two commands: `make up` starts the whole suite, `make test` runs every test.
# Both install what is missing first (scripts/bootstrap.sh), uv included, into ~/.local/bin.
export PATH := $(HOME)/.local/bin:$(PATH)

.PHONY: up down test lint bench bench-faults bench-monitoring bench-information

up:  ## start PostgreSQL, Kafka, every service, the gateway and the payment simulator; Ctrl-C stops all
	@scripts/bootstrap.sh
	@uv run kota up

down:  ## stop a `make up` running in another terminal
	@uv run kota down

test:  ## lint (ruff, mypy) and run every test against real PostgreSQL and Kafka
	@scripts/bootstrap.sh --test
	@uv run kota test

lint:  ## ruff, ruff format --check and mypy only
	@scripts/bootstrap.sh
	@uv run kota test --lint-only

bench:  ## event-delivery and gateway benchmarks (docs/benchmarks.md)
	@scripts/bootstrap.sh
	@uv run python bench/events.py
	@uv run python bench/gateway.py

bench-faults:  ## minutes of load while PostgreSQL and Kafka restart and consumers die
	@scripts/bootstrap.sh
	@uv run python bench/faults.py

bench-monitoring:  ## a year of the city's events into monitoring's read models, its API, freshness
	@scripts/bootstrap.sh
	@uv run python bench/monitoring.py

bench-information:  ## an announcement to a million inboxes; the dispatcher's SMS sends per second
	@scripts/bootstrap.sh
	@uv run python bench/information.py
