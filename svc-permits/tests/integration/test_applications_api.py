"""Drafting an application on real PostgreSQL and Kafka: the record, its event, who sees it."""

import uuid
from typing import Any

import httpx
import pytest
from cloudevents.v1.kafka import KafkaMessage, from_structured
from fastapi import FastAPI

from kota_contracts.permits import ApplicationDrafted
from kota_dev.pytest_plugin import AuthHeaders, Infrastructure
from kota_shared.testing.kafka import read_records
from kota_shared.testing.schema import schema_differences
from kota_shared.testing.waiting import eventually
from permits.applications import models as applications
from permits.applications.models import Application
from permits.catalogue import models as catalogue
from permits.db import Base
from permits.documents import models as documents
from permits.issuance import models as issuance

EVERY_MODEL = (applications, catalogue, documents, issuance)
"""What migrations/env.py imports, so that Base.metadata holds every table compared below."""

URL = "/v1/permits/applications"


def citizen() -> str:
    return f"citizen-{uuid.uuid4().hex[:8]}"


async def test_a_citizen_drafts_an_application_and_it_is_announced(
    permits_client: httpx.AsyncClient, auth_headers: AuthHeaders, infrastructure: Infrastructure
) -> None:
    response = await permits_client.post(
        URL,
        json={"permit_type": "PBG", "district_code": "367105"},
        headers=auth_headers(citizen(), roles=["citizen"]),
    )

    assert response.status_code == 201, response.text
    application = response.json()
    assert application["status"] == "draft"
    assert application["permit_type"] == "PBG"
    records = await read_records(
        infrastructure.kafka_bootstrap_servers,
        ApplicationDrafted.topic,
        until=lambda records: any(r.key == application["id"].encode() for r in records),
    )
    (record,) = [r for r in records if r.key == application["id"].encode()]
    event = from_structured(
        KafkaMessage(headers=dict(record.headers), key=record.key, value=record.value)
    )
    assert event["type"] == "permits.application.drafted.v1"
    assert event["source"] == "/kota-live/permits"
    assert event["subject"] == application["id"]
    ApplicationDrafted.model_validate(event.data)  # the payload matches its schema
    assert event.data["district_code"] == "367105"
    # The relay counts a batch once Kafka has acknowledged all of it, which can be just after
    # a reader already sees the record.
    published = 'kota_events_published_total{topic="permits.events"}'

    async def metrics() -> str:
        return (await permits_client.get("/metrics")).text

    await eventually(metrics, until=lambda text: published in text, what=published)


async def test_the_owner_reads_it_and_another_citizen_gets_404(
    permits_client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    owner = auth_headers(citizen(), roles=["citizen"])
    created = await permits_client.post(URL, json={"permit_type": "REKLAME"}, headers=owner)
    application_id = created.json()["id"]

    mine = await permits_client.get(f"{URL}/{application_id}", headers=owner)
    theirs = await permits_client.get(
        f"{URL}/{application_id}", headers=auth_headers(citizen(), roles=["citizen"])
    )

    assert mine.status_code == 200
    assert mine.json()["id"] == application_id
    assert theirs.status_code == 404
    assert theirs.headers["content-type"] == "application/problem+json"
    assert theirs.json()["code"] == "not_found"


async def test_a_citizen_lists_only_their_own_applications(
    permits_client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    mine, theirs = auth_headers(citizen(), roles=["citizen"]), auth_headers(citizen())
    first = await permits_client.post(URL, json={"permit_type": "PBG"}, headers=mine)
    second = await permits_client.post(URL, json={"permit_type": "REKLAME"}, headers=mine)
    await permits_client.post(URL, json={"permit_type": "PBG"}, headers=theirs)

    listed = await permits_client.get(URL, headers=mine)

    assert listed.status_code == 200
    assert [a["id"] for a in listed.json()] == [second.json()["id"], first.json()["id"]]
    assert (await permits_client.get(URL, params={"limit": 0}, headers=mine)).status_code == 422


async def test_an_officer_acting_for_a_citizen_is_recorded(
    permits_client: httpx.AsyncClient, permits_app: FastAPI, auth_headers: AuthHeaders
) -> None:
    applicant = citizen()
    response = await permits_client.post(
        URL,
        json={"permit_type": "PBG"},
        headers=auth_headers(applicant, roles=["citizen"], act={"sub": "officer-7"}),
    )
    async with permits_app.state.sessionmaker() as session:
        stored = await session.get(Application, uuid.UUID(response.json()["id"]))
    assert stored is not None
    assert (stored.applicant_id, stored.created_by) == (applicant, "officer-7")


async def test_without_a_token_the_answer_is_401(permits_client: httpx.AsyncClient) -> None:
    response = await permits_client.post(URL, json={"permit_type": "PBG"})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "unauthorized"


async def test_an_officer_is_not_a_citizen_and_gets_403(
    permits_client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    response = await permits_client.post(
        URL,
        json={"permit_type": "PBG"},
        headers=auth_headers("officer-1", roles=["permits_officer"]),
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"permit_type": "pbg"}, "body.permit_type"),
        ({"permit_type": "PBG", "district_code": "36"}, "body.district_code"),
        ({"permit_type": "PBG", "owner": "someone else"}, "body.owner"),
        ({}, "body.permit_type"),
    ],
)
async def test_invalid_input_is_a_422_naming_the_field(
    permits_client: httpx.AsyncClient, auth_headers: AuthHeaders, body: dict[str, Any], field: str
) -> None:
    response = await permits_client.post(
        URL, json=body, headers=auth_headers(citizen(), roles=["citizen"])
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert field in [error["field"] for error in problem["errors"]]


async def test_malformed_json_is_a_422_problem_not_a_500(
    permits_client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    response = await permits_client.post(
        URL,
        content=b'{"permit_type": "PBG"',
        headers={**auth_headers(citizen(), roles=["citizen"]), "content-type": "application/json"},
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


async def test_problems_speak_indonesian_when_asked(
    permits_client: httpx.AsyncClient,
) -> None:
    response = await permits_client.get(
        f"{URL}/{uuid.uuid4()}", headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"}
    )

    assert response.status_code == 401
    assert response.json()["title"].startswith("Silakan masuk kembali")


async def test_unknown_route_is_a_404_problem(permits_client: httpx.AsyncClient) -> None:
    response = await permits_client.get("/v1/permits/nothing-here")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


async def test_probes_and_metrics(permits_client: httpx.AsyncClient) -> None:
    assert (await permits_client.get("/livez")).json() == {"status": "alive"}
    ready = await permits_client.get("/readyz")
    assert ready.status_code == 200
    assert {name: check["status"] for name, check in ready.json()["checks"].items()} == {
        "database": "ready",
        "kafka": "ready",
    }
    metrics = await permits_client.get("/metrics")
    assert metrics.status_code == 200
    assert (
        'kota_http_requests_total{method="GET",route="/livez",service="permits",status="200"}'
        in (metrics.text)
    )


async def test_every_response_carries_a_request_id(permits_client: httpx.AsyncClient) -> None:
    given = await permits_client.get("/livez", headers={"X-Request-ID": "app-1234"})
    made = await permits_client.get("/livez", headers={"X-Request-ID": "bad id with spaces"})

    assert given.headers["x-request-id"] == "app-1234"
    assert made.headers["x-request-id"] != "bad id with spaces"
    assert len(made.headers["x-request-id"]) == 32


async def test_the_migration_creates_what_the_models_declare(permits_database: str) -> None:
    assert await schema_differences(permits_database, Base.metadata) == []


def test_openapi_states_who_may_call_each_operation(permits_app: FastAPI) -> None:
    operations = [
        operation for path in permits_app.openapi()["paths"].values() for operation in path.values()
    ]
    assert operations
    assert all("Who may call" in operation["description"] for operation in operations)
