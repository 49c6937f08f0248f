"""Haversine against distances known independently, and its properties."""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from education.admission.distance import EARTH_MEAN_RADIUS_M, distance_m, haversine_m


def test_rosetta_codes_nashville_to_los_angeles() -> None:
    # The classic worked example (BNA to LAX), published with a radius of 6372.8 km.
    assert haversine_m(36.12, -86.67, 33.94, -118.40, radius_m=6_372_800) == pytest.approx(
        2_887_259.9506071106, abs=1e-6
    )


@pytest.mark.parametrize(
    ("points", "arc"),
    [
        ((0, 0, 1, 0), math.pi / 180),  # one degree of a meridian
        ((0, 0, 0, 1), math.pi / 180),  # one degree of the equator
        ((0, 0, 0, 90), math.pi / 2),  # a quarter of the equator
        ((0, 0, 90, 0), math.pi / 2),  # equator to pole
        ((0, 0, 0, 180), math.pi),  # antipodes
        ((-6.2, 106.8, 6.2, -73.2), math.pi),  # Jakarta's antipode
    ],
)
def test_arcs_of_the_sphere(points: tuple[float, float, float, float], arc: float) -> None:
    assert haversine_m(*points) == pytest.approx(arc * EARTH_MEAN_RADIUS_M, abs=1e-3)


def test_a_degree_of_longitude_shrinks_with_latitude() -> None:
    # At Tangerang's latitude (about 6.18° S) a degree east is cos(6.18°) of one at the equator.
    expected = math.cos(math.radians(6.18)) * math.pi / 180 * EARTH_MEAN_RADIUS_M
    assert haversine_m(-6.18, 106.0, -6.18, 107.0) == pytest.approx(expected, rel=1e-4)


def test_a_home_near_smp_negeri_1_tangerang() -> None:
    # 0.001° north of the school: 111.195 m on the mean sphere.
    school = (Decimal("-6.178306"), Decimal("106.631467"))
    home = (Decimal("-6.177306"), Decimal("106.631467"))
    assert distance_m(*home, *school) == 111


latitudes = st.floats(min_value=-90, max_value=90)
longitudes = st.floats(min_value=-180, max_value=180)


@given(a=st.tuples(latitudes, longitudes), b=st.tuples(latitudes, longitudes))
def test_symmetric_and_bounded(a: tuple[float, float], b: tuple[float, float]) -> None:
    there = haversine_m(*a, *b)
    assert there == pytest.approx(haversine_m(*b, *a), abs=1e-6)
    assert 0 <= there <= math.pi * EARTH_MEAN_RADIUS_M + 1e-6
    assert haversine_m(*a, *a) == 0


@given(
    a=st.tuples(latitudes, longitudes),
    b=st.tuples(latitudes, longitudes),
    c=st.tuples(latitudes, longitudes),
)
def test_triangle_inequality(
    a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]
) -> None:
    assert haversine_m(*a, *c) <= haversine_m(*a, *b) + haversine_m(*b, *c) + 1e-3
