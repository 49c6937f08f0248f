"""The adapter to Dukcapil's web service for agencies: every call a ``POST`` to
``/dukcapil/get_json/<institution>/<SERVICE>`` with the agency account in the body, every
answer a page of ``content`` whose single ``{"RESPON": …}`` element is a refusal.

Services used: ``CALL_VERIFY_BY_ELEMEN`` (match per element, never the data),
``CALL_NIK`` (a resident) and ``CALL_KK`` (a family card's members). Answers are read
strictly: anything unexpected is `RegistryUnavailable`, never a guess. Dates are
``dd-mm-yyyy``; region codes come in parts (``NO_PROP`` 36, ``NO_KAB`` 71, …) and are
joined into dotted Kemendagri codes.
"""

import logging
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

import httpx

from kota_gateway.identity.accounts.nik import Sex
from kota_gateway.identity.registry.port import (
    Address,
    FamilyCard,
    Inquiry,
    Member,
    NotInRegistry,
    PersonClaim,
    RegisteredPerson,
    RegistryQuotaExhausted,
    RegistryUnavailable,
)
from kota_gateway.identity.registry.settings import RegistrySettings

_log = logging.getLogger(__name__)

NOT_FOUND = "data tidak ditemukan"
QUOTA_SPENT = "kuota"
MATCH = "sesuai"
_T = TypeVar("_T")
_SEXES = {"LAKI-LAKI": Sex.MALE, "PEREMPUAN": Sex.FEMALE}


class DukcapilRegistry:
    """`CivilRegistry` over HTTP. ``inquiry`` is the audit's business, not the wire's."""

    def __init__(self, settings: RegistrySettings, *, client: httpx.AsyncClient) -> None:
        self._settings = settings
        self._client = client

    async def verify(self, claim: PersonClaim, *, inquiry: Inquiry) -> bool:
        found = await self._call(
            "CALL_VERIFY_BY_ELEMEN",
            {
                "TRESHOLD": str(self._settings.registry_name_threshold),
                "NIK": claim.nik,
                "NAMA_LGKP": claim.full_name,
                "TGL_LHR": claim.birth_date.strftime("%d-%m-%Y"),
            },
        )
        if found is None:
            return False
        verdicts = found[0]
        elements = ("NIK", "NAMA_LGKP", "TGL_LHR")
        if any(not isinstance(verdicts.get(e), str) for e in elements):
            raise RegistryUnavailable(f"verification answer without {elements}: {list(verdicts)}")
        return all(_matches(verdicts[e]) for e in elements)

    async def person(self, nik: str, *, inquiry: Inquiry) -> RegisteredPerson:
        found = await self._call("CALL_NIK", {"NIK": nik})
        if found is None:
            raise NotInRegistry
        record = found[0]
        return _read(
            lambda: RegisteredPerson(
                **vars(_member(record)),
                family_card_number=_text(record, "NO_KK"),
                address=_address(record),
            )
        )

    async def family_card(self, number: str, *, inquiry: Inquiry) -> FamilyCard:
        found = await self._call("CALL_KK", {"NO_KK": number})
        if found is None:
            raise NotInRegistry
        first = found[0]
        return _read(
            lambda: FamilyCard(
                number=_text(first, "NO_KK"),
                issued_on=_date(first, "TGL_TERBIT_KK"),
                address=_address(first),
                members=tuple(_member(record) for record in found),
            )
        )

    async def _call(self, service: str, fields: Mapping[str, str]) -> list[dict[str, Any]] | None:
        """The answer's ``content``; None for "not found"; `RegistryUnavailable` or
        `RegistryQuotaExhausted` for every other refusal or failure."""
        settings = self._settings
        if not settings.registry_url:
            raise RegistryUnavailable("GATEWAY_REGISTRY_URL is not set")
        url = (
            f"{settings.registry_url.rstrip('/')}/dukcapil/get_json/"
            f"{settings.registry_institution}/{service}"
        )
        body = {
            "USER_ID": settings.registry_user_id,
            "PASSWORD": settings.registry_password.get_secret_value(),
            "IP_USER": settings.registry_ip_user,
            **fields,
        }
        try:
            response = await self._client.post(
                url, json=body, timeout=settings.registry_timeout_seconds
            )
        except httpx.HTTPError as exc:
            raise RegistryUnavailable(f"{service}: {type(exc).__name__}") from exc
        if response.status_code != httpx.codes.OK:
            raise RegistryUnavailable(f"{service}: HTTP {response.status_code}")
        try:
            content = response.json()["content"]
        except (ValueError, KeyError, TypeError) as exc:
            raise RegistryUnavailable(f"{service}: not a page of content") from exc
        if (
            not isinstance(content, list)
            or not content
            or not all(isinstance(item, dict) for item in content)
        ):
            raise RegistryUnavailable(f"{service}: empty or malformed content")
        refusal = content[0].get("RESPON")
        if refusal is None:
            return content
        reason = str(refusal).strip().lower()
        if reason == NOT_FOUND:
            return None
        if reason.startswith(QUOTA_SPENT):
            raise RegistryQuotaExhausted(f"{service}: {refusal}")
        # A wrong password or an unregistered address is the city's configuration: loud.
        _log.error("the civil registry refused the agency account on %s: %s", service, refusal)
        raise RegistryUnavailable(f"{service}: {refusal}")


def _matches(verdict: str) -> bool:
    """``Sesuai`` or ``Sesuai (97)`` (a name's similarity); ``Tidak Sesuai …`` is not."""
    return verdict.strip().lower().split(" (")[0] == MATCH


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record[key]
    if not isinstance(value, str | int):
        raise TypeError(key)
    return str(value).strip()


def _date(record: Mapping[str, Any], key: str) -> date:
    return datetime.strptime(_text(record, key), "%d-%m-%Y").date()


def _coordinate(record: Mapping[str, Any], key: str) -> float | None:
    value = record.get(key)
    return None if value in (None, "") else float(value)


def _member(record: Mapping[str, Any]) -> Member:
    """The person a ``CALL_NIK`` record or a ``CALL_KK`` row describes."""
    return Member(
        nik=_text(record, "NIK"),
        full_name=_text(record, "NAMA_LGKP"),
        birth_date=_date(record, "TGL_LHR"),
        sex=_SEXES[_text(record, "JENIS_KLMIN").upper()],
        relationship=_text(record, "STAT_HBKEL"),
    )


def _address(record: Mapping[str, Any]) -> Address:
    province = _text(record, "NO_PROP").zfill(2)
    regency = f"{province}.{_text(record, 'NO_KAB').zfill(2)}"
    kecamatan = f"{regency}.{_text(record, 'NO_KEC').zfill(2)}"
    return Address(
        street=_text(record, "ALAMAT"),
        rt=_text(record, "NO_RT").zfill(3),
        rw=_text(record, "NO_RW").zfill(3),
        kelurahan_code=f"{kecamatan}.{_text(record, 'NO_KEL').zfill(4)}",
        kelurahan_name=_text(record, "KEL_NAME"),
        kecamatan_code=kecamatan,
        kecamatan_name=_text(record, "KEC_NAME"),
        regency_code=regency,
        regency_name=_text(record, "KAB_NAME"),
        province_code=province,
        province_name=_text(record, "PROP_NAME"),
        latitude=_coordinate(record, "LATITUDE"),
        longitude=_coordinate(record, "LONGITUDE"),
    )


def _read(build: Callable[[], _T]) -> _T:
    """A record read whole, or `RegistryUnavailable`: a missing or malformed field is the
    registry's fault, and no decision is made on half a record."""
    try:
        return build()
    except (KeyError, TypeError, ValueError) as exc:
        raise RegistryUnavailable(f"a record the adapter cannot read: {exc!r}") from exc
