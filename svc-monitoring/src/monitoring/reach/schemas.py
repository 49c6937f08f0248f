"""The rows of the digital-divide figures."""

from pydantic import BaseModel, Field


class ReachFigures(BaseModel):
    service: str
    kecamatan: str | None = Field(
        default=None, description="With `by_kecamatan=true`; empty where the event did not say."
    )
    transactions: int = Field(description="Citizens' own steps (register, apply, book, ...).")
    assisted: int = Field(description="Taken for the citizen by an officer at a kiosk.")
    assisted_share: float | None
