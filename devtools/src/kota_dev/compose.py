"""``docker-compose.yml``, rendered from the service registry (`kota_contracts.services`).

Every declared service gets the same block (its image, database URL, Kafka, token checks);
what a deployment adds to one service (a secret, a volume) is written here, per service.
The file is committed; ``kota compose`` rewrites it and a test fails when it is stale, so a
new service appears in compose, the PostgreSQL init script and the gateway's routes at once.
"""

# ruff: noqa: E501 - the YAML's own long lines are kept as compose prints them

import json
import shlex
from pathlib import Path

from kota_contracts.services import EVERY_SERVICE, GATEWAY, SERVICES, ServiceDeclaration
from kota_dev import kafka_access
from kota_dev.kafka import SINGLE_NODE_SETTINGS, admin_client_properties, secured_listener_settings
from kota_dev.kafka_access import ADMIN

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
# this one) before the postgres and kafka volumes are first created, as the init script and
# the broker's first start read them only then. They are embedded in URLs and broker
# settings, so keep them URL-safe (letters, digits, `-._~`).
#
# Kafka authenticates every client (SASL/SCRAM-SHA-512, one principal per service) and its
# ACLs, derived from the registry, let a service write only its own topic and read only those
# it consumes (docs/events-security.md).

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
"""


def _compose_urls(pattern: str, **overrides: str) -> str:
    """A JSON object of every service's URL on the compose network (``{name}`` filled in)."""
    urls = {service.name: pattern.format(name=service.name) for service in EVERY_SERVICE}
    return json.dumps(urls | overrides, separators=(",", ":"))


_EXTRA_ENVIRONMENT = {
    "permits": """\
      # Signs permits' verification codes: required, since a known secret lets anyone forge
      # a permit that verifies. Rotate by listing the new secret first, the old after it.
      PERMITS_VERIFICATION_SECRETS: >-
        ["${KOTA_PERMITS_VERIFICATION_SECRET:?set KOTA_PERMITS_VERIFICATION_SECRET to a long random string}"]
      PERMITS_PUBLIC_BASE_URL: *token-issuer
      PERMITS_DOCUMENTS_LOCATION: /var/lib/kota/permits-documents
""",
    "education": """\
      # A parent's family card, read with the parent's own token (never the registry).
      EDUCATION_FAMILY_CARD_URL: http://gateway:8000/v1/me/family-card
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
      # The dashboard's sign-in form is posted to monitoring, which signs in at the gateway.
      MONITORING_GATEWAY_URL: http://gateway:8000
      # Probed for readiness and outbox backlog (the gateway's metrics on its own port).
      MONITORING_READINESS_URLS: >-
        """
    + _compose_urls("http://{name}:8000")
    + """
      MONITORING_METRICS_URLS: >-
        """
    + _compose_urls("http://{name}:8000/metrics", gateway="http://gateway:9100/metrics")
    + """
""",
    "gateway": """\
      # On the volume below (the image's only writable directory), so tokens survive restarts.
      GATEWAY_SIGNING_KEY_DIR: /var/lib/kota/signing-keys
      # Prometheus scrapes gateway:9100 on the compose network; the port is not published.
      GATEWAY_METRICS_HOST: 0.0.0.0
      GATEWAY_METRICS_PORT: 9100
""",
}
"""What a deployment sets beyond the common variables, by service."""

_VOLUMES = {"permits": "permits-documents", "gateway": "gateway-keys"}
"""Services keeping state on a named volume (mounted at /var/lib/kota)."""


KAFKA_IMAGE = "apache/kafka:4.1.0"
KAFKA_WORK_DIR = "/tmp/kota-kafka"  # noqa: S108 - in the container, made with umask 077
"""Where the broker's container keeps its settings (they hold the admin password, so not in
the image) and the file that says its principals, ACLs and topics are in place."""


def _kafka_password_variable(name: str) -> str:
    return "KOTA_KAFKA_ADMIN_PASSWORD" if name == ADMIN else f"KOTA_{name.upper()}_KAFKA_PASSWORD"


def kafka_start_script(
    *,
    bin_dir: str = "/opt/kafka/bin",
    work_dir: str = KAFKA_WORK_DIR,
    data_dir: str = "/var/lib/kafka/data",
    host: str = "kafka",
    port: int = 9092,
    controller_port: int = 9093,
) -> str:
    """What compose's broker container runs (bash): format the storage with every principal's
    SCRAM credentials (the first start only), start the broker, then create the published
    topics and the registry's ACLs as the super user, and mark itself ready.

    Passwords and the cluster id come from the container's environment when it runs; the
    parameters exist so that a test can run the very same script outside a container.
    """
    admin_password = f"${{{_kafka_password_variable(ADMIN)}}}"
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": f"1@localhost:{controller_port}",
        "controller.listener.names": "CONTROLLER",
        # The controller answers inside the container only.
        "listeners": f"CLIENTS://:{port},CONTROLLER://localhost:{controller_port}",
        "advertised.listeners": f"CLIENTS://{host}:{port}",
        "listener.security.protocol.map": "CLIENTS:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
        **secured_listener_settings(admin_password=admin_password),
        "log.dirs": data_dir,
        **SINGLE_NODE_SETTINGS,
        "group.initial.rebalance.delay.ms": "0",
    }
    properties = "".join(f"{key}={value}\n" for key, value in settings.items())
    principals = [ADMIN, *(service.name for service in EVERY_SERVICE)]
    scram = "".join(
        f' \\\n  --add-scram "SCRAM-SHA-512=[name={name},'
        f'password=${{{_kafka_password_variable(name)}}}]"'
        for name in principals
    )
    topics = "".join(
        f"tool kafka-topics.sh --create --if-not-exists --topic {shlex.quote(topic)}"
        " --partitions 3 --replication-factor 1\n"
        for topic in kafka_access.published_topics()
    )
    acls = "".join(
        f"tool kafka-acls.sh {shlex.join(command)}\n"
        for command in kafka_access.acl_commands(kafka_access.grants())
    )
    return f"""\
set -euo pipefail
work={work_dir}
mkdir -p "$work"
rm -f "$work/ready"
umask 077
cat > "$work/server.properties" <<EOF
{properties}EOF
cat > "$work/admin.properties" <<EOF
{admin_client_properties(admin_password)}EOF
# SCRAM credentials go into the metadata log with the format, so they hold from the first
# second; on later starts the storage is formatted already and this changes nothing.
{bin_dir}/kafka-storage.sh format --ignore-formatted --config "$work/server.properties" \\
  --cluster-id "$CLUSTER_ID"{scram}
{bin_dir}/kafka-server-start.sh "$work/server.properties" &
broker=$!
trap 'kill -TERM "$broker" 2>/dev/null; wait "$broker"; exit $?' TERM INT
tool() {{
  KAFKA_HEAP_OPTS=-Xmx256m "{bin_dir}/$1" --bootstrap-server localhost:{port} \\
    --command-config "$work/admin.properties" "${{@:2}}"
}}
until tool kafka-broker-api-versions.sh > /dev/null 2>&1; do
  kill -0 "$broker"
  sleep 2
done
# A consumer may not create the topics it reads: they exist before any service starts.
{topics}# What each service may do, from the registry (kota_dev.kafka_access); idempotent.
{acls}touch "$work/ready"
wait "$broker"
"""


def _kafka() -> str:
    passwords = "".join(
        f"      {_kafka_password_variable(name)}: ${{{_kafka_password_variable(name)}:-{name}}}\n"
        for name in [ADMIN, *(service.name for service in EVERY_SERVICE)]
    )
    script = "".join(
        f"        {line}\n" if line else "\n"
        for line in kafka_start_script().replace("$", "$$").splitlines()
    )
    return f"""\
  kafka:
    image: {KAFKA_IMAGE}
    restart: unless-stopped
    # Not the image's own start: that cannot give the broker its principals' credentials.
    command:
      - bash
      - -c
      - |
{script}\
    environment:
      # Fixed (base64url of 16 bytes), so the storage on the volume is reused across
      # container re-creation.
      CLUSTER_ID: ${{KOTA_KAFKA_CLUSTER_ID:-a290YS1saXZlLWthZmthMQ}}
      # Each principal's password, read at the first start (SCRAM credentials in the
      # storage); the services' environments below carry the same.
{passwords}\
    volumes:
      - kafka-data:/var/lib/kafka/data
    healthcheck:
      # Healthy once the principals, topics and ACLs are in place, not merely listening.
      test:
        - CMD-SHELL
        - test -f {KAFKA_WORK_DIR}/ready && /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092 --command-config {KAFKA_WORK_DIR}/admin.properties > /dev/null
      interval: 10s
      timeout: 10s
      retries: 12
      start_period: 120s # a Kafka tool is a JVM start each: the ACLs take a minute
"""


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
      {prefix}KAFKA_SECURITY_PROTOCOL: SASL_PLAINTEXT
      {prefix}KAFKA_SASL_MECHANISM: SCRAM-SHA-512
      {prefix}KAFKA_USERNAME: {service.name}
      {prefix}KAFKA_PASSWORD: ${{{_kafka_password_variable(service.name)}:-{service.name}}}
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
    blocks = [_HEAD + _kafka(), _postgres(), *(_service(s) for s in (*SERVICES, GATEWAY))]
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
