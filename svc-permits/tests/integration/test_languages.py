"""Bahasa Indonesia first: every message of the permits API in Indonesian unless the caller
asks for English, with ``Content-Language`` saying which (docs/i18n.md)."""

import uuid
from typing import Any

import httpx

URL = "/v1/permits/applications"
ENGLISH = {"Accept-Language": "en"}
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PURPOSE = {"name": "purpose", "label_id": "Keperluan", "label_en": "Purpose", "kind": "text"}


def _definition(code: str, **overrides: Any) -> dict[str, Any]:
    """A small permit type as an admin sends it: one question, one document, no fee."""
    return {
        "code": code,
        "name_id": "Izin Uji",
        "name_en": "Test permit",
        "category": "other",
        "fields": [PURPOSE],
        "documents": [{"kind": "ktp", "label_id": "KTP", "label_en": "Identity card"}],
        "fee_rule": {"kind": "none"},
        "stage_targets": {"verification": 1, "review": 3},
        "deadline_policy": "escalate",
        "validity_months": 12,
        **overrides,
    }


def _problem(response: httpx.Response, status: int, code: str, language: str) -> dict[str, Any]:
    """The problem document, after checking it is the one expected, in ``language``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["content-language"] == language
    assert "Accept-Language" in response.headers["vary"]
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    assert problem["type"] == f"/problems/{code}"
    return problem


async def test_a_domain_problem_is_indonesian_by_default_and_english_when_asked(
    permits: Any,
) -> None:
    body = {"permit_type": "NO_SUCH_TYPE"}

    default = await permits.client.post(URL, json=body, headers=permits.citizen())
    english = await permits.client.post(URL, json=body, headers={**permits.citizen(), **ENGLISH})

    indonesian = _problem(default, 422, "unknown_permit_type", "id")
    assert indonesian["title"] == "Jenis izin tersebut tidak ada atau sedang tidak dilayani."
    assert indonesian["detail"] == (
        "Pemerintah kota tidak melayani jenis izin dengan kode NO_SUCH_TYPE."
    )
    in_english = _problem(english, 422, "unknown_permit_type", "en")
    assert in_english["title"] == (
        "There is no such permit type, or it is not offered at the moment."
    )
    assert in_english["detail"] == "The city does not offer a permit type with code NO_SUCH_TYPE."


async def test_an_illegal_step_names_the_status_in_the_callers_language(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen, officer = permits.citizen(), permits.officer()
    application = await permits.draft(citizen, permit_type)
    approve = f"{URL}/{application['id']}/approve"

    default = await permits.client.post(approve, headers=officer)
    english = await permits.client.post(approve, headers={**officer, **ENGLISH})

    indonesian = _problem(default, 409, "illegal_transition", "id")
    assert indonesian["detail"] == "Permohonan berstatus “Draf” tidak dapat disetujui."
    assert indonesian["current_status"] == "draft"  # the code stays for clients
    in_english = _problem(english, 409, "illegal_transition", "en")
    assert in_english["detail"] == "An application with the status “Draft” cannot be approved."


async def test_a_changed_submission_is_refused_naming_its_status(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    application = await permits.submitted(citizen, permit_type)
    path = f"{URL}/{application['id']}"

    default = await permits.client.patch(path, json={"holder_name": "Siti"}, headers=citizen)
    english = await permits.client.patch(
        path, json={"holder_name": "Siti"}, headers={**citizen, **ENGLISH}
    )

    indonesian = _problem(default, 409, "application_not_editable", "id")
    assert indonesian["detail"] == "Permohonan ini berstatus “Diajukan”."
    assert indonesian["current_status"] == "submitted"
    in_english = _problem(english, 409, "application_not_editable", "en")
    assert in_english["detail"] == "The application's status is “Submitted”."


async def test_what_is_missing_is_named_by_the_documents_labels(permits: Any) -> None:
    permit_type = await permits.define_type(
        documents=[
            {"kind": "ktp", "label_id": "Kartu Tanda Penduduk", "label_en": "Identity card"},
            {"kind": "site_photo", "label_id": "Foto lokasi", "label_en": "Photo of the site"},
        ]
    )
    citizen = permits.citizen()
    drafted = await permits.client.post(
        URL,
        json={"permit_type": permit_type, "district_code": "367101", "fields": {"purpose": "x"}},
        headers=citizen,
    )
    submit = f"{URL}/{drafted.json()['id']}/submit"

    default = await permits.client.post(submit, headers=citizen)
    english = await permits.client.post(submit, headers={**citizen, **ENGLISH})

    indonesian = _problem(default, 422, "application_incomplete", "id")
    assert indonesian["detail"] == (
        "Masih kurang: nama yang dicantumkan pada izin, Kartu Tanda Penduduk, dan Foto lokasi."
    )
    assert indonesian["missing"] == ["holder_name", "document ktp", "document site_photo"]
    in_english = _problem(english, 422, "application_incomplete", "en")
    assert in_english["detail"] == (
        "Still missing: the name to print on the permit, Identity card and Photo of the site."
    )
    assert "site_photo" not in indonesian["detail"] + in_english["detail"]


async def test_form_answers_are_refused_in_indonesian(permits: Any) -> None:
    permit_type = await permits.define_type()
    body = {"permit_type": permit_type, "fields": {"purpose": "x" * 500, "colour": "red"}}

    default = await permits.client.post(URL, json=body, headers=permits.citizen())
    english = await permits.client.post(URL, json=body, headers={**permits.citizen(), **ENGLISH})

    indonesian = _problem(default, 422, "invalid_application_fields", "id")
    assert {e["field"]: e["message"] for e in indonesian["errors"]} == {
        "purpose": "Gunakan paling banyak 200 karakter.",
        "colour": "Isian ini tidak termasuk dalam formulir.",
    }
    in_english = _problem(english, 422, "invalid_application_fields", "en")
    assert {e["field"]: e["message"] for e in in_english["errors"]} == {
        "purpose": "Use at most 200 characters.",
        "colour": "This field is not part of the form.",
    }


async def test_an_incoherent_permit_type_is_refused_in_indonesian(permits: Any) -> None:
    code = f"T{uuid.uuid4().hex[:10].upper()}"
    incoherent = _definition(code, fields=[PURPOSE, PURPOSE])
    path = f"/v1/permits/types/{code}"

    default = await permits.client.put(path, json=incoherent, headers=permits.admin())
    english = await permits.client.put(
        path, json=incoherent, headers={**permits.admin(), **ENGLISH}
    )

    indonesian = _problem(default, 422, "validation_failed", "id")
    assert [e["message"] for e in indonesian["errors"]] == [
        "Nama isian tidak boleh sama; yang berulang: purpose."
    ]
    in_english = _problem(english, 422, "validation_failed", "en")
    assert [e["message"] for e in in_english["errors"]] == [
        "Field names must be unique; repeated: purpose."
    ]


async def test_a_field_spec_is_refused_in_indonesian(permits: Any) -> None:
    code = f"T{uuid.uuid4().hex[:10].upper()}"
    response = await permits.client.put(
        f"/v1/permits/types/{code}",
        json=_definition(code, fields=[{**PURPOSE, "min": "1"}]),
        headers=permits.admin(),
    )

    problem = _problem(response, 422, "validation_failed", "id")
    assert [e["message"] for e in problem["errors"]] == [
        "Nilai minimum dan maksimum hanya berlaku untuk isian bilangan bulat dan desimal."
    ]


async def test_a_body_naming_another_type_than_the_path_is_refused_in_indonesian(
    permits: Any,
) -> None:
    response = await permits.client.put(
        "/v1/permits/types/ONE", json=_definition("OTHER"), headers=permits.admin()
    )

    problem = _problem(response, 422, "validation_failed", "id")
    assert problem["detail"] == (
        "Kode di dalam isi permintaan harus sama dengan kode pada alamat (path)."
    )


async def test_another_citizens_application_is_not_found_in_indonesian(permits: Any) -> None:
    permit_type = await permits.define_type()
    application = await permits.draft(permits.citizen(), permit_type)

    response = await permits.client.get(f"{URL}/{application['id']}", headers=permits.citizen())

    problem = _problem(response, 404, "not_found", "id")
    assert problem["title"] == "Data yang Anda cari tidak ditemukan."
    assert problem["detail"] == "Tidak ada permohonan Anda dengan ID ini."


async def test_document_refusals_read_in_indonesian(permits: Any) -> None:
    permit_type = await permits.define_type(
        name_id="Izin Keramaian Uji",
        name_en="Test crowd permit",
        documents=[
            {
                "kind": "ktp",
                "label_id": "KTP",
                "label_en": "Identity card",
                "content_types": ["application/pdf"],
                "max_bytes": 5 * 512 * 1024,
            }
        ],
    )
    citizen = permits.citizen()
    application = await permits.draft(citizen, permit_type)
    big = PDF + b"\n" * (5 * 512 * 1024)

    unknown_kind = await permits.upload(citizen, application["id"], kind="site_photo")
    too_large = await permits.upload(citizen, application["id"], content=big)
    not_pdf = await permits.upload(citizen, application["id"], filename="ktp.png", content=b"GIF8")
    unknown_in_english = await permits.client.post(
        f"{URL}/{application['id']}/documents",
        data={"kind": "site_photo"},
        files={"file": ("foto.pdf", PDF, "application/pdf")},
        headers={**citizen, **ENGLISH},
    )

    assert _problem(unknown_kind, 422, "unknown_document_kind", "id")["detail"] == (
        "Permohonan “Izin Keramaian Uji” tidak memerlukan dokumen jenis ini: unggah hanya "
        "dokumen yang tercantum untuk jenis izin tersebut."
    )
    assert _problem(unknown_in_english, 422, "unknown_document_kind", "en")["detail"] == (
        "An application for “Test crowd permit” takes no document of this kind: upload only "
        "the documents its permit type lists."
    )
    assert _problem(too_large, 413, "document_too_large", "id")["detail"] == (
        "Ukuran berkas melebihi 2,5 MB. Silakan unggah berkas yang lebih kecil."
    )
    assert _problem(not_pdf, 415, "document_type_not_accepted", "id")["detail"] == (
        "Jenis berkas ini tidak diterima di sini. Silakan unggah berkas PDF."
    )


async def test_a_malformed_permit_number_is_explained_in_indonesian(permits: Any) -> None:
    response = await permits.client.get(
        "/v1/permits/issued", params={"number": "PBG-3671"}, headers=permits.officer()
    )

    problem = _problem(response, 422, "validation_failed", "id")
    assert problem["detail"] == "Nomor izin berbentuk seperti PBG/3671/2026/000123."
    assert problem["field"] == "number"
