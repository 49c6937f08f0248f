"""The machine a benchmark ran on, and how busy other work kept it: the ``machine`` of a report.

Everything a benchmark starts shares the machine's CPUs with whatever else runs there, so each
report says how loaded the machine was before and after the run, beside what it is.
"""

import contextlib
import importlib.metadata
import os
import platform
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Self

from .procfs import cpu_pressure


@dataclass(frozen=True)
class MachineLoad:
    """The load average and the CPU pressure (Linux PSI, None where absent) at one moment."""

    load_average: tuple[float, float, float]
    cpu_pressure_avg60_pct: float | None

    @classmethod
    def now(cls) -> Self:
        return cls(os.getloadavg(), cpu_pressure())


def installed_versions(packages: Iterable[str]) -> dict[str, str]:
    """The installed version of each of ``packages`` that is installed."""
    found = {}
    for package in packages:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found[package] = importlib.metadata.version(package)
    return found


def machine_report(
    *, before: MachineLoad, servers: dict[str, str | None], libraries: Iterable[str]
) -> dict[str, Any]:
    """CPUs, platform and Python; the ``servers``' versions as given, ``libraries``' as
    installed; the load before the run (``before``) and now, after it."""
    after = MachineLoad.now()
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        **servers,
        "libraries": installed_versions(libraries),
        "load_average_before": [round(x, 2) for x in before.load_average],
        "load_average_after": [round(x, 2) for x in after.load_average],
        "cpu_pressure_avg60_pct_before": before.cpu_pressure_avg60_pct,
        "cpu_pressure_avg60_pct_after": after.cpu_pressure_avg60_pct,
    }
