"""Document intake: types judged by content, sizes capped while streaming, nothing left behind."""

import asyncio
import hashlib
import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from permits.documents.intake import (
    JPEG,
    PDF,
    PNG,
    EmptyFile,
    NameMismatch,
    StagedFile,
    TooLarge,
    UnacceptableType,
    check_name_matches,
    receive,
)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# A 1x1 greyscale PNG, a one-object PDF and a JFIF JPEG: the smallest real files of each kind.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    + _png_chunk(b"IEND", b"")
)
PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"

ALL = frozenset({PDF, JPEG, PNG})


async def chunks_of(data: bytes, size: int = 7) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def leftovers(folder: Path) -> list[Path]:
    return list(folder.iterdir())


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    folder = tmp_path / "staging"
    folder.mkdir()
    return folder


async def take(
    data: bytes,
    staging: Path,
    *,
    accepted: frozenset[str] = ALL,
    max_bytes: int = 1024 * 1024,
    filename: str | None = None,
) -> StagedFile:
    return await receive(
        chunks_of(data),
        directory=staging,
        max_bytes=max_bytes,
        accepted=accepted,
        filename=filename,
    )


@pytest.mark.parametrize(
    ("data", "content_type", "filename"),
    [
        (PDF_BYTES, PDF, "izin-lokasi.pdf"),
        (b"\r\n" + PDF_BYTES, PDF, "IZIN.PDF"),
        (PNG_BYTES, PNG, "site-plan.png"),
        (JPEG_BYTES, JPEG, "ktp.jpg"),
        (JPEG_BYTES, JPEG, "ktp.JPEG"),
        (JPEG_BYTES, JPEG, "ktp"),
        (PNG_BYTES, PNG, None),
    ],
)
async def test_a_document_is_staged_with_the_type_its_content_shows(
    staging: Path, data: bytes, content_type: str, filename: str | None
) -> None:
    staged = await take(data, staging, filename=filename)

    assert staged.content_type == content_type
    assert staged.size == len(data)
    assert staged.sha256 == hashlib.sha256(data).hexdigest()
    assert staged.path.parent == staging
    assert staged.path.read_bytes() == data


async def test_discarding_removes_the_staged_file_and_may_be_repeated(staging: Path) -> None:
    staged = await take(PDF_BYTES, staging)

    staged.discard()
    staged.discard()

    assert leftovers(staging) == []


async def test_a_signature_split_across_chunks_is_still_recognised(staging: Path) -> None:
    staged = await receive(
        chunks_of(PNG_BYTES, size=1),
        directory=staging,
        max_bytes=len(PNG_BYTES),
        accepted=ALL,
        filename=None,
    )

    assert staged.content_type == PNG
    assert staged.sha256 == hashlib.sha256(PNG_BYTES).hexdigest()


async def test_a_large_document_is_hashed_and_written_whole(staging: Path) -> None:
    data = PDF_BYTES + bytes(range(256)) * 4096  # 1 MiB past the header, many chunks

    staged = await receive(
        chunks_of(data, size=64 * 1024),
        directory=staging,
        max_bytes=len(data),
        accepted=ALL,
        filename="plan.pdf",
    )

    assert staged.sha256 == hashlib.sha256(data).hexdigest()
    assert staged.path.read_bytes() == data


async def test_a_document_of_exactly_the_limit_is_accepted(staging: Path) -> None:
    staged = await take(PDF_BYTES, staging, max_bytes=len(PDF_BYTES))

    assert staged.size == len(PDF_BYTES)


async def test_reading_stops_at_the_chunk_that_crosses_the_limit(
    staging: Path,
) -> None:
    data = PDF_BYTES + b"x" * 100
    pulled = 0

    async def counted() -> AsyncIterator[bytes]:
        nonlocal pulled
        async for chunk in chunks_of(data, size=10):
            pulled += 1
            yield chunk

    limit = 25
    with pytest.raises(TooLarge) as refused:
        await receive(counted(), directory=staging, max_bytes=limit, accepted=ALL, filename=None)

    assert pulled == 3  # the third chunk crossed 25 bytes; nothing after it was asked for
    assert refused.value.max_bytes == limit
    assert refused.value.code == "document_too_large"
    assert leftovers(staging) == []


async def test_one_byte_over_the_limit_is_refused(staging: Path) -> None:
    with pytest.raises(TooLarge):
        await take(PDF_BYTES + b"\n", staging, max_bytes=len(PDF_BYTES))

    assert leftovers(staging) == []


def test_the_size_limit_is_told_in_megabytes() -> None:
    # English as written in Indonesia (the shared formats' en_ID): a decimal comma.
    assert "10 MB" in str(TooLarge(10 * 1024 * 1024).message)
    assert "2,5 MB" in str(TooLarge(5 * 512 * 1024).message)


def test_the_size_limit_is_told_the_indonesian_way() -> None:
    assert TooLarge(5 * 512 * 1024).message.render("id") == (
        "Ukuran berkas melebihi 2,5 MB. Silakan unggah berkas yang lebih kecil."
    )
    assert "1.000 byte" in TooLarge(1000).message.render("id")
    assert "1.000 bytes" in TooLarge(1000).message.render("en")


async def test_an_empty_upload_is_refused(staging: Path) -> None:
    with pytest.raises(EmptyFile) as refused:
        await take(b"", staging)

    assert refused.value.code == "document_empty"
    assert leftovers(staging) == []


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"MZ\x90\x00\x03" + bytes(59) + b"PE\x00\x00", id="exe"),
        pytest.param(b"PK\x03\x04\x14\x00" + bytes(24) + b"word/document.xml", id="zip"),
        pytest.param(b"<!DOCTYPE html><html><body>%PDF-1.7</body></html>", id="html"),
        pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", id="svg"),
        pytest.param(b"Surat pernyataan\n%PDF-1.7\n", id="text"),
        # puremagic itself calls these image/jpeg or image/png; they are not.
        pytest.param(b"\x00\x00\x00\x0cjP  \r\n\x87\n" + bytes(20), id="jpeg-2000"),
        pytest.param(b"\\x89PNG\\r\\n\\x1a\\n", id="png-bytes-as-text"),
        pytest.param(b"\\377\\330\\377\\340 JFIF", id="jpeg-bytes-as-text"),
        pytest.param(b"\xff\xd8 half a jpeg marker", id="jpeg-soi-only"),
    ],
)
async def test_content_that_is_no_document_of_ours_is_refused(staging: Path, data: bytes) -> None:
    with pytest.raises(UnacceptableType) as refused:
        await take(data, staging, filename="surat.pdf")

    assert refused.value.detected is None
    assert refused.value.code == "document_type_not_accepted"
    assert leftovers(staging) == []


async def test_a_png_named_pdf_is_refused_where_only_pdf_is_accepted(staging: Path) -> None:
    with pytest.raises(UnacceptableType) as refused:
        await take(PNG_BYTES, staging, accepted=frozenset({PDF}), filename="photo.pdf")

    assert refused.value.detected == PNG
    assert refused.value.accepted == frozenset({PDF})
    assert str(refused.value.message) == (
        "This file is not a kind of document we accept here. Please upload a PDF file."
    )
    assert refused.value.message.render("id") == (
        "Jenis berkas ini tidak diterima di sini. Silakan unggah berkas PDF."
    )
    assert leftovers(staging) == []


async def test_a_jpeg_named_pdf_is_refused_even_when_both_are_accepted(staging: Path) -> None:
    with pytest.raises(NameMismatch) as refused:
        await take(JPEG_BYTES, staging, accepted=frozenset({PDF, JPEG}), filename="scan.pdf")

    assert refused.value.detected == JPEG
    assert refused.value.code == "document_name_mismatch"
    assert "scan.pdf" in str(refused.value.message)
    assert "JPEG image" in str(refused.value.message)
    assert refused.value.message.render("id").startswith(
        "Berkas “scan.pdf” adalah gambar JPEG, tidak sesuai dengan namanya."
    )
    assert leftovers(staging) == []


@pytest.mark.parametrize(
    ("filename", "detected"),
    [
        ("scan.pdf", PDF),
        ("SCAN.PDF", PDF),
        ("foto.jpg", JPEG),
        ("foto.jpeg", JPEG),
        ("denah.png", PNG),
        ("denah", PNG),
        ("denah.tiff", PNG),
        ("scan.pdf.png", PNG),
        ("scan.", PDF),
    ],
)
def test_names_that_agree_with_the_content_or_say_nothing_pass(
    filename: str, detected: str
) -> None:
    check_name_matches(filename, detected)


@pytest.mark.parametrize(
    ("filename", "detected"),
    [
        ("scan.pdf", JPEG),
        ("scan.PDF", PNG),
        ("foto.jpg", PNG),
        ("foto.jpeg", PDF),
        ("denah.png", JPEG),
        ("scan.png.pdf", PNG),
        (".pdf", PNG),
    ],
)
def test_names_that_claim_another_type_are_refused(filename: str, detected: str) -> None:
    with pytest.raises(NameMismatch):
        check_name_matches(filename, detected)


async def test_a_failing_upload_stream_leaves_nothing_behind(staging: Path) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield PDF_BYTES
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await receive(broken(), directory=staging, max_bytes=1024, accepted=ALL, filename=None)

    assert leftovers(staging) == []


async def test_a_cancelled_upload_leaves_nothing_behind(staging: Path) -> None:
    first_chunk_taken = asyncio.Event()

    async def stalled() -> AsyncIterator[bytes]:
        yield PDF_BYTES
        first_chunk_taken.set()
        await asyncio.Event().wait()  # the client stops sending
        yield b"never"

    upload = asyncio.create_task(
        receive(stalled(), directory=staging, max_bytes=1024, accepted=ALL, filename=None)
    )
    await first_chunk_taken.wait()
    assert len(leftovers(staging)) == 1  # the temporary file really was there
    upload.cancel()

    with pytest.raises(asyncio.CancelledError):
        await upload
    assert leftovers(staging) == []


def test_every_refusal_has_a_stable_code_and_a_message_for_the_citizen() -> None:
    refusals = [
        TooLarge(1024),
        UnacceptableType(None, ALL),
        NameMismatch("scan.pdf", JPEG),
        EmptyFile(),
    ]

    assert [r.code for r in refusals] == [
        "document_too_large",
        "document_type_not_accepted",
        "document_name_mismatch",
        "document_empty",
    ]
    assert "one of these formats: JPEG, PDF and PNG." in str(refusals[1].message)
    assert "salah satu format berikut: JPEG, PDF, dan PNG." in refusals[1].message.render("id")
    # English for logs; for the citizen, Indonesian unless they ask for English.
    assert all(str(r) == r.message.render("en") for r in refusals)
    assert all(r.message.render("id") != r.message.render("en") for r in refusals)
