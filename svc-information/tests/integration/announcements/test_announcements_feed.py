"""The public feed, without signing in: the current announcements only, as JSON and as Atom
that validates against RFC 4287's own schema, with caching validators that hold."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from announcement_office import (
    ANNOUNCEMENTS,
    CIPONDOH,
    FEED,
    KARAWACI,
    Office,
    announcement,
    png,
)
from lxml import etree

from kota_shared.testing.problems import assert_problem

ATOM_NS = "http://www.w3.org/2005/Atom"
A = {"a": ATOM_NS}
SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).parents[1] / "atom-rfc4287.rng")))
"""RFC 4287 Appendix B, the Atom format's normative RELAX NG grammar."""


def _ids(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()}


async def _listed(office: Office, **params: Any) -> set[str]:
    return _ids(await office.client.get(FEED, params={"limit": 100, **params}))


def _parsed_atom(response: httpx.Response) -> Any:
    """The Atom document, parsed by a real XML parser and valid by the RFC's grammar and the
    two rules it states beside the grammar (as Schematron annotations)."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    document = etree.fromstring(response.content, parser=etree.XMLParser(resolve_entities=False))
    assert SCHEMA.validate(document), SCHEMA.error_log
    assert document.tag == f"{{{ATOM_NS}}}feed"
    for required in ("a:id", "a:title", "a:updated"):
        assert len(document.findall(required, A)) == 1, required
    assert document.findall("a:link[@rel='self']", A)
    for entry in document.findall("a:entry", A):
        for required in ("a:id", "a:title", "a:updated"):
            assert len(entry.findall(required, A)) == 1, required
        # An entry has an alternate link or content; an author, its own or the feed's.
        assert entry.findall("a:link[@rel='alternate']", A) or entry.findall("a:content", A)
        assert entry.findall("a:author", A) or document.findall("a:author/a:name", A)
    return document


def _entry(document: Any, announcement_id: str) -> Any:
    (entry,) = [
        e
        for e in document.findall("a:entry", A)
        if e.findtext("a:id", namespaces=A) == f"urn:uuid:{announcement_id}"
    ]
    return entry


async def test_the_feed_lists_only_whats_current_and_for_the_public(office: Office) -> None:
    now = datetime.now(UTC)
    officer = office.officer()
    current = await office.published(announcement())
    kecamatan = await office.published(
        announcement(audience={"kind": "kecamatan", "kecamatan_codes": [CIPONDOH]})
    )
    for_officers = await office.published(
        announcement(audience={"kind": "officers", "roles": ["clinic_officer"]})
    )
    later = await office.published(announcement(publish_at=(now + timedelta(hours=5)).isoformat()))
    expiring = await office.published(
        announcement(expires_at=(now + timedelta(hours=1)).isoformat())
    )
    withdrawn = await office.published(announcement())
    await office.client.post(f"{ANNOUNCEMENTS}/{withdrawn['id']}/withdraw", headers=officer)
    draft = await office.write(announcement())

    listed = await _listed(office)

    assert {current["id"], kecamatan["id"], expiring["id"]} <= listed
    assert not listed & {for_officers["id"], later["id"], withdrawn["id"], draft["id"]}
    office.clock.fixed = now + timedelta(hours=6)
    later_on = await _listed(office)
    assert {current["id"], later["id"]} <= later_on
    assert expiring["id"] not in later_on
    for gone in (for_officers, withdrawn, draft, expiring):
        assert_problem(
            await office.client.get(f"{FEED}/{gone['id']}"), 404, "announcement_not_found"
        )


async def test_the_feed_filtered_by_kecamatan_shows_everyones_and_that_kecamatans(
    office: Office,
) -> None:
    everyone = await office.published(announcement())
    cipondoh = await office.published(
        announcement(audience={"kind": "kecamatan", "kecamatan_codes": [CIPONDOH]})
    )
    karawaci = await office.published(
        announcement(audience={"kind": "kecamatan", "kecamatan_codes": [KARAWACI]})
    )

    listed = await _listed(office, kecamatan=CIPONDOH)

    assert {everyone["id"], cipondoh["id"]} <= listed
    assert karawaci["id"] not in listed
    assert_problem(
        await office.client.get(FEED, params={"kecamatan": "36.71.99"}), 422, "unknown_kecamatan"
    )
    assert_problem(
        await office.client.get(FEED, params={"kecamatan": "Cipondoh"}), 422, "validation_failed"
    )


async def test_the_feed_speaks_the_readers_language(office: Office) -> None:
    both = await office.published(announcement())
    indonesian_only = await office.published(
        announcement(title={"id": "Pasar murah"}, body={"id": "Di alun-alun, Sabtu."})
    )

    english = (await office.client.get(FEED, params={"lang": "en", "limit": 100})).json()
    by_id = {item["id"]: item for item in english}

    assert by_id[both["id"]]["title"] == "Free vaccination at Puskesmas Cipondoh"
    assert by_id[both["id"]]["language"] == "en"
    assert by_id[indonesian_only["id"]]["title"] == "Pasar murah"
    assert by_id[indonesian_only["id"]]["language"] == "id"


async def test_the_atom_feed_validates_and_carries_each_current_announcement(
    office: Office,
) -> None:
    draft = await office.write(announcement(category="events"))
    await office.client.put(
        f"{ANNOUNCEMENTS}/{draft['id']}/image",
        content=png(),
        headers={**office.officer(), "content-type": "image/png"},
    )
    published = await office.publish(draft["id"])
    for_officers = await office.published(
        announcement(audience={"kind": "officers", "roles": ["clinic_officer"]})
    )

    response = await office.client.get(f"{FEED}.atom")

    document = _parsed_atom(response)
    assert document.get("{http://www.w3.org/XML/1998/namespace}lang") == "id"
    entry = _entry(document, published["id"])
    assert entry.findtext("a:title", namespaces=A) == "Vaksinasi gratis di Puskesmas Cipondoh"
    assert entry.find("a:content", A).get("type") == "text"
    assert entry.find("a:category", A).get("term") == "events"
    assert datetime.fromisoformat(
        entry.findtext("a:published", namespaces=A)
    ) == datetime.fromisoformat(published["publish_at"])
    (enclosure,) = entry.findall("a:link[@rel='enclosure']", A)
    assert enclosure.get("href") == f"https://kota.example{FEED}/{published['id']}/image"
    assert enclosure.get("type") == "image/png"
    assert enclosure.get("length") == str(len(png()))
    ids = {e.findtext("a:id", namespaces=A) for e in document.findall("a:entry", A)}
    assert f"urn:uuid:{for_officers['id']}" not in ids
    in_english = _parsed_atom(await office.client.get(f"{FEED}.atom", params={"lang": "en"}))
    assert (
        _entry(in_english, published["id"]).findtext("a:title", namespaces=A)
        == "Free vaccination at Puskesmas Cipondoh"
    )


async def test_an_empty_atom_feed_validates_too(office: Office) -> None:
    office.clock.fixed = datetime(2000, 1, 1, tzinfo=UTC)  # before any announcement

    document = _parsed_atom(await office.client.get(f"{FEED}.atom"))

    assert document.findall("a:entry", A) == []


@pytest.mark.parametrize("path", [FEED, f"{FEED}.atom"])
async def test_a_reader_holding_the_current_feed_gets_304_until_it_changes(
    office: Office, path: str
) -> None:
    await office.published(announcement())
    first = await office.client.get(path)
    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, max-age=60"
    assert first.headers["x-content-type-options"] == "nosniff"
    tag, modified = first.headers["etag"], first.headers["last-modified"]

    by_tag = await office.client.get(path, headers={"If-None-Match": tag})
    by_date = await office.client.get(path, headers={"If-Modified-Since": modified})
    assert (by_tag.status_code, by_tag.content) == (304, b"")
    assert by_tag.headers["etag"] == tag
    assert by_date.status_code == 304

    office.clock.fixed = datetime.now(UTC) + timedelta(seconds=2)
    await office.published(announcement())
    changed = await office.client.get(path, headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != tag
    assert changed.headers["last-modified"] != modified
    stale = await office.client.get(path, headers={"If-Modified-Since": modified})
    assert stale.status_code == 200


async def test_the_image_is_served_publicly_as_what_its_bytes_are(office: Office) -> None:
    draft = await office.write(announcement())
    image = f"{FEED}/{draft['id']}/image"
    await office.client.put(
        f"{ANNOUNCEMENTS}/{draft['id']}/image",
        content=png(),
        headers={**office.officer(), "content-type": "image/png"},
    )
    assert_problem(await office.client.get(image), 404, "announcement_not_found")

    await office.publish(draft["id"])
    served = await office.client.get(image)

    assert served.status_code == 200
    assert served.content == png()
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    listed = (await office.client.get(f"{FEED}/{draft['id']}")).json()
    assert listed["image"]["url"] == image
