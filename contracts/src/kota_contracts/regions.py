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
