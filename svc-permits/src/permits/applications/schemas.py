"""What clients send and receive about applications."""

import uuid
from datetime import datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from kota_shared.auth import Principal
from permits.applications.models import Application, Transition
from permits.applications.workflow import Action, Actor, Stage, Status, available_actions
from permits.dependencies import is_officer

DistrictCode = Field(
    default=None,
    pattern=r"^\d{6}$",
    description="Kecamatan code (6 digits) where the permit applies.",
    examples=["367101"],
)
HolderName = Field(
    default=None,
    min_length=2,
    max_length=200,
    description="The name to print on the permit: the applicant's, or their business's.",
    examples=["Budi Santoso"],
)


class ApplicationDraft(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {  # a house in Karawaci, its form filled in as far as the owner knows it
                    "permit_type": "PBG",
                    "district_code": "367107",
                    "holder_name": "Budi Santoso",
                    "fields": {
                        "address": "Jl. Bugenvil Raya No. 27, RT 004/RW 006, Karawaci Baru, "
                        "Kec. Karawaci, Kota Tangerang 15116",
                        "land_title_number": "SHM No. 02417/Karawaci Baru",
                        "land_area_m2": "120",
                        "floor_area_m2": "144.5",
                        "floors": 2,
                        "building_function": "residential",
                        "ownership": "private",
                    },
                },
                {  # a shop sign in Cipondoh, the form left for later
                    "permit_type": "REKLAME",
                    "district_code": "367105",
                    "holder_name": "CV Sinar Cipondoh Abadi",
                },
            ]
        },
    )

    permit_type: str = Field(
        pattern=r"^[A-Z][A-Z0-9_]{1,19}$",
        description="Code of the permit type from the catalogue, e.g. `PBG`.",
        examples=["PBG"],
    )
    district_code: str | None = DistrictCode
    holder_name: str | None = HolderName
    fields: dict[str, Any] = Field(
        default_factory=dict,
        description="Answers to the type's form (see `GET /v1/permits/types/{code}`); "
        "may be partial while drafting.",
    )


class ApplicationUpdate(BaseModel):
    """A partial change: only what is sent changes; a field sent as `null` is cleared."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {  # the rest of the PBG form; the building's name is not wanted after all
                    "fields": {
                        "complexity": "simple",
                        "permanence": "permanent",
                        "construction": "new",
                        "building_name": None,
                    }
                },
                {"holder_name": "PT Sinar Karawaci Mandiri", "district_code": "367107"},
            ]
        },
    )

    district_code: str | None = DistrictCode
    holder_name: str | None = HolderName
    fields: dict[str, Any] | None = None


STEP_EXAMPLES: list[JsonValue] = [
    {"note": "Dokumen KKPR sudah diperbarui sesuai catatan petugas."},  # resubmitting
    {"note": "Berkas lengkap dan sesuai; lanjut ke pemeriksaan teknis."},  # claiming
]
"""A step's body as `StepRequest` documents it, and as its optional body does (the router)."""


class StepRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": STEP_EXAMPLES})

    note: str | None = Field(default=None, max_length=2000)


class ReasonedStepRequest(BaseModel):
    """A step that must say why: a revision request, a rejection, a revocation."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "note": "Gambar struktur belum ditandatangani tenaga ahli bersertifikat "
                    "(SKK); mohon unggah ulang gambar yang sudah ditandatangani."
                },
                {
                    "note": "Lokasi bangunan berada di sempadan Sungai Cisadane dan tidak "
                    "sesuai dengan KKPR yang dilampirkan."
                },
            ]
        },
    )

    note: str = Field(min_length=3, max_length=2000)


class ApplicationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    applicant_id: str
    created_by: str
    permit_type: str
    district_code: str | None
    holder_name: str | None
    fields: dict[str, Any]
    status: Status
    stage: Stage | None
    stage_deadline_at: datetime | None = Field(
        description="When the running stage's service-level target passes (exclusive)."
    )
    escalated_at: datetime | None
    claimed_by: str | None
    fee_amount: int | None = Field(description="Whole rupiah, assessed on approval.")
    submitted_at: datetime | None
    decided_at: datetime | None
    created_at: datetime
    next_actions: list[Action] = Field(
        default_factory=list, description="What the caller may do next in the workflow."
    )

    @classmethod
    def of(cls, application: Application, caller: Principal) -> Self:
        """The application as ``caller`` sees it, with the steps open to them next."""
        actor = Actor.OFFICER if is_officer(caller) else Actor.APPLICANT
        read = cls.model_validate(application)
        read.next_actions = sorted(available_actions(application.status, actor))
        return read


class TransitionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    action: Action
    from_status: Status
    to_status: Status
    actor: Actor
    actor_id: str
    acting_officer_id: str | None
    note: str | None
    at: datetime

    @classmethod
    def of(cls, transition: Transition) -> Self:
        """The same for every caller who may see the application."""
        return cls.model_validate(transition)
