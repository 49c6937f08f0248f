"""The booking horizon and the city's timezone come from the environment (``HEALTH_``)."""

from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from health.config import HealthSettings


def test_defaults_are_two_weeks_in_western_indonesia(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEALTH_BOOKING_HORIZON_DAYS", raising=False)
    monkeypatch.delenv("HEALTH_TIMEZONE", raising=False)

    settings = HealthSettings()

    assert settings.booking_horizon_days == 14
    assert settings.timezone == ZoneInfo("Asia/Jakarta")


def test_a_city_sets_its_own_horizon_and_timezone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTH_BOOKING_HORIZON_DAYS", "7")
    monkeypatch.setenv("HEALTH_TIMEZONE", "Asia/Makassar")

    settings = HealthSettings()

    assert settings.booking_horizon_days == 7
    assert settings.timezone == ZoneInfo("Asia/Makassar")


@pytest.mark.parametrize(
    ("variable", "value"),
    [("HEALTH_BOOKING_HORIZON_DAYS", "-1"), ("HEALTH_TIMEZONE", "Asia/Nowhere")],
)
def test_a_wrong_setting_stops_the_service_from_starting(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ValidationError):
        HealthSettings()
