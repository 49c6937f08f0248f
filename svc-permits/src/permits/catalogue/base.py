"""What every catalogue model shares: strict, frozen pydantic models, identifiers and labels.

Everything in the catalogue is a pydantic model an admin edits as JSON (stored with
``model_dump(mode="json")``, loaded with ``model_validate``) or a function without I/O, so the
catalogue can be checked when it is saved rather than when a citizen meets a broken form.
"""

from collections.abc import Sequence
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from kota_shared import i18n
from kota_shared.i18n import Message
from permits.messages import _

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CatalogueModel(BaseModel):
    """Unknown keys are refused (a typo must not vanish silently) and values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def require_unique(what: Message, items: Sequence[str]) -> None:
    """Refuse repeated ``items``: ``what`` names them for the admin (``_("Field names")``)."""
    duplicates = sorted({item for item in items if items.count(item) > 1})
    if duplicates:
        raise ValueError(
            _(
                "{what} must be unique; repeated: {repeated}.",
                what=what,
                repeated=i18n.Sequence.of(duplicates),
            )
        )
