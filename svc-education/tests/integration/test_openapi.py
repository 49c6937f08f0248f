"""The education API's OpenAPI document: valid, and every operation says who may call it."""

from fastapi import FastAPI
from openapi_spec_validator import validate


def test_every_education_operation_says_who_may_call_it(education_app: FastAPI) -> None:
    document = education_app.openapi()
    validate(document)
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        if path.startswith("/v1/education")
        for method, operation in item.items()
    ]

    assert {(path, method) for path, method, _ in operations} == {
        ("/v1/education/schools", "get"),
        ("/v1/education/schools/{npsn}/registrations", "get"),
        ("/v1/education/admission", "get"),
        ("/v1/education/registrations", "post"),
        ("/v1/education/registrations", "get"),
        ("/v1/education/registrations/{registration_id}", "get"),
        ("/v1/education/registrations/{registration_id}/withdraw", "post"),
        ("/v1/education/registrations/{registration_id}/verification", "post"),
    }
    for path, method, operation in operations:
        assert operation["description"].startswith("Who may call: "), (path, method)
