"""After signing in, the browser goes back to the dashboard page it asked for, never elsewhere."""

import pytest

from monitoring.dashboard.session import HOME, safe_next


@pytest.mark.parametrize(
    "target",
    [
        HOME,
        f"{HOME}?from=2026-03-01&to=2026-03-31",
        f"{HOME}/permits?permit_type=REKLAME&kecamatan=36.71.01",
    ],
)
def test_a_dashboard_page_is_where_the_browser_goes_back_to(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/v1/monitoring/dashboard",
        "//evil.example/v1/monitoring/dashboard",
        "/\\evil.example",
        f"{HOME}/../../../auth/token",
        f"{HOME}evil",
        f"{HOME}/sign-in?next={HOME}",
        "/v1/monitoring/public",
        f"{HOME}/permits\r\nSet-Cookie: x=1",
    ],
)
def test_anything_else_goes_to_the_overview(target: str | None) -> None:
    assert safe_next(target) == HOME
