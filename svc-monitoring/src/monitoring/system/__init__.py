"""The suite's own health: each service's readiness and outbox backlog, each consumer
group's lag, each dead-letter topic; shown to operators and raised as alerts."""
