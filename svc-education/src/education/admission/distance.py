"""The straight-line distance from a home to a school, which ranks the domisili pathway.

Haversine on a sphere of the Earth's mean radius, as the regulation asks ("jarak lurus"):
it differs from the ellipsoidal distance by at most about 0.5 %, the same for every applicant
to a school, so the order it gives is what matters.
"""

import math
from decimal import Decimal

EARTH_MEAN_RADIUS_M = 6_371_008.8
"""IUGG mean radius (R1), in metres."""

Degrees = float | Decimal


def haversine_m(
    lat1: Degrees,
    lon1: Degrees,
    lat2: Degrees,
    lon2: Degrees,
    *,
    radius_m: float = EARTH_MEAN_RADIUS_M,
) -> float:
    """Great-circle distance in metres between two points given in decimal degrees."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    # min(): rounding can push h a hair above 1 for antipodal points, outside asin's domain.
    return 2 * radius_m * math.asin(math.sqrt(min(1.0, h)))


def distance_m(lat1: Degrees, lon1: Degrees, lat2: Degrees, lon2: Degrees) -> int:
    """The distance in whole metres, as stored and ranked.

    A phone's position of a home is not better than a few metres, so two homes at the same
    whole metre count as equally far, and the tie-break rules (older first) decide.
    """
    return round(haversine_m(lat1, lon1, lat2, lon2))
