"""Dukcapil's web service for agencies, as integrators know it: the calls and their answers.

``POST /dukcapil/get_json/{institution}/{SERVICE}`` with a JSON body carrying the agency
account (``USER_ID``, ``PASSWORD``, ``IP_USER``) and the service's fields. Every answer the
registry gives is HTTP 200 with a page-shaped body (`page`); a refusal is a page of one
``{"RESPON": "..."}``. Only a malformed call (400), an unknown service (404), a body too
large (413) or maintenance (503) get another status. This module decides the answer; the
HTTP side is `kota_regsim.dukcapil_router`.
"""

import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from kota_regsim import matching, regions
from kota_regsim.audit import Answer, Call, CallLog, Clock, Quota
from kota_regsim.config import Account
from kota_regsim.population import FamilyCard, Person, Registry

VERIFY = "CALL_VERIFY_BY_ELEMEN"
PERSON = "CALL_NIK"
FAMILY_CARD = "CALL_KK"
REQUIRED = {VERIFY: ("NIK",), PERSON: ("NIK",), FAMILY_CARD: ("NO_KK",)}
"""Each service and the fields it needs besides the account's."""
ACCOUNT_FIELDS = ("USER_ID", "PASSWORD", "IP_USER")
DEFAULT_THRESHOLD = 90

WRONG_CREDENTIALS = "User ID atau Password salah"
IP_NOT_REGISTERED = "IP tidak terdaftar"
QUOTA_EXHAUSTED = "Kuota akses hari ini telah habis"
NOT_FOUND = "Data Tidak Ditemukan"
INCOMPLETE = "Parameter tidak lengkap"
INVALID = "Parameter tidak valid"
UNKNOWN_SERVICE = "Layanan tidak dikenal"
UNAVAILABLE = "Layanan sedang dalam pemeliharaan"


def page(content: list[dict[str, str]]) -> dict[str, Any]:
    """Dukcapil's answer: one page holding everything (a Spring Data page, as it shows)."""
    n = len(content)
    return {
        "content": content,
        "lastPage": True,
        "numberOfElements": n,
        "sort": None,
        "totalElements": n,
        "firstPage": True,
        "number": 0,
        "size": n,
    }


def respon(text: str) -> dict[str, Any]:
    return page([{"RESPON": text}])


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]


class BadRequest(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass
class Dukcapil:
    registry: Registry
    accounts: Mapping[str, Account]
    quota: Quota
    calls: CallLog
    clock: Clock
    timezone: ZoneInfo

    def unavailable(self, *, institution: str, service: str) -> Reply:
        """What every call gets during maintenance."""
        self._record(institution, service, "unavailable")
        return Reply(503, {"RESPON": UNAVAILABLE})

    def handle(self, *, institution: str, service: str, body: bytes) -> Reply:
        if service not in REQUIRED:
            self._record(institution, service, "unknown_service")
            return Reply(404, {"RESPON": UNKNOWN_SERVICE})
        try:
            fields = _fields(body, service)
            threshold = _threshold(fields) if service == VERIFY else DEFAULT_THRESHOLD
        except BadRequest as exc:
            self._record(institution, service, "bad_request")
            return Reply(400, {"RESPON": exc.text})
        user_id, ip_user = fields["USER_ID"], fields["IP_USER"]
        asked = {"nik": fields.get("NIK"), "no_kk": fields.get("NO_KK")}
        if service == FAMILY_CARD:
            asked["nik"] = None

        def refuse(answer: Answer, text: str) -> Reply:
            self._record(institution, service, answer, user_id, ip_user, **asked)
            return Reply(200, respon(text))

        account = self.accounts.get(user_id)
        if (
            account is None
            or not hmac.compare_digest(account.password.encode(), fields["PASSWORD"].encode())
            or account.institution != institution
        ):
            return refuse("wrong_credentials", WRONG_CREDENTIALS)
        if ip_user not in account.ips:
            return refuse("ip_not_registered", IP_NOT_REGISTERED)
        day = self.clock().astimezone(self.timezone).date()
        if not self.quota.spend(user_id, day=day, allowed=account.daily_quota):
            return refuse("quota_exhausted", QUOTA_EXHAUSTED)
        content = self._look_up(service, fields, threshold=threshold)
        if content is None:
            return refuse("not_found", NOT_FOUND)
        self._record(institution, service, "found", user_id, ip_user, **asked)
        return Reply(200, page(content))

    def _look_up(
        self, service: str, fields: Mapping[str, str], *, threshold: int
    ) -> list[dict[str, str]] | None:
        if service == FAMILY_CARD:
            card = self.registry.family(fields["NO_KK"].strip())
            if card is None:
                return None
            return [family_member(person, card) for person in card.members]
        found = self.registry.person(fields["NIK"].strip())
        if found is None:
            return None
        person, card = found
        if service == PERSON:
            return [person_record(person, card)]
        elements = {k: v for k, v in fields.items() if k in matching.ELEMENTS}
        return [matching.verify(person, card, elements=elements, threshold=threshold)]

    def _record(
        self,
        institution: str,
        service: str,
        answer: Answer,
        user_id: str | None = None,
        ip_user: str | None = None,
        *,
        nik: str | None = None,
        no_kk: str | None = None,
    ) -> None:
        self.calls.record(
            Call(
                at=self.clock(),
                service=service,
                institution=institution,
                answer=answer,
                user_id=user_id,
                ip_user=ip_user,
                nik=nik,
                no_kk=no_kk,
            )
        )


def person_record(person: Person, card: FamilyCard) -> dict[str, str]:
    """A person as ``CALL_NIK`` shows them: names in capitals, dates ``dd-mm-yyyy``."""
    address = card.address
    kelurahan = address.kelurahan
    _province, regency, kecamatan, village = kelurahan.code.split(".")
    return {
        "NIK": person.nik,
        "NO_KK": card.number,
        "NAMA_LGKP": person.name.upper(),
        "TMPT_LHR": person.place_of_birth,
        "TGL_LHR": matching.format_date(person.birth_date),
        "JENIS_KLMIN": matching.SEX_WORDS[person.sex],
        "STAT_HBKEL": person.relationship,
        "ALAMAT": address.street.upper(),
        "NO_RT": address.rt,
        "NO_RW": address.rw,
        "NO_PROP": regions.PROVINCE_CODE,
        "NO_KAB": regency,
        "NO_KEC": kecamatan,
        "NO_KEL": village,
        "PROP_NAME": regions.PROVINCE_NAME.upper(),
        "KAB_NAME": regions.CITY_NAME.upper(),
        "KEC_NAME": kelurahan.kecamatan.name.upper(),
        "KEL_NAME": kelurahan.name.upper(),
    }


def family_member(person: Person, card: FamilyCard) -> dict[str, str]:
    """A member as ``CALL_KK`` shows them: ``CALL_NIK``'s record, the card's issue date, and
    (the simulator's extension, not Dukcapil's) the coordinates of the card's address."""
    return {
        **person_record(person, card),
        "TGL_TERBIT_KK": matching.format_date(card.issued_on),
        "LATITUDE": f"{card.address.latitude:.6f}",
        "LONGITUDE": f"{card.address.longitude:.6f}",
    }


def _fields(body: bytes, service: str) -> dict[str, str]:
    """The body's fields, every one a string; `BadRequest` if any it needs is missing."""
    try:
        parsed = json.loads(body)
    except ValueError:
        raise BadRequest(INCOMPLETE) from None
    if not isinstance(parsed, dict):
        raise BadRequest(INCOMPLETE)
    for name in (*ACCOUNT_FIELDS, *REQUIRED[service]):
        value = parsed.get(name)
        if not isinstance(value, str) or not value.strip():
            raise BadRequest(INCOMPLETE)
    if service == VERIFY:
        for name in (*matching.ELEMENTS, "TRESHOLD"):
            if name in parsed and not isinstance(parsed[name], str):
                raise BadRequest(INVALID)
    return {k: v for k, v in parsed.items() if isinstance(v, str)}


def _threshold(fields: Mapping[str, str]) -> int:
    """``TRESHOLD`` (Dukcapil's spelling): a string "0" to "100", default "90"."""
    given = fields.get("TRESHOLD")
    if given is None:
        return DEFAULT_THRESHOLD
    text = given.strip()
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= 100:
        raise BadRequest(INVALID)
    return int(text)
