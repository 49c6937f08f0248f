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


class DocumentKind(enum.StrEnum):
    """A document a school officer checks against the original at verification."""

    KARTU_KELUARGA = "kartu_keluarga"
    """The family card (KK): the child's family and home."""
    AKTA_KELAHIRAN = "akta_kelahiran"
    """The birth certificate: the child's date of birth."""
    RAPOR = "rapor"
    """School reports (SMP, SMA)."""
    SERTIFIKAT_PRESTASI = "sertifikat_prestasi"
    """Certificates behind an achievement score (prestasi)."""
    REKOMENDASI_PSIKOLOG = "rekomendasi_psikolog"
    """A psychologist's recommendation (SD, from 5½ years)."""
    BUKTI_AFIRMASI = "bukti_afirmasi"
    """Proof of a poor family (KIP, PKH, DTKS) or of a disability (afirmasi)."""
    SURAT_PENUGASAN = "surat_penugasan"
    """A parent's letter of transfer to the city (mutasi)."""


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


class RegistrationVerified(_EducationEvent):
    """A school officer checked the registration's documents against the originals."""

    event_type: ClassVar[str] = "education.registration.verified.v1"

    registration_id: uuid.UUID
    admission_year: int
    school_npsn: str
    level: SchoolLevel
    pathway: Pathway
    verified_by: str
    """The school officer's account id."""
    documents_checked: list[DocumentKind]
    verified_at: datetime


# v2, published beside v1 (docs/events.md): monitoring's fill rates and districts need the
# school's places and where it is, and v1 payloads forbid new fields.
class RegistrationSubmittedV2(_EducationEvent):
    """A parent (or an officer at a kiosk for them) registered a child at a school."""

    event_type: ClassVar[str] = "education.registration.submitted.v2"

    registration_id: uuid.UUID
    admission_year: int
    school_npsn: str
    kecamatan_code: str
    """Where the school is, dotted (``36.71.01``)."""
    level: SchoolLevel
    pathway: Pathway
    school_capacity: int
    """The school's places for new pupils this admission year (daya tampung)."""
    pathway_quota: int | None
    """The pathway's share of them; None for a school too small to honour every share."""
    parent_id: str
    assisted_by: str | None
    """The officer who registered at a kiosk, for a parent without a phone."""
    submitted_at: datetime
