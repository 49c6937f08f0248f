"""The city's date at a moment: local midnight to midnight, not UTC's."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from kota_shared.clock import local_date
from kota_shared.settings import ServiceSettings

JAKARTA, JAYAPURA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Jayapura")
SUNDAY, MONDAY = date(2026, 12, 6), date(2026, 12, 7)


def test_the_local_date_is_the_citys_not_utcs() -> None:
    # 18:30 UTC on Sunday is already Monday in Jakarta (UTC+7); 16:30 UTC is Monday only in
    # Jayapura (UTC+9).
    evening_utc = datetime(2026, 12, 6, 18, 30, tzinfo=UTC)
    afternoon_utc = datetime(2026, 12, 6, 16, 30, tzinfo=UTC)

    assert local_date(evening_utc, JAKARTA) == MONDAY
    assert local_date(afternoon_utc, JAKARTA) == SUNDAY
    assert local_date(afternoon_utc, JAYAPURA) == MONDAY


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="no timezone"):
        local_date(datetime(2026, 12, 7, 9, 0), JAKARTA)  # naive: the point of the test


class _Settings(ServiceSettings):
    service_name: str = "example"


def test_every_service_defaults_to_western_indonesian_time() -> None:
    assert _Settings().timezone == JAKARTA


def test_a_city_elsewhere_sets_its_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMEZONE", "Asia/Makassar")

    assert _Settings().timezone == ZoneInfo("Asia/Makassar")


def test_an_unknown_zone_stops_a_service_from_starting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMEZONE", "Asia/Atlantis")

    with pytest.raises(ValueError, match="invalid timezone: Asia/Atlantis"):
        _Settings()
