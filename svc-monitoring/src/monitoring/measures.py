"""Shares and percentiles as officials read them, from counts (so p50/p90 need no raw events)."""

import math
from collections.abc import Iterable


def percentile(counts: Iterable[tuple[int, int]], share: float) -> int | None:
    """The nearest-rank ``share`` percentile of values given as ``(value, how_many)``; None
    when there are none. Nearest rank gives a value that occurred, as officials read it
    ("nine in ten were done within 4 working days")."""
    ordered = sorted((value, n) for value, n in counts if n > 0)
    total = sum(n for _value, n in ordered)
    if total == 0:
        return None
    rank = max(1, math.ceil(share * total))
    seen = 0
    for value, n in ordered:
        seen += n
        if seen >= rank:
            return value
    raise AssertionError("unreachable: the rank is at most the total")


def share(part: int | None, whole: int | None) -> float | None:
    """``part / whole`` to four places; None when there is nothing to share out."""
    return round(int(part or 0) / whole, 4) if whole else None
