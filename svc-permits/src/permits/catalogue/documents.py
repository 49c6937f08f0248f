"""The documents a permit type asks the applicant to upload, with their accepted types and size."""

from typing import Literal, Self

from pydantic import Field, model_validator

from permits.catalogue.base import CatalogueModel, Identifier, Label, require_unique
from permits.messages import _

ContentType = Literal["application/pdf", "image/jpeg", "image/png"]
ALL_CONTENT_TYPES: tuple[ContentType, ...] = ("application/pdf", "image/jpeg", "image/png")

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class DocumentRequirement(CatalogueModel):
    """A document the applicant uploads, e.g. their KTP or the building's site plan."""

    kind: Identifier
    label_id: Label
    label_en: Label
    required: bool = True
    content_types: list[ContentType] = Field(
        default_factory=lambda: list(ALL_CONTENT_TYPES), min_length=1
    )
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, ge=1, le=50 * 1024 * 1024)

    @model_validator(mode="after")
    def _unique_content_types(self) -> Self:
        require_unique(_("Content types"), self.content_types)
        return self
