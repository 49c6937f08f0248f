"""Events the gateway publishes on ``identity.events`` (typed, versioned, no personal data).

Account ids only: a NIK, a name or a phone number never leaves the identity database in
an event.
"""

import uuid
from datetime import datetime
from typing import ClassVar

from kota_shared.events.envelope import EventData

TOPIC = "identity.events"


class CitizenRegistered(EventData):
    """A citizen created an account."""

    event_type: ClassVar[str] = "identity.citizen.registered.v1"
    topic: ClassVar[str] = TOPIC

    account_id: uuid.UUID
    regency_code: str
    """Where the NIK was first registered (4 digits: province and regency), for statistics."""
    registered_at: datetime


# A type of its own, not an optional field on identity.citizen.registered.v1: payloads
# forbid unknown fields (the models and the published schemas), so a consumer still on v1
# would reject the new field; and whoever counts registrations tells the two ways by type.
class CitizenRegisteredByOfficer(EventData):
    """An officer registered a citizen at a kiosk (assisted service): the citizen may have
    no phone, and has no password. The token the officer received for them is announced
    as ``identity.citizen.assisted.v1``, like any assisted session."""

    event_type: ClassVar[str] = "identity.citizen.registered_by_officer.v1"
    topic: ClassVar[str] = TOPIC

    account_id: uuid.UUID
    regency_code: str
    """Where the NIK was first registered (4 digits: province and regency), for statistics."""
    registered_by: uuid.UUID
    """The officer's account id."""
    registered_at: datetime


# v2 of both registrations, published beside v1 (docs/events.md): the citizen's district of
# domicile comes from the civil registry now, and v1 payloads forbid the new field.
class CitizenRegisteredV2(EventData):
    """A citizen created an account, verified against the civil registry."""

    event_type: ClassVar[str] = "identity.citizen.registered.v2"
    topic: ClassVar[str] = TOPIC

    account_id: uuid.UUID
    regency_code: str
    """Where the NIK was first registered (4 digits: province and regency), for statistics."""
    kecamatan_code: str
    """Where the citizen lives, from the family card the registry holds (``36.71.05``)."""
    registered_at: datetime


class CitizenRegisteredByOfficerV2(EventData):
    """An officer registered a citizen at a kiosk, verified against the civil registry."""

    event_type: ClassVar[str] = "identity.citizen.registered_by_officer.v2"
    topic: ClassVar[str] = TOPIC

    account_id: uuid.UUID
    regency_code: str
    """Where the NIK was first registered (4 digits: province and regency), for statistics."""
    kecamatan_code: str
    """Where the citizen lives, from the family card the registry holds (``36.71.05``)."""
    registered_by: uuid.UUID
    """The officer's account id."""
    registered_at: datetime


class StaffAccountCreated(EventData):
    """A city admin created an officer's or administrator's account."""

    event_type: ClassVar[str] = "identity.staff.created.v1"
    topic: ClassVar[str] = TOPIC

    account_id: uuid.UUID
    roles: list[str]
    created_by: uuid.UUID
    created_at: datetime


class CitizenAssisted(EventData):
    """An officer took a token to act for a citizen (a kiosk, a citizen without a phone)."""

    event_type: ClassVar[str] = "identity.citizen.assisted.v1"
    topic: ClassVar[str] = TOPIC

    citizen_id: uuid.UUID
    officer_id: uuid.UUID
    token_id: str
    """The access token's ``jti``: what the citizen's records made with it can be traced to."""
    expires_at: datetime
    assisted_at: datetime


# Agency clients (OAuth2 client credentials): ids and scopes, never a secret.
class AgencyClientRegistered(EventData):
    """A city admin gave an agency's system access to the API."""

    event_type: ClassVar[str] = "identity.agency_client.registered.v1"
    topic: ClassVar[str] = TOPIC

    client_id: str
    agency: str
    scopes: list[str]
    registered_by: str
    registered_at: datetime


class AgencyClientSecretRotated(EventData):
    """A new secret was issued; the previous one works until ``previous_valid_until``."""

    event_type: ClassVar[str] = "identity.agency_client.secret_rotated.v1"
    topic: ClassVar[str] = TOPIC

    client_id: str
    rotated_by: str
    rotated_at: datetime
    previous_valid_until: datetime | None


class AgencyClientRevoked(EventData):
    """The client can no longer obtain tokens (those already issued expire within minutes)."""

    event_type: ClassVar[str] = "identity.agency_client.revoked.v1"
    topic: ClassVar[str] = TOPIC

    client_id: str
    revoked_by: str
    revoked_at: datetime
