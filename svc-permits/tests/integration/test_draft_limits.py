"""An account holds at most ``PERMITS_MAX_OPEN_DRAFTS`` drafts (5 here, the default): one more
is a 409 ``too_many_drafts`` until a draft is submitted or withdrawn, however many are started
at once."""

import asyncio
import uuid
from collections import Counter
from typing import Any

URL = "/v1/permits/applications"
LIMIT = 5
ENGLISH = {"Accept-Language": "en"}
Permits = Any  # the `permits` fixture's driver (conftest)


def _body(permit_type: str) -> dict[str, Any]:
    return {"permit_type": permit_type, "district_code": "367105", "holder_name": "Budi Santoso"}


async def _start(permits: Permits, citizen: dict[str, str], permit_type: str) -> Any:
    return await permits.client.post(URL, json=_body(permit_type), headers=citizen)


async def _drafts_of(permits: Permits, citizen: dict[str, str]) -> list[str]:
    listed = await permits.client.get(URL, headers=citizen)
    assert listed.status_code == 200, listed.text
    return [a["id"] for a in listed.json() if a["status"] == "draft"]


async def test_one_draft_past_the_limit_is_409_saying_the_limit_and_the_way_out(
    permits: Permits,
) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    for _ in range(LIMIT):
        await permits.draft(citizen, permit_type)

    refused = await permits.client.post(
        URL, json=_body(permit_type), headers={**citizen, **ENGLISH}
    )

    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["code"] == "too_many_drafts"
    assert problem["limit"] == LIMIT
    assert f"{LIMIT} draft applications" in problem["detail"]
    assert "withdraw (cancel)" in problem["detail"]
    assert len(await _drafts_of(permits, citizen)) == LIMIT


async def test_withdrawing_or_submitting_a_draft_makes_room_for_another(
    permits: Permits,
) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    drafts = [await permits.draft(citizen, permit_type) for _ in range(LIMIT)]
    assert (await _start(permits, citizen, permit_type)).status_code == 409

    withdrawn = await permits.step(citizen, drafts[0]["id"], "cancel")
    after_withdrawal = await _start(permits, citizen, permit_type)
    assert (await permits.upload(citizen, drafts[1]["id"])).status_code == 201
    submitted = await permits.step(citizen, drafts[1]["id"], "submit")
    after_submission = await _start(permits, citizen, permit_type)

    assert withdrawn.status_code == 200, withdrawn.text
    assert after_withdrawal.status_code == 201, after_withdrawal.text
    assert submitted.status_code == 200, submitted.text
    assert after_submission.status_code == 201, after_submission.text
    assert (await _start(permits, citizen, permit_type)).status_code == 409
    assert len(await _drafts_of(permits, citizen)) == LIMIT


async def test_the_limit_is_per_account(permits: Permits) -> None:
    permit_type = await permits.define_type()
    full = permits.citizen()
    for _ in range(LIMIT):
        await permits.draft(full, permit_type)

    other = await _start(permits, permits.citizen(), permit_type)

    assert other.status_code == 201, other.text
    assert (await _start(permits, full, permit_type)).status_code == 409


async def test_drafts_started_at_once_stop_exactly_at_the_limit(permits: Permits) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()

    answers = await asyncio.gather(*(_start(permits, citizen, permit_type) for _ in range(12)))

    assert Counter(a.status_code for a in answers) == {201: LIMIT, 409: 12 - LIMIT}, [
        a.text for a in answers
    ]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"too_many_drafts"}
    started = sorted(a.json()["id"] for a in answers if a.status_code == 201)
    assert sorted(await _drafts_of(permits, citizen)) == started


async def test_a_retry_with_its_key_replays_its_draft_even_at_the_limit(
    permits: Permits,
) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    for _ in range(LIMIT - 1):
        await permits.draft(citizen, permit_type)
    keyed = {**citizen, "Idempotency-Key": str(uuid.uuid4())}

    last = await permits.client.post(URL, json=_body(permit_type), headers=keyed)
    retried = await permits.client.post(URL, json=_body(permit_type), headers=keyed)

    assert last.status_code == retried.status_code == 201, retried.text
    assert retried.headers["idempotent-replayed"] == "true"
    assert retried.json()["id"] == last.json()["id"]
    assert (await _start(permits, citizen, permit_type)).status_code == 409
