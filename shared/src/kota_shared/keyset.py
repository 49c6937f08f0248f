"""Keyset pagination in SQL: a list's order declared once, and "the rows after this key" in
that order, for repositories (`kota_shared.pagination` carries the key in the cursor).

Written for orders with descending columns and NULLs last, which a plain row comparison
(``(a, b) > (x, y)``) cannot express.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import UnaryExpression

from kota_shared.pagination import Key


@dataclass(frozen=True)
class SortColumn:
    column: InstrumentedAttribute[Any]
    descending: bool = False
    nulls_last: bool = False
    """Rows without a value come after every row with one (ascending or descending)."""


@dataclass(frozen=True)
class ListOrder:
    """A list's order; its last column must be unique (the id), so the order is total."""

    columns: Sequence[SortColumn]

    def order_by(self) -> list[UnaryExpression[Any]]:
        clauses = []
        for sort in self.columns:
            clause = sort.column.desc() if sort.descending else sort.column.asc()
            clauses.append(clause.nulls_last() if sort.nulls_last else clause)
        return clauses

    def key(self, row: Any) -> Key:
        """Where ``row`` stands in this order: its values of the sort columns."""
        return tuple(getattr(row, sort.column.key) for sort in self.columns)

    def after(self, key: Key) -> ColumnElement[bool]:
        """Rows that come after ``key`` in this order."""
        if len(key) != len(self.columns):
            raise ValueError(f"a key of {len(self.columns)} values was expected, not {len(key)}")
        return _after(self.columns, key)


def _after(columns: Sequence[SortColumn], key: Key) -> ColumnElement[bool]:
    first, *rest = columns
    value, *rest_key = key
    later = _after(rest, tuple(rest_key)) if rest else false()
    column = first.column
    if value is None:  # only NULLs remain after a NULL, when they sort last
        return and_(column.is_(None), later)
    beyond = column < value if first.descending else column > value
    if first.nulls_last:
        beyond = or_(beyond, column.is_(None))
    return or_(beyond, and_(column == value, later))
