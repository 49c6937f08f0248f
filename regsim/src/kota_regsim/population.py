"""The simulator's memory: every family card and its members, and the rules a new card keeps.

One `Registry` per app, in process memory (lost at restart). Every card, whether seeded
(`kota_regsim.demo`, `kota_regsim.generator`) or added through the control API, goes through
`Registry.register`, so the rules hold for the whole population: numbers that follow the
NIK and KK rules, unique, a head on every card, a home inside its kelurahan. A lock guards it
because the control API and the registry's answers read and write it concurrently.
"""

import random
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

from kota_regsim import numbers, regions
from kota_regsim.numbers import InvalidNumber, Sex

Relationship = Literal[
    "KEPALA KELUARGA",
    "SUAMI",
    "ISTRI",
    "ANAK",
    "MENANTU",
    "CUCU",
    "ORANG TUA",
    "MERTUA",
    "FAMILI LAIN",
    "PEMBANTU",
    "LAINNYA",
]
"""``STAT_HBKEL``: each member's relationship to the head, as the card prints it."""
RELATIONSHIPS: tuple[str, ...] = get_args(Relationship)
HEAD = "KEPALA KELUARGA"

MAX_MEMBERS = 20
EARLIEST_BIRTH = date(1900, 1, 1)
EARLIEST_ISSUE = date(2000, 1, 1)
_NEIGHBOURHOOD = re.compile(r"^\d{1,3}$")


@dataclass(frozen=True)
class Address:
    kelurahan: regions.Kelurahan
    street: str
    """``ALAMAT``, as the card prints it."""
    rt: str
    """Three digits: ``003``."""
    rw: str
    latitude: float
    longitude: float
    """Not on a real card: the simulator's stand-in for geocoding the address."""


@dataclass(frozen=True)
class Person:
    nik: str
    name: str
    birth_date: date
    sex: Sex
    relationship: str
    place_of_birth: str


@dataclass(frozen=True)
class FamilyCard:
    number: str
    issued_on: date
    address: Address
    members: tuple[Person, ...]
    """In the card's order, the head first."""


@dataclass(frozen=True)
class MemberSpec:
    """A member to put on a new card; the registry gives a NIK where none is said."""

    name: str
    birth_date: date
    sex: Sex
    relationship: str
    nik: str | None = None
    place_of_birth: str | None = None
    """Default: the regency of the NIK's first registration (``TANGERANG`` for 3671)."""
    registered_in: str | None = None
    """For a NIK the registry makes: the kecamatan of first registration, six digits;
    default the card's own."""


@dataclass(frozen=True)
class FamilySpec:
    """A card to register. Without ``number`` the registry numbers it; without
    ``issued_on`` it was issued on the day in its number (today, for a new number); without
    coordinates the home is drawn from the kelurahan's box."""

    kelurahan_code: str
    street: str
    rt: str
    rw: str
    members: tuple[MemberSpec, ...]
    number: str | None = None
    issued_on: date | None = None
    latitude: float | None = None
    longitude: float | None = None


class InvalidFamily(ValueError):
    """A card that breaks a rule; ``field`` names the part of the request at fault."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class AlreadyRegistered(InvalidFamily):
    """A card number or NIK that the registry already holds."""


@dataclass
class Registry:
    _cards: dict[str, FamilyCard] = field(default_factory=dict)
    _card_of: dict[str, str] = field(default_factory=dict)
    """NIK → the number of the card the person is on."""
    _used: set[str] = field(default_factory=set)
    """Every NIK and card number: no number is both."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def register(self, spec: FamilySpec, *, today: date) -> FamilyCard:
        """Check ``spec`` against the rules, number what is unnumbered, and keep the card."""
        kelurahan = _kelurahan(spec.kelurahan_code)
        street = _text(spec.street, "address.street")
        rt = _neighbourhood(spec.rt, "address.rt")
        rw = _neighbourhood(spec.rw, "address.rw")
        _check_members(spec.members, today=today)
        with self._lock:
            number, issued_on = self._number(spec, kecamatan=kelurahan.kecamatan, today=today)
            members = self._members(spec.members, kecamatan=kelurahan.kecamatan, number=number)
            latitude, longitude = _home(spec, kelurahan=kelurahan, seed=number)
            card = FamilyCard(
                number=number,
                issued_on=issued_on,
                address=Address(kelurahan, street, rt, rw, latitude, longitude),
                members=members,
            )
            self._cards[number] = card
            self._used.add(number)
            for person in members:
                self._card_of[person.nik] = number
                self._used.add(person.nik)
        return card

    def family(self, number: str) -> FamilyCard | None:
        with self._lock:
            return self._cards.get(number)

    def person(self, nik: str) -> tuple[Person, FamilyCard] | None:
        """The person with this NIK and the card they are on."""
        with self._lock:
            number = self._card_of.get(nik)
            if number is None:
                return None
            card = self._cards[number]
        return next(p for p in card.members if p.nik == nik), card

    def families(self) -> list[FamilyCard]:
        """Every card, in the order registered."""
        with self._lock:
            return list(self._cards.values())

    def people(self) -> Iterator[tuple[Person, FamilyCard]]:
        for card in self.families():
            for person in card.members:
                yield person, card

    def _number(
        self, spec: FamilySpec, *, kecamatan: regions.Kecamatan, today: date
    ) -> tuple[str, date]:
        if spec.number is None:
            issued_on = spec.issued_on or today
            _check_issue_date(issued_on, today=today)
            # Not the digits of a NIK this card brings either.
            niks = {m.nik for m in spec.members if m.nik is not None}
            return self._next(kecamatan.digits, issued_on, taken=niks), issued_on
        try:
            numbered_on = numbers.check_family_card_number(spec.number, kecamatan=kecamatan)
        except InvalidNumber as exc:
            raise InvalidFamily("no_kk", str(exc)) from None
        issued_on = spec.issued_on or numbered_on
        _check_issue_date(issued_on, today=today)
        if issued_on < numbered_on:
            raise InvalidFamily("issued_on", "a card is not issued before the date in its number")
        if spec.number in self._used:
            raise AlreadyRegistered("no_kk", "the registry already holds this number")
        return spec.number, issued_on

    def _members(
        self, specs: tuple[MemberSpec, ...], *, kecamatan: regions.Kecamatan, number: str
    ) -> tuple[Person, ...]:
        """``number`` is the card's own, not yet kept: a NIK is never the same digits (a boy
        born on the day his card is issued would otherwise get its number)."""
        taken: set[str] = set()
        for index, member in enumerate(specs):
            if member.nik is None:
                continue
            where = f"members[{index}].nik"
            try:
                numbers.check_nik(member.nik, birth_date=member.birth_date, sex=member.sex)
            except InvalidNumber as exc:
                raise InvalidFamily(where, str(exc)) from None
            if member.nik in self._used:
                raise AlreadyRegistered(where, "the registry already holds this NIK")
            if member.nik == number:
                raise InvalidFamily(where, "the same digits as the card's number")
            if member.nik in taken:
                raise InvalidFamily(where, "the same NIK twice on one card")
            taken.add(member.nik)
        taken.add(number)
        people = []
        for index, member in enumerate(specs):
            nik = member.nik
            if nik is None:
                region = member.registered_in or kecamatan.digits
                _check_region(region, f"members[{index}].registered_in")
                nik = self._next(region, member.birth_date, taken=taken, sex=member.sex)
                taken.add(nik)
            place = member.place_of_birth or regions.place_of_birth(nik[:4]) or ""
            people.append(
                Person(
                    nik=nik,
                    name=" ".join(member.name.split()),
                    birth_date=member.birth_date,
                    sex=member.sex,
                    relationship=member.relationship,
                    place_of_birth=" ".join(place.upper().split()),
                )
            )
        return tuple(people)

    def _next(self, region: str, day: date, *, taken: set[str], sex: Sex = "male") -> str:
        """The number with the lowest serial not yet used for this region and date."""
        for serial in range(1, numbers.MAX_SERIAL + 1):
            candidate = numbers.compose(region, day, serial, sex=sex)
            if candidate not in self._used and candidate not in taken:
                return candidate
        raise InvalidFamily("members", f"every serial for {region} on {day} is taken")


def _kelurahan(code: str) -> regions.Kelurahan:
    found = regions.kelurahan(code)
    if found is None:
        raise InvalidFamily(
            "address.kelurahan_code", "not a kelurahan of Kota Tangerang (36.71.KK.DDDD)"
        )
    return found


def _text(value: str, where: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InvalidFamily(where, "must not be empty")
    return cleaned


def _neighbourhood(value: str, where: str) -> str:
    if not _NEIGHBOURHOOD.match(value) or int(value) == 0:
        raise InvalidFamily(where, "one to three digits, from 001")
    return f"{int(value):03d}"


def _check_region(region: str, where: str) -> None:
    """Six digits a NIK may start with: a known regency and a kecamatan (one of Kota
    Tangerang's for 3671)."""
    if not re.fullmatch(r"\d{6}", region) or region[:4] not in regions.REGENCIES:
        raise InvalidFamily(where, "six digits: a regency code and a kecamatan")
    if region[:4] == regions.CITY_CODE.replace(".", ""):
        if region not in regions.KECAMATAN_BY_DIGITS:
            raise InvalidFamily(where, "not a kecamatan of Kota Tangerang")
    elif region[4:] == "00":
        raise InvalidFamily(where, "digits 5-6 are not a kecamatan code")


def _check_members(members: tuple[MemberSpec, ...], *, today: date) -> None:
    if not 1 <= len(members) <= MAX_MEMBERS:
        raise InvalidFamily("members", f"a card has 1 to {MAX_MEMBERS} members")
    heads = [m for m in members if m.relationship == HEAD]
    if len(heads) != 1:
        raise InvalidFamily("members", f"a card has exactly one {HEAD}")
    for index, member in enumerate(members):
        _text(member.name, f"members[{index}].name")
        if member.relationship not in RELATIONSHIPS:
            raise InvalidFamily(
                f"members[{index}].relationship", "not a relationship a card prints"
            )
        if not EARLIEST_BIRTH <= member.birth_date <= today:
            raise InvalidFamily(
                f"members[{index}].birth_date", f"from {EARLIEST_BIRTH} up to today"
            )


def _check_issue_date(issued_on: date, *, today: date) -> None:
    if not EARLIEST_ISSUE <= issued_on <= today:
        raise InvalidFamily("issued_on", f"from {EARLIEST_ISSUE} up to today")


def _home(spec: FamilySpec, *, kelurahan: regions.Kelurahan, seed: str) -> tuple[float, float]:
    """The given coordinates, inside the kelurahan; or a point of its box, the same for the
    same card number."""
    if spec.latitude is None and spec.longitude is None:
        return random_point(kelurahan.box, random.Random(seed))
    if spec.latitude is None or spec.longitude is None:
        raise InvalidFamily("address", "give both latitude and longitude, or neither")
    if not kelurahan.bounds.contains(spec.latitude, spec.longitude):
        raise InvalidFamily("address", f"the coordinates are not in {kelurahan.name}")
    return spec.latitude, spec.longitude


def random_point(box: regions.Box, rng: random.Random) -> tuple[float, float]:
    """A point of ``box`` to six decimals (about 0.1 m), inside it after rounding too."""
    return (
        round(rng.uniform(box.south, box.north), 6),
        round(rng.uniform(box.west, box.east), 6),
    )
