"""What the suite asks the civil registry, and what it learns: the port every adapter keeps.

A verification answers match or no match, never which element differs, so no caller can
use it to learn a resident's name or birth date piece by piece. Reading a person or a
family card is for the identity provider itself (the person just verified, the caller's
own card), each call audited (`kota_gateway.identity.registry.audit`).
"""

import enum
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from kota_gateway.identity.accounts.nik import Sex


class Purpose(enum.StrEnum):
    """Why the suite asked: recorded with every call, as an agency's audit requires."""

    REGISTRATION = "registration"
    ASSISTED_REGISTRATION = "assisted_registration"
    FAMILY_CARD = "family_card"


@dataclass(frozen=True)
class Inquiry:
    """Who asks the registry, for what: the audit's who and why."""

    purpose: Purpose
    asked_by: str
    """The account (``sub``) the call is made for, or ``anonymous`` before one exists."""
    source: str
    """The caller's address, as the edge sees it."""
    acting_officer: str | None = None
    """The officer at a kiosk (``act.sub``), when one acts for the citizen."""


@dataclass(frozen=True)
class PersonClaim:
    """What someone says about themselves, to be checked against the registry."""

    nik: str
    full_name: str
    birth_date: date


@dataclass(frozen=True)
class Address:
    """A family card's address, with its Kemendagri codes (dotted: ``36.71.05.1003``)."""

    street: str
    rt: str
    rw: str
    kelurahan_code: str
    kelurahan_name: str
    kecamatan_code: str
    kecamatan_name: str
    regency_code: str
    regency_name: str
    province_code: str
    province_name: str
    latitude: float | None = None
    longitude: float | None = None
    """Where the address is; None when the registry's answer carries no coordinates (a
    real deployment geocodes the address with the city's address register)."""


@dataclass(frozen=True)
class Member:
    nik: str
    full_name: str
    birth_date: date
    sex: Sex
    relationship: str
    """As the card prints it: ``KEPALA KELUARGA``, ``ISTRI``, ``ANAK``, …"""


@dataclass(frozen=True)
class RegisteredPerson:
    nik: str
    family_card_number: str
    full_name: str
    birth_date: date
    sex: Sex
    relationship: str
    address: Address


@dataclass(frozen=True)
class FamilyCard:
    number: str
    issued_on: date
    address: Address
    members: tuple[Member, ...]

    def member(self, nik: str) -> Member | None:
        return next((m for m in self.members if m.nik == nik), None)


class RegistryError(Exception):
    """The registry could not answer; nothing may be decided as if it had."""


class RegistryUnavailable(RegistryError):
    """Down, slow past the timeout, refusing our account, or answering nonsense."""


class RegistryQuotaExhausted(RegistryError):
    """The agency's calls for today are spent (ours or the registry's count)."""


class NotInRegistry(Exception):
    """No person with this NIK, or no card with this number."""


class CivilRegistry(Protocol):
    async def verify(self, claim: PersonClaim, *, inquiry: Inquiry) -> bool:
        """True when NIK, name and date of birth all match one resident."""
        ...

    async def person(self, nik: str, *, inquiry: Inquiry) -> RegisteredPerson:
        """The resident with this NIK; `NotInRegistry` if none."""
        ...

    async def family_card(self, number: str, *, inquiry: Inquiry) -> FamilyCard:
        """The family card with this number; `NotInRegistry` if none."""
        ...
