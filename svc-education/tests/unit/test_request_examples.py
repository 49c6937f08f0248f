"""The registration examples the API document shows reach the admission rules on a demo suite.

That each example validates with its model is checked for every service at once
(devtools/tests/test_api_documents.py); what is checked here is that "Try it out" against a
demo suite names a real school and pathway, not 422 `unknown_school`.
"""

from typing import Any

import pytest

from education.admission.pathways import is_offered
from education.registrations.schemas import RegistrationCreate
from education.seed import DEMO_SCHOOLS

EXAMPLES: list[dict[str, Any]] = RegistrationCreate.model_json_schema()["examples"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e["pathway"])
def test_each_registration_example_names_a_demo_school_offering_its_pathway(
    example: dict[str, Any],
) -> None:
    body = RegistrationCreate.model_validate(example)
    school = next(s for s in DEMO_SCHOOLS if s["npsn"] == body.school_npsn)

    assert is_offered(school["level"], body.pathway)
    # A child of the city: the NIK's region is the school's regency (Kota Tangerang, 3671).
    assert body.student_nik.startswith(school["district_code"][:4])
