"""Starting an application again with the same Idempotency-Key returns the first draft."""

import uuid
from typing import Any

URL = "/v1/permits/applications"
Permits = Any  # the `permits` fixture's driver (conftest)
DRAFT = {"permit_type": "PBG", "district_code": "367105", "holder_name": "Budi Santoso"}


async def test_a_retried_draft_with_its_key_starts_one_application(permits: Permits) -> None:
    citizen = permits.citizen()
    keyed = {**citizen, "Idempotency-Key": str(uuid.uuid4())}

    first = await permits.client.post(URL, json=DRAFT, headers=keyed)
    again = await permits.client.post(URL, json=DRAFT, headers=keyed)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    listed = await permits.client.get(URL, headers=citizen)
    assert [a["id"] for a in listed.json()] == [first.json()["id"]]


async def test_without_a_key_each_request_starts_a_draft(permits: Permits) -> None:
    citizen = permits.citizen()

    first = await permits.client.post(URL, json=DRAFT, headers=citizen)
    second = await permits.client.post(URL, json=DRAFT, headers=citizen)

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


async def test_one_citizens_key_is_not_anothers(permits: Permits) -> None:
    key = str(uuid.uuid4())

    mine = await permits.client.post(
        URL, json=DRAFT, headers={**permits.citizen(), "Idempotency-Key": key}
    )
    theirs = await permits.client.post(
        URL, json=DRAFT, headers={**permits.citizen(), "Idempotency-Key": key}
    )

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert "idempotent-replayed" not in theirs.headers
