"""The simulator's endpoints: pay a VA or a QRIS, inspect and redeliver callbacks, statements."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from kota_paysim.delivery import CallbackCourier
from kota_paysim.ledger import Channel, Ledger, Transaction, UnknownTransaction
from kota_paysim.problems import Problem
from kota_paysim.qris import InvalidQris, read_charge
from kota_paysim.schemas import (
    PaymentRead,
    QrisPaymentCreate,
    RedeliveryCreate,
    RedeliveryRead,
    TransactionRead,
    VaPaymentCreate,
)
from kota_paysim.statements import render_statement

router = APIRouter(prefix="/simulator")


def _ledger(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


def _courier(request: Request) -> CallbackCourier:
    courier: CallbackCourier = request.app.state.courier
    return courier


LedgerDep = Annotated[Ledger, Depends(_ledger)]
CourierDep = Annotated[CallbackCourier, Depends(_courier)]


def _known_transaction(provider_transaction_id: str, ledger: LedgerDep) -> Transaction:
    try:
        return ledger.get(provider_transaction_id)
    except UnknownTransaction:
        raise Problem(
            status=404,
            code="transaction_not_found",
            detail=f"the simulator settled no transaction {provider_transaction_id}",
        ) from None


KnownTransaction = Annotated[Transaction, Depends(_known_transaction)]


def _settle(
    *,
    ledger: Ledger,
    courier: CallbackCourier,
    channel: Channel,
    reference: str,
    amount: int,
    notify: bool,
) -> PaymentRead:
    transaction = ledger.settle(channel=channel, reference=reference, amount=amount, notify=notify)
    if notify:
        courier.dispatch(transaction.payment.provider_transaction_id)
    return PaymentRead.of(transaction.payment)


@router.post("/va/{va_number}/payments", status_code=201)
async def pay_virtual_account(
    va_number: Annotated[str, Path(pattern=r"^[0-9]{1,32}$")],
    body: VaPaymentCreate,
    ledger: LedgerDep,
    courier: CourierDep,
) -> PaymentRead:
    """Settle ``amount`` to the VA; the simulator knows no invoices and pays what it is told."""
    return _settle(
        ledger=ledger,
        courier=courier,
        channel="va",
        reference=va_number,
        amount=body.amount,
        notify=body.notify,
    )


@router.post("/qris/payments", status_code=201)
async def pay_qris(body: QrisPaymentCreate, ledger: LedgerDep, courier: CourierDep) -> PaymentRead:
    """Pay the amount in tag 54 against the bill number in tag 62.01 of a valid QRIS."""
    try:
        charge = read_charge(body.payload)
    except InvalidQris as exc:
        raise Problem(status=422, code="invalid_qris", detail=str(exc)) from exc
    return _settle(
        ledger=ledger,
        courier=courier,
        channel="qris",
        reference=charge.reference,
        amount=charge.amount,
        notify=body.notify,
    )


@router.get("/transactions/{provider_transaction_id}")
async def read_transaction(transaction: KnownTransaction) -> TransactionRead:
    return TransactionRead.of_transaction(transaction)


@router.post("/transactions/{provider_transaction_id}/redeliver")
async def redeliver(
    transaction: KnownTransaction, body: RedeliveryCreate, courier: CourierDep
) -> RedeliveryRead:
    """Send the same callback again (fresh signature, same id and body), to test idempotency."""
    provider_transaction_id = transaction.payment.provider_transaction_id
    status_codes = await courier.redeliver(
        provider_transaction_id, times=body.times, concurrently=body.concurrently
    )
    return RedeliveryRead(
        provider_transaction_id=provider_transaction_id, status_codes=status_codes
    )


@router.get("/statements/{statement_date}.csv", response_class=Response)
async def read_statement(statement_date: date, ledger: LedgerDep) -> Response:
    """Every payment settled on that local day, notified or not, in the order paid."""
    return Response(render_statement(ledger.settled_on(statement_date)), media_type="text/csv")
