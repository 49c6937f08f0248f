"""The targets: the health service, nginx and the gateways, started and waited for.

Each runs as a child (processes.Children), logs under the state directory's logs/, and is
ready when it answers (its /livez, or nginx's port); the service and the gateways get a clean
environment so that a developer's exported settings cannot change what is measured.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import ISSUER, NGINX_TEMPLATE, READY_TIMEOUT, STATE_DIR, UNREFUSED_READ_LIMIT, log
from .processes import Child, Children, log_tail


@dataclass
class Target:
    """A server the load generator is pointed at."""

    name: str
    port: int
    pid: int  # the process tree whose CPU is "proxy" (or "service" for direct)


def start_service(
    *, children: Children, cluster: Any, broker: str, workers: int, log_level: str
) -> Target:
    """The health service with its demo facilities seeded: the ``direct`` target."""
    from kota_dev import postgres as postgres_dev
    from kota_dev.ports import free_port

    db_url = postgres_dev.ensure_database(
        cluster, name="health", owner="health", password=secrets.token_urlsafe(12)
    )
    port = free_port()
    env = {
        **clean_environment(),
        "HEALTH_DATABASE_URL": db_url,
        "HEALTH_KAFKA_BOOTSTRAP_SERVERS": broker,
        "HEALTH_TOKEN_ISSUER": ISSUER,
        "HEALTH_LOG_LEVEL": log_level,
    }
    log("starting the health service on port %d", port)
    child = children.spawn(
        "health",
        uvicorn_command("health.main:create_app", port, workers),
        env=env,
        log_path=STATE_DIR / "logs" / "health.log",
    )
    wait_ready(child, f"http://127.0.0.1:{port}/livez")
    subprocess.run(
        [sys.executable, "-m", "health.seed"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    return Target("direct", port, child.process.pid)


def start_nginx(*, children: Children, upstream_port: int, workers: int) -> tuple[Target, str]:
    """nginx from bench/nginx.conf.template, and its version."""
    from kota_dev.ports import free_port, wait_for_tcp

    binary = nginx_binary()
    port = free_port()
    (STATE_DIR / "nginx-tmp").mkdir(parents=True, exist_ok=True)
    replacements = {
        "@USER_LINE@": "user root;" if os.geteuid() == 0 else "",
        "@WORKERS@": str(workers),
        "@STATE_DIR@": str(STATE_DIR),
        "@UPSTREAM_PORT@": str(upstream_port),
        "@PORT@": str(port),
    }
    conf = NGINX_TEMPLATE.read_text()
    for placeholder, value in replacements.items():
        conf = conf.replace(placeholder, value)
    conf_path = STATE_DIR / "nginx.conf"
    conf_path.write_text(conf)
    command = [binary, "-p", f"{STATE_DIR}/", "-c", str(conf_path)]
    command += ["-e", str(STATE_DIR / "nginx-error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    if check.returncode != 0:
        raise RuntimeError(f"nginx refused its configuration:\n{check.stderr}")
    log("starting nginx on port %d (%d worker processes)", port, workers)
    child = children.spawn(
        "nginx",
        command,
        log_path=STATE_DIR / "logs" / "nginx.log",
        stop_signal=signal.SIGQUIT,  # graceful: finish what is in flight
    )
    wait_for_tcp("127.0.0.1", port, timeout=30)
    return Target("nginx", port, child.process.pid), nginx_version(binary)


def gateway_env(
    *,
    cluster: Any,
    name: str,
    limits: bool,
    broker: str,
    service_port: int,
    port: int,
    log_level: str,
) -> dict[str, str]:
    """A gateway's settings (its own database; rate limits, and so token checks, on or off)."""
    from kota_dev import postgres as postgres_dev

    db_url = postgres_dev.ensure_database(
        cluster, name=name, owner=name, password=secrets.token_urlsafe(12)
    )
    return {
        "GATEWAY_DATABASE_URL": db_url,
        "GATEWAY_KAFKA_BOOTSTRAP_SERVERS": broker,
        "GATEWAY_UPSTREAMS": json.dumps({"health": f"http://127.0.0.1:{service_port}"}),
        "GATEWAY_SIGNING_KEY_DIR": str(STATE_DIR / "gateway-keys"),
        "GATEWAY_TOKEN_ISSUER": ISSUER,
        "GATEWAY_JWKS_URL": f"http://127.0.0.1:{port}/.well-known/jwks.json",
        "GATEWAY_RATE_LIMITS_ENABLED": "true" if limits else "false",
        "GATEWAY_RATE_LIMITS": json.dumps(
            {"auth": "60/minute", "read": UNREFUSED_READ_LIMIT, "write": "60/minute"}
        ),
        "GATEWAY_LOG_LEVEL": log_level,
        "GATEWAY_METRICS_PORT": str(metrics_port(port)),
    }


def start_gateway(
    *, children: Children, name: str, env: dict[str, str], port: int, workers: int
) -> Target:
    """A gateway (uvicorn, ``workers`` processes) with the settings of gateway_env."""
    log("starting %s on port %d (%d worker processes)", name, port, workers)
    child = children.spawn(
        name,
        uvicorn_command("kota_gateway.main:create_app", port, workers),
        env={**clean_environment(), **env},
        log_path=STATE_DIR / "logs" / f"{name}.log",
    )
    wait_ready(child, f"http://127.0.0.1:{port}/livez")
    return Target(name, port, child.process.pid)


def nginx_binary() -> str:
    """Debian's nginx; installed with apt-get when missing and we are root."""
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None
    )
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("nginx is needed: `sudo apt-get install nginx`")
    log("installing nginx with apt-get")
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(install, env=env, check=False, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run(install, env=env, check=True, stdout=subprocess.DEVNULL)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_version(binary: str) -> str:
    out = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)
    return (out.stderr or out.stdout).strip().removeprefix("nginx version: ")


def wait_ready(child: Child, url: str, *, timeout: float = READY_TIMEOUT) -> None:
    """Poll ``url`` until it answers 200; fail early, with the log's tail, if the child dies."""
    import httpx

    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            raise RuntimeError(
                f"{child.name} exited with {child.process.returncode}{log_tail(child)}"
            )
        try:
            response = httpx.get(url, timeout=3)
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text[:200]}"
        except httpx.HTTPError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise TimeoutError(f"{child.name} not ready within {timeout:g} s ({last}){log_tail(child)}")


GATEWAY_COUNTERS = (
    "kota_gateway_upstream_failures_total",
    "kota_gateway_upstream_retries_total",
    "kota_gateway_rate_limited_total",
    "kota_gateway_rate_limit_storage_errors_total",
)


def metrics_port(port: int) -> int:
    """Where a gateway on ``port`` serves its metrics (never on its public port)."""
    return port + METRICS_PORT_OFFSET


METRICS_PORT_OFFSET = 1000


def gateway_counters(port: int) -> dict[str, float]:
    """The gateway's own failure, retry and refusal counters (one process's, from /metrics)."""
    import httpx

    try:
        text = httpx.get(f"http://127.0.0.1:{metrics_port(port)}/metrics", timeout=10).text
    except httpx.HTTPError:
        return {}
    found = {}
    for line in text.splitlines():
        if line.startswith(GATEWAY_COUNTERS):
            name, _, value = line.rpartition(" ")
            found[name] = float(value)
    return found


def uvicorn_command(app: str, port: int, workers: int) -> list[str]:
    # As kota_dev.processes starts services; uvicorn picks uvloop and httptools (installed).
    command = [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--no-access-log", "--workers", str(workers)]
    command += ["--no-proxy-headers", "--no-server-header"]
    return command


def clean_environment() -> dict[str, str]:
    """Ours, without settings a developer may have exported for the suite."""
    return {
        k: v for k, v in os.environ.items() if not k.startswith(("GATEWAY_", "HEALTH_", "OTEL_"))
    }


def postgres_version() -> str | None:
    from kota_dev.postgres import server_bin_dir

    out = subprocess.run(
        [str(server_bin_dir() / "postgres"), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip().rpartition(" ")[2] or None
