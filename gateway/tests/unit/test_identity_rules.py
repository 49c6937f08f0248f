"""Pure identity rules: password policy, lockout backoff, sign-in names (phones: test_phones)."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kota_gateway.identity.accounts.lockout import LockoutPolicy, name_digest, retry_after_seconds
from kota_gateway.identity.accounts.sign_in import sign_in_name
from kota_gateway.identity.passwords import WeakPassword, check_policy


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("short", False),
        ("1234567890123", False),
        (" " * 12, False),
        ("x" * 257, False),
        ("correct horse", True),
        ("Tangerang2026!", True),
    ],
)
def test_password_policy(password: str, ok: bool) -> None:
    if ok:
        assert check_policy(password) == password
    else:
        with pytest.raises(WeakPassword):
            check_policy(password)


def test_lockout_starts_at_the_limit_and_doubles_up_to_the_cap() -> None:
    policy = LockoutPolicy(max_failures=5, base_seconds=30, max_seconds=900)

    locks = [policy.lock_after(failures) for failures in range(1, 12)]

    assert locks[:4] == [None] * 4
    assert [lock.total_seconds() for lock in locks[4:] if lock] == [
        30, 60, 120, 240, 480, 900, 900,
    ]  # fmt: skip


@given(st.integers(0, 10_000), st.integers(1, 20), st.floats(1, 100), st.floats(100, 10_000))
def test_lockout_never_shrinks_and_never_exceeds_the_cap(
    failures: int, limit: int, base: float, cap: float
) -> None:
    policy = LockoutPolicy(max_failures=limit, base_seconds=base, max_seconds=cap)
    now, then = policy.lock_after(failures), policy.lock_after(failures + 1)

    assert (now is None) == (failures < limit)
    if now is not None:
        assert then is not None
        assert now <= then <= timedelta(seconds=cap)


def test_past_the_name_ceiling_an_address_is_locked_at_its_first_failure() -> None:
    policy = LockoutPolicy(max_failures=5, base_seconds=30, name_ceiling=50)

    assert policy.limit_at(50) == 5
    assert policy.limit_at(51) == 1
    first = policy.lock_after(1, limit=policy.limit_at(51))
    assert first is not None
    assert first.total_seconds() == 30
    assert policy.lock_after(1, limit=policy.limit_at(50)) is None


def test_a_name_is_kept_as_a_digest_of_its_kind_and_value() -> None:
    digest = name_digest("nik", "3671014508900001")

    assert len(digest) == 64
    assert "3671014508900001" not in digest
    assert digest != name_digest("phone", "3671014508900001")


def test_retry_after_is_whole_seconds_rounded_up() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)

    assert retry_after_seconds(now + timedelta(seconds=29.2), now=now) == 30
    assert retry_after_seconds(now + timedelta(milliseconds=1), now=now) == 1


@pytest.mark.parametrize(
    ("username", "kind", "name"),
    [
        ("3671014508900001", "nik", "3671014508900001"),
        ("3671 0145 0890 0001", "nik", "3671014508900001"),
        ("0812-3456-7890", "phone", "+6281234567890"),
        ("+6281234567890", "phone", "+6281234567890"),
        ("Rina.Permits", "username", "rina.permits"),
    ],
)
def test_a_sign_in_name_is_a_nik_a_phone_or_a_username(username: str, kind: str, name: str) -> None:
    assert sign_in_name(username) == (kind, name)
