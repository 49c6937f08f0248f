"""The rows of the clinic booking figures."""

from datetime import date

from pydantic import BaseModel, Field


class BookingFigures(BaseModel):
    facility_code: str
    service_code: str
    visit_date: date | None = Field(default=None, description="With `by_day=true` only.")
    booked: int
    cancelled: int
    active: int = Field(description="Booked and not given back.")
    assisted: int = Field(description="Booked by an officer at a kiosk for the citizen.")
    places: int = Field(description="Places offered on those days (0: not yet known).")
    fill_rate: float | None = Field(description="active / places.")
