"""The booking rules and the city's timezone come from the environment (``HEALTH_``)."""

from datetime import time
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from health.config import HealthSettings

VARIABLES = (
    "HEALTH_BOOKING_HORIZON_DAYS",
    "HEALTH_BOOKING_OPENS_AT",
    "HEALTH_MAX_ACTIVE_BOOKINGS",
    "HEALTH_TIMEZONE",
)


@pytest.fixture(autouse=True)
def _unset(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in VARIABLES:
        monkeypatch.delenv(variable, raising=False)


def test_defaults_are_two_weeks_from_seven_in_western_indonesia() -> None:
    settings = HealthSettings()

    assert settings.booking_horizon_days == 14
    assert settings.booking_opens_at == time(7, 0)
    assert settings.max_active_bookings == 3
    assert settings.timezone == ZoneInfo("Asia/Jakarta")


def test_a_city_sets_its_own_rules_and_timezone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTH_BOOKING_HORIZON_DAYS", "7")
    monkeypatch.setenv("HEALTH_BOOKING_OPENS_AT", "06:30")
    monkeypatch.setenv("HEALTH_MAX_ACTIVE_BOOKINGS", "5")
    monkeypatch.setenv("HEALTH_TIMEZONE", "Asia/Makassar")

    settings = HealthSettings()

    assert settings.booking_horizon_days == 7
    assert settings.booking_opens_at == time(6, 30)
    assert settings.max_active_bookings == 5
    assert settings.timezone == ZoneInfo("Asia/Makassar")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HEALTH_BOOKING_HORIZON_DAYS", "-1"),
        ("HEALTH_TIMEZONE", "Asia/Nowhere"),
        ("HEALTH_BOOKING_OPENS_AT", "25:00"),
        ("HEALTH_BOOKING_OPENS_AT", "07:00+07:00"),  # the hour is city time, no offset
        ("HEALTH_MAX_ACTIVE_BOOKINGS", "0"),
    ],
)
def test_a_wrong_setting_stops_the_service_from_starting(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ValidationError):
        HealthSettings()
