"""An announcement's image, judged by its bytes: what it is comes from its signature, never
from the ``Content-Type`` the upload claimed or a file name.

Served publicly to anyone's browser, so only raster formats that cannot carry a script are
taken (no SVG, no HTML that starts like an image), and they are served with the sniffed type
and ``nosniff``.
"""

import hashlib
from dataclasses import dataclass

import puremagic

from information.announcements.problems import ImageMismatch, ImageTypeNotAccepted
from information.messages import _

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
ACCEPTED = (JPEG, PNG, WEBP)


def _is_webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


# puremagic's answer is checked against the format's own leading bytes: it also calls
# JPEG 2000 "image/jpeg", and matches signatures deep inside a file.
_SIGNATURES = {
    JPEG: lambda head: head.startswith(b"\xff\xd8\xff"),
    PNG: lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    WEBP: _is_webp,
}


@dataclass(frozen=True)
class Image:
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def accept(content: bytes, *, declared: str | None) -> Image:
    """``content`` as an image of ours, or `ImageTypeNotAccepted` (415: not a JPEG, PNG or
    WebP) or `ImageMismatch` (422: one, but not the type ``declared``)."""
    detected = _sniff(content)
    if detected is None:
        raise ImageTypeNotAccepted(_("Upload the image as a JPEG, PNG or WebP file."))
    declared_type = (declared or "").partition(";")[0].strip().lower()
    if declared_type != detected:
        raise ImageMismatch(
            _(
                "The file is {detected}, but was sent as {declared}.",
                detected=detected,
                declared=declared_type or "-",
            ),
            detected=detected,
        )
    return Image(content=content, content_type=detected, sha256=hashlib.sha256(content).hexdigest())


def _sniff(content: bytes) -> str | None:
    if not content:
        return None
    try:
        matches = puremagic.magic_string(content)
    except puremagic.PureError:  # nothing it knows
        return None
    best = matches[0].mime_type if matches else None
    signature = _SIGNATURES.get(best or "")
    return best if signature is not None and signature(content[:16]) else None
