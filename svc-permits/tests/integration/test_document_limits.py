"""An application holds at most ``PERMITS_MAX_DOCUMENTS_PER_APPLICATION`` documents (409
``too_many_documents``) and an account at most ``PERMITS_MAX_DOCUMENT_BYTES_PER_ACCOUNT`` of
stored ones (413 ``document_storage_full``); uploads racing for the last room stop exactly at
the limit, and storage holds exactly the files of the rows that were kept."""

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from kota_dev.pytest_plugin import running_app
from permits.documents.models import Document

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PER_APPLICATION = 3
ACCOUNT_DOCUMENTS = 7
"""How many of the test's documents (all `PDF`) fit in one account's storage."""
ENGLISH = {"Accept-Language": "en"}
Permits = Any  # the `permits` fixture's driver (conftest)


@pytest.fixture
async def limited(make_permits_app: Any, permits: Permits) -> AsyncIterator[tuple[FastAPI, Any]]:
    """An app with small limits on a database and a documents folder of its own, so the
    folder can be compared with every row; ``permits`` drives it."""
    app, _clock = await make_permits_app(
        f"permits_limits_{uuid.uuid4().hex[:8]}",
        max_documents_per_application=PER_APPLICATION,
        max_document_bytes_per_account=ACCOUNT_DOCUMENTS * len(PDF),
    )
    async with running_app(app) as client:
        permits.client = client
        yield app, permits


async def _stored_rows(app: FastAPI) -> list[Document]:
    async with app.state.sessionmaker() as session:
        return list((await session.scalars(select(Document))).all())


def _files_under(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


async def _assert_storage_matches_rows(app: FastAPI) -> list[Document]:
    """Every stored file has its row and every row its file; no upload is left staged."""
    rows = await _stored_rows(app)
    documents_folder = Path(app.state.runtime.settings.documents_location)
    assert _files_under(documents_folder) == sorted(row.storage_key for row in rows)
    assert _files_under(app.state.documents.staging) == []
    return rows


async def _upload(permits: Permits, citizen: dict[str, str], application_id: str) -> Any:
    response: httpx.Response = await permits.upload(citizen, application_id)
    return response


async def test_uploads_racing_for_an_applications_last_places_stop_at_its_limit(
    limited: tuple[FastAPI, Permits],
) -> None:
    app, permits = limited
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    application = await permits.draft(citizen, permit_type)

    answers = await asyncio.gather(
        *(_upload(permits, citizen, application["id"]) for _ in range(8))
    )

    assert Counter(a.status_code for a in answers) == {201: PER_APPLICATION, 409: 5}, [
        a.text for a in answers
    ]
    refusals = [a.json() for a in answers if a.status_code == 409]
    assert {r["code"] for r in refusals} == {"too_many_documents"}
    assert {r["limit"] for r in refusals} == {PER_APPLICATION}
    rows = await _assert_storage_matches_rows(app)
    assert sorted(str(row.id) for row in rows) == sorted(
        a.json()["id"] for a in answers if a.status_code == 201
    )


async def test_a_full_application_says_so_and_removing_a_document_makes_room(
    limited: tuple[FastAPI, Permits],
) -> None:
    app, permits = limited
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    application = await permits.draft(citizen, permit_type)
    kept = [(await _upload(permits, citizen, application["id"])).json() for _ in range(3)]

    refused = await permits.client.post(
        f"/v1/permits/applications/{application['id']}/documents",
        data={"kind": "ktp"},
        files={"file": ("ktp.pdf", PDF, "application/pdf")},
        headers={**citizen, **ENGLISH},
    )
    removed = await permits.client.delete(
        f"/v1/permits/applications/{application['id']}/documents/{kept[0]['id']}",
        headers=citizen,
    )
    again = await _upload(permits, citizen, application["id"])

    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "too_many_documents"
    assert f"at most {PER_APPLICATION} documents" in refused.json()["detail"]
    assert "Remove a document" in refused.json()["detail"]
    assert removed.status_code == 204
    assert again.status_code == 201, again.text
    assert len(await _assert_storage_matches_rows(app)) == PER_APPLICATION


async def test_uploads_racing_across_an_accounts_applications_stop_at_its_storage(
    limited: tuple[FastAPI, Permits],
) -> None:
    app, permits = limited
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    applications = [await permits.draft(citizen, permit_type) for _ in range(3)]

    # Three to each application (its own limit is not reached): nine for room for seven.
    answers = await asyncio.gather(
        *(_upload(permits, citizen, a["id"]) for a in applications for _ in range(3))
    )

    assert Counter(a.status_code for a in answers) == {201: ACCOUNT_DOCUMENTS, 413: 2}, [
        a.text for a in answers
    ]
    refusals = [a.json() for a in answers if a.status_code == 413]
    assert {r["code"] for r in refusals} == {"document_storage_full"}
    assert {r["limit_bytes"] for r in refusals} == {ACCOUNT_DOCUMENTS * len(PDF)}
    assert {r["used_bytes"] for r in refusals} == {ACCOUNT_DOCUMENTS * len(PDF)}
    rows = await _assert_storage_matches_rows(app)
    assert sum(row.size for row in rows) == ACCOUNT_DOCUMENTS * len(PDF)
    # Another account's storage is its own.
    other = permits.citizen()
    elsewhere = await permits.draft(other, permit_type)
    assert (await _upload(permits, other, elsewhere["id"])).status_code == 201


async def test_a_withdrawn_applications_documents_still_count_and_removing_one_frees_room(
    limited: tuple[FastAPI, Permits],
) -> None:
    app, permits = limited
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    withdrawn = await permits.draft(citizen, permit_type)
    for _ in range(3):
        assert (await _upload(permits, citizen, withdrawn["id"])).status_code == 201
    assert (await permits.step(citizen, withdrawn["id"], "cancel")).status_code == 200
    current = await permits.draft(citizen, permit_type)
    kept = [(await _upload(permits, citizen, current["id"])).json() for _ in range(3)]
    third = await permits.draft(citizen, permit_type)
    assert (await _upload(permits, citizen, third["id"])).status_code == 201  # the seventh

    full = await permits.client.post(
        f"/v1/permits/applications/{third['id']}/documents",
        data={"kind": "ktp"},
        files={"file": ("ktp.pdf", PDF, "application/pdf")},
        headers={**citizen, **ENGLISH},
    )
    removed = await permits.client.delete(
        f"/v1/permits/applications/{current['id']}/documents/{kept[0]['id']}",
        headers=citizen,
    )
    after_removal = await _upload(permits, citizen, third["id"])

    assert full.status_code == 413, full.text
    problem = full.json()
    assert problem["code"] == "document_storage_full"
    assert problem["used_bytes"] == ACCOUNT_DOCUMENTS * len(PDF)
    assert "Remove documents you no longer need" in problem["detail"]
    assert removed.status_code == 204
    assert after_removal.status_code == 201, after_removal.text
    assert len(await _assert_storage_matches_rows(app)) == ACCOUNT_DOCUMENTS
