"""Officers write, publish and withdraw announcements; nobody else may; what they send is
checked and a refusal is a problem, never a 500."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from announcement_office import ANNOUNCEMENTS, CIPONDOH, FEED, JPEG, Office, announcement, png

from kota_shared.testing.problems import assert_problem


async def test_an_officer_writes_a_draft_that_only_officers_see(office: Office) -> None:
    draft = await office.write(
        announcement(audience={"kind": "kecamatan", "kecamatan_codes": [CIPONDOH, CIPONDOH]})
    )

    assert draft["status"] == "draft"
    assert draft["audience"] == {"kind": "kecamatan", "kecamatan_codes": [CIPONDOH]}
    assert draft["fan_out"] is None
    read = await office.client.get(f"{ANNOUNCEMENTS}/{draft['id']}", headers=office.officer())
    assert read.status_code == 200
    assert read.json()["title"]["id"] == "Vaksinasi gratis di Puskesmas Cipondoh"
    assert (await office.client.get(f"{FEED}/{draft['id']}")).status_code == 404
    feed = await office.client.get(FEED, params={"limit": 100})
    assert draft["id"] not in {item["id"] for item in feed.json()}


async def test_a_draft_is_rewritten_whole_until_it_is_published(office: Office) -> None:
    draft = await office.write(announcement())
    rewritten = announcement(
        category="events",
        title={"id": "Car free day Minggu ini"},
        body={"id": "Jalan Sudirman ditutup pukul 06.00-10.00."},
        audience={"kind": "officers", "roles": ["clinic_officer", "permits_officer"]},
    )

    response = await office.client.put(
        f"{ANNOUNCEMENTS}/{draft['id']}", json=rewritten, headers=office.officer()
    )

    assert response.status_code == 200, response.text
    assert response.json()["category"] == "events"
    assert response.json()["title"] == {"id": "Car free day Minggu ini", "en": None}
    assert response.json()["audience"] == {
        "kind": "officers",
        "roles": ["clinic_officer", "permits_officer"],
    }


@pytest.mark.parametrize("role", ["information_officer", "city_admin"])
async def test_an_information_officer_or_a_city_admin_publishes(office: Office, role: str) -> None:
    draft = await office.write(announcement(), by=office.officer(role))

    response = await office.client.post(
        f"{ANNOUNCEMENTS}/{draft['id']}/publish", headers=office.officer(role)
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "published"
    assert response.json()["fan_out"] == {"recipients": 0, "started_at": None, "completed_at": None}


async def test_a_citizen_or_another_officer_may_not_write_publish_or_list(office: Office) -> None:
    draft = await office.write(announcement())
    citizen = office.citizen(uuid.uuid4())
    permits_officer = office.officer("permits_officer")

    for headers in (citizen, permits_officer):
        assert_problem(
            await office.client.post(ANNOUNCEMENTS, json=announcement(), headers=headers),
            403,
            "forbidden",
        )
        assert_problem(
            await office.client.post(f"{ANNOUNCEMENTS}/{draft['id']}/publish", headers=headers),
            403,
            "forbidden",
        )
        assert_problem(await office.client.get(ANNOUNCEMENTS, headers=headers), 403, "forbidden")
        assert_problem(
            await office.client.get(f"{ANNOUNCEMENTS}/{draft['id']}", headers=headers),
            403,
            "forbidden",
        )
    assert_problem(
        await office.client.post(ANNOUNCEMENTS, json=announcement()), 401, "unauthorized"
    )
    still = await office.client.get(f"{ANNOUNCEMENTS}/{draft['id']}", headers=office.officer())
    assert still.json()["status"] == "draft"


async def test_a_published_announcement_is_fixed_and_withdrawn_once(office: Office) -> None:
    published = await office.published(announcement())
    path = f"{ANNOUNCEMENTS}/{published['id']}"
    officer = office.officer()

    assert_problem(
        await office.client.put(path, json=announcement(), headers=officer),
        409,
        "announcement_not_editable",
    )
    assert_problem(
        await office.client.put(
            f"{path}/image", content=png(), headers={**officer, "content-type": "image/png"}
        ),
        409,
        "announcement_not_editable",
    )
    assert_problem(
        await office.client.delete(path, headers=officer), 409, "announcement_not_editable"
    )
    assert_problem(
        await office.client.post(f"{path}/publish", headers=officer),
        409,
        "announcement_illegal_transition",
    )
    withdrawn = await office.client.post(f"{path}/withdraw", headers=officer)
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert_problem(
        await office.client.post(f"{path}/withdraw", headers=officer),
        409,
        "announcement_illegal_transition",
    )


async def test_a_draft_is_deleted_and_then_unknown(office: Office) -> None:
    draft = await office.write(announcement())
    path = f"{ANNOUNCEMENTS}/{draft['id']}"

    assert (await office.client.delete(path, headers=office.officer())).status_code == 204

    assert_problem(
        await office.client.get(path, headers=office.officer()), 404, "announcement_not_found"
    )


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        (
            {"audience": {"kind": "kecamatan", "kecamatan_codes": [CIPONDOH, "36.71.99"]}},
            "unknown_kecamatan",
            "body.audience.kecamatan_codes.1",
        ),
        (
            {"audience": {"kind": "kecamatan", "kecamatan_codes": ["32.73.01"]}},
            "unknown_kecamatan",
            "body.audience.kecamatan_codes.0",
        ),
        (
            {
                "publish_at": "2026-12-10T00:00:00Z",
                "expires_at": "2026-12-09T00:00:00Z",
            },
            "expiry_before_publication",
            "body.expires_at",
        ),
        (
            {
                "publish_at": "2026-12-10T00:00:00Z",
                "expires_at": "2026-12-10T00:00:00Z",
            },
            "expiry_before_publication",
            "body.expires_at",
        ),
    ],
    ids=["kecamatan-of-another-city", "kecamatan-of-another-province", "expiry-first", "no-time"],
)
async def test_what_the_city_cannot_check_by_shape_is_refused_by_name(
    office: Office, changes: dict[str, object], code: str, field: str
) -> None:
    response = await office.client.post(
        ANNOUNCEMENTS, json=announcement(**changes), headers=office.officer()
    )

    problem = assert_problem(response, 422, code)
    assert [error["field"] for error in problem["errors"]] == [field]


@pytest.mark.parametrize(
    "changes",
    [
        {"audience": {"kind": "kecamatan", "kecamatan_codes": ["367105"]}},
        {"audience": {"kind": "kecamatan", "kecamatan_codes": []}},
        {"audience": {"kind": "officers", "roles": ["citizen"]}},
        {"audience": {"kind": "officers", "roles": ["mayor"]}},
        {"audience": {"kind": "planet"}},
        {"category": "gossip"},
        {"title": {"en": "English only"}},
        {"title": {"id": "x" * 201}},
        {"body": {"id": "   "}},
        {"publish_at": "2026-12-10T00:00:00"},
        {"surprise": True},
    ],
    ids=[
        "undotted-code",
        "no-kecamatan",
        "citizens-as-officers",
        "unknown-role",
        "unknown-audience",
        "unknown-category",
        "no-indonesian",
        "title-too-long",
        "blank-body",
        "time-without-zone",
        "unknown-field",
    ],
)
async def test_a_malformed_announcement_is_a_validation_problem(
    office: Office, changes: dict[str, object]
) -> None:
    response = await office.client.post(
        ANNOUNCEMENTS, json=announcement(**changes), headers=office.officer()
    )

    assert_problem(response, 422, "validation_failed")


async def test_an_announcement_already_expired_is_not_published(office: Office) -> None:
    office.clock.fixed = datetime.now(UTC) + timedelta(days=30)
    draft = await office.write(announcement())

    response = await office.client.post(
        f"{ANNOUNCEMENTS}/{draft['id']}/publish", headers=office.officer()
    )

    assert_problem(response, 409, "announcement_already_expired")


async def test_an_image_is_taken_by_what_its_bytes_are(office: Office) -> None:
    draft = await office.write(announcement())
    path = f"{ANNOUNCEMENTS}/{draft['id']}/image"
    officer = office.officer()

    response = await office.client.put(
        path, content=png(), headers={**officer, "content-type": "image/png"}
    )

    assert response.status_code == 200, response.text
    assert response.json()["image"]["content_type"] == "image/png"
    assert response.json()["image"]["size"] == len(png())
    removed = await office.client.delete(path, headers=officer)
    assert removed.json()["image"] is None


@pytest.mark.parametrize(
    ("content", "declared", "status", "code"),
    [
        (b"<html><script>alert(1)</script></html>", "image/png", 415, "image_type_not_accepted"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "image/svg+xml",
            415,
            "image_type_not_accepted",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "image/jpeg", 415, "image_type_not_accepted"),
        (b"", "image/png", 415, "image_type_not_accepted"),
        (JPEG, "image/png", 422, "image_type_mismatch"),
        (png(), "application/octet-stream", 422, "image_type_mismatch"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 3 * 1024 * 1024, "image/png", 413, "image_too_large"),
    ],
    ids=["html-as-png", "svg", "pdf-as-jpeg", "empty", "jpeg-as-png", "png-as-bytes", "too-large"],
)
async def test_an_image_that_is_not_what_it_claims_or_too_large_is_refused(
    office: Office, content: bytes, declared: str, status: int, code: str
) -> None:
    draft = await office.write(announcement())
    path = f"{ANNOUNCEMENTS}/{draft['id']}/image"

    response = await office.client.put(
        path, content=content, headers={**office.officer(), "content-type": declared}
    )

    assert_problem(response, status, code)
    unchanged = await office.client.get(f"{ANNOUNCEMENTS}/{draft['id']}", headers=office.officer())
    assert unchanged.json()["image"] is None
