"""Settings of composition: the home screen's sections and deadline, and how often the
services' OpenAPI documents are re-read (part of `kota_gateway.config.GatewaySettings`,
prefix ``GATEWAY_``)."""

from pydantic import BaseModel, Field

from kota_contracts.services import SERVICES


class OverviewSection(BaseModel):
    """Where a section's items come from: one of the caller's lists in one service."""

    service: str
    path: str
    only: dict[str, str] = {}
    """Keep items whose fields have these values (e.g. unpaid invoices: status=open)."""


def registered_sections() -> dict[str, OverviewSection]:
    """Every home-screen section the registered services declare, in the registry's order."""
    return {
        name: OverviewSection(service=service.name, path=section.path, only=dict(section.only))
        for service in SERVICES
        for name, section in service.home_sections.items()
    }


class CompositionSettings(BaseModel):
    overview_sections: dict[str, OverviewSection] = Field(
        default=registered_sections(), description="The sections of GET /v1/me/overview."
    )
    overview_timeout_seconds: float = Field(
        default=2.0, gt=0, description="A section slower than this is marked unavailable."
    )
    openapi_refresh_seconds: float = Field(
        default=60, gt=0, description="How often each service's OpenAPI document is re-read."
    )
    public_url: str = Field(
        default="/",
        description="The gateway's address as clients reach it, the OpenAPI document's "
        "server (e.g. https://api.kota.example); `/` means wherever the document was read.",
    )
