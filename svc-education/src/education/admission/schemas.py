"""What clients receive about the admission period."""

from datetime import date

from pydantic import BaseModel, Field

from kota_contracts.education import Pathway, SchoolLevel


class PathwayShare(BaseModel):
    pathway: Pathway
    minimum_percent: float = Field(description="The least share of a school's places.")
    maximum_percent: float = Field(description="The most share of a school's places.")


class AdmissionRead(BaseModel):
    admission_year: int = Field(description="Pupils start school on 1 July of this year.")
    registration_opens_on: date
    registration_closes_on: date = Field(description="The last day (inclusive).")
    age_reference_date: date = Field(description="The day children's ages are counted at.")
    timezone: str = Field(description="The registration dates are local dates in this zone.")
    open: bool = Field(description="Whether registration is open now.")
    pathways: dict[SchoolLevel, list[PathwayShare]] = Field(
        description="The pathways each level admits through, with their shares of the places "
        "(domisili takes what the others leave)."
    )
