"""Events the education service publishes about registrations on ``education.events``.

Keyed by registration id, so one registration's story arrives in order. Parents appear by
account id only: the child's name, NISN and family card (KK) stay in the service.
"""

import enum
import uuid
from datetime import datetime
from typing import ClassVar

from kota_shared.events.envelope import EventData

TOPIC = "education.events"


class SchoolLevel(enum.StrEnum):
    SD = "SD"
    """Primary (sekolah dasar)."""
    SMP = "SMP"
    """Junior high (sekolah menengah pertama)."""
    SMA = "SMA"
    """Senior high (sekolah menengah atas)."""


class Pathway(enum.StrEnum):
    DOMISILI = "domisili"
    """Residence: ranked by the home's distance to the school (SD: by age first)."""
    AFIRMASI = "afirmasi"
    """Children of poor families and children with disabilities."""
    MUTASI = "mutasi"
    """A parent was transferred to the city for work."""
    PRESTASI = "prestasi"
    """Achievement: ranked by score. Not offered for SD."""


class _EducationEvent(EventData):
    topic: ClassVar[str] = TOPIC


class RegistrationSubmitted(_EducationEvent):
    """A parent (or an officer at a kiosk for them) registered a child at a school."""

    event_type: ClassVar[str] = "education.registration.submitted.v1"

    registration_id: uuid.UUID
    admission_year: int
    school_npsn: str
    level: SchoolLevel
    pathway: Pathway
    parent_id: str
    assisted_by: str | None
    """The officer who registered at a kiosk, for a parent without a phone (as health's
    bookings name theirs)."""
    submitted_at: datetime


class RegistrationWithdrawn(_EducationEvent):
    """The parent withdrew the registration while registration was open."""

    event_type: ClassVar[str] = "education.registration.withdrawn.v1"

    registration_id: uuid.UUID
    admission_year: int
    school_npsn: str
    level: SchoolLevel
    pathway: Pathway
    withdrawn_at: datetime
