"""Each announcement lands in exactly its audience's inboxes, once, when its time comes: the
fan-out task running in the app, chunk after chunk (7 citizens a chunk here), by the app's
clock."""

import uuid
from datetime import UTC, datetime, timedelta

from announcement_office import (
    ANNOUNCEMENTS,
    CILEDUG,
    CIPONDOH,
    KARAWACI,
    Office,
    announcement,
    exactly,
)
from sqlalchemy import select

from information.directory.models import AccountKind, DirectoryEntry
from information.notices.models import Notice


async def _citizens_living_in(office: Office, *codes: str | None) -> set[uuid.UUID]:
    """Every citizen the directory holds (in ``codes``, where given), as the test sees it."""
    query = select(DirectoryEntry.account_id).where(DirectoryEntry.kind == AccountKind.CITIZEN)
    if codes:
        query = query.where(DirectoryEntry.kecamatan_code.in_([c for c in codes if c]))
    async with office.sessionmaker() as session:
        return set(await session.scalars(query))


async def test_an_announcement_to_kecamatan_reaches_exactly_the_citizens_living_there(
    office: Office,
) -> None:
    cipondoh = await office.citizens(12, kecamatan=CIPONDOH)
    ciledug = await office.citizens(5, kecamatan=CILEDUG)
    karawaci = await office.citizens(6, kecamatan=KARAWACI)
    unknown = await office.citizens(2, kecamatan=None)
    staff = await office.staff("clinic_officer")

    published = await office.published(
        announcement(audience={"kind": "kecamatan", "kecamatan_codes": [CIPONDOH, CILEDUG]})
    )
    fan_out = await office.fanned_out(published["id"])

    reached = exactly(await office.recipients(published["id"]))
    assert reached == await _citizens_living_in(office, CIPONDOH, CILEDUG)
    assert set(cipondoh) | set(ciledug) <= reached
    assert not reached & {*karawaci, *unknown, staff}
    assert fan_out.recipients == len(reached)


async def test_the_citizen_reads_it_in_their_inbox_in_their_language(office: Office) -> None:
    (citizen,) = await office.citizens(1, kecamatan=KARAWACI)
    published = await office.published(
        announcement(audience={"kind": "kecamatan", "kecamatan_codes": [KARAWACI]})
    )
    await office.fanned_out(published["id"])

    inbox = await office.client.get("/v1/information/notices", headers=office.citizen(citizen))
    english = await office.client.get(
        "/v1/information/notices",
        headers={**office.citizen(citizen), "Accept-Language": "en"},
    )

    assert inbox.status_code == 200, inbox.text
    (notice,) = [n for n in inbox.json() if n["subject_ref"] == f"announcement:{published['id']}"]
    assert notice["kind"] == "announcement"
    assert "Vaksinasi gratis" in notice["title"] + notice["body"]
    (in_english,) = [n for n in english.json() if n["id"] == notice["id"]]
    assert "Free vaccination" in in_english["title"] + in_english["body"]


async def test_an_announcement_to_everyone_reaches_every_citizen_and_no_officer(
    office: Office,
) -> None:
    await office.citizens(9, kecamatan=KARAWACI)
    without_district = await office.citizens(3, kecamatan=None)
    staff = await office.staff("information_officer")

    published = await office.published(announcement())
    await office.fanned_out(published["id"])

    reached = exactly(await office.recipients(published["id"]))
    assert reached == await _citizens_living_in(office)
    assert set(without_district) <= reached
    assert staff not in reached


async def test_an_announcement_to_officers_reaches_the_staff_holding_those_roles(
    office: Office,
) -> None:
    clinic = await office.staff("clinic_officer")
    both = await office.staff("permits_officer", "school_officer")
    finance = await office.staff("finance_officer")
    citizens = await office.citizens(3, kecamatan=CIPONDOH)

    published = await office.published(
        announcement(audience={"kind": "officers", "roles": ["clinic_officer", "school_officer"]})
    )
    fan_out = await office.fanned_out(published["id"])

    reached = exactly(await office.recipients(published["id"]))
    assert {clinic, both} <= reached
    assert not reached & {finance, *citizens}
    assert fan_out.recipients == len(reached)


async def test_an_announcement_for_later_reaches_nobody_until_the_clock_says_so(
    office: Office,
) -> None:
    (citizen,) = await office.citizens(1, kecamatan=CIPONDOH)
    now = datetime.now(UTC)
    office.clock.fixed = now
    later = await office.published(
        announcement(
            audience={"kind": "kecamatan", "kecamatan_codes": [CIPONDOH]},
            publish_at=(now + timedelta(hours=3)).isoformat(),
            expires_at=(now + timedelta(days=2)).isoformat(),
        )
    )
    # A marker due now: once the task has filled it, it has looked at the later one too.
    marker = await office.published(
        announcement(audience={"kind": "kecamatan", "kecamatan_codes": [CIPONDOH]})
    )
    await office.fanned_out(marker["id"])

    assert datetime.fromisoformat(later["publish_at"]) == now + timedelta(hours=3)
    assert await office.notices_of(later["id"]) == 0

    office.clock.fixed = now + timedelta(hours=3, seconds=1)
    await office.fanned_out(later["id"])
    assert citizen in exactly(await office.recipients(later["id"]))


async def test_a_withdrawn_announcement_reaches_no_further_inbox(office: Office) -> None:
    await office.citizens(4, kecamatan=CILEDUG)
    now = datetime.now(UTC)
    office.clock.fixed = now
    scheduled = await office.published(
        announcement(
            audience={"kind": "kecamatan", "kecamatan_codes": [CILEDUG]},
            publish_at=(now + timedelta(hours=1)).isoformat(),
            expires_at=(now + timedelta(days=1)).isoformat(),
        )
    )
    withdrawn = await office.client.post(
        f"{ANNOUNCEMENTS}/{scheduled['id']}/withdraw", headers=office.officer()
    )
    assert withdrawn.status_code == 200

    office.clock.fixed = now + timedelta(hours=2)
    marker = await office.published(
        announcement(
            audience={"kind": "kecamatan", "kecamatan_codes": [CILEDUG]},
            expires_at=(now + timedelta(days=1)).isoformat(),
        )
    )
    await office.fanned_out(marker["id"])

    assert await office.notices_of(scheduled["id"]) == 0


async def test_an_emergency_may_reach_citizens_in_their_quiet_hours(office: Office) -> None:
    await office.citizens(2, kecamatan=CIPONDOH)
    flood = await office.published(
        announcement(
            category="emergency",
            title={"id": "Peringatan banjir Cipondoh"},
            body={"id": "Air Kali Angke naik. Siapkan evakuasi."},
            audience={"kind": "kecamatan", "kecamatan_codes": [CIPONDOH]},
        )
    )
    notice = await office.published(
        announcement(audience={"kind": "kecamatan", "kecamatan_codes": [CIPONDOH]})
    )
    await office.fanned_out(flood["id"])
    await office.fanned_out(notice["id"])

    assert await _urgency(office, flood["id"]) == {True}
    assert await _urgency(office, notice["id"]) == {False}


async def _urgency(office: Office, announcement_id: str) -> set[bool]:
    async with office.sessionmaker() as session:
        found = await session.scalars(
            select(Notice.urgent).where(Notice.source_id == f"announcement:{announcement_id}")
        )
        return set(found)
