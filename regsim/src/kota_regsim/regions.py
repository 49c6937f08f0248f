"""Where the simulated residents live and were first registered: Kemendagri region codes.

Data, not logic, and not typed by hand (each file's ``source`` field says where it comes from):
``data/kota_tangerang.json`` holds Kota Tangerang's 13 kecamatan and 104 kelurahan with an
approximate coordinate box each; ``data/regions.json`` every province and regency (for a
NIK's first four digits) and the kecamatan elsewhere in Indonesia that some generated
residents were first registered in.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Box:
    """``south``..``north`` latitude, ``west``..``east`` longitude, decimal degrees."""

    south: float
    west: float
    north: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


@dataclass(frozen=True)
class Kecamatan:
    code: str
    """Dotted: ``36.71.05``."""
    name: str

    @property
    def digits(self) -> str:
        """The six digits a NIK or KK number starts with: ``367105``."""
        return self.code.replace(".", "")


@dataclass(frozen=True)
class Kelurahan:
    code: str
    """Dotted: ``36.71.05.1003``."""
    name: str
    kecamatan: Kecamatan
    box: Box
    """Inside the kelurahan's boundary: generated homes are drawn from it."""
    bounds: Box
    """The boundary's envelope: a home outside it is certainly not in the kelurahan."""


@dataclass(frozen=True)
class Birthplace:
    """A kecamatan outside Kota Tangerang, and the place of birth a resident from it gets."""

    kecamatan: str
    """Dotted: ``33.29.01``."""
    place_of_birth: str


def _load(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _box(values: list[float]) -> Box:
    south, west, north, east = values
    return Box(south=south, west=west, north=north, east=east)


_CITY = _load("kota_tangerang.json")
_NATIONAL = _load("regions.json")

PROVINCE_CODE: str = _CITY["province"]["code"]
PROVINCE_NAME: str = _CITY["province"]["name"]
CITY_CODE: str = _CITY["city"]["code"]
"""Dotted: ``36.71``."""
CITY_NAME: str = _CITY["city"]["name"]

KECAMATAN: tuple[Kecamatan, ...] = tuple(
    Kecamatan(code=k["code"], name=k["name"]) for k in _CITY["kecamatan"]
)
KELURAHAN: tuple[Kelurahan, ...] = tuple(
    Kelurahan(
        code=kel["code"],
        name=kel["name"],
        kecamatan=kecamatan,
        box=_box(kel["box"]),
        bounds=_box(kel["bounds"]),
    )
    for kecamatan, entry in zip(KECAMATAN, _CITY["kecamatan"], strict=True)
    for kel in entry["kelurahan"]
)
KECAMATAN_BY_DIGITS: Mapping[str, Kecamatan] = MappingProxyType({k.digits: k for k in KECAMATAN})
KELURAHAN_BY_CODE: Mapping[str, Kelurahan] = MappingProxyType({k.code: k for k in KELURAHAN})

PROVINCES: Mapping[str, str] = MappingProxyType(dict(_NATIONAL["provinces"]))
"""Province code (``36``) → name."""
REGENCIES: Mapping[str, str] = MappingProxyType(
    {code.replace(".", ""): name for code, name in _NATIONAL["regencies"].items()}
)
"""Regency or city code, undotted as in a NIK (``3671``) → name."""
BIRTHPLACES: tuple[Birthplace, ...] = tuple(
    Birthplace(kecamatan=b["kecamatan"], place_of_birth=b["place_of_birth"])
    for b in _NATIONAL["birthplaces"]
)

_KELURAHAN_CODE = re.compile(r"^(\d{2})\.?(\d{2})\.?(\d{2})\.?(\d{4})$")


def kelurahan(code: str) -> Kelurahan | None:
    """The kelurahan with this code, dotted (``36.71.05.1003``) or not (``3671051003``)."""
    found = _KELURAHAN_CODE.match(code.strip())
    if found is None:
        return None
    return KELURAHAN_BY_CODE.get(".".join(found.groups()))


def place_of_birth(regency_digits: str) -> str | None:
    """What a card prints as the place of birth of someone first registered in this regency:
    its name without ``Kabupaten``/``Kota``, in capitals (every Jakarta city is ``JAKARTA``)."""
    name = REGENCIES.get(regency_digits)
    if name is None:
        return None
    if regency_digits.startswith("31"):
        return "JAKARTA"
    return re.sub(r"^(Kabupaten|Kota)\s+", "", name).upper()
