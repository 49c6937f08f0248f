"""How fast a permit type is served: working days per stage, and what happens when they run out."""

from enum import StrEnum

from pydantic import Field

from permits.catalogue.base import CatalogueModel


class DeadlinePolicy(StrEnum):
    """What happens when a stage's deadline passes undecided."""

    AUTO_APPROVE = "auto_approve"
    """Fiktif positif (PP 28/2025): the application is deemed approved."""
    ESCALATE = "escalate"
    """Raised to a supervisor, for permits whose approval by default would be unsafe."""


class StageTargets(CatalogueModel):
    """Working days allowed for the two stages an officer controls."""

    verification: int = Field(ge=1, description="Document check, in working days.")
    review: int = Field(ge=1, description="Technical or substantive review, in working days.")
