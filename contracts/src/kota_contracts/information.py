"""Events the information service publishes on ``information.events`` (typed, versioned).

Declare each event here as a subclass of ``_InformationEvent`` with its ``event_type``, then run
``uv run python -m kota_dev.event_catalogue`` to publish its schema.
"""

import enum
import uuid
from datetime import datetime
from typing import ClassVar

from kota_shared.events.envelope import EventData

TOPIC = "information.events"


class _InformationEvent(EventData):
    topic: ClassVar[str] = TOPIC


# Announcements: the city's word to everyone, to some kecamatan, or to officers by role. Keyed
# by the announcement's id. What they say is public (the feed); the events carry who they are
# for and when, never a person.
class AnnouncementCategory(enum.StrEnum):
    """What an announcement is about: the app's filter and the feed's category."""

    GENERAL = "general"
    HEALTH = "health"
    EDUCATION = "education"
    PUBLIC_SERVICES = "public_services"
    INFRASTRUCTURE = "infrastructure"
    EVENTS = "events"
    EMERGENCY = "emergency"
    """A disaster, a flood warning: its notices may reach citizens in their quiet hours."""


class AnnouncementAudience(enum.StrEnum):
    EVERYONE = "everyone"
    """Every citizen, and the public feed."""
    KECAMATAN = "kecamatan"
    """The citizens living in the listed kecamatan, and the public feed filtered by them."""
    OFFICERS = "officers"
    """The staff holding one of the listed roles; never in the public feed."""


class AnnouncementPublished(_InformationEvent):
    """An officer published an announcement: it is current from ``publish_at`` (now or
    later) until ``expires_at``, and its audience's inboxes receive it from ``publish_at``."""

    event_type: ClassVar[str] = "information.announcement.published.v1"

    announcement_id: uuid.UUID
    category: AnnouncementCategory
    audience: AnnouncementAudience
    kecamatan_codes: list[str]
    """Dotted Kemendagri codes (``36.71.05``) for a kecamatan audience; else empty."""
    roles: list[str]
    """The staff roles of an officers' audience; else empty."""
    publish_at: datetime
    expires_at: datetime | None
    published_at: datetime


class AnnouncementWithdrawn(_InformationEvent):
    """An announcement left the feed before its expiry; inboxes it has not reached yet will
    not receive it."""

    event_type: ClassVar[str] = "information.announcement.withdrawn.v1"

    announcement_id: uuid.UUID
    withdrawn_at: datetime


class AnnouncementFannedOut(_InformationEvent):
    """Every account of the announcement's audience has it in their inbox."""

    event_type: ClassVar[str] = "information.announcement.fanned_out.v1"

    announcement_id: uuid.UUID
    recipients: int
    """How many inboxes received it."""
    started_at: datetime
    completed_at: datetime
