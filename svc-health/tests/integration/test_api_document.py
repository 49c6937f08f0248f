"""The health API's OpenAPI document: valid, and every operation says who may call it."""

from fastapi import FastAPI
from openapi_spec_validator import validate


def test_every_operation_says_who_may_call_it(health_app: FastAPI) -> None:
    document = health_app.openapi()

    operations = {
        (method, path): operation
        for path, item in document["paths"].items()
        if path.startswith("/v1/health/")
        for method, operation in item.items()
    }

    assert set(operations) >= {
        ("get", "/v1/health/facilities"),
        ("get", "/v1/health/facilities/{facility_id}/services"),
        ("get", "/v1/health/facilities/{facility_id}/queue"),
        ("post", "/v1/health/bookings"),
        ("get", "/v1/health/bookings"),
        ("get", "/v1/health/bookings/{booking_id}"),
        ("post", "/v1/health/bookings/{booking_id}/cancel"),
    }
    for operation in operations.values():
        assert operation["description"].startswith("Who may call: ")
    validate(document)  # a real OpenAPI 3.1 validator, $refs resolved
