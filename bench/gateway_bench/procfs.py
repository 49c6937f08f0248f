"""What Linux's /proc says: CPU of process trees and of the machine, start times, CPU pressure.

CPU per request is measured from outside the processes, so that nothing in them changes: a
process tree's utime + stime (its reaped children's included) and the machine's busy time.
"""

import collections
import os
import re
import time
from pathlib import Path
from typing import Any


def _stat_fields(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def _process_table() -> dict[int, list[int]]:
    """Parent pid -> child pids, of every process now."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                children[int(fields[1])].append(int(entry.name))
    return children


def _tree_cpu_seconds(pid: int, table: dict[int, list[int]]) -> float:
    """A process, its live descendants, and the children it has reaped (CPU seconds)."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    own = ticks / os.sysconf("SC_CLK_TCK")
    return own + sum(_tree_cpu_seconds(child, table) for child in table.get(pid, ()))


def _machine_busy_and_total() -> tuple[float, float]:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    total = sum(values[:8])
    tick = os.sysconf("SC_CLK_TCK")
    return (total - idle) / tick, total / tick


class CpuMeter:
    """CPU seconds of named process trees and of the whole machine between two samples."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids

    def sample(self) -> dict[str, float]:
        table = _process_table()
        sample = {name: _tree_cpu_seconds(pid, table) for name, pid in self.pids.items()}
        sample["_machine_busy"], sample["_machine_total"] = _machine_busy_and_total()
        sample["_bench"] = time.process_time()
        return sample

    @staticmethod
    def report(before: dict[str, float], after: dict[str, float], requests: int) -> dict[str, Any]:
        used = {key: after[key] - before[key] for key in before}
        named = {k: v for k, v in used.items() if not k.startswith("_")}
        other = used["_machine_busy"] - sum(named.values()) - used["_bench"]
        per = 1e6 / max(requests, 1)
        return {
            "us_per_request": {
                **{name: round(seconds * per, 1) for name, seconds in named.items()},
                "other_processes": round(max(0.0, other) * per, 1),
            },
            "machine_busy_pct": round(
                100 * used["_machine_busy"] / max(used["_machine_total"], 1e-9), 1
            ),
        }


def start_time(pid: int) -> int | None:
    """When the process started (clock ticks after boot): with the pid, it names one process."""
    fields = _stat_fields(pid)
    return int(fields[19]) if fields is not None else None


def cpu_pressure() -> float | None:
    """Share of the last minute in which runnable tasks waited for a CPU (Linux PSI), in %."""
    try:
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (FileNotFoundError, IndexError, PermissionError, OSError):
        return None
    found = re.search(r"avg60=([0-9.]+)", some)
    return float(found.group(1)) if found else None
