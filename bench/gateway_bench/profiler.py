"""The profiled gateway: a child process (``gateway.py _profile CONFIG``).

One gateway process, as ``uvicorn --factory`` runs it, profiled twice in turn on its event
loop's thread, each time between commands on stdin, while the parent drives load at it:

- cProfile (deterministic: every call, with call counts). Its timer is the wall clock: a
  process preempted for another on 2 busy cores charges the gap to whatever function was
  running, which is unbiased on average but noisy; a CPU-time timer would be a syscall per
  event here (~1 us), inflating tiny, frequent functions tenfold.
- A CPU-time sampler (statistical, stdlib only): SIGPROF every --sample-interval of the
  process's CPU time records the Python stack being run. Preemption cannot skew it and its
  cost does not depend on how many calls a function makes (py-spy's model). Time in C code
  counts to the Python function that called it; uvloop's own C work to the next Python frame.

Protocol: stdin takes ``profile-start``/``profile-stop``, ``sample-start``/``sample-stop`` and
``exit``; stdout answers ``ready``, ``profiled`` and ``sampled`` (JSON lines) once the stats
are written. profile_summary reads what it writes.
"""

import asyncio
import collections
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from .processes import say


class CpuSampler:
    """Own (leaf) and inclusive sample counts per function, from SIGPROF on CPU time."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.samples = 0
        self.cpu_seconds = 0.0  # the process's CPU time while sampling: what samples share
        self.own: collections.Counter[tuple[str, int, str]] = collections.Counter()
        self.inclusive: collections.Counter[tuple[str, int, str]] = collections.Counter()

    def _sample(self, _signum: int, frame: Any) -> None:
        self.samples += 1
        seen = set()
        leaf = True
        while frame is not None:
            code = frame.f_code
            key = (code.co_filename, code.co_firstlineno, code.co_name)
            if leaf:
                self.own[key] += 1
                leaf = False
            seen.add(key)
            frame = frame.f_back
        self.inclusive.update(seen)

    def start(self) -> None:  # in the main thread: signal handlers run there
        signal.signal(signal.SIGPROF, self._sample)
        self.cpu_seconds -= time.process_time()
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)

    def stop(self) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        self.cpu_seconds += time.process_time()
        signal.signal(signal.SIGPROF, signal.SIG_DFL)

    def dump(self, path: str) -> None:
        Path(path).write_text(
            json.dumps(
                {
                    "interval": self.interval,
                    "samples": self.samples,
                    "cpu_seconds": self.cpu_seconds,
                    "own": [[*key, n] for key, n in self.own.items()],
                    "inclusive": [[*key, n] for key, n in self.inclusive.items()],
                }
            )
        )


def profile_main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything else printed goes to the log, not into the protocol
    os.environ.update(config["env"])

    import cProfile

    import uvicorn

    profiler = cProfile.Profile()
    sampler = CpuSampler(float(config["sample_interval"]))
    server = uvicorn.Server(
        uvicorn.Config(
            "kota_gateway.main:create_app",
            factory=True,
            host="127.0.0.1",
            port=int(config["port"]),
            access_log=False,
        )
    )

    def on_command(word: str) -> None:  # in the event loop's thread
        if word == "profile-start":
            profiler.enable()
        elif word == "profile-stop":
            profiler.disable()
            profiler.dump_stats(config["stats_path"])
            say(protocol, {"event": "profiled"})
        elif word == "sample-start":
            sampler.start()
        elif word == "sample-stop":
            sampler.stop()
            sampler.dump(config["samples_path"])
            say(protocol, {"event": "sampled"})
        else:  # "exit", or the parent went away
            server.should_exit = True

    async def serve() -> None:
        loop = asyncio.get_running_loop()

        def commands() -> None:
            for line in sys.stdin:
                loop.call_soon_threadsafe(on_command, line.strip())
            loop.call_soon_threadsafe(on_command, "exit")

        serving = asyncio.create_task(server.serve())
        while not server.started:
            if serving.done():
                await serving
                raise RuntimeError("the gateway stopped before it started")
            await asyncio.sleep(0.05)
        threading.Thread(target=commands, daemon=True).start()
        say(protocol, {"event": "ready"})
        await serving

    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:
        runner = asyncio.Runner()
    with runner:
        runner.run(serve())
