"""Headline figures: a page's few numbers that matter most, each with what it means."""

from dataclasses import dataclass
from typing import Literal

from kota_shared.i18n import Message
from monitoring.pages.formats import Axis

Tone = Literal["plain", "good", "warn", "bad"]


@dataclass(frozen=True)
class Tile:
    """One headline figure: the page writes it for its language, and keeps the raw value in
    ``data-value`` (what a test or a wall screen's script reads)."""

    key: str
    label: Message
    value: float | str | None
    """The figure; text where it is suppressed (``<5``)."""
    axis: Axis = "count"
    tone: Tone = "plain"
    hint: Message | None = None


def compliance_tone(share: float | None) -> Tone:
    if share is None:
        return "plain"
    if share >= 0.9:
        return "good"
    return "warn" if share >= 0.7 else "bad"
