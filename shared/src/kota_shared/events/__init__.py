"""Events between services: CloudEvents envelope, transactional outbox, idempotent consumer."""
