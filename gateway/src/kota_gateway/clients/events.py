"""Events about agency clients, on ``identity.events`` (ids and scopes, never a secret)."""

from datetime import datetime
from typing import ClassVar

from kota_shared.events.envelope import EventData

TOPIC = "identity.events"


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
