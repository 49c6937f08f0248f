"""The seeded population keeps the registry's rules: NIK and KK numbers that say where and when,
unique, one head per card, homes inside their kelurahan, and the demo families the project's
examples rely on. Checked on the `Registry` itself: no app, no HTTP."""

import re
from datetime import date, timedelta

import pytest

from kota_regsim import regions
from kota_regsim.demo import register_demo_families
from kota_regsim.generator import populate
from kota_regsim.population import HEAD, FamilyCard, Person, Registry

TODAY = date(2026, 12, 7)
FAMILIES = 400
CITY_PREFIX = "3671"
ELSEWHERE = {b.kecamatan.replace(".", "") for b in regions.BIRTHPLACES}
"""The kecamatan outside Kota Tangerang that generated adults may come from."""


def generated(*, seed: int = 3671, today: date = TODAY, families: int = FAMILIES) -> Registry:
    registry = Registry()
    populate(registry, families=families, seed=seed, today=today)
    return registry


def seeded(*, seed: int, families: int) -> Registry:
    """As the app seeds itself: the demo families first, then the generated ones."""
    registry = Registry()
    register_demo_families(registry, today=TODAY)
    populate(registry, families=families, seed=seed, today=TODAY)
    return registry


@pytest.fixture(scope="module")
def population() -> Registry:
    return seeded(seed=3671, families=FAMILIES)


def snapshot(registry: Registry) -> list[FamilyCard]:
    return registry.families()


def expected_date_digits(person: Person) -> str:
    day = person.birth_date.day + (40 if person.sex == "female" else 0)
    return f"{day:02d}{person.birth_date.month:02d}{person.birth_date.year % 100:02d}"


def test_the_same_seed_and_day_give_the_same_population() -> None:
    assert snapshot(generated()) == snapshot(generated())


def test_another_seed_gives_another_population() -> None:
    assert snapshot(generated(seed=1)) != snapshot(generated(seed=2))


def test_nobody_is_born_after_the_population_day() -> None:
    earlier = date(2015, 1, 1)

    births = [p.birth_date for p, _ in generated(today=earlier).people()]
    assert max(births) <= earlier
    assert max(c.issued_on for c in generated(today=earlier).families()) <= earlier


def test_every_family_card_number_says_its_kecamatan_and_day(population: Registry) -> None:
    for card in population.families():
        number = card.number
        numbered_on = date(2000 + int(number[10:12]), int(number[8:10]), int(number[6:8]))
        assert re.fullmatch(r"\d{16}", number), number
        assert number[:6] == card.address.kelurahan.kecamatan.digits, number
        assert number[:4] == CITY_PREFIX
        assert numbered_on <= card.issued_on <= TODAY, number
        assert int(number[12:]) >= 1


def test_every_nik_says_where_first_registered_and_when_born(population: Registry) -> None:
    people = list(population.people())
    assert len(people) > 2 * FAMILIES
    for person, _card in people:
        nik = person.nik
        assert re.fullmatch(r"\d{16}", nik), nik
        region = nik[:6]
        if region.startswith(CITY_PREFIX):
            assert region in regions.KECAMATAN_BY_DIGITS, nik  # 36.71.01 to 36.71.13
        else:
            assert region[:4] in regions.REGENCIES, nik
            assert region[4:] != "00", nik
        assert nik[6:12] == expected_date_digits(person), (nik, person)
        assert int(nik[12:]) >= 1, nik


def test_a_womans_nik_day_is_her_birth_day_plus_40(population: Registry) -> None:
    women = [p for p, _ in population.people() if p.sex == "female"]
    men = [p for p, _ in population.people() if p.sex == "male"]

    assert women
    assert men
    assert all(41 <= int(p.nik[6:8]) <= 71 for p in women)
    assert all(1 <= int(p.nik[6:8]) <= 31 for p in men)


def test_generated_residents_come_from_the_city_or_the_known_kecamatan_elsewhere() -> None:
    regions_seen = {p.nik[:6] for p, _ in generated().people()}

    assert regions_seen <= set(regions.KECAMATAN_BY_DIGITS) | ELSEWHERE
    assert regions_seen & ELSEWHERE, "some adults should come from outside the city"
    assert len(regions_seen & set(regions.KECAMATAN_BY_DIGITS)) > 1


def test_every_number_is_unique_and_no_nik_is_a_card_number(population: Registry) -> None:
    niks = [p.nik for p, _ in population.people()]
    cards = [c.number for c in population.families()]

    assert len(set(niks)) == len(niks)
    assert len(set(cards)) == len(cards)
    assert not set(niks) & set(cards)


def test_every_card_has_exactly_one_head_listed_first(population: Registry) -> None:
    for card in population.families():
        heads = [p for p in card.members if p.relationship == HEAD]
        assert len(heads) == 1, card.number
        assert card.members[0].relationship == HEAD


def test_generated_homes_are_inside_their_kelurahan_box() -> None:
    for card in generated().families():
        box = card.address.kelurahan.box
        assert box.contains(card.address.latitude, card.address.longitude), card.number


def test_cards_are_issued_after_the_youngest_member_was_born() -> None:
    for card in generated().families():
        youngest = max(p.birth_date for p in card.members)
        assert youngest < card.issued_on <= TODAY, card.number


def test_some_generated_cards_are_less_than_a_year_old() -> None:
    ages = [(TODAY - c.issued_on).days for c in generated().families()]

    recent = sum(age < 365 for age in ages)
    assert 0.1 * len(ages) < recent < 0.4 * len(ages)


def test_the_demo_families_come_first_whatever_the_seed() -> None:
    one = seeded(seed=1, families=5).families()
    other = seeded(seed=2, families=5).families()

    assert one[:5] == other[:5]
    assert one[5:] != other[5:]


def test_siti_rahmawati_is_a_woman_born_5_august_1990(population: Registry) -> None:
    found = population.person("3671014508900001")

    assert found is not None
    siti, card = found
    assert (siti.name, siti.birth_date, siti.sex) == ("Siti Rahmawati", date(1990, 8, 5), "female")
    assert card.number == "3671012309150003"


def test_agus_salim_heads_a_card_over_a_year_old_with_two_school_age_children(
    population: Registry,
) -> None:
    found = population.person("3671010101700001")

    assert found is not None
    agus, card = found
    assert (agus.name, agus.birth_date, agus.sex) == ("Agus Salim", date(1970, 1, 1), "male")
    assert agus.relationship == HEAD
    assert card.number == "3671010403180002"
    assert (TODAY - card.issued_on).days > 365
    children = [p for p in card.members if p.relationship == "ANAK"]
    assert len(children) == 2
    for child in children:
        age = (TODAY - child.birth_date).days / 365.25
        assert 6 <= age <= 15, child


def test_a_demo_card_dated_relative_to_today_moves_with_it() -> None:
    registry = Registry()
    register_demo_families(registry, today=TODAY)

    card = registry.family("3671051207120004")
    assert card is not None
    assert card.issued_on == TODAY - timedelta(days=60)
