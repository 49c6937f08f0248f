"""The documents a permit type asks for: defaults and refused options."""

from typing import Any

import pytest
from pydantic import ValidationError

from permits.catalogue.documents import DEFAULT_MAX_BYTES, DocumentRequirement


def test_a_document_defaults_to_any_accepted_type_up_to_10_mib() -> None:
    ktp = DocumentRequirement(kind="ktp", label_id="KTP", label_en="Identity card")

    assert ktp.required
    assert ktp.content_types == ["application/pdf", "image/jpeg", "image/png"]
    assert ktp.max_bytes == DEFAULT_MAX_BYTES == 10 * 1024 * 1024


@pytest.mark.parametrize(
    "options",
    [
        {"content_types": ["image/gif"]},
        {"content_types": []},
        {"content_types": ["image/png", "image/png"]},
        {"max_bytes": 0},
        {"kind": "Site Plan"},
    ],
)
def test_documents_refuse_bad_options(options: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        DocumentRequirement.model_validate(
            {"kind": "site_plan", "label_id": "Gambar", "label_en": "Plan", **options}
        )
