"""Uploading documents: judged by content, limited in size, hashed, and never half-stored."""

import hashlib
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from permits.documents.models import Document

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201ab2c9c9a0000000049454e44ae426082"
)
ZIP = b"PK\x03\x04" + b"\x00" * 60


async def _documents_of(permits_app: Any, application_id: str) -> int:
    async with permits_app.state.sessionmaker() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Document)
            .where(Document.application_id == uuid.UUID(application_id))
        )
    return int(count or 0)


def _stored_files(documents_root: Path, application_id: str) -> list[Path]:
    folder = documents_root / "documents" / "applications" / application_id
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


async def test_an_upload_is_stored_with_its_digest_and_downloads_intact(
    permits: Any, permits_app: Any, documents_root: Path
) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    application = await permits.draft(citizen, permit_type)

    uploaded = await permits.upload(citizen, application["id"], filename="KTP Budi.pdf")

    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()
    assert document["content_type"] == "application/pdf"
    assert document["size"] == len(PDF)
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
    content_url = f"/v1/permits/applications/{application['id']}/documents/{document['id']}/content"
    downloaded = await permits.client.get(content_url, headers=citizen)
    assert downloaded.status_code == 200
    assert downloaded.content == PDF
    assert downloaded.headers["content-type"] == "application/pdf"
    assert downloaded.headers["x-content-type-options"] == "nosniff"
    by_officer = await permits.client.get(content_url, headers=permits.officer())
    assert by_officer.content == PDF
    assert (await permits.client.get(content_url, headers=permits.citizen())).status_code == 404
    assert len(_stored_files(documents_root, application["id"])) == 1


async def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_kept(
    permits: Any, permits_app: Any, documents_root: Path
) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    application = await permits.draft(citizen, permit_type)

    png_named_pdf = await permits.upload(
        citizen, application["id"], filename="ktp.pdf", content=PNG
    )

    assert png_named_pdf.status_code == 422
    assert png_named_pdf.headers["content-type"] == "application/problem+json"
    assert png_named_pdf.json()["code"] == "document_name_mismatch"
    assert await _documents_of(permits_app, application["id"]) == 0
    assert _stored_files(documents_root, application["id"]) == []


async def test_a_type_the_document_does_not_accept_is_415(
    permits: Any, permits_app: Any, documents_root: Path
) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    application = await permits.draft(citizen, permit_type)

    archive = await permits.upload(citizen, application["id"], filename="ktp.zip", content=ZIP)
    renamed = await permits.upload(citizen, application["id"], filename="ktp.pdf", content=ZIP)

    assert (archive.status_code, archive.json()["code"]) == (415, "document_type_not_accepted")
    assert (renamed.status_code, renamed.json()["code"]) == (415, "document_type_not_accepted")
    assert await _documents_of(permits_app, application["id"]) == 0
    assert _stored_files(documents_root, application["id"]) == []


async def test_a_document_over_its_size_limit_is_413_and_nothing_is_kept(
    permits: Any, permits_app: Any, documents_root: Path
) -> None:
    small = {
        "kind": "ktp",
        "label_id": "KTP",
        "label_en": "Identity card",
        "content_types": ["application/pdf"],
        "max_bytes": 1024,
    }
    permit_type = await permits.define_type(documents=[small])
    citizen = permits.citizen()
    application = await permits.draft(citizen, permit_type)

    at_limit = await permits.upload(
        citizen, application["id"], content=PDF + b" " * (1024 - len(PDF))
    )
    over = await permits.upload(citizen, application["id"], content=PDF + b" " * (1025 - len(PDF)))

    assert at_limit.status_code == 201, at_limit.text
    assert over.status_code == 413
    assert over.json()["code"] == "document_too_large"
    assert await _documents_of(permits_app, application["id"]) == 1
    assert len(_stored_files(documents_root, application["id"])) == 1


async def test_an_empty_file_or_an_unknown_kind_is_422(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    application = await permits.draft(citizen, permit_type)

    empty = await permits.upload(citizen, application["id"], content=b"")
    unknown_kind = await permits.upload(citizen, application["id"], kind="passport")

    assert (empty.status_code, empty.json()["code"]) == (422, "document_empty")
    assert (unknown_kind.status_code, unknown_kind.json()["code"]) == (
        422,
        "unknown_document_kind",
    )


async def test_documents_are_frozen_once_submitted(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    application = await permits.submitted(citizen, permit_type)
    listed = await permits.client.get(
        f"/v1/permits/applications/{application['id']}/documents", headers=citizen
    )
    (document,) = listed.json()

    another = await permits.upload(citizen, application["id"])
    removal = await permits.client.delete(
        f"/v1/permits/applications/{application['id']}/documents/{document['id']}",
        headers=citizen,
    )

    assert another.status_code == 409
    assert removal.status_code == 409
    assert removal.json()["current_status"] == "submitted"


async def test_a_draft_document_can_be_removed_with_its_file(
    permits: Any, permits_app: Any, documents_root: Path
) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    application = await permits.draft(citizen, permit_type)
    document = (await permits.upload(citizen, application["id"])).json()
    path = f"/v1/permits/applications/{application['id']}/documents/{document['id']}"

    assert (await permits.client.delete(path, headers=permits.citizen())).status_code == 404
    removed = await permits.client.delete(path, headers=citizen)

    assert removed.status_code == 204
    assert await _documents_of(permits_app, application["id"]) == 0
    assert _stored_files(documents_root, application["id"]) == []
    assert (await permits.client.get(f"{path}/content", headers=citizen)).status_code == 404


async def test_a_request_that_is_not_multipart_is_422(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    application = await permits.draft(citizen, permit_type)

    response = await permits.client.post(
        f"/v1/permits/applications/{application['id']}/documents",
        json={"kind": "ktp"},
        headers=citizen,
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
