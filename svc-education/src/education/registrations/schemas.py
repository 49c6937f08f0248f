"""What parents send to register a child, and what parents and officers receive."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from education.admission.pathways import published_quotas
from education.registrations.models import Registration, Status
from education.schools.models import School
from kota_contracts.education import Pathway, SchoolLevel
from kota_shared.auth import Principal

Nisn = Annotated[
    str,
    Field(
        pattern=r"^\d{10}$",
        description="The child's national student number (NISN), 10 digits.",
        examples=["0151234567"],
    ),
]


class RegistrationCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {  # domisili at SMP Negeri 1 Tangerang, from a home in Sukasari
                    "student_nisn": "0134582716",
                    "student_name": "Muhammad Rizky Pratama",
                    "birth_date": "2013-11-04",
                    "psychologist_recommendation": False,
                    "family_card_number": "3671010403180002",
                    "family_card_issued_on": "2018-03-04",
                    "home_latitude": -6.1801,
                    "home_longitude": 106.6297,
                    "school_npsn": "20603115",
                    "pathway": "domisili",
                },
                {  # prestasi at SMA Negeri 7 Tangerang, from a home in Karawaci
                    "student_nisn": "0103927461",
                    "student_name": "Nadia Putri Ramadhani",
                    "birth_date": "2010-05-21",
                    "family_card_number": "3671071508160011",
                    "family_card_issued_on": "2016-08-15",
                    "home_latitude": -6.1859,
                    "home_longitude": 106.6084,
                    "school_npsn": "20606865",
                    "pathway": "prestasi",
                    "achievement_score": 88.75,
                },
            ]
        },
    )

    student_nisn: Nisn
    student_name: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=2, max_length=200),
        Field(description="The child's full name.", examples=["Siti Rahmawati"]),
    ]
    birth_date: date = Field(description="The child's date of birth.", examples=["2020-09-14"])
    psychologist_recommendation: bool = Field(
        default=False,
        description="SD only: a psychologist recommends the child (admits from 5½ years).",
    )
    family_card_number: str = Field(
        pattern=r"^\d{16}$",
        description="The family card (Kartu Keluarga, KK) number, 16 digits.",
        examples=["3671012309150003"],
    )
    family_card_issued_on: date = Field(
        description="When this family card was issued: at least one year before registration.",
        examples=["2023-05-02"],
    )
    home_latitude: float = Field(ge=-90, le=90, examples=[-6.1801])
    home_longitude: float = Field(ge=-180, le=180, examples=[106.6297])
    school_npsn: str = Field(
        pattern=r"^\d{8}$",
        description="The chosen school's NPSN (see `GET /v1/education/schools`).",
        examples=["20603115"],
    )
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
