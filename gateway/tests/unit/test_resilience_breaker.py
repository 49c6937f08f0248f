"""The circuit breaker's state machine, driven by a clock the test controls."""

import pytest

from kota_gateway.edge.breaker import BreakerState, CircuitBreaker, CircuitOpen


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def changes() -> list[tuple[str, BreakerState]]:
    return []


@pytest.fixture
def breaker(clock: Clock, changes: list[tuple[str, BreakerState]]) -> CircuitBreaker:
    return CircuitBreaker(
        "permits",
        failure_threshold=3,
        open_seconds=10,
        clock=clock,
        on_change=lambda name, state: changes.append((name, state)),
    )


def fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        breaker.failed(breaker.admit())


def test_it_opens_after_the_threshold_of_consecutive_failures(breaker: CircuitBreaker) -> None:
    fail(breaker, 2)
    assert breaker.snapshot().state is BreakerState.CLOSED

    fail(breaker, 1)

    assert breaker.snapshot().state is BreakerState.OPEN
    with pytest.raises(CircuitOpen):
        breaker.admit()


def test_a_success_resets_the_count(breaker: CircuitBreaker) -> None:
    fail(breaker, 2)
    breaker.succeeded(breaker.admit())
    fail(breaker, 2)

    assert breaker.snapshot().state is BreakerState.CLOSED
    assert breaker.snapshot().consecutive_failures == 2


def test_open_refuses_with_the_time_left(breaker: CircuitBreaker, clock: Clock) -> None:
    fail(breaker, 3)
    clock.now += 4

    with pytest.raises(CircuitOpen) as refused:
        breaker.admit()

    assert refused.value.retry_after == pytest.approx(6)
    assert breaker.snapshot().retry_after == pytest.approx(6)


def test_half_open_lets_exactly_one_probe_through(breaker: CircuitBreaker, clock: Clock) -> None:
    fail(breaker, 3)
    clock.now += 10

    assert breaker.snapshot().state is BreakerState.HALF_OPEN
    probe = breaker.admit()
    assert probe.probe
    with pytest.raises(CircuitOpen):
        breaker.admit()  # a second caller while the probe is out


def test_a_successful_probe_closes_it(breaker: CircuitBreaker, clock: Clock) -> None:
    fail(breaker, 3)
    clock.now += 10

    breaker.succeeded(breaker.admit())

    assert breaker.snapshot().state is BreakerState.CLOSED
    assert breaker.snapshot().consecutive_failures == 0
    assert not breaker.admit().probe


def test_a_failed_probe_opens_it_for_another_period(breaker: CircuitBreaker, clock: Clock) -> None:
    fail(breaker, 3)
    clock.now += 10

    breaker.failed(breaker.admit())

    assert breaker.snapshot().state is BreakerState.OPEN
    assert breaker.snapshot().retry_after == pytest.approx(10)


def test_an_abandoned_probe_lets_the_next_caller_probe(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    fail(breaker, 3)
    clock.now += 10

    breaker.abandoned(breaker.admit())

    assert breaker.admit().probe


def test_late_outcomes_of_calls_admitted_before_it_opened_change_nothing(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    slow = breaker.admit()
    fail(breaker, 3)

    breaker.succeeded(slow)  # must not close an open circuit by luck
    assert breaker.snapshot().state is BreakerState.OPEN

    clock.now += 10
    probe = breaker.admit()
    breaker.failed(slow)  # nor count against the probe
    breaker.succeeded(probe)
    assert breaker.snapshot().state is BreakerState.CLOSED


def test_every_transition_is_reported(
    breaker: CircuitBreaker, clock: Clock, changes: list[tuple[str, BreakerState]]
) -> None:
    fail(breaker, 3)
    clock.now += 10
    breaker.succeeded(breaker.admit())

    assert [state for _, state in changes] == [
        BreakerState.CLOSED,
        BreakerState.OPEN,
        BreakerState.HALF_OPEN,
        BreakerState.CLOSED,
    ]
    assert {name for name, _ in changes} == {"permits"}


@pytest.mark.parametrize(("threshold", "seconds"), [(0, 1), (1, 0)])
def test_nonsense_settings_are_refused(threshold: int, seconds: float) -> None:
    with pytest.raises(ValueError, match="failure_threshold"):
        CircuitBreaker("x", failure_threshold=threshold, open_seconds=seconds)
