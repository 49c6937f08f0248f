"""Receiving an uploaded document: stream it to disk, hash it, and judge it by its content.

A citizen's file is never trusted by its name or declared type: what it is comes from its
first bytes. The upload goes to a temporary file chunk by chunk, so a huge or hostile upload
costs disk up to ``max_bytes`` and never memory, and every refusal removes that file.
"""

import asyncio
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, ClassVar

import puremagic

from kota_shared import i18n
from kota_shared.i18n import FileSize, Message
from permits.messages import _

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

_NAMES = {PDF: _("PDF document"), JPEG: _("JPEG image"), PNG: _("PNG image")}
"""What a person calls each type: "The file … is a JPEG image"."""
_FORMATS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
"""The formats' own names, the same in every language."""

# puremagic's best match, by the signature it matched. Its MIME answer alone is not enough:
# it calls JPEG 2000 "image/jpeg", and the text "\x89PNG" (a PNG's bytes written out as
# escapes) "image/png". Only these binary signatures make a document of ours.
_SIGNATURES = {
    b"%PDF": PDF,
    b"\r\n%PDF": PDF,
    b"\xff\xd8\xff": JPEG,
    b"\x89PNG\r\n\x1a\n": PNG,
}

_EXTENSIONS = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG}

# More than the deepest signature puremagic knows (about 36 KiB in), so a file that is
# really something else is seen as that and not as the type its first bytes imitate.
_HEAD_BYTES = 64 * 1024


class IntakeError(Exception):
    """A document refused at intake; ``message`` is for the citizen (``str()`` is its
    English, for logs), ``code`` for clients."""

    code: ClassVar[str]

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


class TooLarge(IntakeError):
    code = "document_too_large"

    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            _(
                "The file is larger than {limit}. Please upload a smaller file.",
                limit=FileSize(max_bytes),
            )
        )
        self.max_bytes = max_bytes


class UnacceptableType(IntakeError):
    code = "document_type_not_accepted"

    def __init__(self, detected: str | None, accepted: frozenset[str]) -> None:
        formats = sorted(_FORMATS.get(t, t) for t in accepted)
        super().__init__(
            _(
                "This file is not a kind of document we accept here. "
                "Please upload a {format} file.",
                format=formats[0],
            )
            if len(formats) == 1
            else _(
                "This file is not a kind of document we accept here. "
                "Please upload a file in one of these formats: {formats}.",
                formats=i18n.Sequence.of(formats),
            )
        )
        self.detected = detected
        self.accepted = accepted


class NameMismatch(IntakeError):
    code = "document_name_mismatch"

    def __init__(self, filename: str, detected: str) -> None:
        super().__init__(
            _(
                "The file “{filename}” is a {kind}, not what its name says. "
                "Please check that you chose the right file.",
                filename=filename,
                kind=_NAMES.get(detected, detected),
            )
        )
        self.filename = filename
        self.detected = detected


class EmptyFile(IntakeError):
    code = "document_empty"

    def __init__(self) -> None:
        super().__init__(_("The file is empty. Please choose the document again."))


@dataclass(frozen=True)
class StagedFile:
    """An accepted upload waiting on local disk until it is stored or given up."""

    path: Path
    size: int
    sha256: str
    content_type: str

    def discard(self) -> None:
        """Delete the temporary file; safe to call twice, and from a cancelled request."""
        _remove(self.path)


async def receive(
    chunks: AsyncIterator[bytes],
    *,
    directory: Path,
    max_bytes: int,
    accepted: frozenset[str],
    filename: str | None,
) -> StagedFile:
    """Stream ``chunks`` into a temporary file in ``directory`` and accept it, or raise.

    Raises `TooLarge` as soon as more than ``max_bytes`` arrive (the rest is not read),
    `EmptyFile`, `UnacceptableType` when the content is not one of ``accepted``, and
    `NameMismatch` when ``filename`` claims another type. No file is left behind on any
    error, cancellation included.
    """
    # Created synchronously (one syscall) so no cancellation falls between the file
    # existing and our knowing its name.
    descriptor, name = tempfile.mkstemp(dir=directory, prefix="upload-", suffix=".part")
    path = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as file:
            size, sha256, head = await _copy(chunks, file, max_bytes=max_bytes)
        if size == 0:
            raise EmptyFile
        content_type = _sniff(head)
        if content_type is None or content_type not in accepted:
            raise UnacceptableType(content_type, accepted)
        if filename is not None:
            check_name_matches(filename, content_type)
    except BaseException:
        _remove(path)
        raise
    return StagedFile(path=path, size=size, sha256=sha256, content_type=content_type)


def check_name_matches(filename: str, detected: str) -> None:
    """Raise `NameMismatch` if ``filename``'s extension names another type than ``detected``.

    Unknown or missing extensions say nothing and pass: the content has already decided.
    """
    _, dot, extension = filename.rpartition(".")
    claimed = _EXTENSIONS.get(extension.lower()) if dot else None
    if claimed is not None and claimed != detected:
        raise NameMismatch(filename, detected)


async def _copy(
    chunks: AsyncIterator[bytes], file: BinaryIO, *, max_bytes: int
) -> tuple[int, str, bytes]:
    """Write ``chunks`` to ``file``; return the size, SHA-256 hex and the first bytes."""
    size = 0
    digest = hashlib.sha256()
    head = bytearray()
    async for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(max_bytes)
        digest.update(chunk)
        if len(head) < _HEAD_BYTES:
            head += chunk[: _HEAD_BYTES - len(head)]
        await asyncio.to_thread(file.write, chunk)
    return size, digest.hexdigest(), bytes(head)


def _remove(path: Path) -> None:
    """Delete ``path`` if it is there.

    Synchronous on purpose: one unlink is cheap, and an ``await`` in a cancelled request's
    cleanup could itself be cancelled and leave the file behind.
    """
    path.unlink(missing_ok=True)


def _sniff(head: bytes) -> str | None:
    """The type of a document from its first bytes, or None when it is none of ours."""
    try:
        best = puremagic.magic_string(head)[0]
    except puremagic.PureError:
        return None
    return _SIGNATURES.get(best.byte_match)
