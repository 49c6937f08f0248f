"""The permit drafts the API document shows answer the city's real forms.

That each example validates with its model is checked for every service at once
(devtools/tests/test_api_documents.py); what is checked here is the catalogue: a draft's
fields are the questions its permit type asks, and the PBG draft with its update is complete.
"""

from typing import Any

from permits.applications.schemas import ApplicationDraft, ApplicationUpdate
from permits.catalogue import seeds
from permits.catalogue.fields import validate_fields
from permits.config import KOTA_TANGERANG

CATALOGUE = {definition.code: definition for definition in seeds.load(KOTA_TANGERANG)}


def _examples(model: type[ApplicationDraft] | type[ApplicationUpdate]) -> list[Any]:
    examples: list[Any] = model.model_json_schema()["examples"]
    return examples


def test_draft_examples_answer_the_forms_of_kota_tangerang() -> None:
    for example in _examples(ApplicationDraft):
        draft = ApplicationDraft.model_validate(example)
        definition = CATALOGUE[draft.permit_type]
        validate_fields(definition.fields, draft.fields, complete=False)


def test_the_pbg_draft_and_its_update_together_make_a_complete_form() -> None:
    draft = ApplicationDraft.model_validate(_examples(ApplicationDraft)[0])
    update = ApplicationUpdate.model_validate(_examples(ApplicationUpdate)[0])
    assert draft.permit_type == "PBG"
    assert update.fields is not None
    merged = {**draft.fields, **update.fields}

    validate_fields(
        CATALOGUE["PBG"].fields,
        {name: value for name, value in merged.items() if value is not None},
        complete=True,
    )
