"""The one back-off rule: doubling, capped, jittered down to half, on tenacity."""

import asyncio
import itertools

import pytest
import tenacity
from hypothesis import given
from hypothesis import strategies as st

from kota_shared.backoff import Backoff


def test_pauses_double_up_to_the_cap_with_the_whole_ceiling() -> None:
    backoff = Backoff(first_seconds=0.5, max_seconds=30, jitter=lambda: 1.0)

    assert list(itertools.islice(backoff.delays(), 9)) == [0.5, 1, 2, 4, 8, 16, 30, 30, 30]
    assert backoff.delay(1000) == 30  # no overflow far out


def test_jitter_takes_a_pause_down_to_half_at_most() -> None:
    backoff = Backoff(first_seconds=0.5, max_seconds=30, jitter=lambda: 0.0)

    assert [backoff.delay(n) for n in (1, 2, 3, 7, 8)] == [0.25, 0.5, 1.0, 15.0, 15.0]


def test_without_a_cap_pauses_keep_doubling() -> None:
    backoff = Backoff(first_seconds=0.2, jitter=lambda: 1.0)

    assert [backoff.delay(n) for n in (1, 2, 3, 4)] == pytest.approx([0.2, 0.4, 0.8, 1.6])


@given(
    st.floats(0.001, 10),
    st.floats(0.001, 100),
    st.integers(1, 200),
    st.floats(0, 1),
)
def test_a_pause_lies_between_half_and_all_of_its_ceiling(
    first: float, cap: float, attempt: int, jitter: float
) -> None:
    ceiling = min(cap, first * 2.0 ** (attempt - 1))

    pause = Backoff(first_seconds=first, max_seconds=cap, jitter=lambda: jitter).delay(attempt)

    assert ceiling / 2 <= pause <= ceiling * (1 + 1e-12)


def test_random_jitter_spreads_the_pauses() -> None:
    backoff = Backoff(first_seconds=1, max_seconds=1)

    pauses = {backoff.delay(1) for _ in range(50)}

    assert len(pauses) > 1
    assert all(0.5 <= p <= 1 for p in pauses)


async def test_retrying_waits_by_the_rule_and_stops_when_told() -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    calls = 0

    async def down() -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError("still down")

    backoff = Backoff(first_seconds=0.1, max_seconds=0.3, jitter=lambda: 1.0)
    retrying = backoff.retrying(stop=tenacity.stop_after_attempt(4), sleep=sleep, reraise=True)
    with pytest.raises(RuntimeError, match="still down"):
        await retrying(down)

    assert calls == 4
    assert slept == pytest.approx([0.1, 0.2, 0.3])


async def test_retrying_retries_only_what_its_predicate_allows() -> None:
    calls = 0

    async def sleep(_seconds: float) -> None:
        pass

    async def refused() -> None:
        nonlocal calls
        calls += 1
        raise KeyError("not for retrying")

    retrying = Backoff(first_seconds=0.1).retrying(
        retry=tenacity.retry_if_exception_type(ValueError), sleep=sleep
    )
    with pytest.raises(KeyError):
        await retrying(refused)

    assert calls == 1


async def test_a_cancelled_attempt_is_never_retried() -> None:
    calls = 0
    started = asyncio.Event()

    async def attempt_forever() -> None:
        nonlocal calls
        async for attempt in Backoff(first_seconds=0.01).retrying(
            retry=tenacity.retry_if_exception(lambda _exc: True)
        ):
            with attempt:
                calls += 1
                started.set()
                await asyncio.Event().wait()

    task = asyncio.create_task(attempt_forever())
    await started.wait()
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task
    assert calls == 1
