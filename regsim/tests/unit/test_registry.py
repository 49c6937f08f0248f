"""The rules `Registry.register` keeps for a card a test adds: what it numbers itself, and what
it refuses (with the field at fault)."""

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from kota_regsim import numbers, regions
from kota_regsim.population import (
    AlreadyRegistered,
    FamilySpec,
    InvalidFamily,
    MemberSpec,
    Registry,
)

TODAY = date(2026, 12, 7)
CIPONDOH_INDAH = "36.71.05.1003"
HEAD = MemberSpec(
    name="Bambang  Wibowo", birth_date=date(1980, 6, 1), sex="male", relationship="KEPALA KELUARGA"
)
WIFE = MemberSpec(
    name="Tuti Handayani",
    birth_date=date(1983, 12, 4),
    sex="female",
    relationship="ISTRI",
    nik="3671054412830001",
)


def family(*members: MemberSpec, **overrides: Any) -> FamilySpec:
    spec = FamilySpec(
        kelurahan_code=CIPONDOH_INDAH,
        street="Jl. Anggrek No. 5",
        rt="2",
        rw="07",
        members=members or (HEAD, WIFE),
    )
    return replace(spec, **overrides)


def test_what_is_left_out_the_registry_numbers_and_places() -> None:
    registry = Registry()

    card = registry.register(family(issued_on=date(2021, 2, 3)), today=TODAY)

    assert card.number == "3671050302210001"  # Cipondoh, 3 February 2021, the first serial
    assert card.issued_on == date(2021, 2, 3)
    head, wife = card.members
    assert head.nik == "3671050106800001"
    assert head.name == "Bambang Wibowo"
    assert head.place_of_birth == "TANGERANG"
    assert wife.nik == WIFE.nik
    assert (card.address.rt, card.address.rw) == ("002", "007")
    kelurahan = regions.kelurahan(CIPONDOH_INDAH)
    assert kelurahan is not None
    assert kelurahan.box.contains(card.address.latitude, card.address.longitude)
    assert registry.family(card.number) == card
    assert registry.person(WIFE.nik) == (card.members[1], card)


def test_a_new_card_without_a_date_is_issued_today() -> None:
    card = Registry().register(family(), today=TODAY)

    assert card.issued_on == TODAY
    assert card.number[6:12] == "071226"


def test_the_next_serial_is_the_lowest_unused() -> None:
    registry = Registry()
    twin = replace(HEAD, name="Budi Wibowo", relationship="ANAK", birth_date=date(2010, 1, 1))

    first = registry.register(family(HEAD, twin, replace(twin, name="Bayu")), today=TODAY)
    second = registry.register(family(replace(HEAD, name="Another")), today=TODAY)

    assert [p.nik[12:] for p in first.members] == ["0001", "0001", "0002"]
    assert second.members[0].nik == "3671050106800002"
    assert second.number == first.number[:12] + "0002"


def test_a_boy_born_on_his_cards_issue_day_gets_a_nik_of_his_own() -> None:
    newborn = MemberSpec(name="Bayi", birth_date=TODAY, sex="male", relationship="ANAK")

    card = Registry().register(family(HEAD, newborn), today=TODAY)

    assert card.number[:12] == card.members[1].nik[:12]  # same kecamatan, same day
    assert card.members[1].nik != card.number


def test_a_new_card_number_avoids_a_nik_the_card_brings() -> None:
    newborn = replace(HEAD, name="Bayi", relationship="ANAK", birth_date=TODAY)
    nik = numbers.compose("367105", TODAY, 1)

    card = Registry().register(family(HEAD, replace(newborn, nik=nik)), today=TODAY)

    assert card.members[1].nik == nik
    assert card.number == numbers.compose("367105", TODAY, 2)


def test_a_card_number_is_not_given_as_a_nik_too() -> None:
    nik = numbers.compose("367105", TODAY, 1)
    newborn = MemberSpec(name="Bayi", birth_date=TODAY, sex="male", relationship="ANAK", nik=nik)

    with pytest.raises(InvalidFamily) as refused:
        Registry().register(family(HEAD, newborn, number=nik), today=TODAY)

    assert refused.value.field == "members[1].nik"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kelurahan_code": "36.74.01.1001"}, "address.kelurahan_code"),  # Tangerang Selatan
        ({"street": "   "}, "address.street"),
        ({"rt": "000"}, "address.rt"),
        ({"rw": "1234"}, "address.rw"),
        ({"number": "3671010302210001"}, "no_kk"),  # Kecamatan Tangerang's, not Cipondoh's
        ({"number": "3671053102210001"}, "no_kk"),  # 31 February
        ({"number": "3671050302210000"}, "no_kk"),  # serial 0000
        ({"number": "3671050302210001", "issued_on": date(2021, 2, 2)}, "issued_on"),
        ({"issued_on": date(1999, 12, 31)}, "issued_on"),
        ({"issued_on": date(2026, 12, 8)}, "issued_on"),
        ({"latitude": -6.1}, "address"),  # without a longitude
        ({"latitude": -6.3, "longitude": 106.5}, "address"),  # outside Cipondoh Indah
    ],
)
def test_a_card_that_breaks_a_rule_is_refused(change: dict[str, Any], field: str) -> None:
    registry = Registry()

    with pytest.raises(InvalidFamily) as refused:
        registry.register(family(**change), today=TODAY)

    assert refused.value.field == field
    assert registry.families() == []


@pytest.mark.parametrize(
    ("member", "field"),
    [
        (replace(WIFE, nik="3671050412830001"), "members[1].nik"),  # a man's day digits
        (replace(WIFE, nik="3671054412840001"), "members[1].nik"),  # another year
        (replace(WIFE, nik="3671994412830001"), "members[1].nik"),  # no kecamatan 99 in 3671
        (replace(WIFE, nik="9971054412830001"), "members[1].nik"),  # no province 99
        (replace(WIFE, nik="3671054412830000"), "members[1].nik"),
        (replace(WIFE, nik=None, registered_in="367199"), "members[1].registered_in"),
        (replace(WIFE, relationship="KEPALA KELUARGA"), "members"),  # two heads
        (replace(WIFE, relationship="TETANGGA"), "members[1].relationship"),
        (replace(WIFE, birth_date=date(2026, 12, 8), nik=None), "members[1].birth_date"),
        (replace(WIFE, name=" "), "members[1].name"),
    ],
)
def test_a_member_who_breaks_a_rule_is_refused(member: MemberSpec, field: str) -> None:
    with pytest.raises(InvalidFamily) as refused:
        Registry().register(family(HEAD, member), today=TODAY)

    assert refused.value.field == field


def test_a_card_without_a_head_is_refused() -> None:
    with pytest.raises(InvalidFamily) as refused:
        Registry().register(family(WIFE), today=TODAY)

    assert refused.value.field == "members"


def test_the_same_nik_twice_on_one_card_is_refused() -> None:
    with pytest.raises(InvalidFamily) as refused:
        Registry().register(family(HEAD, WIFE, replace(WIFE, name="Tuti")), today=TODAY)

    assert refused.value.field == "members[2].nik"
    assert not isinstance(refused.value, AlreadyRegistered)


def test_a_number_the_registry_holds_is_already_registered() -> None:
    registry = Registry()
    card = registry.register(family(), today=TODAY)

    with pytest.raises(AlreadyRegistered) as same_card:
        registry.register(family(HEAD, number=card.number), today=TODAY)
    with pytest.raises(AlreadyRegistered) as same_person:
        registry.register(family(HEAD, WIFE), today=TODAY)

    assert same_card.value.field == "no_kk"
    assert same_person.value.field == "members[1].nik"
    assert registry.families() == [card]
