"""The pages' assets (style sheet, scripts, the pinned chart library and its licence), served
by monitoring itself from ``/v1/monitoring/assets/...``: no CDN, since a city's network may
reach none, and nothing the pages run changes unless this repository changes it.

A page links each asset with its digest in the query (``?v=<sha256 prefix>``), so browsers
may keep it for a year and still fetch a new version the moment it changes.
"""

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

STATIC = Path(__file__).parent / "static"
URL = "/v1/monitoring/assets"
MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
"""The kinds of file served; any other file in the folder is not."""


@dataclass(frozen=True)
class Asset:
    path: Path
    media_type: str
    version: str
    """The first 12 hex digits of the file's SHA-256."""


@functools.cache
def served() -> dict[str, Asset]:
    """Every asset by its name (its path under ``static/``), read once."""
    found = {}
    for path in sorted(STATIC.rglob("*")):
        media_type = MEDIA_TYPES.get(path.suffix)
        if path.is_file() and media_type is not None:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            found[path.relative_to(STATIC).as_posix()] = Asset(path, media_type, digest)
    return found


def url(name: str) -> str:
    """Where a page links the asset ``name``, with its version."""
    return f"{URL}/{name}?v={served()[name].version}"
