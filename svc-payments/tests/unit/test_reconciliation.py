"""The settlement statement's strict reading, and matching it against recorded payments."""

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payments.messages import _
from payments.reconciliation.matching import (
    AmountMismatch,
    DetailsMismatch,
    RecordedPayment,
    reconcile,
)
from payments.reconciliation.statement import (
    HEADER,
    MAX_LINES,
    STATEMENT_EXAMPLE,
    InvalidStatement,
    StatementError,
    StatementLine,
    parse_statement,
)

WIB = timezone(timedelta(hours=7))
GOOD_HEADER = ",".join(HEADER)
GOOD_LINE = "trx-1,va,8808123456789012,150000,2026-03-01T10:15:00+07:00"

identifiers = st.text(
    st.characters(codec="ascii", categories=["L", "N", "Pd"]), min_size=1, max_size=40
)
statement_lines = st.builds(
    StatementLine,
    provider_transaction_id=identifiers,
    channel=st.sampled_from(["va", "qris"]),
    reference=identifiers,
    amount=st.integers(min_value=1, max_value=10**12),
    paid_at=st.datetimes(timezones=st.just(WIB)),
)
statements = st.lists(statement_lines, unique_by=lambda line: line.provider_transaction_id)


def render(lines: Sequence[StatementLine]) -> str:
    """A statement as the provider writes it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for line in lines:
        writer.writerow(
            [
                line.provider_transaction_id,
                line.channel,
                line.reference,
                line.amount,
                line.paid_at.isoformat(),
            ]
        )
    return out.getvalue()


def recorded_as(line: StatementLine) -> RecordedPayment:
    return RecordedPayment(line.provider_transaction_id, line.amount, line.channel, line.reference)


def errors_of(text: str) -> list[StatementError]:
    with pytest.raises(InvalidStatement) as raised:
        parse_statement(text)
    return list(raised.value.errors)


# Reading the statement.


def test_a_valid_statement_is_read_in_file_order() -> None:
    text = f"{GOOD_HEADER}\n{GOOD_LINE}\ntrx-2,qris,INV-2026-000042,25000,2026-03-01T03:00:00Z\n"
    assert parse_statement(text) == [
        StatementLine(
            "trx-1", "va", "8808123456789012", 150_000, datetime(2026, 3, 1, 10, 15, tzinfo=WIB)
        ),
        StatementLine(
            "trx-2", "qris", "INV-2026-000042", 25_000, datetime(2026, 3, 1, 3, tzinfo=UTC)
        ),
    ]


def test_a_day_without_payments_is_an_empty_statement() -> None:
    assert parse_statement(f"{GOOD_HEADER}\n") == []


def test_spreadsheet_exports_are_read_byte_order_mark_crlf_and_blank_lines_alike() -> None:
    text = f"\ufeff{GOOD_HEADER}\r\n{GOOD_LINE}\r\n\r\n"
    assert [line.provider_transaction_id for line in parse_statement(text)] == ["trx-1"]


@given(statements)
def test_what_the_provider_writes_is_read_back_unchanged(lines: list[StatementLine]) -> None:
    assert parse_statement(render(lines)) == lines


def test_an_empty_file_is_refused() -> None:
    (error,) = errors_of("")
    assert error.line is None
    assert "empty" in str(error.message)


@pytest.mark.parametrize(
    "header",
    [
        "provider_transaction_id,channel,reference,amount",
        "Provider_Transaction_Id,channel,reference,amount,paid_at",
        "channel,provider_transaction_id,reference,amount,paid_at",
        "provider_transaction_id, channel,reference,amount,paid_at",
    ],
)
def test_anything_but_the_exact_header_is_refused(header: str) -> None:
    (error,) = errors_of(f"{header}\n{GOOD_LINE}\n")
    assert error.line == 1
    assert GOOD_HEADER in str(error.message)


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("trx-1,va,ref,150000.00,2026-03-01T10:15:00+07:00", "amount '150000.00' is not whole"),
        ('trx-1,va,ref,"150,000",2026-03-01T10:15:00+07:00', "amount '150,000' is not whole"),
        ("trx-1,va,ref,-5,2026-03-01T10:15:00+07:00", "amount '-5' is not whole"),
        ("trx-1,va,ref,1e5,2026-03-01T10:15:00+07:00", "amount '1e5' is not whole"),
        ("trx-1,va,ref,0,2026-03-01T10:15:00+07:00", "amount is zero"),
        ("trx-1,va,ref,1234567890123456,2026-03-01T10:15:00+07:00", "more than 15 digits"),
        ("trx-1,VA,ref,100,2026-03-01T10:15:00+07:00", "channel 'VA' is neither"),
        ("trx-1,card,ref,100,2026-03-01T10:15:00+07:00", "channel 'card' is neither"),
        ("trx-1,va,ref,100,2026-03-01T10:15:00", "has no UTC offset"),
        ("trx-1,va,ref,100,2026-03-01", "has no UTC offset"),
        ("trx-1,va,ref,100,yesterday", "'yesterday' is not an ISO-8601"),
        (",va,ref,100,2026-03-01T10:15:00+07:00", "provider_transaction_id is empty"),
        (" trx-1,va,ref,100,2026-03-01T10:15:00+07:00", "has spaces around it"),
        ("trx-1,va,,100,2026-03-01T10:15:00+07:00", "reference is empty"),
        (f"trx-1,va,{'r' * 201},100,2026-03-01T10:15:00+07:00", "longer than 200"),
        ("trx-1,va,ref,100", "expected 5 fields"),
        ("trx-1,va,ref,100,2026-03-01T10:15:00+07:00,extra", "found 6"),
    ],
)
def test_an_invalid_field_is_refused_with_its_line(line: str, complaint: str) -> None:
    (error,) = errors_of(f"{GOOD_HEADER}\n{GOOD_LINE}\n{line}\n")
    assert error.line == 3
    assert complaint in str(error.message)


def test_every_problem_is_reported_not_just_the_first() -> None:
    text = (
        f"{GOOD_HEADER}\n"
        "trx-1,cash,ref,1.5,2026-03-01T10:15:00+07:00\n"
        f"{GOOD_LINE.replace('trx-1', 'trx-2')}\n"
        "trx-3,va,ref,100,noon\n"
    )
    errors = errors_of(text)
    assert [error.line for error in errors] == [2, 2, 4]
    message = str(InvalidStatement(errors))
    assert "line 2: channel 'cash'" in message
    assert "line 4: paid_at 'noon'" in message


def test_a_repeated_transaction_points_at_its_first_line() -> None:
    (error,) = errors_of(f"{GOOD_HEADER}\n{GOOD_LINE}\n\n{GOOD_LINE}\n")
    assert error.line == 4
    assert str(error.message) == "transaction 'trx-1' repeats line 2"


def test_broken_csv_quoting_is_refused_with_its_line() -> None:
    (error,) = errors_of(f'{GOOD_HEADER}\n{GOOD_LINE}\ntrx-2,va,"ref"x,100,2026-03-01T10:15:00Z\n')
    assert error.line == 3
    assert "not valid CSV" in str(error.message)


def test_a_statement_longer_than_any_day_is_refused() -> None:
    lines = (f"trx-{n},va,ref,100,2026-03-01T10:15:00+07:00" for n in range(MAX_LINES + 1))
    (error,) = errors_of(GOOD_HEADER + "\n" + "\n".join(lines))
    assert f"more than {MAX_LINES} payments" in str(error.message)


def test_the_message_lists_the_first_problems_and_counts_the_rest() -> None:
    errors = [StatementError(n, _("amount is zero")) for n in range(2, 17)]
    message = str(InvalidStatement(errors))
    assert message.startswith("The settlement statement cannot be used: line 2: amount is zero;")
    assert "line 11:" in message
    assert "line 12:" not in message
    assert message.endswith("(and 5 more).")


def test_the_problems_are_written_in_indonesian_for_an_indonesian_officer() -> None:
    errors = errors_of(f"{GOOD_HEADER}\ntrx-1,cash,,0,2026-03-01T10:15:00+07:00\n")

    assert [error.message.render("id") for error in errors] == [
        "kolom channel 'cash' bukan 'va' maupun 'qris'",
        "kolom reference kosong",
        "kolom amount bernilai nol",
    ]
    assert InvalidStatement(errors).detail.render("id") == (
        "Laporan penyelesaian transaksi tidak dapat digunakan: "
        "baris 2: kolom channel 'cash' bukan 'va' maupun 'qris'; "
        "baris 2: kolom reference kosong; baris 2: kolom amount bernilai nol."
    )


def test_the_indonesian_message_counts_the_problems_not_spelt_out() -> None:
    errors = [StatementError(n, _("amount is zero")) for n in range(2, 17)]

    detail = InvalidStatement(errors).detail.render("id")

    assert detail.startswith("Laporan penyelesaian transaksi tidak dapat digunakan: baris 2: ")
    assert detail.endswith("baris 11: kolom amount bernilai nol (dan 5 masalah lainnya).")


# Matching.


@given(statements)
def test_a_statement_reconciled_against_itself_matches_entirely(lines: list[StatementLine]) -> None:
    report = reconcile(lines, [recorded_as(line) for line in lines])
    assert report.clean
    assert report.matched_count == len(lines)
    assert report.matched_total == sum(line.amount for line in lines)


@given(statements.filter(bool), st.data())
def test_a_payment_we_never_recorded_is_missing_in_the_ledger(
    lines: list[StatementLine], data: st.DataObject
) -> None:
    missing = data.draw(st.sampled_from(lines))
    report = reconcile(lines, [recorded_as(line) for line in lines if line != missing])
    assert report.missing_in_ledger == (missing,)
    assert (report.missing_in_statement, report.amount_differs, report.details_differ) == (
        (),
        (),
        (),
    )
    assert report.matched_count == len(lines) - 1


@given(statements.filter(bool), st.data())
def test_a_payment_the_provider_did_not_settle_is_missing_in_the_statement(
    lines: list[StatementLine], data: st.DataObject
) -> None:
    missing = data.draw(st.sampled_from(lines))
    report = reconcile(
        [line for line in lines if line != missing], [recorded_as(line) for line in lines]
    )
    assert report.missing_in_statement == (recorded_as(missing),)
    assert (report.missing_in_ledger, report.amount_differs, report.details_differ) == ((), (), ())
    assert report.matched_total == sum(line.amount for line in lines) - missing.amount


@given(statements.filter(bool), st.data())
def test_a_changed_amount_is_exactly_one_amount_mismatch(
    lines: list[StatementLine], data: st.DataObject
) -> None:
    changed = data.draw(st.sampled_from(lines))
    recorded_amount = data.draw(st.integers(min_value=1).filter(lambda a: a != changed.amount))
    recorded = [
        replace(recorded_as(line), amount=recorded_amount) if line == changed else recorded_as(line)
        for line in lines
    ]
    report = reconcile(lines, recorded)
    assert report.amount_differs == (
        AmountMismatch(changed.provider_transaction_id, changed.amount, recorded_amount),
    )
    assert (report.missing_in_ledger, report.missing_in_statement, report.details_differ) == (
        (),
        (),
        (),
    )
    assert report.matched_count == len(lines) - 1


def test_a_payment_under_another_reference_is_a_details_mismatch() -> None:
    (line,) = parse_statement(f"{GOOD_HEADER}\n{GOOD_LINE}\n")
    ours = replace(recorded_as(line), reference="8808999999999999")
    report = reconcile([line], [ours])
    assert report.details_differ == (DetailsMismatch(line, ours),)
    assert not report.amount_differs
    assert (report.matched_count, report.matched_total) == (0, 0)


@given(statements, statements, st.randoms())
def test_the_report_does_not_depend_on_input_order(
    lines: list[StatementLine], others: list[StatementLine], rng: random.Random
) -> None:
    recorded = [recorded_as(line) for line in others]
    report = reconcile(lines, recorded)
    rng.shuffle(lines)
    rng.shuffle(recorded)
    assert reconcile(lines, recorded) == report
    ids = [line.provider_transaction_id for line in report.missing_in_ledger]
    assert ids == sorted(ids)


@pytest.mark.parametrize("side", ["statement", "recorded"])
def test_a_transaction_twice_on_either_side_is_refused(side: str) -> None:
    (line,) = parse_statement(f"{GOOD_HEADER}\n{GOOD_LINE}\n")
    statement, recorded = [line], [recorded_as(line)]
    if side == "statement":
        statement.append(line)
    else:
        recorded.append(recorded_as(line))
    with pytest.raises(ValueError, match=r"repeat transaction ids \['trx-1'\]"):
        reconcile(statement, recorded)


def test_the_documented_statement_example_is_read_as_two_payments() -> None:
    lines = parse_statement(STATEMENT_EXAMPLE)

    assert [(line.channel, line.amount) for line in lines] == [("va", 150_000), ("qris", 75_000)]
