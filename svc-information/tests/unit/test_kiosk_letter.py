"""The kiosk's PDF letter on its own: whatever text a notice holds, the letter is a real PDF
that carries it, over as many pages as it needs."""

import io
import uuid
from datetime import date

import pypdf

from information.kiosk.letter import Letterhead, NoticeText, PrintedNotice, letter_pdf

LETTERHEAD = Letterhead(
    government="Pemerintah Kota Tangerang",
    office="Layanan Informasi Kota LIVE",
    place="Kota Tangerang",
)


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def _notice(title: str, body: str) -> PrintedNotice:
    return PrintedNotice(
        notice_id=uuid.uuid4(),
        subject_ref=f"invoice:{uuid.uuid4()}",
        sent_on=date(2026, 12, 5),
        texts=[NoticeText("id", title, body)],
    )


def test_a_long_batch_flows_over_numbered_pages_with_the_letterhead_once() -> None:
    notices = [_notice(f"Pemberitahuan {n}", "Isi pemberitahuan. " * 120) for n in range(8)]

    pages = _pages(
        letter_pdf(
            letterhead=LETTERHEAD,
            recipient_id=uuid.uuid4(),
            printed_on=date(2026, 12, 7),
            languages=["id"],
            notices=notices,
        )
    )

    assert len(pages) > 2
    assert sum("PEMERINTAH KOTA TANGERANG" in page for page in pages) == 1
    assert all(f"Halaman {number}" in page for number, page in enumerate(pages, start=1))
    text = " ".join(" ".join(pages).split())
    assert all(f"{n + 1}. Pemberitahuan {n}" in text for n in range(8))
    assert all(str(notice.notice_id) in text for notice in notices)


def test_text_a_font_cannot_show_or_a_parser_would_choke_on_still_prints() -> None:
    body = "Nomor\x00 tagihan\x1b 😀 → ok <para> & </b> " + "x" * 500

    (page,) = _pages(
        letter_pdf(
            letterhead=LETTERHEAD,
            recipient_id=uuid.uuid4(),
            printed_on=date(2026, 12, 7),
            languages=["id", "en"],
            notices=[_notice("Tagihan <b>", body)],
        )
    )

    assert "Tagihan <b>" in page
    assert "Nomor tagihan" in page
    assert "<para> & </b>" in page
    assert "Kota Tangerang, 7 Desember 2026" in page
    assert "(7 December 2026)" in page
