"""The rows of the permits figures, as the API documents and exports them."""

from pydantic import BaseModel, Field


class StageLevels(BaseModel):
    """Per stage (``verification``, ``review``) and end to end (``end_to_end``: all the city's
    stages of a decided application, on time if every one was)."""

    verification_closed: int = Field(description="Stages the city closed (not withdrawn).")
    verification_on_time: int = Field(description="Closed before their deadline.")
    verification_compliance: float | None = Field(description="on_time / closed.")
    verification_p50_working_days: int | None
    verification_p90_working_days: int | None
    review_closed: int
    review_on_time: int
    review_compliance: float | None
    review_p50_working_days: int | None
    review_p90_working_days: int | None
    end_to_end_closed: int = Field(description="Applications decided (approved or rejected).")
    end_to_end_on_time: int
    end_to_end_compliance: float | None
    end_to_end_p50_working_days: int | None
    end_to_end_p90_working_days: int | None


class PermitServiceLevels(StageLevels):
    permit_type: str | None = None
    kecamatan: str | None = Field(
        default=None, description="Dotted Kemendagri code; empty: unknown."
    )
    day: str | None = None
    month: str | None = Field(default=None, description="The month's first day.")
    received: int
    resubmitted: int
    decided: int
    approved: int
    deemed_approved: int = Field(description="Approved by fiktif positif: no decision in time.")
    rejected: int
    revisions_requested: int
    issued: int
    cancelled: int
    expired: int
    payment_wait_hours_mean: float | None = Field(
        description="Mean hours from approval to the fee's payment, of permits paid."
    )


class PermitBacklog(BaseModel):
    permit_type: str
    kecamatan: str
    stage: str
    open: int = Field(description="Applications in this stage with the city now.")
    at_risk: int = Field(description="Past 80 % of the stage's time, not yet overdue.")
    overdue: int = Field(description="Past the stage's deadline.")
    age_0_2: int = Field(description="Waited 0 to 2 whole working days in the stage so far.")
    age_3_5: int
    age_6_10: int
    age_over_10: int
