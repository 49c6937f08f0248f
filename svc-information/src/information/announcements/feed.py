"""The public feed of current announcements, as an Atom document (RFC 4287).

feedgen writes the XML (escaping, dates, namespaces); this module says what goes in it,
and writes entries' links itself: feedgen 1.0 drops every attribute of an entry's link but
``href`` (python-feedgen#135), so an enclosure would read as a second alternate.
Every entry has a permanent ``urn:uuid:`` id, its publication time as ``published`` and
``updated`` (a published announcement no longer changes), its text as ``content``, a link
to its JSON and, with an image, an ``enclosure`` link to it. The feed names the city as
its author, so no entry needs one of its own.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from feedgen.ext.base import BaseEntryExtension, BaseExtension  # type: ignore[import-untyped]
from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]
from lxml import etree  # type: ignore[import-untyped]

from information.announcements.models import Announcement
from information.announcements.schemas import texts_in
from information.messages import _
from kota_contracts.information import AnnouncementCategory
from kota_shared.i18n import Language, Message
from kota_shared.i18n.catalogue import render

ATOM = "application/atom+xml"
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
NEVER_CHANGED = datetime(1970, 1, 1, tzinfo=UTC)
"""An empty feed's ``updated``: nothing has happened in it yet."""

CATEGORY_LABELS: dict[AnnouncementCategory, Message] = {
    AnnouncementCategory.GENERAL: _("General"),
    AnnouncementCategory.HEALTH: _("Health"),
    AnnouncementCategory.EDUCATION: _("Education"),
    AnnouncementCategory.PUBLIC_SERVICES: _("Public services"),
    AnnouncementCategory.INFRASTRUCTURE: _("Roads and utilities"),
    AnnouncementCategory.EVENTS: _("Events"),
    AnnouncementCategory.EMERGENCY: _("Emergency"),
}


class _EntryLinks(BaseEntryExtension):  # type: ignore[misc]
    """An entry's ``atom:link`` elements, with every attribute they are given."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def add(self, **attributes: str) -> None:
        self.links.append(attributes)

    def extend_atom(self, entry: Any) -> Any:
        for attributes in self.links:
            etree.SubElement(entry, f"{{{ATOM_NAMESPACE}}}link", attributes)
        return entry


def query_of(language: Language, kecamatan_codes: Sequence[str]) -> str:
    """The query string that names one feed: its language and kecamatan."""
    return urlencode([("lang", language), *(("kecamatan", code) for code in kecamatan_codes)])


def atom(
    announcements: Sequence[Announcement],
    *,
    feed_url: str,
    city_name: str,
    language: Language,
    kecamatan_codes: Sequence[str],
    changed_at: datetime | None,
) -> bytes:
    """The Atom document of ``announcements`` (newest first); ``feed_url`` is the public
    feed's base (``.../v1/information/feed``)."""
    query = query_of(language, kecamatan_codes)
    self_url = f"{feed_url}.atom?{query}"
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(render(_("Announcements of {city}", city=city_name), language))
    feed.subtitle(render(_("What the city tells its citizens, while it is current."), language))
    feed.author({"name": city_name})
    feed.link(href=self_url, rel="self", type=ATOM)
    feed.link(href=f"{feed_url}?{query}", rel="alternate", type="application/json")
    feed.language(language)
    feed.updated(changed_at or NEVER_CHANGED)
    feed.register_extension("links", BaseExtension, _EntryLinks, atom=True, rss=False)
    for announcement in announcements:
        assert announcement.publish_at is not None  # the feed lists published ones only
        title, body, written_in = texts_in(announcement, language)
        entry = feed.add_entry(order="append")
        entry.id(announcement.id.urn)
        entry.title(title)
        entry.content(body, type="text")
        entry.published(announcement.publish_at)
        entry.updated(announcement.publish_at)
        entry.links.add(
            href=f"{feed_url}/{announcement.id}?lang={written_in}",
            rel="alternate",
            type="application/json",
            hreflang=written_in,
        )
        entry.category(
            term=announcement.category.value,
            label=render(CATEGORY_LABELS[announcement.category], language),
        )
        if announcement.image_content_type is not None:
            entry.links.add(
                href=f"{feed_url}/{announcement.id}/image",
                rel="enclosure",
                type=announcement.image_content_type,
                length=str(announcement.image_size or 0),
            )
    document: bytes = feed.atom_str(pretty=False)
    return document
