"""Small cells never reach the public, nor a subtraction that would give one back."""

from collections.abc import Sequence
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from monitoring.public.suppression import suppress

MIN = 5


def cells(rows: Sequence[dict[str, Any]], name: str) -> list[Any]:
    return [row[name] for row in rows]


def test_a_count_under_the_minimum_is_written_as_the_marker_and_zero_is_shown() -> None:
    rows = suppress(
        [{"t": "A", "n": 0}, {"t": "B", "n": 4}, {"t": "C", "n": 5}],
        minimum=MIN,
        counts=["n"],
    )

    assert cells(rows, "n") == [0, "<5", 5]


def test_a_figure_computed_from_a_suppressed_count_goes_with_it() -> None:
    rows = suppress(
        [{"decided": 3, "share": 0.6667, "median": 4}, {"decided": 9, "share": 0.5, "median": 2}],
        minimum=MIN,
        counts=["decided"],
        derived={"share": "decided", "median": "decided"},
    )

    assert rows[0] == {"decided": "<5", "share": "<5", "median": "<5"}
    assert rows[1] == {"decided": 9, "share": 0.5, "median": 2}


def test_a_lone_suppressed_cell_beside_a_published_total_takes_the_next_smallest_with_it() -> None:
    rows = suppress(
        [{"t": "A", "n": 20}, {"t": "B", "n": 2}, {"t": "C", "n": 7}, {"t": "D", "n": 9}],
        minimum=MIN,
        counts=["n"],
        margins=[None],
    )

    # 38 in all is published: 38 - 20 - 7 - 9 would give B's 2 back, unless C goes too.
    assert cells(rows, "n") == [20, "<5", "<5", 9]


def test_two_suppressed_cells_need_no_third() -> None:
    rows = suppress(
        [{"t": "A", "n": 3}, {"t": "B", "n": 2}, {"t": "C", "n": 7}],
        minimum=MIN,
        counts=["n"],
        margins=[None],
    )

    assert cells(rows, "n") == ["<5", "<5", 7]


def test_complements_are_found_along_every_margin_until_none_is_alone() -> None:
    # Months by permit type, with each month's total and each type's total published.
    table = [
        {"month": "01", "type": "A", "n": 2},
        {"month": "01", "type": "B", "n": 8},
        {"month": "02", "type": "A", "n": 6},
        {"month": "02", "type": "B", "n": 9},
    ]

    rows = suppress(table, minimum=MIN, counts=["n"], margins=["type", "month"])

    hidden = {(r["month"], r["type"]) for r in rows if r["n"] == "<5"}
    # January's total gives A-01 back unless B-01 goes; type A's total, unless A-02 goes;
    # then February's total gives A-02 back unless B-02 goes.
    assert hidden == {("01", "A"), ("01", "B"), ("02", "A"), ("02", "B")}


def test_nothing_more_is_needed_where_the_other_cells_are_zero() -> None:
    rows = suppress(
        [{"t": "A", "n": 3}, {"t": "B", "n": 0}],
        minimum=MIN,
        counts=["n"],
        margins=[None],
    )

    # The total is 3 as well, and is itself suppressed wherever it is published.
    assert cells(rows, "n") == ["<5", 0]


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
def test_no_published_cell_is_small_and_no_suppressed_cell_is_left_alone(
    counts: list[int],
) -> None:
    rows = suppress(
        [{"k": index, "n": n} for index, n in enumerate(counts)],
        minimum=MIN,
        counts=["n"],
        margins=[None],
    )

    shown = [row["n"] for row in rows if row["n"] != "<5"]
    hidden = [n for n, row in zip(counts, rows, strict=True) if row["n"] == "<5"]
    assert all(n == 0 or n >= MIN for n in shown)
    assert sorted(n for n in counts if 0 < n < MIN) == sorted(n for n in hidden if n < MIN)
    if len(hidden) == 1:  # alone only where no other cell could hide it
        assert all(n == 0 for n in shown)
