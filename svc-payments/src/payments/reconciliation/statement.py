"""The provider's daily settlement statement: a CSV a finance officer uploads, read strictly.

A file that is not exactly what the provider sends is refused as a whole, with every problem
and its line number, so the officer can fix or re-download it; reconciling a half-read file
would report mismatches that are not there.
"""

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from kota_contracts.payments import Channel

HEADER = ("provider_transaction_id", "channel", "reference", "amount", "paid_at")
MAX_CHARACTERS = 16 * 1024 * 1024
MAX_LINES = 100_000
"""Far above a city's day of payments, low enough that a wrong upload cannot exhaust memory."""
MAX_TRANSACTION_ID_LENGTH = 100
MAX_REFERENCE_LENGTH = 200
MAX_AMOUNT_DIGITS = 15
"""Under a quadrillion rupiah: anything longer is a corrupt field, and would overflow a bigint."""
SHOWN_ERRORS = 10
"""Problems spelt out in the message; all of them are on `InvalidStatement.errors`."""

_HEADER_TEXT = ",".join(HEADER)

_DIGITS = re.compile(r"[0-9]+")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One payment the provider settled."""

    provider_transaction_id: str
    channel: Channel
    reference: str
    amount: int
    """Whole rupiah."""
    paid_at: datetime


@dataclass(frozen=True, slots=True)
class StatementError:
    line: int | None
    """The file's line (the header is line 1); None for a problem of the whole file."""
    message: str

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


class InvalidStatement(ValueError):
    """The upload is not a valid settlement statement: a client error, never a server one."""

    def __init__(self, errors: Sequence[StatementError]) -> None:
        self.errors = tuple(errors)
        shown = "; ".join(str(error) for error in self.errors[:SHOWN_ERRORS])
        hidden = len(self.errors) - SHOWN_ERRORS
        more = f" (and {hidden} more)" if hidden > 0 else ""
        super().__init__(f"The settlement statement cannot be used: {shown}{more}")


def parse_statement(text: str) -> list[StatementLine]:
    """The statement's payments in file order; raises `InvalidStatement` listing every problem."""
    if len(text) > MAX_CHARACTERS:
        raise InvalidStatement([_whole_file(f"it is larger than {MAX_CHARACTERS} characters")])
    # A byte-order mark from a spreadsheet export is encoding, not content.
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    lines: list[StatementLine] = []
    errors: list[StatementError] = []
    first_seen: dict[str, int] = {}
    try:
        header = next(reader, None)
        if header is None:
            raise InvalidStatement(
                [_whole_file(f"it is empty; expected the header {_HEADER_TEXT}")]
            )
        if tuple(header) != HEADER:
            found = ",".join(header)[:100]
            message = f"the header must be exactly {_HEADER_TEXT}, found {found!r}"
            raise InvalidStatement([StatementError(1, message)])
        rows = 0
        for fields in reader:
            if not fields:
                continue  # a blank line carries no payment
            rows += 1
            if rows > MAX_LINES:
                raise InvalidStatement([_whole_file(f"it has more than {MAX_LINES} payments")])
            parsed = _parse_line(fields)
            if isinstance(parsed, list):
                errors.extend(StatementError(reader.line_num, problem) for problem in parsed)
                continue
            transaction_id = parsed.provider_transaction_id
            if transaction_id in first_seen:
                message = (
                    f"transaction {transaction_id!r} repeats line {first_seen[transaction_id]}"
                )
                errors.append(StatementError(reader.line_num, message))
                continue
            first_seen[transaction_id] = reader.line_num
            lines.append(parsed)
    except csv.Error as error:
        errors.append(StatementError(reader.line_num, f"not valid CSV ({error})"))
    if errors:
        raise InvalidStatement(errors)
    return lines


def _whole_file(message: str) -> StatementError:
    return StatementError(None, message)


def _parse_line(fields: list[str]) -> StatementLine | list[str]:
    """The line's payment, or every problem with its fields."""
    if len(fields) != len(HEADER):
        return [f"expected {len(HEADER)} fields ({_HEADER_TEXT}), found {len(fields)}"]
    raw_id, raw_channel, raw_reference, raw_amount, raw_paid_at = fields
    problems: list[str] = []
    transaction_id = _field(problems, _transaction_id, raw_id)
    channel = _field(problems, _channel, raw_channel)
    reference = _field(problems, _reference, raw_reference)
    amount = _field(problems, _amount, raw_amount)
    paid_at = _field(problems, _paid_at, raw_paid_at)
    if (
        transaction_id is None
        or channel is None
        or reference is None
        or amount is None
        or paid_at is None
    ):
        return problems
    return StatementLine(transaction_id, channel, reference, amount, paid_at)


def _field(problems: list[str], parse: Callable[[str], _T], raw: str) -> _T | None:
    try:
        return parse(raw)
    except ValueError as error:
        problems.append(str(error))
        return None


def _text(raw: str, *, name: str, limit: int) -> str:
    if not raw:
        raise ValueError(f"{name} is empty")
    if raw != raw.strip():
        raise ValueError(f"{name} {raw!r} has spaces around it")
    if len(raw) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    if not raw.isprintable():
        raise ValueError(f"{name} {raw!r} has control characters")
    return raw


def _transaction_id(raw: str) -> str:
    return _text(raw, name="provider_transaction_id", limit=MAX_TRANSACTION_ID_LENGTH)


def _reference(raw: str) -> str:
    return _text(raw, name="reference", limit=MAX_REFERENCE_LENGTH)


def _channel(raw: str) -> Channel:
    if raw == "va":
        return "va"
    if raw == "qris":
        return "qris"
    raise ValueError(f"channel {raw!r} is neither 'va' nor 'qris'")


def _amount(raw: str) -> int:
    if not _DIGITS.fullmatch(raw):
        raise ValueError(
            f"amount {raw!r} is not whole rupiah (digits only: no decimals, separators or sign)"
        )
    if len(raw) > MAX_AMOUNT_DIGITS:
        raise ValueError(f"amount {raw!r} has more than {MAX_AMOUNT_DIGITS} digits")
    if int(raw) == 0:
        raise ValueError("amount is zero")
    return int(raw)


def _paid_at(raw: str) -> datetime:
    try:
        paid_at = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"paid_at {raw!r} is not an ISO-8601 date and time") from None
    if paid_at.tzinfo is None:
        raise ValueError(f"paid_at {raw!r} has no UTC offset (e.g. 2026-03-01T10:15:00+07:00)")
    return paid_at
