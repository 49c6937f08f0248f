"""What Linux's /proc says: CPU and memory of process trees, CPU of the machine, start times,
CPU pressure.

CPU is measured from outside the processes, so that nothing in them changes: a process tree's
utime + stime (its reaped children's included), the measuring process's own CPU time, and the
machine's busy time. Each benchmark divides the seconds used by its own unit of work. Memory
is each process's resident set (VmRSS) and its high-water mark since it started (VmHWM).
"""

import collections
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path


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
    """A process, its live descendants, and the children it has reaped (CPU seconds).

    The reaped children count because a PostgreSQL backend that has exited during a run has
    had its CPU time added to the postmaster's cutime and cstime by then."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    own = ticks / os.sysconf("SC_CLK_TCK")
    return own + sum(_tree_cpu_seconds(child, table) for child in table.get(pid, ()))


def _machine_busy_and_total() -> tuple[float, float]:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    total = sum(values[:8])  # guest time is already counted in user
    tick = os.sysconf("SC_CLK_TCK")
    return (total - idle) / tick, total / tick


@dataclass(frozen=True)
class CpuTimes:
    """CPU seconds of each named process tree, of the measuring process, and of the machine:
    counted from boot in a sample, or between two samples in ``CpuMeter.used``."""

    trees: dict[str, float]
    this_process: float
    machine_busy: float
    machine_total: float

    @property
    def machine_busy_pct(self) -> float:
        """How busy every CPU of the machine was, in % (to 0.1, as the reports give it)."""
        return round(100 * self.machine_busy / max(self.machine_total, 1e-9), 1)


class CpuMeter:
    """CPU of named process trees (e.g. ``{"postgres": postmaster_pid}``), of this process and
    of the whole machine; ``used`` gives the seconds between two samples."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids

    def sample(self) -> CpuTimes:
        table = _process_table()
        busy, total = _machine_busy_and_total()
        return CpuTimes(
            trees={name: _tree_cpu_seconds(pid, table) for name, pid in self.pids.items()},
            this_process=time.process_time(),
            machine_busy=busy,
            machine_total=total,
        )

    @staticmethod
    def used(before: CpuTimes, after: CpuTimes) -> CpuTimes:
        """The CPU seconds used from ``before`` to ``after``."""
        return CpuTimes(
            trees={name: after.trees[name] - before.trees[name] for name in before.trees},
            this_process=after.this_process - before.this_process,
            machine_busy=after.machine_busy - before.machine_busy,
            machine_total=after.machine_total - before.machine_total,
        )


def _tree(pid: int, table: dict[int, list[int]]) -> list[int]:
    return [pid, *(p for child in table.get(pid, ()) for p in _tree(child, table))]


def _status_bytes(pid: int, field: str) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    for line in lines:
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024  # given in kB
    return 0


@dataclass(frozen=True)
class Memory:
    """A process tree's resident memory now, and the sum of its processes' peaks."""

    rss_bytes: int
    peak_bytes: int


def tree_memory(pid: int) -> Memory:
    """VmRSS and VmHWM summed over a process and its live descendants (the peak of a tree
    of several processes is an upper bound: each one's peak may have come at another time)."""
    pids = _tree(pid, _process_table())
    return Memory(
        rss_bytes=sum(_status_bytes(p, "VmRSS") for p in pids),
        peak_bytes=sum(_status_bytes(p, "VmHWM") for p in pids),
    )


def start_time(pid: int) -> int | None:
    """When the process started (clock ticks after boot): with the pid, it names one process."""
    fields = _stat_fields(pid)
    return int(fields[19]) if fields is not None else None


def cpu_pressure() -> float | None:
    """Share of the last minute in which runnable tasks waited for a CPU (Linux PSI), in %."""
    try:
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):  # no PSI here, or not readable
        return None
    found = re.search(r"avg60=([0-9.]+)", some)
    return float(found.group(1)) if found else None
