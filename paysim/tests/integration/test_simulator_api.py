"""The simulator over real HTTP, calling back a receiver that verifies every signature.

Both run under uvicorn in the test's event loop, so a test can also see the simulator's
delivery tasks and prove that none outlives shutdown.
"""

import asyncio
import csv
import io
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import qriskit

from kota_dev.ports import free_port
from kota_paysim.config import PaysimSettings
from kota_paysim.delivery import TASK_NAME_PREFIX
from kota_paysim.ledger import Clock, utc_now
from kota_paysim.main import create_app
from kota_shared.testing.servers import serve_app
from kota_shared.testing.waiting import eventually
from kota_shared.testing.webhooks import WebhookReceiver, serve_receiver

SECRET = "whsec_cGF5c2ltLWludGVncmF0aW9uLXRlc3Qtc2VjcmV0"


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    async with serve_receiver(SECRET) as receiver:
        yield receiver


@pytest.fixture
def start_simulator(receiver: WebhookReceiver) -> Callable[..., Any]:
    """Serve a simulator that calls the receiver back (or ``callback_url``), fast retries."""

    @asynccontextmanager
    async def start(
        *, clock: Clock = utc_now, **overrides: Any
    ) -> AsyncIterator[httpx.AsyncClient]:
        fast: dict[str, Any] = {
            "callback_url": receiver.url,
            "webhook_secret": SECRET,
            "retry_initial_seconds": 0.01,
            "retry_max_seconds": 0.05,
        }
        settings = PaysimSettings(**(fast | overrides))
        async with (
            serve_app(create_app(settings, clock=clock)) as url,
            httpx.AsyncClient(base_url=url) as client,
        ):
            yield client

    return start


@pytest.fixture
async def simulator(start_simulator: Callable[..., Any]) -> AsyncIterator[httpx.AsyncClient]:
    async with start_simulator() as client:
        yield client


async def settled_transaction(simulator: httpx.AsyncClient, transaction_id: str) -> Any:
    """The transaction once its delivery loop has ended, acknowledged or refused."""

    async def probe() -> Any:
        return (await simulator.get(f"/simulator/transactions/{transaction_id}")).json()

    return await eventually(
        probe,
        until=lambda t: t["acknowledged"] or t["refused"],
        within=10,
        what=f"the callback of {transaction_id} to be answered",
    )


async def delivery_tasks() -> list[asyncio.Task[Any]]:
    """The simulator's delivery loops: it runs in this event loop, so they are visible here."""
    return [t for t in asyncio.all_tasks() if t.get_name().startswith(TASK_NAME_PREFIX)]


async def test_a_va_payment_is_called_back_once_with_a_verified_body(
    simulator: httpx.AsyncClient, receiver: WebhookReceiver
) -> None:
    answer = await simulator.post(
        "/simulator/va/8808000012345678/payments", json={"amount": 150_000}
    )

    assert answer.status_code == 201
    payment = answer.json()
    assert payment["channel"] == "va"
    assert payment["reference"] == "8808000012345678"
    assert payment["amount"] == 150_000
    assert payment["provider_transaction_id"].startswith("SIM-")
    transaction = await settled_transaction(simulator, payment["provider_transaction_id"])
    assert transaction["acknowledged"] is True
    assert [a["status_code"] for a in transaction["attempts"]] == [200]
    (callback,) = receiver.received
    assert callback.payload == {
        "type": "payment.settled",
        "provider_transaction_id": payment["provider_transaction_id"],
        "channel": "va",
        "reference": "8808000012345678",
        "amount": 150_000,
        "currency": "IDR",
        "paid_at": payment["paid_at"],
    }
    assert callback.headers["content-type"] == "application/json"
    assert callback.headers["webhook-id"] == transaction["webhook_id"]


async def test_a_qris_payment_pays_tag_54_against_the_bill_number(
    simulator: httpx.AsyncClient, receiver: WebhookReceiver
) -> None:
    qris = qriskit.build(
        merchant_name="PEMKOT CONTOH",
        merchant_city="BANDUNG",
        mcc="9311",
        accounts=[qriskit.MerchantAccount.national(nmid="ID1020012345678", criteria="UBE")],
        postal_code="40111",
        amount=75_500,
        additional_data={"01": "INV-2025-000777", "07": "LOKET01"},
    )

    answer = await simulator.post("/simulator/qris/payments", json={"payload": qris.dumps()})

    assert answer.status_code == 201
    payment = answer.json()
    assert (payment["channel"], payment["reference"], payment["amount"]) == (
        "qris",
        "INV-2025-000777",
        75_500,
    )
    await settled_transaction(simulator, payment["provider_transaction_id"])
    (callback,) = receiver.received
    assert callback.payload is not None
    assert callback.payload["channel"] == "qris"
    assert callback.payload["reference"] == "INV-2025-000777"
    assert callback.payload["amount"] == 75_500


async def test_an_invalid_qris_is_refused_as_a_problem(simulator: httpx.AsyncClient) -> None:
    valid = qriskit.build(
        merchant_name="PEMKOT CONTOH",
        merchant_city="BANDUNG",
        mcc="9311",
        accounts=[qriskit.MerchantAccount.national(nmid="ID1020012345678")],
        amount=10_000,
        additional_data={"01": "INV-1"},
    ).dumps()
    wrong_crc = valid[:-4] + ("0000" if not valid.endswith("0000") else "FFFF")

    answer = await simulator.post("/simulator/qris/payments", json={"payload": wrong_crc})

    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["code"] == "invalid_qris"
    assert "CRC" in problem["detail"]
    assert {"type", "title", "status", "code", "detail"} <= problem.keys()


async def test_bad_input_and_unknown_transactions_are_problems(
    simulator: httpx.AsyncClient,
) -> None:
    for amount in (0, -5, 1.5, "100"):
        answer = await simulator.post("/simulator/va/8808/payments", json={"amount": amount})
        assert (answer.status_code, answer.json()["code"]) == (422, "validation_failed")
    missing = await simulator.get("/simulator/transactions/SIM-19700101-NOPE")
    assert (missing.status_code, missing.json()["code"]) == (404, "transaction_not_found")
    assert missing.headers["content-type"] == "application/problem+json"
    assert (await simulator.get("/simulator/transactions/")).status_code == 404  # no redirect


@pytest.mark.parametrize("failure_status", [500, 503, 408, 429])
async def test_failures_are_retried_with_the_same_id_and_a_fresh_signature(
    simulator: httpx.AsyncClient, receiver: WebhookReceiver, failure_status: int
) -> None:
    receiver.failures_left = 3
    receiver.failure_status = failure_status

    answer = await simulator.post("/simulator/va/8808000000000001/payments", json={"amount": 5000})

    transaction = await settled_transaction(simulator, answer.json()["provider_transaction_id"])
    assert transaction["acknowledged"] is True
    assert transaction["refused"] is False
    attempts = transaction["attempts"]
    assert [a["status_code"] for a in attempts] == [failure_status] * 3 + [200]
    received = receiver.received
    assert len(received) == 4
    assert all(r.payload is not None for r in received)  # each verified when it arrived
    assert {r.headers["webhook-id"] for r in received} == {transaction["webhook_id"]}
    assert {r.body for r in received} == {received[0].body}
    for attempt, callback in zip(attempts, received, strict=True):
        sent_at = datetime.fromisoformat(attempt["at"])
        assert callback.headers["webhook-timestamp"] == str(int(sent_at.timestamp()))


async def test_connection_errors_are_retried(start_simulator: Callable[..., Any]) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/callbacks"
    async with start_simulator(callback_url=nobody) as simulator:
        answer = await simulator.post("/simulator/va/8808/payments", json={"amount": 1})
        transaction_id = answer.json()["provider_transaction_id"]

        async def attempts() -> list[Any]:
            transaction = await simulator.get(f"/simulator/transactions/{transaction_id}")
            return list(transaction.json()["attempts"])

        failed = await eventually(attempts, until=lambda a: len(a) >= 3, what="three attempts")
    assert all(a["status_code"] is None and a["error"] for a in failed)


async def test_a_final_refusal_is_recorded_and_not_retried(
    simulator: httpx.AsyncClient, receiver: WebhookReceiver
) -> None:
    receiver.status = 400

    answer = await simulator.post("/simulator/va/8808000000000002/payments", json={"amount": 7000})
    transaction_id = answer.json()["provider_transaction_id"]

    transaction = await settled_transaction(simulator, transaction_id)
    await eventually(delivery_tasks, until=lambda tasks: not tasks, what="the loop to end")
    after = (await simulator.get(f"/simulator/transactions/{transaction_id}")).json()
    assert (transaction["refused"], transaction["acknowledged"]) == (True, False)
    assert [a["status_code"] for a in after["attempts"]] == [400]
    assert len(receiver.received) == 1


@pytest.mark.parametrize("concurrently", [True, False])
async def test_redelivery_repeats_the_same_callback(
    simulator: httpx.AsyncClient, receiver: WebhookReceiver, concurrently: bool
) -> None:
    answer = await simulator.post("/simulator/va/8808000000000003/payments", json={"amount": 9000})
    transaction_id = answer.json()["provider_transaction_id"]
    await settled_transaction(simulator, transaction_id)
    if concurrently:
        receiver.hold_until_in_flight(5)

    redelivered = await simulator.post(
        f"/simulator/transactions/{transaction_id}/redeliver",
        json={"times": 5, "concurrently": concurrently},
    )

    assert redelivered.status_code == 200
    assert redelivered.json() == {
        "provider_transaction_id": transaction_id,
        "status_codes": [200] * 5,
    }
    received = receiver.received
    assert len(received) == 6
    assert all(r.payload is not None for r in received)
    assert len({r.body for r in received}) == 1
    assert len({r.headers["webhook-id"] for r in received}) == 1
    transaction = (await simulator.get(f"/simulator/transactions/{transaction_id}")).json()
    assert len(transaction["attempts"]) == 6


class SettableClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def statement_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_the_statement_lists_one_local_days_payments_in_order(
    start_simulator: Callable[..., Any],
) -> None:
    clock = SettableClock()
    async with start_simulator(clock=clock) as simulator:

        async def pay_at(utc: str, reference: str, *, notify: bool = False) -> str:
            clock.now = datetime.fromisoformat(utc)
            answer = await simulator.post(
                f"/simulator/va/{reference}/payments", json={"amount": 1000, "notify": notify}
            )
            return str(answer.json()["provider_transaction_id"])

        # Asia/Jakarta is UTC+7: 1 March local runs from 28 Feb 17:00 to 1 March 16:59:59 UTC.
        evening = await pay_at("2025-03-01T16:59:59+00:00", "1003")
        too_early = await pay_at("2025-02-28T16:59:59+00:00", "1000")
        morning = await pay_at("2025-03-01T01:00:00+00:00", "1002", notify=True)
        midnight = await pay_at("2025-02-28T17:00:00+00:00", "1001")
        too_late = await pay_at("2025-03-01T17:00:00+00:00", "1004")

        answer = await simulator.get("/simulator/statements/2025-03-01.csv")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.text.splitlines()[0] == "provider_transaction_id,channel,reference,amount,paid_at"
    rows = statement_rows(answer.text)
    assert [r["provider_transaction_id"] for r in rows] == [midnight, morning, evening]
    assert [r["reference"] for r in rows] == ["1001", "1002", "1003"]
    assert {r["channel"] for r in rows} == {"va"}
    assert {r["amount"] for r in rows} == {"1000"}
    assert datetime.fromisoformat(rows[0]["paid_at"]) == datetime(2025, 2, 28, 17, tzinfo=UTC)
    assert midnight.startswith("SIM-20250301-")  # the id carries the local day too
    assert too_early.startswith("SIM-20250228-")
    assert too_late.startswith("SIM-20250302-")


async def test_a_day_without_payments_has_an_empty_statement(
    simulator: httpx.AsyncClient,
) -> None:
    answer = await simulator.get(f"/simulator/statements/{date(2001, 1, 1)}.csv")

    assert statement_rows(answer.text) == []
    assert (await simulator.get("/simulator/statements/2025-02-30.csv")).status_code == 422


async def test_shutdown_cancels_a_delivery_waiting_to_retry(
    start_simulator: Callable[..., Any], receiver: WebhookReceiver
) -> None:
    receiver.status = 503
    async with start_simulator(retry_initial_seconds=300, retry_max_seconds=300) as simulator:
        await simulator.post("/simulator/va/8808000000000004/payments", json={"amount": 1})

        async def attempts() -> int:
            return len(receiver.received)

        await eventually(attempts, what="the first attempt")
        assert await delivery_tasks(), "the delivery loop should be waiting to retry"

    assert await delivery_tasks() == []


async def test_probes_answer(simulator: httpx.AsyncClient) -> None:
    assert (await simulator.get("/livez")).json() == {"status": "alive"}
    assert (await simulator.get("/readyz")).status_code == 200
