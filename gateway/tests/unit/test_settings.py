"""Gateway settings: what would route wrongly is refused at start, each part reads its
variables by their old names, and the defaults come from the service registry."""

import json

import pytest
from pydantic import ValidationError

from kota_gateway.composition.settings import CompositionSettings, OverviewSection
from kota_gateway.config import GatewaySettings
from kota_gateway.edge.settings import EdgeSettings
from kota_gateway.identity.settings import IdentitySettings


@pytest.mark.parametrize("name", ["auth", "me", "identity"])
def test_an_upstream_may_not_hide_the_gateways_own_paths(name: str) -> None:
    with pytest.raises(ValidationError, match="the gateway's own /v1/ paths"):
        GatewaySettings(upstreams={name: "http://127.0.0.1:9"})


def test_service_names_are_accepted_as_upstreams() -> None:
    settings = GatewaySettings(upstreams={"permits": "http://127.0.0.1:9"})

    assert settings.upstreams == {"permits": "http://127.0.0.1:9"}


def test_the_parts_read_their_variables_by_their_old_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each part is a mixin, so ``GATEWAY_<FIELD>`` still sets it (operators, compose, kota up)."""
    monkeypatch.setenv("GATEWAY_UPSTREAMS", '{"permits": "http://permits:8000"}')
    monkeypatch.setenv("GATEWAY_RATE_LIMITS", '{"read": "10/second"}')
    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", '["10.0.0.0/8"]')
    monkeypatch.setenv("GATEWAY_ACCESS_TOKEN_TTL_SECONDS", "120")
    monkeypatch.setenv("GATEWAY_FIRST_ADMIN_PASSWORD", "first admin password 1")
    monkeypatch.setenv("GATEWAY_AGENCY_CLIENT_SCOPES", '["permits:verify"]')
    monkeypatch.setenv(
        "GATEWAY_OVERVIEW_SECTIONS", '{"applications": {"service": "permits", "path": "/v1/a"}}'
    )
    monkeypatch.setenv("GATEWAY_OVERVIEW_TIMEOUT_SECONDS", "5")
    monkeypatch.setenv("GATEWAY_TOKEN_ISSUER", "https://api.example.go.id")

    settings = GatewaySettings()

    assert isinstance(settings, EdgeSettings)
    assert isinstance(settings, IdentitySettings)
    assert isinstance(settings, CompositionSettings)
    assert settings.upstreams == {"permits": "http://permits:8000"}
    assert settings.rate_limits == {"read": "10/second"}
    assert settings.trusted_proxies == ["10.0.0.0/8"]
    assert settings.access_token_ttl_seconds == 120
    assert settings.first_admin_password is not None
    assert settings.first_admin_password.get_secret_value() == "first admin password 1"
    assert settings.agency_client_scopes == ["permits:verify"]
    assert settings.overview_sections == {
        "applications": OverviewSection(service="permits", path="/v1/a")
    }
    assert settings.overview_timeout_seconds == 5
    assert settings.token_issuer == "https://api.example.go.id"


def test_the_parts_keep_their_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_UPSTREAMS", '{"me": "http://127.0.0.1:9"}')
    with pytest.raises(ValidationError, match="the gateway's own /v1/ paths"):
        GatewaySettings()
    monkeypatch.delenv("GATEWAY_UPSTREAMS")
    monkeypatch.setenv("GATEWAY_ACCESS_TOKEN_TTL_SECONDS", "30")
    with pytest.raises(ValidationError, match="access_token_ttl_seconds"):
        GatewaySettings()


def test_the_defaults_come_from_the_service_registry_as_they_were_written_by_hand() -> None:
    settings = GatewaySettings()

    assert settings.upstreams == {
        "permits": "http://127.0.0.1:8001",
        "health": "http://127.0.0.1:8002",
        "education": "http://127.0.0.1:8003",
        "payments": "http://127.0.0.1:8004",
        "monitoring": "http://127.0.0.1:8005",
        "information": "http://127.0.0.1:8006",
    }
    assert settings.overview_sections == {
        "applications": OverviewSection(service="permits", path="/v1/permits/applications"),
        "unpaid_invoices": OverviewSection(
            service="payments", path="/v1/payments/invoices", only={"status": "open"}
        ),
        "appointments": OverviewSection(service="health", path="/v1/health/bookings"),
        "admissions": OverviewSection(service="education", path="/v1/education/registrations"),
        "unread_notices": OverviewSection(
            service="information", path="/v1/information/notices?unread=true"
        ),
    }


INFORMATION = {
    "client_id": "information",
    "agency": "Dinas Komunikasi dan Informatika",
    "secret": "information-service-secret-0123456789",
    "scopes": ["identity:contacts:read"],
}


def test_bootstrap_clients_are_read_from_their_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_BOOTSTRAP_CLIENTS", json.dumps([INFORMATION]))

    (client,) = GatewaySettings().bootstrap_clients

    assert (client.client_id, client.agency, client.scopes) == (
        "information",
        "Dinas Komunikasi dan Informatika",
        ["identity:contacts:read"],
    )
    assert client.secret.get_secret_value() == INFORMATION["secret"]
    assert INFORMATION["secret"] not in repr(client)
    assert (client.name, client.rotation_grace_seconds) == (None, 0)


@pytest.mark.parametrize(
    ("entry", "refusal"),
    [
        (
            {"scopes": ["identity:contacts:read", "identity:everything"]},
            "unknown scope\\(s\\) identity:everything; known: .*identity:contacts:read",
        ),
        ({"scopes": []}, "at least 1 item"),
        ({"client_id": "ac_5f2c9e41d7a0b3c86e1f"}, "ac_ is the prefix"),
        ({"client_id": "Information Service"}, "client_id"),
        ({"secret": "too-short"}, "at least 32 characters"),
        ({"rotation_grace_seconds": 8 * 24 * 3600}, "rotation_grace_seconds"),
        ({"scope": ["permits:verify"]}, "Extra inputs are not permitted"),
    ],
)
def test_a_bootstrap_client_that_cannot_be_made_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, entry: dict[str, object], refusal: str
) -> None:
    monkeypatch.setenv("GATEWAY_BOOTSTRAP_CLIENTS", json.dumps([{**INFORMATION, **entry}]))

    with pytest.raises(ValidationError, match=refusal):
        GatewaySettings()


def test_a_bootstrap_client_is_listed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_BOOTSTRAP_CLIENTS", json.dumps([INFORMATION, INFORMATION]))

    with pytest.raises(ValidationError, match="listed more than once: information"):
        GatewaySettings()


def test_a_bootstrap_client_may_hold_a_scope_admins_may_not_grant() -> None:
    """An operator who keeps phone numbers from every outside agency still gives them to
    the city's information service."""
    settings = GatewaySettings(
        agency_client_scopes=["permits:verify"], bootstrap_clients=[INFORMATION]
    )

    assert settings.bootstrap_clients[0].scopes == ["identity:contacts:read"]
