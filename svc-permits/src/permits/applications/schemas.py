"""What clients send and receive about applications."""

import uuid
from datetime import datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

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
    model_config = ConfigDict(extra="forbid")

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

    model_config = ConfigDict(extra="forbid")

    district_code: str | None = DistrictCode
    holder_name: str | None = HolderName
    fields: dict[str, Any] | None = None


class StepRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=2000)


class ReasonedStepRequest(BaseModel):
    """A step that must say why: a revision request, a rejection, a revocation."""

    model_config = ConfigDict(extra="forbid")

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
