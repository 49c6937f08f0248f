"""The rows of the school registration figures."""

from pydantic import BaseModel, Field


class RegistrationFigures(BaseModel):
    school_npsn: str
    level: str
    pathway: str
    submitted: int
    withdrawn: int
    active: int = Field(description="Submitted and not withdrawn.")
    verified: int = Field(description="Documents checked by a school officer.")
    assisted: int = Field(description="Registered by an officer at a kiosk for the parent.")
    capacity: int = Field(description="The school's places for new pupils (0: not known).")
    pathway_quota: int = Field(description="The pathway's share of them (0: not known).")
    fill_rate: float | None = Field(description="active / pathway_quota.")
