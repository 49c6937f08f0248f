"""Places per pathway: the regulation's shares, in whole places, the residual to domisili."""

import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from education.admission.pathways import (
    SHARES,
    QuotasUnsatisfiable,
    offered,
    published_quotas,
    quotas,
)
from kota_contracts.education import Pathway, SchoolLevel

D, A, M, P = Pathway.DOMISILI, Pathway.AFIRMASI, Pathway.MUTASI, Pathway.PRESTASI


@pytest.mark.parametrize(
    ("level", "capacity", "expected"),
    [
        # 15 % of 84 is 12.6 → 13; 5 % is 4.2 → 4; domisili the rest, 67 (≥ 70 % of 84 = 58.8).
        (SchoolLevel.SD, 84, {D: 67, A: 13, M: 4}),
        (SchoolLevel.SD, 56, {D: 45, A: 9, M: 2}),
        (SchoolLevel.SMP, 320, {D: 160, A: 64, M: 16, P: 80}),
        (SchoolLevel.SMP, 256, {D: 128, A: 52, M: 12, P: 64}),
        (SchoolLevel.SMA, 360, {D: 126, A: 108, M: 18, P: 108}),
        (SchoolLevel.SMA, 324, {D: 112, A: 98, M: 16, P: 98}),
        (SchoolLevel.SMA, 0, {D: 0, A: 0, M: 0, P: 0}),
    ],
)
def test_worked_examples(level: SchoolLevel, capacity: int, expected: dict[Pathway, int]) -> None:
    assert quotas(level, capacity) == expected


def test_exact_fractions_do_not_round_a_whole_share_up() -> None:
    # In floats 0.15 * 20 is 3.0000000000000004, which would round up to 4.
    assert quotas(SchoolLevel.SD, 20)[A] == 3
    assert quotas(SchoolLevel.SMP, 20)[P] == 5


def test_sd_has_no_prestasi_and_the_order_is_the_regulations() -> None:
    assert list(quotas(SchoolLevel.SD, 100)) == [D, A, M]
    assert list(quotas(SchoolLevel.SMA, 100)) == [D, A, M, P]
    assert offered(SchoolLevel.SD) == (D, A, M)


def test_a_small_school_gives_up_mutasi_before_domisili_falls_short() -> None:
    # SMA, 27 places: afirmasi and prestasi take 9 each (30 % is 8.1, rounded up), mutasi's
    # 1 place (5 % is 1.35) would leave domisili 8, short of its 30 %: mutasi gives it back.
    assert quotas(SchoolLevel.SMA, 27) == {D: 9, A: 9, M: 0, P: 9}


def satisfies_every_share(level: SchoolLevel, capacity: int, places: dict[Pathway, int]) -> bool:
    return sum(places.values()) == capacity and all(
        share.minimum * capacity <= places[pathway] <= share.maximum * capacity
        for pathway, share in SHARES[level].items()
    )


def some_split_exists(level: SchoolLevel, capacity: int) -> bool:
    """By brute force: is there any split into whole places that honours the table?"""
    others = [p for p in SHARES[level] if p is not D]
    for split in itertools.product(range(capacity + 1), repeat=len(others)):
        places = dict(zip(others, split, strict=True))
        places[D] = capacity - sum(split)
        if places[D] >= 0 and satisfies_every_share(level, capacity, places):
            return True
    return False


@pytest.mark.parametrize("level", list(SchoolLevel))
def test_refuses_exactly_the_capacities_no_split_can_honour(level: SchoolLevel) -> None:
    for capacity in range(0, 40):
        feasible = some_split_exists(level, capacity)
        if feasible:
            assert satisfies_every_share(level, capacity, quotas(level, capacity)), capacity
        else:
            with pytest.raises(QuotasUnsatisfiable):
                quotas(level, capacity)
            assert published_quotas(level, capacity) is None


@given(level=st.sampled_from(SchoolLevel), capacity=st.integers(min_value=28, max_value=5000))
def test_from_one_class_up_every_share_holds(level: SchoolLevel, capacity: int) -> None:
    places = quotas(level, capacity)

    assert satisfies_every_share(level, capacity, places)
    # Minimum pathways get exactly their share rounded up; domisili takes what is left.
    for pathway, share in SHARES[level].items():
        if pathway is not D and share.minimum:
            assert places[pathway] == math.ceil(share.minimum * capacity)
    assert places[M] == math.floor(Fraction(5, 100) * capacity)


def test_a_negative_capacity_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="negative"):
        quotas(SchoolLevel.SD, -1)
