"""The supervisor restarts failed background tasks, reports them, and fails liveness in time."""

import asyncio
import logging

import httpx
import pytest
from fastapi import FastAPI

from kota_shared.health import health_router
from kota_shared.supervision import RestartPolicy, Supervisor, TaskState
from kota_shared.testing.waiting import eventually

QUICK = RestartPolicy(
    first_delay_seconds=0.01,
    max_delay_seconds=0.02,
    stable_after_seconds=10,
    unhealthy_after_seconds=30,
)


class FakeClock:
    """Monotonic time as the test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def supervisor_and_clock():
    clock = FakeClock()
    supervisor = Supervisor(QUICK, clock=clock, jitter=lambda: 1.0)
    yield supervisor, clock
    await supervisor.stop()


def failing_job(times: int, ran: list[int]):
    """Fails its first ``times`` runs, then runs until cancelled."""

    async def job() -> None:
        ran.append(len(ran))
        if len(ran) <= times:
            raise RuntimeError(f"failure {len(ran)}")
        await asyncio.Event().wait()

    return job


async def test_a_failing_task_is_restarted_and_its_failure_logged_with_the_traceback(
    supervisor_and_clock, caplog
):
    supervisor, _clock = supervisor_and_clock
    ran: list[int] = []
    caplog.set_level(logging.ERROR, logger="kota_shared.supervision")

    supervisor.start("sweep", failing_job(2, ran))

    report = await eventually(
        lambda: asyncio.sleep(0, supervisor.report()),
        until=lambda r: r["sweep"]["state"] == "running" and len(ran) == 3,
        what="the third run",
    )
    assert report["sweep"]["restarts"] == 2
    failures = [r for r in caplog.records if "sweep failed" in r.getMessage()]
    assert len(failures) == 2
    assert failures[0].exc_info is not None
    assert "failure 1" in str(failures[0].exc_info[1])


async def test_a_task_that_returns_is_restarted_too(supervisor_and_clock):
    supervisor, _clock = supervisor_and_clock
    runs: list[None] = []

    async def returns_at_once() -> None:
        runs.append(None)

    supervisor.start("quitter", returns_at_once)

    await eventually(lambda: asyncio.sleep(0, len(runs)), until=lambda n: n >= 3)
    assert supervisor.report()["quitter"]["restarts"] >= 2
    assert "TaskReturned" in supervisor.report()["quitter"]["last_error"]


async def test_a_task_failing_past_the_bound_is_unhealthy_and_one_that_recovered_is_not(
    supervisor_and_clock,
):
    supervisor, clock = supervisor_and_clock

    async def always_fails() -> None:
        raise RuntimeError("the table is gone")

    supervisor.start("relay", always_fails)
    supervisor.start("consumer", failing_job(1, []))
    await eventually(
        lambda: asyncio.sleep(0, supervisor.report()),
        until=lambda r: r["relay"]["restarts"] >= 1 and r["consumer"]["restarts"] == 1,
    )
    assert supervisor.unhealthy() == []  # failing, but not yet for long

    clock.now += QUICK.unhealthy_after_seconds + 1
    # The consumer has run since its one failure for longer than it takes to be stable.
    assert supervisor.unhealthy() == ["relay"]
    report = supervisor.report()
    assert report["relay"]["failing_for_seconds"] > QUICK.unhealthy_after_seconds
    assert report["relay"]["last_error"] == "RuntimeError: the table is gone"
    assert "last_error" not in report["consumer"]


async def test_stop_cancels_every_task_and_marks_it_stopped():
    supervisor = Supervisor(QUICK)
    cancelled = asyncio.Event()

    async def runs_until_cancelled() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.set()

    supervisor.start("relay", runs_until_cancelled)
    await asyncio.sleep(0)  # let it start
    await supervisor.stop()
    assert cancelled.is_set()
    assert supervisor.report() == {}


def test_restart_delays_double_up_to_the_cap_and_are_jittered_down_to_half():
    policy = RestartPolicy(first_delay_seconds=0.5, max_delay_seconds=30)
    assert [policy.delay(n, jitter=1.0) for n in (1, 2, 3, 7, 8)] == [0.5, 1.0, 2.0, 30.0, 30.0]
    assert policy.delay(3, jitter=0.0) == 1.0


async def test_livez_fails_while_a_task_fails_past_the_bound_and_readyz_shows_each_task(
    supervisor_and_clock,
):
    supervisor, clock = supervisor_and_clock
    app = FastAPI()
    app.include_router(health_router())
    app.state.readiness_checks = {}
    app.state.supervisor = supervisor

    async def always_fails() -> None:
        raise RuntimeError("boom")

    supervisor.start("outbox-relay", always_fails)
    supervisor.start("consumer:payments", failing_job(0, []))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        await eventually(
            lambda: asyncio.sleep(0, supervisor.report()["outbox-relay"]["restarts"]),
            until=lambda n: n >= 1,
        )
        assert (await client.get("/livez")).status_code == 200

        clock.now += QUICK.unhealthy_after_seconds + 1
        livez = await client.get("/livez")
        readyz = await client.get("/readyz")

    assert livez.status_code == 503
    assert livez.json() == {"status": "failing", "tasks": ["outbox-relay"]}
    tasks = readyz.json()["tasks"]
    assert tasks["outbox-relay"]["state"] in {TaskState.RESTARTING.value, TaskState.RUNNING.value}
    assert tasks["outbox-relay"]["last_error"] == "RuntimeError: boom"
    assert tasks["consumer:payments"] == {"state": "running", "restarts": 0}
