"""``docker-compose.yml``, rendered from the service registry (`kota_contracts.services`).

Every declared service gets the same block (its image, database URL, Kafka, token checks);
what a deployment adds to one service (a secret, a volume) is written here, per service.
The file is committed; ``kota compose`` rewrites it and a test fails when it is stale, so a
new service appears in compose, the PostgreSQL init script and the gateway's routes at once.
"""

# ruff: noqa: E501 - the YAML's own long lines are kept as compose prints them

from pathlib import Path

from kota_contracts.services import EVERY_SERVICE, GATEWAY, SERVICES, ServiceDeclaration

COMPOSE_FILE = Path(__file__).resolve().parents[3] / "docker-compose.yml"

_HEAD = """# Kota LIVE on one host: Kafka (KRaft), PostgreSQL, every service and the gateway.
#
# Generated from the service registry (kota_contracts.services) by `uv run kota compose`:
# edit the registry or devtools/src/kota_dev/compose.py, not this file.
#
#   docker compose up -d --build        # then: http://localhost:8000
#
# Only the gateway publishes a port; everything else is reachable on the compose network
# alone. Passwords have development defaults: override them (shell or a `.env` file beside
# this one) before the postgres volume is first created, as the init script reads them only
# then. They are embedded in URLs, so keep them URL-safe (letters, digits, `-._~`).

# Values every application service shares (each under its own env prefix).
x-kafka-bootstrap: &kafka-bootstrap kafka:9092
x-jwks-url: &jwks-url http://gateway:8000/.well-known/jwks.json
x-token-issuer: &token-issuer ${KOTA_PUBLIC_URL:-http://localhost:8000}
x-token-audience: &token-audience kota-live
x-log-level: &log-level ${KOTA_LOG_LEVEL:-INFO}

x-build: &build
  context: .
  dockerfile: deploy/Dockerfile.service

# What the gateway and every service have in common. Services fetch the gateway's JWKS only
# when the first token arrives, so they do not wait for it; the gateway waits for them.
x-app: &app
  restart: unless-stopped
  depends_on: &infra
    postgres:
      condition: service_healthy
    kafka:
      condition: service_healthy
  healthcheck:
    # /readyz is 200 only while the service's database and Kafka both answer.
    test:
      - CMD
      - python
      - -c
      - import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)
    interval: 10s
    timeout: 5s
    retries: 5
    start_period: 60s # migrations run before the app answers

services:
  kafka:
    image: apache/kafka:4.1.0
    restart: unless-stopped
    environment:
      # Single node acting as both broker and KRaft controller.
      KAFKA_NODE_ID: 1
      KAFKA_PROCESS_ROLES: broker,controller
      KAFKA_CONTROLLER_QUORUM_VOTERS: 1@kafka:9093
      KAFKA_LISTENERS: PLAINTEXT://:9092,CONTROLLER://:9093
      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:9092
      KAFKA_CONTROLLER_LISTENER_NAMES: CONTROLLER
      KAFKA_INTER_BROKER_LISTENER_NAME: PLAINTEXT
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
      # One broker: internal topics cannot have more than one replica.
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 1
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: 1
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: 1
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: 1
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: 1
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: 0
      KAFKA_NUM_PARTITIONS: 3
      # Fixed (base64url of 16 bytes), so the storage on the volume is reused across
      # container re-creation.
      CLUSTER_ID: ${KOTA_KAFKA_CLUSTER_ID:-a290YS1saXZlLWthZmthMQ}
      KAFKA_LOG_DIRS: /var/lib/kafka/data
    volumes:
      - kafka-data:/var/lib/kafka/data
    healthcheck:
      test:
        - CMD-SHELL
        - /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092 > /dev/null
      interval: 10s
      timeout: 10s
      retries: 10
      start_period: 30s
"""

_EXTRA_ENVIRONMENT = {
    "permits": """\
      # Signs permits' verification codes: required, since a known secret lets anyone forge
      # a permit that verifies. Rotate by listing the new secret first, the old after it.
      PERMITS_VERIFICATION_SECRETS: >-
        ["${KOTA_PERMITS_VERIFICATION_SECRET:?set KOTA_PERMITS_VERIFICATION_SECRET to a long random string}"]
      PERMITS_PUBLIC_BASE_URL: *token-issuer
      PERMITS_DOCUMENTS_LOCATION: /var/lib/kota/permits-documents
""",
    "payments": """\
      # The payment provider's callback signing secret (Standard Webhooks, whsec_...):
      # required, since a known secret lets anyone report a payment.
      PAYMENTS_CALLBACK_SECRETS: >-
        ["${KOTA_PAYMENTS_CALLBACK_SECRET:?set KOTA_PAYMENTS_CALLBACK_SECRET to the provider's whsec_ secret}"]
""",
    "monitoring": """\
      # Where deploy/Dockerfile.service puts the published event schemas.
      MONITORING_EVENT_SCHEMAS_DIR: /app/schemas/events
""",
    "gateway": """\
      # On the volume below (the image's only writable directory), so tokens survive restarts.
      GATEWAY_SIGNING_KEY_DIR: /var/lib/kota/signing-keys
""",
}
"""What a deployment sets beyond the common variables, by service."""

_VOLUMES = {"permits": "permits-documents", "gateway": "gateway-keys"}
"""Services keeping state on a named volume (mounted at /var/lib/kota)."""


def _postgres() -> str:
    passwords = "".join(
        f"      {_password_variable(s)}: ${{{_password_variable(s)}:-{s.name}}}\n"
        for s in EVERY_SERVICE
    )
    databases = " ".join(s.name for s in EVERY_SERVICE)
    return f"""\
  postgres:
    image: postgres:17
    restart: unless-stopped
    environment:
      POSTGRES_USER: postgres
      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:-postgres}}
      POSTGRES_DB: postgres
      # Read by deploy/postgres/init.sh: one database and role per name, each password
      # matching the one in that service's URL.
      KOTA_DATABASES: {databases}
{passwords}\
    volumes:
      - postgres-data:/var/lib/postgresql/data
      - ./deploy/postgres/init.sh:/docker-entrypoint-initdb.d/10-kota-databases.sh:ro
    healthcheck:
      # Over TCP on purpose: while the init scripts run, the image's temporary server
      # listens on its Unix socket only, so this passes only once the databases exist.
      test: [CMD, pg_isready, --host=127.0.0.1, --username=postgres, --dbname=postgres]
      interval: 5s
      timeout: 5s
      retries: 10
      start_period: 30s
"""


def _password_variable(service: ServiceDeclaration) -> str:
    return f"KOTA_{service.name.upper()}_DB_PASSWORD"


def _service(service: ServiceDeclaration) -> str:
    prefix = service.env_prefix
    block = f"""\
  {service.name}:
    <<: *app
    build:
      <<: *build
      args:
        SERVICE_PACKAGE: {service.distribution}
        PYTHON_PACKAGE: {service.package}
"""
    if service is GATEWAY:
        block += "    depends_on:\n      <<: *infra\n" + "".join(
            f"      {s.name}:\n        condition: service_healthy\n" for s in SERVICES
        )
        block += '    ports:\n      - "8000:8000"\n'
    block += f"""\
    environment:
      {prefix}DATABASE_URL: postgresql+asyncpg://{service.name}:${{{_password_variable(service)}:-{service.name}}}@postgres:5432/{service.name}
      {prefix}KAFKA_BOOTSTRAP_SERVERS: *kafka-bootstrap
      {prefix}JWKS_URL: *jwks-url
      {prefix}TOKEN_ISSUER: *token-issuer
      {prefix}TOKEN_AUDIENCE: *token-audience
      {prefix}LOG_LEVEL: *log-level
"""
    if service is GATEWAY:
        # A folded scalar: one JSON object, one upstream per line.
        routes = ",\n        ".join(f'"{s.name}": "http://{s.name}:8000"' for s in SERVICES)
        block += f"      GATEWAY_UPSTREAMS: >-\n        {{{routes}}}\n"
    block += _EXTRA_ENVIRONMENT.get(service.name, "")
    if service.name in _VOLUMES:
        block += f"    volumes:\n      - {_VOLUMES[service.name]}:/var/lib/kota\n"
    return block


def render() -> str:
    """The whole compose file: infrastructure, every service, then the gateway."""
    blocks = [_HEAD, _postgres(), *(_service(s) for s in (*SERVICES, GATEWAY))]
    volumes = ["kafka-data", "postgres-data", *_VOLUMES.values()]
    tail = "volumes:\n" + "".join(
        f"  {name}:\n" for name in sorted(set(volumes), key=volumes.index)
    )
    return "\n".join([*blocks, tail])


def write(path: Path = COMPOSE_FILE) -> bool:
    """Write the rendered file; true if it changed."""
    rendered = render()
    if path.exists() and path.read_text() == rendered:
        return False
    path.write_text(rendered)
    return True
