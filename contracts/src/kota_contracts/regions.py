"""Kemendagri region codes (Permendagri 137/2017) in the dotted form the city reports in.

Permits takes a kecamatan as six digits (``367107``) and the civil registry gives it dotted
(``36.71.07``); events for monitoring and open data carry the dotted form, so one district has
one code wherever it is counted.
"""

import re

_UNDOTTED_KECAMATAN = re.compile(r"^(\d{2})(\d{2})(\d{2})$")
_DOTTED_KECAMATAN = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")


def dotted_kecamatan(code: str) -> str:
    """``367107`` or ``36.71.07`` → ``36.71.07``; anything else is a programming error."""
    if _DOTTED_KECAMATAN.match(code):
        return code
    match = _UNDOTTED_KECAMATAN.match(code)
    if match is None:
        raise ValueError(f"not a kecamatan code: {code!r}")
    return ".".join(match.groups())


KOTA_TANGERANG_KECAMATAN: dict[str, str] = {
    "36.71.01": "Tangerang",
    "36.71.02": "Jatiuwung",
    "36.71.03": "Batuceper",
    "36.71.04": "Benda",
    "36.71.05": "Cipondoh",
    "36.71.06": "Ciledug",
    "36.71.07": "Karawaci",
    "36.71.08": "Periuk",
    "36.71.09": "Cibodas",
    "36.71.10": "Neglasari",
    "36.71.11": "Pinang",
    "36.71.12": "Karang Tengah",
    "36.71.13": "Larangan",
}
"""The kecamatan of the city the local suite plays, Kota Tangerang (36.71), by dotted code, as
Kepmendagri No. 300.2.2-2138 Tahun 2025 lists them (taken from cahyadsn/wilayah, as the civil
registry simulator's data is). A service that needs the city's districts takes them from its
settings, with this as the default; another city sets its own."""
