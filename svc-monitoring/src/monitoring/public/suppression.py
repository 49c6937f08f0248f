"""Small cells suppressed, so that no published figure singles out a person.

What the city publishes are counts of people's transactions. A count from 1 to
``minimum - 1`` could point at someone (the one building permit in a small district this
month), so it is written as ``<5`` instead (`marker`); a zero is shown, since it names no
one. A figure computed from a suppressed count (an on-time share, a median, an amount
received) is suppressed with it, since it would give the count's cases away.

Suppressing a cell is not enough where a total is published beside it: the total minus
the other cells gives it back. So wherever rows add up to a published total (``margins``:
the permit types of one month add up to the month's total, the months of one permit type
to the type's), a group with exactly one suppressed cell in a column has its next smallest cell
suppressed too (complementary suppression), repeated across every margin until no group
has a lone suppressed cell. A group whose other cells are all zero needs nothing more: its
total then equals the suppressed cell, is below the minimum too, and is itself suppressed
wherever it is published.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any


def marker(minimum: int) -> str:
    """What a suppressed cell shows."""
    return f"<{minimum}"


def is_small(value: object, minimum: int) -> bool:
    return isinstance(value, int) and 0 < value < minimum


def suppress(
    rows: Sequence[Mapping[str, Any]],
    *,
    minimum: int,
    counts: Sequence[str],
    derived: Mapping[str, str] | None = None,
    margins: Sequence[str | None] = (),
) -> list[dict[str, Any]]:
    """``rows`` with their small ``counts`` suppressed; complementary cells suppressed for
    each of ``margins``, a key column that a published total adds up over (``permit_type``:
    each month's total over every type is published, so the rows of one month are a group;
    ``None``: all the rows add up to one published total); and each ``derived`` figure
    (name → the count it is computed from) suppressed with its count."""
    hidden: set[tuple[int, str]] = {
        (index, name)
        for index, row in enumerate(rows)
        for name in counts
        if is_small(row[name], minimum)
    }
    keys = [margin for margin in margins if margin is not None]
    changed = True
    while changed:
        changed = False
        for margin in margins:
            for group in _groups(rows, margin, keys):
                for name in counts:
                    changed |= _complement(rows, group, name, hidden)
    shown = marker(minimum)
    result = []
    for index, row in enumerate(rows):
        written = dict(row)
        for name in counts:
            if (index, name) in hidden:
                written[name] = shown
        for name, base in (derived or {}).items():
            if (index, base) in hidden:
                written[name] = shown
        result.append(written)
    return result


def _groups(
    rows: Sequence[Mapping[str, Any]], margin: str | None, keys: Sequence[str]
) -> list[list[int]]:
    """The rows that add up to one published total: all of them (``None``), or those that
    share every key column but ``margin``."""
    if margin is None:
        return [list(range(len(rows)))]
    others = [key for key in keys if key != margin]
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        groups[tuple(row[key] for key in others)].append(index)
    return list(groups.values())


def _complement(
    rows: Sequence[Mapping[str, Any]], group: list[int], name: str, hidden: set[tuple[int, str]]
) -> bool:
    """Hide the smallest shown non-zero cell of ``name`` in ``group`` if exactly one of its
    cells is hidden; whether a cell was hidden."""
    if sum((index, name) in hidden for index in group) != 1:
        return False
    candidates = [index for index in group if (index, name) not in hidden and rows[index][name] > 0]
    if not candidates:
        return False
    hidden.add((min(candidates, key=lambda index: rows[index][name]), name))
    return True
