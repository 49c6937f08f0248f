"""Developer tooling: real local infrastructure (Kafka, PostgreSQL) and the `kota` command."""
