"""What parents send to register a child, and what parents and officers receive."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from education.admission.pathways import published_quotas
from education.messages import _
from education.registrations.models import Registration, Status
from education.schools.models import School
from kota_contracts.education import DocumentKind, Pathway, SchoolLevel
from kota_shared.auth import Principal
from kota_shared.i18n.validation import Matching

Nisn = Annotated[
    str,
    Matching(r"\d{10}", _("A NISN is 10 digits.")),
    Field(
        description="The child's national student number (NISN), 10 digits.",
        examples=["0151234567"],
    ),
]


class RegistrationCreate(BaseModel):
    """Which child, where and how. Who the child is (name, date of birth), the family card and
    the home come from the civil registry, through the gateway: nothing a parent types in
    can move a home closer to a school or put another family's child on their card."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {  # domisili at SMP Negeri 1 Tangerang: Agus Salim's son, a home in Sukasari
                    "student_nik": "3671010411130001",
                    "student_nisn": "0134582716",
                    "psychologist_recommendation": False,
                    "school_npsn": "20603115",
                    "pathway": "domisili",
                },
                {  # prestasi at SMA Negeri 7 Tangerang, from a home in Karawaci
                    "student_nik": "3671076105100002",
                    "student_nisn": "0103927461",
                    "school_npsn": "20606865",
                    "pathway": "prestasi",
                    "achievement_score": 88.75,
                },
            ]
        },
    )

    student_nik: Annotated[
        str,
        Matching(r"\d{16}", _("A NIK is 16 digits.")),
        Field(
            description="The child's NIK, as the parent's family card (KK) lists it.",
            examples=["3671010411130001"],
        ),
    ]
    student_nisn: Nisn
    psychologist_recommendation: bool = Field(
        default=False,
        description="SD only: a psychologist recommends the child (admits from 5½ years).",
    )
    school_npsn: Annotated[
        str,
        Matching(r"\d{8}", _("An NPSN is 8 digits.")),
        Field(
            description="The chosen school's NPSN (see `GET /v1/education/schools`).",
            examples=["20603115"],
        ),
    ]
    pathway: Pathway
    achievement_score: Decimal | None = Field(
        default=None,
        ge=0,
        le=100,
        max_digits=5,
        decimal_places=2,
        description="Prestasi pathway only, and required there: the score, 0-100.",
        examples=[87.5],
    )


class VerificationCreate(BaseModel):
    """What a school officer checked against the originals the family brought."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "documents_checked": ["kartu_keluarga", "akta_kelahiran", "rapor"],
                    "note": "Asli diperiksa di loket SMP Negeri 1.",
                }
            ]
        },
    )

    documents_checked: list[DocumentKind] = Field(
        min_length=1, max_length=len(DocumentKind), description="Each document once."
    )
    note: Annotated[
        str | None,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
        Field(description="Anything the officer wants on the record."),
    ] = None

    @field_validator("documents_checked")
    @classmethod
    def _each_once(cls, documents: list[DocumentKind]) -> list[DocumentKind]:
        if len(set(documents)) != len(documents):
            once = _("Name each document once.")
            raise PydanticCustomError("duplicate_document", "{error}", {"error": ValueError(once)})
        return documents


class SchoolSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    npsn: str
    name: str
    level: SchoolLevel


def masked_family_card(number: str) -> str:
    """The KK number as responses show it: only its last four digits."""
    return "*" * (len(number) - 4) + number[-4:]


class RegistrationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: int = Field(description="The registration number, in order of registration.")
    admission_year: int
    status: Status
    school: SchoolSummary
    pathway: Pathway
    student_nisn: str
    student_name: str
    birth_date: date
    psychologist_recommendation: bool
    family_card_number: str = Field(description="Masked: only the last four digits are shown.")
    family_card_issued_on: date
    home_latitude: float
    home_longitude: float
    distance_m: int = Field(description="Straight-line distance home-school, whole metres.")
    achievement_score: float | None
    parent_id: str
    registered_by: str = Field(description="The parent, or the officer who served them.")
    registered_at: datetime
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    verified_at: datetime | None = Field(description="When a school officer verified it.")
    verified_by: str | None
    documents_checked: list[DocumentKind] | None
    verification_note: str | None

    # Masked as it is read from the record, so the whole number is never in a response.
    @field_validator("family_card_number")
    @classmethod
    def _masked(cls, number: str) -> str:
        return masked_family_card(number)

    @classmethod
    def of(cls, registration: Registration, caller: Principal) -> "RegistrationRead":
        """Present a registration whose school was loaded with it to ``caller``.

        The parent, a kiosk officer for them and a school officer see the same (the family
        card masked for all); a field kept from some callers would be decided here.
        """
        return cls.model_validate(registration)


class RankedRegistration(BaseModel):
    """One applicant as the school's officers see them in the ranking."""

    rank: int
    id: uuid.UUID
    number: int
    student_nisn: str
    student_name: str
    birth_date: date
    distance_m: int
    achievement_score: float | None
    registered_at: datetime

    @classmethod
    def at(cls, rank: int, registration: Registration) -> "RankedRegistration":
        return cls(
            rank=rank,
            id=registration.id,
            number=registration.number,
            student_nisn=registration.student_nisn,
            student_name=registration.student_name,
            birth_date=registration.birth_date,
            distance_m=registration.distance_m,
            achievement_score=registration.achievement_score,
            registered_at=registration.registered_at,
        )


class SchoolRanking(BaseModel):
    npsn: str
    name: str
    level: SchoolLevel
    admission_year: int
    pathway: Pathway
    quota: int | None = Field(
        description="The pathway's places at this school (null if its capacity is too small "
        "to honour every pathway's share in whole places)."
    )
    registrations: list[RankedRegistration] = Field(
        description="Active registrations, the first ranked first."
    )

    @classmethod
    def of(
        cls,
        school: School,
        *,
        admission_year: int,
        pathway: Pathway,
        ranked: Sequence[Registration],
    ) -> "SchoolRanking":
        """The school's applicants to ``pathway``, ``ranked`` already (the first first)."""
        places = published_quotas(school.level, school.capacity)
        return cls(
            npsn=school.npsn,
            name=school.name,
            level=school.level,
            admission_year=admission_year,
            pathway=pathway,
            quota=places[pathway] if places is not None else None,
            registrations=[RankedRegistration.at(place, r) for place, r in enumerate(ranked, 1)],
        )
