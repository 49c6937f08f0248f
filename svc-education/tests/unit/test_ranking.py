"""The ranking order per level and pathway, and that it is total and deterministic."""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from education.admission.ranking import rank
from kota_contracts.education import Pathway, SchoolLevel

T0 = datetime(2027, 6, 2, 1, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Child:
    name: str
    birth_date: date
    distance_m: int
    registered_at: datetime = T0
    number: int = 0
    achievement_score: Decimal | None = None


def names(children: list[Child]) -> list[str]:
    return [c.name for c in children]


def test_sd_ranks_the_older_child_first_then_the_nearer_home() -> None:
    children = [
        Child("young-near", date(2021, 5, 1), 100, number=1),
        Child("old-far", date(2020, 9, 1), 3000, number=2),
        Child("old-near", date(2020, 9, 1), 800, number=3),
    ]
    for pathway in (Pathway.DOMISILI, Pathway.AFIRMASI, Pathway.MUTASI):
        ranked = rank(children, level=SchoolLevel.SD, pathway=pathway)
        assert names(ranked) == ["old-near", "old-far", "young-near"]


@pytest.mark.parametrize("level", [SchoolLevel.SMP, SchoolLevel.SMA])
def test_smp_and_sma_domisili_rank_by_distance_ties_to_the_older_then_the_earlier(
    level: SchoolLevel,
) -> None:
    children = [
        Child("far", date(2014, 1, 1), 2500, number=1),
        Child("near-young-early", date(2014, 8, 1), 400, T0, number=2),
        Child("near-old", date(2013, 12, 1), 400, T0 + timedelta(hours=5), number=3),
        Child("near-young-late", date(2014, 8, 1), 400, T0 + timedelta(minutes=1), number=4),
        Child("nearest", date(2014, 9, 9), 399, T0 + timedelta(days=3), number=5),
    ]
    ranked = rank(children, level=level, pathway=Pathway.DOMISILI)
    assert names(ranked) == [
        "nearest",
        "near-old",
        "near-young-early",
        "near-young-late",
        "far",
    ]


def test_prestasi_ranks_by_score_whatever_the_distance() -> None:
    children = [
        Child("near-85", date(2011, 3, 1), 100, number=1, achievement_score=Decimal("85.00")),
        Child("far-92", date(2011, 3, 1), 9000, number=2, achievement_score=Decimal("92.50")),
        Child("young-85", date(2011, 9, 1), 50, number=3, achievement_score=Decimal("85")),
    ]
    ranked = rank(children, level=SchoolLevel.SMA, pathway=Pathway.PRESTASI)
    assert names(ranked) == ["far-92", "near-85", "young-85"]


def test_a_prestasi_applicant_without_a_score_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="no achievement score"):
        rank(
            [Child("a", date(2011, 1, 1), 1), Child("b", date(2011, 1, 2), 1)],
            level=SchoolLevel.SMP,
            pathway=Pathway.PRESTASI,
        )


children = st.lists(
    st.builds(
        Child,
        name=st.text(max_size=3),
        birth_date=st.dates(min_value=date(2010, 1, 1), max_value=date(2012, 1, 1)),
        distance_m=st.integers(min_value=0, max_value=50),
        registered_at=st.sampled_from([T0, T0 + timedelta(seconds=1)]),
        number=st.integers(min_value=1, max_value=10**6),
        achievement_score=st.decimals(min_value=0, max_value=100, places=2),
    ),
    max_size=30,
    unique_by=lambda c: c.number,
)


@given(applicants=children, data=st.data())
def test_the_order_does_not_depend_on_the_input_order(
    applicants: list[Child], data: st.DataObject
) -> None:
    level = data.draw(st.sampled_from(SchoolLevel))
    pathway = data.draw(st.sampled_from([Pathway.DOMISILI, Pathway.AFIRMASI, Pathway.PRESTASI]))
    shuffled = data.draw(st.permutations(applicants))

    ranked = rank(applicants, level=level, pathway=pathway)

    assert rank(shuffled, level=level, pathway=pathway) == ranked
    assert sorted(c.number for c in ranked) == sorted(c.number for c in applicants)


@given(applicants=children)
def test_domisili_at_smp_never_puts_a_farther_home_first(applicants: list[Child]) -> None:
    ranked = rank(applicants, level=SchoolLevel.SMP, pathway=Pathway.DOMISILI)
    for ahead, behind in itertools.pairwise(ranked):
        assert ahead.distance_m <= behind.distance_m
        if ahead.distance_m == behind.distance_m:
            assert ahead.birth_date <= behind.birth_date
