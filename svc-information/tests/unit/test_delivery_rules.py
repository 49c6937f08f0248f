"""Delivery's pure rules: quiet hours across midnight, the per-number limits, the provider's
token bucket, the back-off of a send a provider did not take, and what a receipt may change."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from information.delivery.limits import NumberLimits, TokenBucket, Verdict, fingerprint
from information.delivery.quiet_hours import quiet_until
from information.delivery.retries import RetryPolicy
from information.delivery.statuses import MessageStatus, after_receipt
from kota_shared.backoff import Backoff

JAKARTA = ZoneInfo("Asia/Jakarta")
NIGHT = {"quiet_from": time(21, 0), "quiet_until": time(6, 0), "timezone": JAKARTA}


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=JAKARTA)


@pytest.mark.parametrize(
    ("moment", "ends"),
    [
        (wib(5, 21, 0), wib(6, 6)),  # the first minute of quiet: until tomorrow morning
        (wib(5, 23, 59), wib(6, 6)),
        (wib(6, 0, 0), wib(6, 6)),  # past midnight: until this morning
        (wib(6, 5, 59), wib(6, 6)),
        (wib(6, 6, 0), None),  # quiet_until itself is not quiet
        (wib(6, 12, 0), None),
        (wib(6, 20, 59), None),
    ],
)
def test_a_night_of_quiet_ends_the_next_morning_city_time(
    moment: datetime, ends: datetime | None
) -> None:
    assert quiet_until(moment, **NIGHT) == ends


def test_a_moment_in_utc_is_judged_on_the_city_clock() -> None:
    # 15:30 UTC is 22:30 in Jakarta: quiet, until 06:00 WIB, which is 23:00 UTC.
    ends = quiet_until(datetime(2026, 3, 5, 15, 30, tzinfo=UTC), **NIGHT)

    assert ends == datetime(2026, 3, 5, 23, 0, tzinfo=UTC)
    assert ends is not None
    assert ends.tzinfo == UTC


def test_quiet_hours_within_one_day_do_not_span_midnight() -> None:
    siesta = {"quiet_from": time(13, 0), "quiet_until": time(15, 0), "timezone": JAKARTA}

    assert quiet_until(wib(5, 14, 0), **siesta) == wib(5, 15)
    assert quiet_until(wib(5, 12, 59), **siesta) is None
    assert quiet_until(wib(5, 23, 0), **siesta) is None


def test_no_quiet_hours_is_never_quiet() -> None:
    assert quiet_until(wib(5, 23), quiet_from=None, quiet_until=None, timezone=JAKARTA) is None


def test_a_zone_with_daylight_saving_ends_quiet_at_the_local_morning() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # The night clocks go forward (29 March 2026, 02:00 → 03:00): quiet still ends at 06:00.
    moment = datetime(2026, 3, 28, 23, 0, tzinfo=berlin)

    ends = quiet_until(moment, quiet_from=time(22), quiet_until=time(6), timezone=berlin)

    assert ends == datetime(2026, 3, 29, 6, 0, tzinfo=berlin)
    assert ends is not None
    # Seven hours on the clock, six in fact.
    assert ends.astimezone(UTC) - moment.astimezone(UTC) == timedelta(hours=6)


@given(
    moment=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
    ),
    start=st.times(),
    end=st.times(),
)
def test_quiet_ends_after_the_moment_within_a_day_and_outside_quiet(
    moment: datetime, start: time, end: time
) -> None:
    ends = quiet_until(moment, quiet_from=start, quiet_until=end, timezone=JAKARTA)

    if ends is not None:
        assert moment < ends <= moment + timedelta(days=1)
        assert ends.astimezone(JAKARTA).time() == end
        assert quiet_until(ends, quiet_from=start, quiet_until=end, timezone=JAKARTA) is None


NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
LIMITS = NumberLimits(per_hour=100, identical_per_hour=20)


def minutes_ago(*minutes: int) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in minutes]


def test_under_both_limits_a_send_goes() -> None:
    decision = LIMITS.decide(sent=minutes_ago(*range(99)), identical=minutes_ago(*range(19)))

    assert decision.verdict is Verdict.SEND


def test_the_hundred_and_first_send_waits_until_the_oldest_of_the_hour_leaves_it() -> None:
    sent = minutes_ago(*(m * 0.5 for m in range(100)))  # type: ignore[arg-type]

    decision = LIMITS.decide(sent=sent, identical=[])

    assert decision.verdict is Verdict.DEFER
    assert decision.until == sent[99] + timedelta(hours=1)
    assert decision.until > NOW


def test_the_twenty_first_identical_send_is_refused_not_deferred() -> None:
    decision = LIMITS.decide(sent=minutes_ago(*range(20)), identical=minutes_ago(*range(20)))

    assert decision.verdict is Verdict.REFUSE


def test_a_number_and_a_text_are_told_apart_by_a_keyed_hash_only() -> None:
    key = b"k" * 32
    number = fingerprint(key, "number", "+6281234567890")

    assert len(number) == 64
    assert "6281234567890" not in number
    assert number == fingerprint(key, "number", "+6281234567890")
    assert number != fingerprint(b"other-key", "number", "+6281234567890")
    assert fingerprint(key, "ab", "c") != fingerprint(key, "a", "bc")


def test_a_bucket_grants_what_it_holds_and_says_when_the_next_token_comes() -> None:
    bucket = TokenBucket(rate=10, burst=10)

    taken = bucket.take(tokens=3.5, elapsed_seconds=0, wanted=5)

    assert taken.granted == 3
    assert taken.left == pytest.approx(0.5)
    assert taken.wait_seconds == pytest.approx(0.05)


def test_a_bucket_refills_with_time_up_to_its_burst_and_never_backwards() -> None:
    bucket = TokenBucket(rate=10, burst=10)

    assert bucket.take(tokens=0, elapsed_seconds=0.35, wanted=10).granted == 3
    assert bucket.take(tokens=0, elapsed_seconds=3600, wanted=50).granted == 10
    assert bucket.take(tokens=2, elapsed_seconds=-30, wanted=5).granted == 2
    assert bucket.take(tokens=10, elapsed_seconds=0, wanted=4).wait_seconds == 0


@given(
    rate=st.floats(min_value=0.1, max_value=1000),
    takes=st.lists(
        st.tuples(st.floats(min_value=0, max_value=5), st.integers(min_value=0, max_value=200)),
        max_size=50,
    ),
)
def test_a_bucket_never_grants_more_than_its_burst_plus_what_time_refilled(
    rate: float, takes: list[tuple[float, int]]
) -> None:
    bucket = TokenBucket(rate=rate, burst=rate)
    tokens, granted, elapsed_total = rate, 0, 0.0
    for elapsed, wanted in takes:
        taken = bucket.take(tokens=tokens, elapsed_seconds=elapsed, wanted=wanted)
        assert 0 <= taken.granted <= wanted
        tokens, granted, elapsed_total = (
            taken.left,
            granted + taken.granted,
            elapsed_total + elapsed,
        )

    assert granted <= rate + rate * elapsed_total + 1e-6


def test_a_send_not_taken_is_tried_again_with_growing_jittered_pauses() -> None:
    full = RetryPolicy(
        backoff=Backoff(first_seconds=5, max_seconds=300, jitter=lambda: 1.0),
        give_up_after=timedelta(hours=24),
    )
    half = RetryPolicy(
        backoff=Backoff(first_seconds=5, max_seconds=300, jitter=lambda: 0.0),
        give_up_after=timedelta(hours=24),
    )

    pauses = [full.next_try(now=NOW, attempts=n, first_attempted_at=NOW) for n in range(1, 9)]

    assert [p - NOW for p in pauses if p] == [
        timedelta(seconds=s) for s in (5, 10, 20, 40, 80, 160, 300, 300)
    ]
    assert half.next_try(now=NOW, attempts=3, first_attempted_at=NOW) == NOW + timedelta(seconds=10)


def test_a_send_is_given_up_once_its_next_try_would_pass_the_channels_time() -> None:
    policy = RetryPolicy(
        backoff=Backoff(first_seconds=60, max_seconds=60, jitter=lambda: 1.0),
        give_up_after=timedelta(hours=24),
    )
    first = NOW - timedelta(hours=23, minutes=58)

    assert policy.next_try(now=NOW, attempts=10, first_attempted_at=first) is not None
    assert (
        policy.next_try(now=NOW, attempts=10, first_attempted_at=first - timedelta(minutes=2))
        is None
    )


S = MessageStatus


@pytest.mark.parametrize(
    ("current", "reported", "becomes"),
    [
        (S.SENDING, S.DELIVERED, S.DELIVERED),
        (S.SENDING, S.READ, S.READ),  # read overtaking delivered
        (S.DELIVERED, S.READ, S.READ),
        (S.READ, S.DELIVERED, None),  # the older word, late
        (S.DELIVERED, S.DELIVERED, None),  # a repeat
        (S.SENDING, S.SENDING, None),  # WhatsApp's "sent": nothing new
        (S.SENDING, S.PERMANENT_FAILURE, S.PERMANENT_FAILURE),
        (S.SENDING, S.TEMPORARY_FAILURE, S.TEMPORARY_FAILURE),
        (S.DELIVERED, S.PERMANENT_FAILURE, None),
        (S.PERMANENT_FAILURE, S.DELIVERED, None),
        (S.TEMPORARY_FAILURE, S.DELIVERED, S.DELIVERED),  # "no receipt in time", then one
        (S.TECHNICAL_FAILURE, S.SENDING, S.SENDING),  # the try we retry had arrived
        (S.TECHNICAL_FAILURE, S.DELIVERED, S.DELIVERED),
        (S.CREATED, S.DELIVERED, None),  # never handed over: not about this message
    ],
)
def test_a_receipt_moves_a_message_forward_only(
    current: MessageStatus, reported: MessageStatus, becomes: MessageStatus | None
) -> None:
    assert after_receipt(current, reported) is becomes


@given(st.lists(st.sampled_from([S.DELIVERED, S.READ, S.SENDING]), max_size=10))
def test_receipts_in_any_order_end_where_the_furthest_one_says(
    reports: list[MessageStatus],
) -> None:
    status = S.SENDING
    for reported in reports:
        status = after_receipt(status, reported) or status

    furthest = S.READ if S.READ in reports else S.DELIVERED if S.DELIVERED in reports else S.SENDING
    assert status is furthest
