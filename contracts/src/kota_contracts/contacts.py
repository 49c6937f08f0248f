"""A person's contact details as the gateway's identity answers them to the city's services.

Phone numbers never travel on a topic: a service that must reach a person (information,
sending a notice by SMS or WhatsApp) asks identity at the moment of sending, with a client
token holding ``identity:contacts:read``, and keeps the answer no longer than the send.
Both sides read the answer with these models, so they keep one definition of the shape.
"""

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PATH = "/v1/identity/contacts/{account_id}"
"""One account's contact."""
LOOKUP_PATH = "/v1/identity/contacts:lookup"
"""Several accounts' contacts in one call."""
MAX_LOOKUP = 100
"""The most account ids one lookup may name."""

EXAMPLE: dict[str, Any] = {
    "account_id": "0b9f6f7e-3c1a-4c2e-9d55-2f0f3f6c8a11",
    "kind": "citizen",
    "phone": "+6281234567890",
    "registered_at_kiosk": False,
    "kecamatan_code": "36.71.01",
    "preferred_language": None,
}
KIOSK_EXAMPLE: dict[str, Any] = {
    "account_id": "5d3c2b1a-0f9e-4d8c-b7a6-958473625140",
    "kind": "citizen",
    "phone": None,
    "registered_at_kiosk": True,
    "kecamatan_code": "36.71.05",
    "preferred_language": None,
}


class Contact(BaseModel):
    """How to reach one account's holder, and nothing else (no name, no NIK)."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE, KIOSK_EXAMPLE]})

    account_id: uuid.UUID
    kind: Literal["citizen", "staff"]
    phone: str | None = Field(
        description="E.164 (`+62…`); null when the account has none (many citizens an "
        "officer registered at a kiosk, most staff)."
    )
    registered_at_kiosk: bool = Field(
        description="Registered by an officer at a kiosk (assisted service): such a citizen "
        "may not use the app, so a notice may have to be handed over at the kiosk."
    )
    kecamatan_code: str | None = Field(
        description="The district of domicile the civil registry gave (dotted Kemendagri "
        "code, `36.71.01`); null for staff and for citizens registered before the check."
    )
    preferred_language: Literal["id", "en"] | None = Field(
        description="The language the person chose, if identity knows one. Identity keeps "
        "none today, so it is null: the reader's own preferences (or Bahasa Indonesia) decide."
    )


class ContactLookup(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"account_ids": [EXAMPLE["account_id"]]}]}
    )

    account_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_LOOKUP)


class ContactLookupResult(BaseModel):
    contacts: list[Contact] = Field(
        description="One per known account asked for, in the order asked, each once."
    )
    unknown: list[uuid.UUID] = Field(description="The ids asked for that no account has.")
