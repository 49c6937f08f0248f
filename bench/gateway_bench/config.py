"""What every part of the gateway benchmark agrees on: paths, the endpoint, tokens, scenarios."""

import logging
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The entry point: the benchmark runs as it, and so do its children (``_load``, ``_profile``),
# which keeps bench/ first on their sys.path, and this package importable, as in the parent.
SCRIPT = PACKAGE_DIR.parent / "gateway.py"
REPO = PACKAGE_DIR.parents[1]
STATE_DIR = REPO / ".kota" / "bench-gateway"
NGINX_TEMPLATE = PACKAGE_DIR.parent / "nginx.conf.template"

DISTRICT = "367105"  # exactly one of health's demo facilities is there (Puskesmas Cipondoh)
PATH = f"/v1/health/facilities?district_code={DISTRICT}"
ISSUER = "http://kota-bench-gateway"
AUDIENCE = "kota-live"
# High enough that no request is ever refused; every request is still counted.
UNREFUSED_READ_LIMIT = "100000000/minute"
READY_TIMEOUT = 120.0

SCENARIOS = ("direct", "nginx", "gateway", "gateway_auth_limits_off")
SCENARIO_MEANING = {
    "direct": "load generator -> health service (uvicorn) -> PostgreSQL",
    "nginx": "load generator -> nginx (proxy_pass, upstream keepalive) -> health service",
    "gateway": "load generator -> gateway (uvicorn) -> health service; rate limits ON, so the "
    "bearer token is verified at the gateway (first sight of a token, then cached until exp) "
    "and counted per subject in the in-memory sliding-window counter; request id, trace "
    "context (a span per request, unrecorded as by default), metrics, JSON access log and "
    "body limit on",
    "gateway_auth_limits_off": "as gateway, with GATEWAY_RATE_LIMITS_ENABLED=false: no "
    "rate-limit middleware and no token verification at the gateway; request id, trace "
    "context, metrics, JSON access log and body limit still on",
}

# Progress goes to stderr under this name (cli.main sets it up); stdout is the JSON report.
logger = logging.getLogger("bench.gateway")


def log(message: str, *args: object) -> None:
    logger.info(message, *args)
