"""Child processes: started, spoken to, stopped in order, and never left running.

They are started in sessions of their own (a Ctrl-C reaches only us, and we stop them in order)
and recorded in a registry so that an interrupted run's leftovers are stopped next time. The
load generator and the profiled gateway speak a line protocol: one JSON object a line on their
stdout (``say``), read by the parent with a timeout (``read_event``).
"""

import contextlib
import json
import os
import queue
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from benchkit.procfs import start_time

from .config import log

REGISTRY = "children.jsonl"  # pid and command line of every process started, for leftovers


def say(stream: IO[str], message: dict[str, Any]) -> None:
    """One protocol line (a child's side)."""
    stream.write(json.dumps(message) + "\n")
    stream.flush()


@dataclass
class Child:
    name: str
    process: subprocess.Popen[Any]
    log_path: Path | None
    stop_signal: int = signal.SIGTERM
    lines: "queue.Queue[str]" = field(default_factory=queue.Queue)
    """Its stdout's lines (protocol children), read by a thread so a wait can time out."""

    def _read_lines(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put("")  # end of output


class Children:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.running: list[Child] = []

    def spawn(
        self,
        name: str,
        command: list[str],
        *,
        env: dict[str, str] | None = None,
        log_path: Path | None = None,
        stdin: int | None = subprocess.DEVNULL,
        stdout: int | None = None,
        stop_signal: int = signal.SIGTERM,
    ) -> Child:
        log_file = log_path.open("ab") if log_path is not None else None
        try:
            process = subprocess.Popen(
                command,
                env=env,
                stdin=stdin,
                stdout=stdout if stdout is not None else log_file,
                stderr=log_file,
                start_new_session=True,
                text=stdout is not None or stdin == subprocess.PIPE,
            )
        finally:
            if log_file is not None:
                log_file.close()
        with (self.state_dir / REGISTRY).open("a") as registry:
            entry = {"pid": process.pid, "started": start_time(process.pid), "name": name}
            registry.write(json.dumps(entry) + "\n")
        child = Child(name, process, log_path, stop_signal)
        self.running.append(child)
        if stdout is not None:
            threading.Thread(target=child._read_lines, daemon=True).start()
        return child

    def stop(self, child: Child, *, timeout: float = 20) -> None:
        process = child.process
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(child.stop_signal)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                log("%s did not stop in %g s: killing it", child.name, timeout)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # Its own workers (uvicorn's, nginx's) normally go with it; make sure.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        if child in self.running:
            self.running.remove(child)

    def stop_all(self) -> None:
        for child in reversed(list(self.running)):
            self.stop(child)

    @staticmethod
    def stop_leftovers(state_dir: Path) -> None:
        """Stop what a killed run left running: the same process (pid and start time) only."""
        registry = state_dir / REGISTRY
        if not registry.is_file():
            return
        for line in registry.read_text().splitlines():
            entry = json.loads(line)
            pid = int(entry["pid"])
            if entry["started"] is None or start_time(pid) != entry["started"]:
                continue  # gone, or the pid now belongs to another process
            log("stopping %s, left running by an earlier run (pid %d)", entry["name"], pid)
            for sig in (signal.SIGTERM, signal.SIGKILL):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, sig)
                deadline = time.monotonic() + 10
                while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                    time.sleep(0.1)


def read_event(child: Child, expected: str, timeout: float) -> dict[str, Any]:
    """The child's next protocol line, which must be ``{"event": expected, ...}``."""
    try:
        line = child.lines.get(timeout=timeout)
    except queue.Empty:
        raise TimeoutError(f"{child.name}: no {expected!r} within {timeout:g} s") from None
    if not line:
        code = child.process.wait()
        raise RuntimeError(f"{child.name} exited ({code}) before {expected!r}{log_tail(child)}")
    message: dict[str, Any] = json.loads(line)
    if message.get("event") != expected:
        raise RuntimeError(f"{child.name}: expected {expected!r}, got {line.strip()!r}")
    return message


def log_tail(child: Child, lines: int = 25) -> str:
    """The end of a child's log, for an error message."""
    if child.log_path is None or not child.log_path.exists():
        return ""
    text = child.log_path.read_text(errors="replace").splitlines()[-lines:]
    return f"; last lines of {child.log_path}:\n" + "\n".join(text)
