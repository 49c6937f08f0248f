"""The letter a kiosk prints for a citizen without a phone: the city's letterhead, the date,
and each notice's title, body and reference, as a PDF.

Bahasa Indonesia first; a citizen whose preference is English also gets each notice and
label in English beneath. Nothing in it comes from identity: no name, NIK, family-card or
phone number (the templates keep them out of the notices too), only the account id the
officer checks against the citizen's assisted session.

ReportLab's standard fonts (Helvetica) need no font file and no system library; a character
they lack prints as a box rather than failing the letter. Text is escaped before layout, as
ReportLab's paragraphs read a markup of their own.
"""

import io
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from information.messages import _
from kota_shared.i18n import DEFAULT_LANGUAGE, Language, LongDate
from kota_shared.i18n.catalogue import Renderable

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters (all but tab and newline): nothing a reader sees, and ReportLab's
markup parser refuses some."""

_BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=5)
_SMALL = ParagraphStyle(
    "small", parent=_BODY, fontSize=8.5, leading=11, textColor=colors.HexColor("#444444")
)
_GOVERNMENT = ParagraphStyle(
    "government", fontName="Helvetica-Bold", fontSize=15, leading=19, alignment=TA_CENTER
)
_OFFICE = ParagraphStyle("office", parent=_BODY, alignment=TA_CENTER, spaceAfter=0)
_DATE = ParagraphStyle("date", parent=_BODY, alignment=TA_RIGHT, spaceAfter=0)
_TITLE = ParagraphStyle(
    "title", parent=_BODY, fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=8
)
_TRANSLATED_TITLE = ParagraphStyle(
    "translated_title", parent=_BODY, fontName="Helvetica-BoldOblique", spaceBefore=4
)


@dataclass(frozen=True)
class Letterhead:
    government: str
    """Who writes: ``Pemerintah Kota Tangerang``."""
    office: str
    """The office beneath it."""
    place: str
    """Where the letter is dated: ``Kota Tangerang, 7 Desember 2026``."""


@dataclass(frozen=True)
class NoticeText:
    language: Language
    title: str
    body: str


@dataclass(frozen=True)
class PrintedNotice:
    notice_id: uuid.UUID
    subject_ref: str
    sent_on: date
    """The city's date the notice was sent to the inbox."""
    texts: Sequence[NoticeText]
    """Indonesian first, then English if the citizen reads English."""


def letter_pdf(
    *,
    letterhead: Letterhead,
    recipient_id: uuid.UUID,
    printed_on: date,
    languages: Sequence[Language],
    notices: Sequence[PrintedNotice],
) -> bytes:
    """One letter holding ``notices`` (one or a batch), dated ``printed_on``, with its
    labels in ``languages`` (Indonesian first)."""
    labels = _Labels(languages)
    dated, *translated_dates = labels.each(LongDate(printed_on))
    story: list[Flowable] = [
        Paragraph(_text(letterhead.government.upper()), _GOVERNMENT),
        Paragraph(_text(letterhead.office), _OFFICE),
        HRFlowable(width="100%", thickness=1.2, color=colors.black, spaceBefore=6, spaceAfter=10),
        Paragraph(_text(f"{letterhead.place}, {dated}"), _DATE),
        *(Paragraph(_text(f"({translated})"), _DATE) for translated in translated_dates),
        Spacer(1, 10),
        _labelled(labels.words(_("To the holder of account")), str(recipient_id)),
        _labelled(labels.words(_("Notices")), str(len(notices))),
        Spacer(1, 6),
    ]
    for number, notice in enumerate(notices, start=1):
        story.append(_notice(notice, number=number if len(notices) > 1 else None, labels=labels))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=2 * cm,
        title=_("Notice letter").render(DEFAULT_LANGUAGE),
        author=letterhead.government,
        creator="Kota LIVE",
        lang="id-ID",
    )
    page_label = labels.words(_("Page"))

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(A4[0] - 2.2 * cm, 1.2 * cm, f"{page_label} {doc.page}")
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


class _Labels:
    """The letter's own words, in each of the reader's languages (``Referensi / Reference``)."""

    def __init__(self, languages: Sequence[Language]) -> None:
        self.languages = languages

    def each(self, value: Renderable) -> list[str]:
        """``value`` in each language, once where two read the same."""
        return list(dict.fromkeys(value.render(language) for language in self.languages))

    def words(self, value: Renderable) -> str:
        return " / ".join(self.each(value))


def _notice(notice: PrintedNotice, *, number: int | None, labels: _Labels) -> Flowable:
    parts: list[Flowable] = []
    for position, text in enumerate(notice.texts):
        title = f"{number}. {text.title}" if number is not None and position == 0 else text.title
        parts.append(Paragraph(_text(title), _TITLE if position == 0 else _TRANSLATED_TITLE))
        parts += [Paragraph(paragraph, _BODY) for paragraph in _paragraphs(text.body)]
    parts += [
        _labelled(labels.words(_("Reference")), str(notice.notice_id), style=_SMALL),
        _labelled(labels.words(_("About")), notice.subject_ref, style=_SMALL),
        _labelled(labels.words(_("Sent")), labels.words(LongDate(notice.sent_on)), style=_SMALL),
    ]
    parts.append(HRFlowable(width="100%", thickness=0.4, color=colors.grey, spaceBefore=4))
    # A short notice stays on one page; a long one may still flow over several.
    return KeepTogether(parts)


def _labelled(label: str, value: str, *, style: ParagraphStyle = _BODY) -> Paragraph:
    """``label: value``, the label in bold."""
    return Paragraph(f"<b>{_text(label)}:</b> {_text(value)}", style)


def _paragraphs(body: str) -> list[str]:
    """The body's paragraphs (split at blank lines), each escaped, its line breaks kept."""
    blocks = re.split(r"\n\s*\n", body.strip())
    return [_text(block).replace("\n", "<br/>") for block in blocks if block.strip()]


def _text(value: str) -> str:
    return escape(_CONTROL.sub("", value))
