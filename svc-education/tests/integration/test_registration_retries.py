"""A registration sent again with the same Idempotency-Key returns its first answer."""

import uuid
from typing import Any

URL = "/v1/education/registrations"
Admissions = Any  # the `admissions` fixture's driver (conftest)


async def test_a_retried_registration_with_its_key_returns_the_first_answer(
    admissions: Admissions,
) -> None:
    parent = admissions.parent()
    keyed = {**parent, "Idempotency-Key": str(uuid.uuid4())}
    body = admissions.body_for(parent)

    first = await admissions.client.post(URL, json=body, headers=keyed)
    again = await admissions.client.post(URL, json=body, headers=keyed)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    listed = await admissions.client.get(URL, headers=parent)
    assert [r["id"] for r in listed.json()] == [first.json()["id"]]


async def test_without_a_key_a_blind_retry_is_a_conflict_naming_the_parents_own_record(
    admissions: Admissions,
) -> None:
    parent = admissions.parent()
    body = admissions.body_for(parent)

    first = await admissions.client.post(URL, json=body, headers=parent)
    again = await admissions.client.post(URL, json=body, headers=parent)

    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json()["code"] == "student_already_registered"
    assert again.json()["registration_id"] == first.json()["id"]


async def test_the_same_key_for_another_child_is_refused(admissions: Admissions) -> None:
    parent = admissions.parent()
    keyed = {**parent, "Idempotency-Key": str(uuid.uuid4())}
    await admissions.client.post(URL, json=admissions.body_for(parent), headers=keyed)

    another_child = await admissions.client.post(
        URL, json=admissions.body_for(parent), headers=keyed
    )

    assert another_child.status_code == 422
    assert another_child.json()["code"] == "idempotency_key_reused"
