"""Measuring: one load run against a target, with CPU per request; the profiled gateway.

The load generator and the profiled gateway are children started as the entry script
(``_load``, ``_profile``) with a JSON config file in the state directory; they answer in
protocol lines (processes.read_event) and leave their profiles there.
"""

import argparse
import functools
import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from benchkit.procfs import CpuMeter, CpuTimes

from .config import PATH, READY_TIMEOUT, SCRIPT, STATE_DIR, log
from .processes import Children, read_event
from .profile_summary import summarize_cprofile, summarize_samples
from .servers import Target, clean_environment, gateway_counters


def cpu_per_request(used: CpuTimes, requests: int) -> dict[str, Any]:
    """Microseconds of CPU per answered request: each measured process tree's, and the rest
    of the machine's (busy time that was neither theirs nor this benchmark process's)."""
    other = used.machine_busy - sum(used.trees.values()) - used.this_process
    per = 1e6 / max(requests, 1)
    return {
        "us_per_request": {
            **{name: round(seconds * per, 1) for name, seconds in used.trees.items()},
            "other_processes": round(max(0.0, other) * per, 1),
        },
        "machine_busy_pct": used.machine_busy_pct,
    }


class Bench:
    """What every measured run needs: the options, the children, the pids whose CPU is counted
    (service, PostgreSQL: set once they run) and the tokens every request carries."""

    def __init__(self, args: argparse.Namespace, children: Children) -> None:
        self.args = args
        self.children = children
        self.service_pid = 0
        self.postgres_pid = 0
        self.tokens: list[str] = []

    def run_load(
        self,
        target: Target,
        *,
        mode: str,
        warmup: float,
        duration: float,
        rate: float | None = None,
        on_measuring: Callable[[], None] | None = None,
        on_measured: Callable[[], None] | None = None,
    ) -> dict[str, Any]:
        """One load generator run against ``target``: its result, with the CPU per request of
        each process over the measured window and, for a gateway, its counters' increase.
        ``on_measuring``/``on_measured`` run as the window opens and closes (the profile's)."""
        config = {
            "port": target.port,
            "path": PATH,
            "tokens": self.tokens,
            "connections": self.args.concurrency,
            "mode": mode,
            "rate": rate,
            "warmup": warmup,
            "duration": duration,
        }
        counters_before = gateway_counters(target.port) if target.name.startswith("gateway") else {}
        config_path = STATE_DIR / f"load-{target.name}-{mode}.json"
        config_path.write_text(json.dumps(config))
        child = self.children.spawn(
            f"load generator ({target.name})",
            [sys.executable, str(SCRIPT), "_load", str(config_path)],
            stdout=subprocess.PIPE,
        )
        try:
            pids = {"service": self.service_pid, "postgres": self.postgres_pid}
            if target.name != "direct":
                pids["proxy"] = target.pid
            pids["load_generator"] = child.process.pid
            meter = CpuMeter(pids)
            read_event(child, "ready", 120 + len(self.tokens) / 20)
            read_event(child, "measuring", warmup + 30)
            before = meter.sample()
            if on_measuring is not None:
                on_measuring()
            read_event(child, "measured", duration + 30)
            after = meter.sample()
            if on_measured is not None:
                on_measured()
            result = read_event(child, "result", 90)
        finally:
            self.children.stop(child)
        result.pop("event")
        if result["ok"] == 0:
            raise RuntimeError(
                f"{target.name}: no successful answer in the measured window: {result}"
            )
        result["cpu"] = cpu_per_request(CpuMeter.used(before, after), result["ok"])
        if target.name.startswith("gateway"):
            after_run = gateway_counters(target.port)
            result["gateway_counters"] = {
                key: value - counters_before.get(key, 0.0)
                for key, value in after_run.items()
                if value != counters_before.get(key, 0.0)
            }
        return result

    def profile(self, env: dict[str, str]) -> dict[str, Any]:
        """One gateway process with ``env`` (profiler.py), under closed-loop load twice:
        cProfile, then CPU sampling; both summed up by profile_summary."""
        from kota_dev.ports import free_port

        port = free_port()
        stats_path = STATE_DIR / "gateway.pstats"
        samples_path = STATE_DIR / "gateway-samples.json"
        config_path = STATE_DIR / "profile.json"
        config = {
            "env": env,
            "port": port,
            "stats_path": str(stats_path),
            "samples_path": str(samples_path),
            "sample_interval": self.args.sample_interval,
        }
        config_path.write_text(json.dumps(config))
        log("profiling one gateway process on port %d: cProfile, then CPU sampling", port)
        child = self.children.spawn(
            "gateway (profiled)",
            [sys.executable, str(SCRIPT), "_profile", str(config_path)],
            env=clean_environment(),
            log_path=STATE_DIR / "logs" / "gateway-profiled.log",
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        runs = {}
        try:
            read_event(child, "ready", READY_TIMEOUT)
            stdin = child.process.stdin
            assert stdin is not None

            def command(word: str) -> None:
                stdin.write(word + "\n")
                stdin.flush()

            target = Target("gateway_profiled", port, child.process.pid)
            for kind, done in (("profile", "profiled"), ("sample", "sampled")):
                runs[kind] = self.run_load(
                    target,
                    mode="closed",
                    warmup=min(self.args.warmup, 2.0),
                    duration=self.args.profile_duration,
                    on_measuring=functools.partial(command, f"{kind}-start"),
                    on_measured=functools.partial(command, f"{kind}-stop"),
                )
                read_event(child, done, 120)
            command("exit")
            child.process.wait(60)
        finally:
            self.children.stop(child)

        def under(result: dict[str, Any]) -> dict[str, Any]:
            return {
                "requests_per_second": result["requests_per_second"],
                "p50_ms": result["p50_ms"],
                "gateway_process_cpu_us_per_request": result["cpu"]["us_per_request"].get("proxy"),
            }

        top = self.args.profile_top
        return {
            "scenario": "gateway (rate limits and token verification on), one process started "
            "in-process as uvicorn --factory does, closed loop at --concurrency, each profiler "
            "on its event loop's thread for --profile-duration seconds",
            "cprofile": {
                "timer": "wall clock (cProfile's default)",
                "under_profiler": under(runs["profile"]),
                **summarize_cprofile(stats_path, runs["profile"]["ok"], top),
            },
            "cpu_sampling": {
                "timer": f"SIGPROF every {self.args.sample_interval * 1000:g} ms of process CPU "
                "(or the kernel's tick, if longer)",
                "under_profiler": under(runs["sample"]),
                **summarize_samples(samples_path, runs["sample"]["ok"], top),
            },
        }
