"""The provider's daily settlement statement: a CSV a finance officer uploads, read strictly.

A file that is not exactly what the provider sends is refused as a whole, with every problem
and its line number, so the officer can fix or re-download it; reconciling a half-read file
would report mismatches that are not there. The problems are `Message`s, read by the officer
in their language; they name a column as the file's header does (``amount``, ``paid_at``),
since that is what the officer finds in the file.
"""

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from kota_contracts.payments import Channel
from kota_shared.i18n import Language, Message
from payments.messages import _

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

STATEMENT_EXAMPLE = (
    f"{_HEADER_TEXT}\n"
    "SIM-TX-0001,va,8890800000001239,150000,2026-12-08T09:41:05+07:00\n"
    "SIM-TX-0002,qris,KL2026-00000123,75000,2026-12-08T10:02:44+07:00\n"
)
"""A statement as the provider writes one, for the API document."""

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
    message: Message

    @property
    def text(self) -> Message:
        """The problem with its line, as the officer reads it in a list of them."""
        if self.line is None:
            return self.message
        return _("line {line}: {problem}", line=self.line, problem=self.message)

    def __str__(self) -> str:
        return str(self.text)


@dataclass(frozen=True, slots=True)
class _Semicolons:
    """Problems joined by semicolons (their own text may hold commas), in one language."""

    items: tuple[Message, ...]

    def render(self, language: Language) -> str:
        return "; ".join(item.render(language) for item in self.items)


class InvalidStatement(ValueError):
    """The upload is not a valid settlement statement: a client error, never a server one."""

    def __init__(self, errors: Sequence[StatementError]) -> None:
        self.errors = tuple(errors)
        super().__init__(str(self.detail))

    @property
    def detail(self) -> Message:
        """The first `SHOWN_ERRORS` problems spelt out, and how many more there are."""
        shown = _Semicolons(tuple(error.text for error in self.errors[:SHOWN_ERRORS]))
        hidden = len(self.errors) - SHOWN_ERRORS
        if hidden > 0:
            return _(
                "The settlement statement cannot be used: {problems} (and {count} more).",
                problems=shown,
                count=hidden,
            )
        return _("The settlement statement cannot be used: {problems}.", problems=shown)


class _RefusedField(ValueError):
    """One field of a line that is not what the provider writes."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


def parse_statement(text: str) -> list[StatementLine]:
    """The statement's payments in file order; raises `InvalidStatement` listing every problem."""
    if len(text) > MAX_CHARACTERS:
        raise InvalidStatement(
            [_whole_file(_("it is larger than {count} characters", count=MAX_CHARACTERS))]
        )
    # A byte-order mark from a spreadsheet export is encoding, not content.
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    lines: list[StatementLine] = []
    errors: list[StatementError] = []
    first_seen: dict[str, int] = {}
    try:
        header = next(reader, None)
        if header is None:
            raise InvalidStatement(
                [_whole_file(_("it is empty; expected the header {header}", header=_HEADER_TEXT))]
            )
        if tuple(header) != HEADER:
            found = ",".join(header)[:100]
            message = _(
                "the header must be exactly {header}, found {found}",
                header=_HEADER_TEXT,
                found=repr(found),
            )
            raise InvalidStatement([StatementError(1, message)])
        rows = 0
        for fields in reader:
            if not fields:
                continue  # a blank line carries no payment
            rows += 1
            if rows > MAX_LINES:
                raise InvalidStatement(
                    [_whole_file(_("it has more than {count} payments", count=MAX_LINES))]
                )
            parsed = _parse_line(fields)
            if isinstance(parsed, list):
                errors.extend(StatementError(reader.line_num, problem) for problem in parsed)
                continue
            transaction_id = parsed.provider_transaction_id
            if transaction_id in first_seen:
                message = _(
                    "transaction {transaction} repeats line {line}",
                    transaction=repr(transaction_id),
                    line=first_seen[transaction_id],
                )
                errors.append(StatementError(reader.line_num, message))
                continue
            first_seen[transaction_id] = reader.line_num
            lines.append(parsed)
    except csv.Error:  # its reason is Python's English: the line and the hint say enough
        message = _("not valid CSV (a quote, a separator or a character is out of place)")
        errors.append(StatementError(reader.line_num, message))
    if errors:
        raise InvalidStatement(errors)
    return lines


def _whole_file(message: Message) -> StatementError:
    return StatementError(None, message)


def _parse_line(fields: list[str]) -> StatementLine | list[Message]:
    """The line's payment, or every problem with its fields."""
    if len(fields) != len(HEADER):
        return [
            _(
                "expected {count} fields ({header}), found {found}",
                count=len(HEADER),
                header=_HEADER_TEXT,
                found=len(fields),
            )
        ]
    raw_id, raw_channel, raw_reference, raw_amount, raw_paid_at = fields
    problems: list[Message] = []
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


def _field(problems: list[Message], parse: Callable[[str], _T], raw: str) -> _T | None:
    try:
        return parse(raw)
    except _RefusedField as refused:
        problems.append(refused.message)
        return None


def _text(raw: str, *, name: str, limit: int) -> str:
    if not raw:
        raise _RefusedField(_("{column} is empty", column=name))
    if raw != raw.strip():
        raise _RefusedField(
            _("{column} {value} has spaces around it", column=name, value=repr(raw))
        )
    if len(raw) > limit:
        raise _RefusedField(
            _("{column} is longer than {count} characters", column=name, count=limit)
        )
    if not raw.isprintable():
        raise _RefusedField(
            _("{column} {value} has control characters", column=name, value=repr(raw))
        )
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
    raise _RefusedField(_("channel {value} is neither 'va' nor 'qris'", value=repr(raw)))


def _amount(raw: str) -> int:
    if not _DIGITS.fullmatch(raw):
        raise _RefusedField(
            _(
                "amount {value} is not whole rupiah (digits only: no decimals, separators or sign)",
                value=repr(raw),
            )
        )
    if len(raw) > MAX_AMOUNT_DIGITS:
        raise _RefusedField(
            _(
                "amount {value} has more than {count} digits",
                value=repr(raw),
                count=MAX_AMOUNT_DIGITS,
            )
        )
    if int(raw) == 0:
        raise _RefusedField(_("amount is zero"))
    return int(raw)


def _paid_at(raw: str) -> datetime:
    try:
        paid_at = datetime.fromisoformat(raw)
    except ValueError:
        raise _RefusedField(
            _("paid_at {value} is not an ISO-8601 date and time", value=repr(raw))
        ) from None
    if paid_at.tzinfo is None:
        raise _RefusedField(
            _(
                "paid_at {value} has no UTC offset (e.g. 2026-03-01T10:15:00+07:00)",
                value=repr(raw),
            )
        )
    return paid_at
