"""Throwaway PostgreSQL clusters for local development and tests, from the installed binaries.

A cluster lives entirely in one data directory (it is the PGDATA), listens on 127.0.0.1 only
and trusts every connection, so it must never hold anything worth keeping.
"""

import functools
import glob
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from kota_dev.ports import free_port

SERVER_USER = "postgres"  # the unprivileged account initdb/pg_ctl run as when we are root
SUPERUSER = "postgres"
_PORT_FILE = "kota-port"
_LOG_FILE = "server.log"
_PG_CTL_NO_ACCESS = 4  # pg_ctl status: "no accessible data directory"


@dataclass(frozen=True)
class PostgresCluster:
    data_dir: Path
    port: int
    host: str = "127.0.0.1"

    def url(
        self,
        *,
        database: str = "postgres",
        user: str = "postgres",
        password: str | None = None,
        driver: str = "postgresql+asyncpg",
    ) -> str:
        """SQLAlchemy URL; `driver="postgresql"` gives a DSN for asyncpg.connect or psql."""
        auth = quote(user, safe="")
        if password is not None:
            auth += ":" + quote(password, safe="")
        return f"{driver}://{auth}@{self.host}:{self.port}/{quote(database, safe='')}"


@functools.cache  # every pg_ctl and psql call asks; the answer does not change
def server_bin_dir() -> Path:
    """Directory holding initdb, pg_ctl and psql; installs Debian's server package if missing."""
    found = _find_bin_dir()
    if found is not None:
        return found
    if os.geteuid() != 0:
        raise RuntimeError(
            "PostgreSQL server binaries (initdb, pg_ctl) not found; "
            "install them, e.g. `sudo apt-get install postgresql`"
        )
    install = ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(install, env=env, check=False).returncode != 0:
        # A fresh machine or container often has no package lists yet.
        subprocess.run(["apt-get", "update"], env=env, check=True)
        subprocess.run(install, env=env, check=True)
    found = _find_bin_dir()
    if found is None:
        raise RuntimeError("installed postgresql but still found no initdb/pg_ctl")
    return found


def _find_bin_dir() -> Path | None:
    # Debian keeps each major version apart; the newest one is the one we want.
    candidates = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
        key=lambda p: [int(part) for part in p.parent.name.split(".") if part.isdigit()],
        reverse=True,
    )
    if shutil.which("pg_config"):
        # Other layouts (source builds, Homebrew, RPMs) answer here; on Debian it is
        # libpq-dev's pg_config, which may point at a version whose server is not installed.
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout.strip():
            candidates.append(Path(out.stdout.strip()))
    for bin_dir in candidates:
        if (bin_dir / "initdb").is_file() and (bin_dir / "pg_ctl").is_file():
            return bin_dir
    return None


def start_cluster(
    data_dir: Path, *, port: int | None = None, durable: bool = False
) -> PostgresCluster:
    """Create (first time) and start a cluster in data_dir; return it once it accepts queries.

    Calling it again for a running cluster returns that cluster. Without `port`, a restart
    reuses the port remembered in data_dir, so URLs handed out earlier keep working.

    A throwaway cluster skips syncing to disk, which makes tests fast and a crash lose the
    last commits. ``durable`` keeps PostgreSQL's crash safety, for fault runs that crash it
    (``restart_cluster(mode="immediate")``) and count on every acknowledged commit surviving.
    """
    data_dir = data_dir.resolve()
    bin_dir = server_bin_dir()
    port_file = data_dir / _PORT_FILE
    remembered = int(port_file.read_text()) if port_file.is_file() else None

    if _is_running(bin_dir, data_dir):
        if remembered is None or (port is not None and port != remembered):
            raise RuntimeError(
                f"a PostgreSQL server already runs on {data_dir} "
                f"(port {remembered}); stop it first to change its port to {port}"
            )
        return PostgresCluster(data_dir=data_dir, port=remembered)

    data_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        _let_server_user_reach(data_dir)
    if not (data_dir / "PG_VERSION").is_file():
        _initdb(bin_dir, data_dir)
    port = port or remembered or free_port()
    port_file.write_text(f"{port}\n")

    options = [
        f"-p {port}",
        "-c listen_addresses=127.0.0.1",
        # No Unix socket: every client uses TCP on loopback, and a socket path under a deep
        # pytest tmp_path could exceed the 107-byte limit and stop the server from starting.
        "-c unix_socket_directories=''",
    ]
    if not durable:
        # Crash safety is worthless for a throwaway dev/test cluster, and syncing to disk
        # is what makes migrations and test setup slow.
        options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
    server_options = " ".join(options)
    _run(
        _as_server_user(
            str(bin_dir / "pg_ctl"),
            "start",
            "--wait",
            "--timeout=60",
            "-D",
            str(data_dir),
            "-l",
            str(data_dir / _LOG_FILE),
            "-o",
            server_options,
        ),
        what=f"start PostgreSQL (see {data_dir / _LOG_FILE})",
    )
    return PostgresCluster(data_dir=data_dir, port=port)


def stop_cluster(cluster: PostgresCluster) -> None:
    """Stop the cluster, disconnecting clients; nothing happens if it is not running."""
    bin_dir = server_bin_dir()
    if not _is_running(bin_dir, cluster.data_dir):
        return
    _run(
        _as_server_user(
            str(bin_dir / "pg_ctl"), "stop", "--wait", "-m", "fast", "-D", str(cluster.data_dir)
        ),
        what="stop PostgreSQL",
    )


def restart_cluster(cluster: PostgresCluster, *, mode: str = "fast") -> None:
    """Restart the server as an operator would (``pg_ctl restart -m fast|immediate|smart``).

    ``immediate`` is a crash as far as the data is concerned: the server recovers from its
    WAL on the way up. The fault tests use both to prove nothing above depends on a
    database that never goes away.
    """
    _let_server_user_reach(cluster.data_dir)
    _run(
        _as_server_user(
            str(server_bin_dir() / "pg_ctl"),
            "restart",
            "--wait",
            "--timeout=60",
            "-m",
            mode,
            "-D",
            str(cluster.data_dir),
            # Without a log file the server would inherit our captured stdout, and the
            # call would wait for that pipe to close, that is, for the server to stop.
            "-l",
            str(cluster.data_dir / _LOG_FILE),
        ),
        what=f"restart PostgreSQL (-m {mode})",
    )


def ensure_database(cluster: PostgresCluster, *, name: str, owner: str, password: str) -> str:
    """Create (or keep) a login role and a database it owns; return the role's asyncpg URL.

    Running it again resets the password and ownership, so the returned URL always works.
    """
    # psql quotes :'var' as a literal; format() %I/%L quotes identifiers and literals, so
    # names and passwords with any characters are safe. \gexec runs each generated statement
    # on its own, which CREATE DATABASE requires (no transaction block).
    script = r"""
SELECT format('CREATE ROLE %I LOGIN', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'owner', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'name', :'owner') \gexec
"""
    _psql(cluster, script, name=name, owner=owner, password=password)
    return cluster.url(database=name, user=owner, password=password)


def drop_database(cluster: PostgresCluster, *, name: str) -> None:
    """Drop the database if it exists, terminating its open connections first."""
    script = r"SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'name') \gexec"
    _psql(cluster, script, name=name)


def _psql(cluster: PostgresCluster, script: str, **variables: str) -> None:
    command = [
        str(server_bin_dir() / "psql"),
        "--no-psqlrc",
        "--quiet",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        cluster.host,
        "-p",
        str(cluster.port),
        "-U",
        SUPERUSER,
        "-d",
        "postgres",
    ]
    for key, value in variables.items():
        command += ["-v", f"{key}={value}"]
    _run(command, what="run psql", stdin=script)


def _initdb(bin_dir: Path, data_dir: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(data_dir, SERVER_USER, SERVER_USER)
    _run(
        _as_server_user(
            str(bin_dir / "initdb"),
            "-D",
            str(data_dir),
            "--encoding=UTF8",
            "--locale=C",
            "--auth=trust",
            f"--username={SUPERUSER}",
            "--no-sync",  # a throwaway cluster need not wait for the disk
        ),
        what="initialise a PostgreSQL cluster",
    )


def _let_server_user_reach(data_dir: Path) -> None:
    """Give other users search (not read) permission on data_dir's private ancestors.

    The server runs as `postgres` and must traverse every parent directory; pytest's
    /tmp/pytest-of-root and /root are mode 0700, which would make it fail with EACCES.
    """
    for parent in data_dir.parents:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)


def _is_running(bin_dir: Path, data_dir: Path) -> bool:
    if not (data_dir / "postmaster.pid").is_file():
        return False
    status = _pg_ctl_status(bin_dir, data_dir)
    if status.returncode == _PG_CTL_NO_ACCESS:
        # Not "not running": the server user cannot reach data_dir (pytest resets
        # /tmp/pytest-of-root to 0700 whenever a session starts). Grant it and ask again.
        _let_server_user_reach(data_dir)
        status = _pg_ctl_status(bin_dir, data_dir)
    if status.returncode == _PG_CTL_NO_ACCESS:
        raise RuntimeError(f"pg_ctl cannot read {data_dir}: {status.stderr.strip()}")
    return status.returncode == 0


def _pg_ctl_status(bin_dir: Path, data_dir: Path) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        _as_server_user(str(bin_dir / "pg_ctl"), "status", "-D", str(data_dir)),
        capture_output=True,
        text=True,
        check=False,
    )


def _as_server_user(*command: str) -> list[str]:
    # initdb and pg_ctl refuse to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", SERVER_USER, "--", *command]
    return list(command)


def _run(command: list[str], *, what: str, stdin: str | None = None) -> None:
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise RuntimeError(f"failed to {what} (exit {result.returncode}): {output}")
