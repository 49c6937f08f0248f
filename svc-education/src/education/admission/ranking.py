"""The order in which a school's applicants to one pathway are ranked (DOMAIN.md, Education).

- SD, every pathway: the older child first (earlier birth date), then the nearer home.
- SMP and SMA, domisili: the nearer home first; at the same distance the older child, then
  the earlier registration. Afirmasi and mutasi rank the same way (the regulation leaves it
  to the region; distance is what the city uses).
- Prestasi: the higher score first; at the same score the older child, then the earlier
  registration.

Every order ends with the registration time and number, so it is total: the same applicants
always rank the same, whatever order the database returns them in.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from kota_contracts.education import Pathway, SchoolLevel


class Applicant(Protocol):
    """What ranking reads of a registration."""

    @property
    def birth_date(self) -> date: ...
    @property
    def distance_m(self) -> int: ...
    @property
    def achievement_score(self) -> Decimal | None: ...
    @property
    def registered_at(self) -> datetime: ...
    @property
    def number(self) -> int: ...


A = TypeVar("A", bound=Applicant)


def _by_age_then_distance(a: Applicant) -> tuple[Any, ...]:
    return (a.birth_date, a.distance_m, a.registered_at, a.number)


def _by_distance_then_age(a: Applicant) -> tuple[Any, ...]:
    return (a.distance_m, a.birth_date, a.registered_at, a.number)


def _by_score(a: Applicant) -> tuple[Any, ...]:
    if a.achievement_score is None:
        raise ValueError("an applicant to the prestasi pathway has no achievement score")
    return (-a.achievement_score, a.birth_date, a.registered_at, a.number)


def ranking_key(level: SchoolLevel, pathway: Pathway) -> Callable[[Applicant], tuple[Any, ...]]:
    """The sort key for applicants to ``pathway`` at a school of ``level`` (first ranks first)."""
    if pathway is Pathway.PRESTASI:
        return _by_score
    if level is SchoolLevel.SD:
        return _by_age_then_distance
    return _by_distance_then_age


def rank(applicants: Iterable[A], *, level: SchoolLevel, pathway: Pathway) -> list[A]:
    """``applicants`` in ranking order, the first ranked first."""
    return sorted(applicants, key=ranking_key(level, pathway))
