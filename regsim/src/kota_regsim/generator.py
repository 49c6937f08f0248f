"""A synthetic population of Kota Tangerang families: the same for the same seed and day.

Each family lives in one of the city's kelurahan, at a point of that kelurahan's box: a head
(now and then a woman), usually a spouse, up to four children born to parents aged 19 to 42,
and sometimes a parent or another relative. Most residents were first registered in the
family's kecamatan; some adults come from elsewhere in Indonesia (their NIK starts with that
kecamatan's code). Cards were issued from 2005 to three weeks ago, after the youngest member's
birth; about one in five less than a year ago, which matters to school admission's one-year
rule. Ages and issue dates count back from ``today``, so they stay realistic on any day.
"""

import random
from datetime import date, timedelta

from kota_regsim import names, regions
from kota_regsim.numbers import Sex
from kota_regsim.population import FamilySpec, MemberSpec, Registry, random_point

YEAR = 365.25
EARLIEST_ISSUE = date(2005, 1, 1)
EARLIEST_BIRTH = date(1930, 1, 1)
"""A NIK's two year digits read as 20YY up to this year's, so nobody older is generated."""
CHILDREN_WEIGHTS = (15, 25, 30, 20, 10)
"""How many families have 0, 1, 2, 3 and 4 children, in percent."""
RECENT_CARD_SHARE = 0.2
FROM_ELSEWHERE_SHARE = 0.35


def populate(registry: Registry, *, families: int, seed: int, today: date) -> None:
    """Register ``families`` generated cards."""
    rng = random.Random(seed)
    for _ in range(families):
        registry.register(_family(rng, today=today), today=today)


def _family(rng: random.Random, *, today: date) -> FamilySpec:
    kelurahan = rng.choice(regions.KELURAHAN)
    home = kelurahan.kecamatan
    head_sex: Sex = "female" if rng.random() < 0.15 else "male"
    head_born = _days_before(today, rng.uniform(24 * YEAR, 75 * YEAR))
    members = [_adult(rng, "KEPALA KELUARGA", head_sex, head_born, home=home)]
    mother_born = head_born if head_sex == "female" else None
    married = rng.random() < (0.85 if head_sex == "male" else 0.15)
    if married:
        spouse_sex: Sex = "female" if head_sex == "male" else "male"
        gap = rng.uniform(-2 * YEAR, 8 * YEAR) * (1 if head_sex == "male" else -1)
        spouse_born = min(head_born + timedelta(days=gap), _days_before(today, 20 * YEAR))
        relationship = "ISTRI" if spouse_sex == "female" else "SUAMI"
        members.append(_adult(rng, relationship, spouse_sex, spouse_born, home=home))
        if spouse_sex == "female":
            mother_born = spouse_born
    parent_born = mother_born or head_born
    members.extend(_children(rng, parent_born=parent_born, home=home, today=today))
    if rng.random() < 0.12:
        relative = _relative(rng, head_born=head_born, home=home, today=today)
        if relative is not None:
            members.append(relative)
    youngest = max(m.birth_date for m in members)
    latitude, longitude = random_point(kelurahan.box, rng)
    return FamilySpec(
        kelurahan_code=kelurahan.code,
        street=f"{rng.choice(names.STREETS)} NO. {rng.randint(1, 150)}",
        rt=str(rng.randint(1, 15)),
        rw=str(rng.randint(1, 12)),
        members=tuple(members),
        issued_on=_issue_date(rng, youngest=youngest, today=today),
        latitude=latitude,
        longitude=longitude,
    )


def _adult(
    rng: random.Random, relationship: str, sex: Sex, born: date, *, home: regions.Kecamatan
) -> MemberSpec:
    registered_in, place = _first_registration(rng, home=home, adult=True)
    return MemberSpec(
        name=_name(rng, sex),
        birth_date=born,
        sex=sex,
        relationship=relationship,
        registered_in=registered_in,
        place_of_birth=place,
    )


def _children(
    rng: random.Random, *, parent_born: date, home: regions.Kecamatan, today: date
) -> list[MemberSpec]:
    count = rng.choices(range(len(CHILDREN_WEIGHTS)), weights=CHILDREN_WEIGHTS)[0]
    first = parent_born + timedelta(days=19 * YEAR)
    last = min(parent_born + timedelta(days=42 * YEAR), today - timedelta(days=35))
    if first > last:
        return []
    span = (last - first).days
    births = sorted(first + timedelta(days=rng.randint(0, span)) for _ in range(count))
    children = []
    for born in births:
        sex: Sex = rng.choice(("male", "female"))
        registered_in, place = _first_registration(rng, home=home, adult=False)
        children.append(
            MemberSpec(
                name=_name(rng, sex),
                birth_date=born,
                sex=sex,
                relationship="ANAK",
                registered_in=registered_in,
                place_of_birth=place,
            )
        )
    return children


def _relative(
    rng: random.Random, *, head_born: date, home: regions.Kecamatan, today: date
) -> MemberSpec | None:
    relationship = rng.choice(("ORANG TUA", "MERTUA", "FAMILI LAIN"))
    if relationship == "FAMILI LAIN":
        born = _days_before(today, rng.uniform(1 * YEAR, 60 * YEAR))
    else:
        born = head_born - timedelta(days=rng.uniform(18 * YEAR, 35 * YEAR))
        if born < EARLIEST_BIRTH:
            return None
    sex: Sex = rng.choice(("male", "female"))
    return _adult(rng, relationship, sex, born, home=home)


def _first_registration(
    rng: random.Random, *, home: regions.Kecamatan, adult: bool
) -> tuple[str, str | None]:
    """The six digits a NIK starts with, and the place of birth where it is not Tangerang."""
    if adult and rng.random() < FROM_ELSEWHERE_SHARE:
        birthplace = rng.choice(regions.BIRTHPLACES)
        return birthplace.kecamatan.replace(".", ""), birthplace.place_of_birth
    if rng.random() < (0.75 if adult else 0.9):
        return home.digits, None
    return rng.choice(regions.KECAMATAN).digits, None


def _issue_date(rng: random.Random, *, youngest: date, today: date) -> date:
    latest = today - timedelta(days=21)
    earliest = min(max(EARLIEST_ISSUE, youngest + timedelta(days=14)), latest)
    if rng.random() < RECENT_CARD_SHARE:
        earliest = max(earliest, latest - timedelta(days=330))
    return earliest + timedelta(days=rng.randint(0, (latest - earliest).days))


def _name(rng: random.Random, sex: Sex) -> str:
    given: tuple[str, ...]
    middle: tuple[str, ...]
    last: tuple[str, ...]
    if sex == "male":
        given, middle, last = names.MALE_GIVEN, names.MALE_MIDDLE, names.MALE_LAST
    else:
        given, middle, last = names.FEMALE_GIVEN, names.FEMALE_MIDDLE, names.FEMALE_LAST
    parts = [rng.choice(given)]
    if rng.random() < 0.3:
        parts.append(rng.choice(middle))
    if rng.random() < 0.85:
        parts.append(rng.choice(last))
    return " ".join(parts)


def _days_before(day: date, days: float) -> date:
    return day - timedelta(days=int(days))
