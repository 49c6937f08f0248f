"""Admission pathways (jalur) and a school's places per pathway, from the regulation's table.

Shares are exact fractions: with floats, 15 % of 20 places is 3.0000000000000004 and rounding
it up would give a pathway a place the regulation does not.
"""

import math
from dataclasses import dataclass
from fractions import Fraction

from kota_contracts.education import Pathway, SchoolLevel


@dataclass(frozen=True)
class Share:
    """A pathway's share of a school's places: at least ``minimum``, at most ``maximum``."""

    minimum: Fraction = Fraction(0)
    maximum: Fraction = Fraction(1)


def _percent(value: int) -> Fraction:
    return Fraction(value, 100)


SHARES: dict[SchoolLevel, dict[Pathway, Share]] = {
    SchoolLevel.SD: {
        Pathway.DOMISILI: Share(minimum=_percent(70)),
        Pathway.AFIRMASI: Share(minimum=_percent(15)),
        Pathway.MUTASI: Share(maximum=_percent(5)),
    },
    SchoolLevel.SMP: {
        Pathway.DOMISILI: Share(minimum=_percent(40)),
        Pathway.AFIRMASI: Share(minimum=_percent(20)),
        Pathway.MUTASI: Share(maximum=_percent(5)),
        Pathway.PRESTASI: Share(minimum=_percent(25)),
    },
    SchoolLevel.SMA: {
        Pathway.DOMISILI: Share(minimum=_percent(30)),
        Pathway.AFIRMASI: Share(minimum=_percent(30)),
        Pathway.MUTASI: Share(maximum=_percent(5)),
        Pathway.PRESTASI: Share(minimum=_percent(30)),
    },
}
"""Permendikdasmen 3/2025, per level: each pathway's minimum and maximum share."""

RESIDUAL = Pathway.DOMISILI
"""The pathway that takes the places the others' shares leave over."""


def offered(level: SchoolLevel) -> tuple[Pathway, ...]:
    """The pathways a school of ``level`` admits through, in the regulation's order."""
    return tuple(SHARES[level])


def is_offered(level: SchoolLevel, pathway: Pathway) -> bool:
    return pathway in SHARES[level]


class QuotasUnsatisfiable(ValueError):
    """No split into whole places honours every share (a school smaller than about a class)."""


def quotas(level: SchoolLevel, capacity: int) -> dict[Pathway, int]:
    """Places per pathway for a school of ``level`` with ``capacity`` places.

    A pathway with a minimum share gets that share rounded up to whole places (so "at least
    15 %" holds); a pathway with only a maximum gets it rounded down (so "at most 5 %" holds);
    domisili takes every place left. Where rounding up leaves domisili short of its own
    minimum (small schools), the capped pathways give places back first. Raises
    `QuotasUnsatisfiable` when even that cannot honour every minimum.
    """
    if capacity < 0:
        raise ValueError("a capacity cannot be negative")
    shares = SHARES[level]
    places = {
        pathway: math.ceil(share.minimum * capacity)
        if share.minimum
        else math.floor(share.maximum * capacity)
        for pathway, share in shares.items()
        if pathway is not RESIDUAL
    }
    shortfall = math.ceil(shares[RESIDUAL].minimum * capacity) - (capacity - sum(places.values()))
    for pathway, share in shares.items():
        if shortfall <= 0:
            break
        if pathway is not RESIDUAL and not share.minimum:
            given_back = min(places[pathway], shortfall)
            places[pathway] -= given_back
            shortfall -= given_back
    if shortfall > 0:
        raise QuotasUnsatisfiable(
            f"{capacity} places at {level} cannot honour every pathway's minimum share"
        )
    places[RESIDUAL] = capacity - sum(places.values())
    return {pathway: places[pathway] for pathway in shares}


def published_quotas(level: SchoolLevel, capacity: int) -> dict[Pathway, int] | None:
    """`quotas`, or None for a school too small to honour every share (shown as unknown)."""
    try:
        return quotas(level, capacity)
    except QuotasUnsatisfiable:
        return None
