"""Virtual account numbers: the bank account number a citizen transfers an invoice's amount to.

Indonesian banks issue 16-digit VA numbers (BCA, for one: a 5-digit company code and an
11-digit customer number). Ours are the bank's prefix, the invoice's serial zero-padded, and a
final Luhn check digit over all the rest. Serials are dense, so without it a mistyped digit
would often be another citizen's open invoice; with it, such a number is never valid. Luhn
misses one kind of slip: swapping adjacent ``0`` and ``9`` (``…09…`` ↔ ``…90…``).
"""

import re

from stdnum import luhn

VA_LENGTH = 16
_PREFIX = re.compile(r"[0-9]{3,8}")
_DIGITS = re.compile(r"[0-9]+")


def va_number(prefix: str, serial: int) -> str:
    """The VA number for the invoice numbered ``serial`` at the bank whose prefix is ``prefix``.

    Raises ``ValueError`` for a prefix that is not 3-8 digits, or a serial that is negative or
    too long for the digits the prefix leaves (10 with a 5-digit prefix).
    """
    _check_prefix(prefix)
    width = VA_LENGTH - len(prefix) - 1
    if isinstance(serial, bool) or not 0 <= serial < 10**width:
        raise ValueError(
            f"serial must be from 0 to {10**width - 1} with prefix {prefix!r}, got {serial!r}"
        )
    body = f"{prefix}{serial:0{width}d}"
    return body + luhn.calc_check_digit(body)


def is_valid_va(number: str, prefix: str) -> bool:
    """True if ``number`` is one of ours at the bank with ``prefix``: length, prefix, check digit.

    Raises ``ValueError`` only for a malformed ``prefix``, which is configuration, not input.
    """
    _check_prefix(prefix)
    return (
        len(number) == VA_LENGTH
        and _DIGITS.fullmatch(number) is not None
        and number.startswith(prefix)
        and luhn.is_valid(number)
    )


def _check_prefix(prefix: str) -> None:
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"VA prefix must be 3-8 digits, got {prefix!r}")
