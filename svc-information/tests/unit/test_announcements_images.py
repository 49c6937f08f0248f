"""An announcement's image is what its bytes are: a JPEG, PNG or WebP, of the declared type."""

import struct

import pytest
from announcement_office import JPEG, png

from information.announcements import images
from information.announcements.problems import ImageMismatch, ImageTypeNotAccepted

WEBP = b"RIFF" + struct.pack("<I", 30) + b"WEBPVP8 " + b"\x00" * 22
JPEG_2000 = b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\x00" * 32
"""puremagic calls it image/jpeg too; no browser shows it as one."""


@pytest.mark.parametrize(
    ("content", "declared"),
    [(png(), "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp"), (png(), "IMAGE/PNG; x=1")],
)
def test_an_image_is_taken_with_the_type_its_bytes_show(content: bytes, declared: str) -> None:
    image = images.accept(content, declared=declared)

    assert image.content_type == declared.partition(";")[0].lower()
    assert image.size == len(content)
    assert len(image.sha256) == 64


@pytest.mark.parametrize(
    "content",
    [
        b"",
        JPEG_2000,
        b"GIF89a" + b"\x00" * 20,
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"\\x89PNG\\r\\n\\x1a\\n written out",
        b"<!DOCTYPE html><html>\x89PNG",
    ],
    ids=["empty", "jpeg-2000", "gif", "svg", "png-as-text", "html"],
)
def test_anything_else_is_not_an_image_of_ours(content: bytes) -> None:
    with pytest.raises(ImageTypeNotAccepted):
        images.accept(content, declared="image/png")


@pytest.mark.parametrize("declared", ["image/jpeg", None, "application/octet-stream"])
def test_an_image_sent_as_another_type_is_a_mismatch(declared: str | None) -> None:
    with pytest.raises(ImageMismatch):
        images.accept(png(), declared=declared)
