"""Receipts as a provider sends them: retried until answered with the same id and body,
held back or withheld as a number's controls say, sent again on demand, and never left
running at shutdown or after a reset."""

from datetime import UTC, datetime, timedelta

import pytest
from notifysim_harness import NUMBER, HeldSleep, Simulator, StartSimulator, receipt_tasks

from kota_dev.ports import free_port
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.waiting import eventually
from kota_shared.testing.webhooks import WebhookReceiver


@pytest.mark.parametrize("failure_status", [500, 503, 408, 429])
async def test_a_receipt_is_retried_with_the_same_id_and_body_until_acknowledged(
    simulator: Simulator, sms_receiver: WebhookReceiver, failure_status: int
) -> None:
    sms_receiver.failures_left = 3
    sms_receiver.failure_status = failure_status

    answer = await simulator.sms()
    message = await simulator.settled(answer.json()["message_id"])

    (receipt,) = message["receipts"]
    assert [a["status_code"] for a in receipt["attempts"]] == [failure_status] * 3 + [200]
    assert [a["outcome"] for a in receipt["attempts"]] == ["failed"] * 3 + ["acknowledged"]
    received = sms_receiver.received
    assert len(received) == 4
    assert all(r.payload is not None for r in received)  # each verified when it arrived
    assert {r.headers["webhook-id"] for r in received} == {receipt["webhook_id"]}
    assert {r.body for r in received} == {received[0].body}


async def test_the_next_status_waits_until_the_one_before_is_answered(
    simulator: Simulator, whatsapp_receiver: WebhookReceiver
) -> None:
    whatsapp_receiver.failures_left = 2

    answer = await simulator.whatsapp("Budi")
    await simulator.settled(answer.json()["messages"][0]["id"])

    statuses = [
        r.payload["entry"][0]["changes"][0]["value"]["statuses"][0]["status"]
        for r in whatsapp_receiver.received
    ]
    assert statuses == ["sent", "sent", "sent", "delivered", "read"]


async def test_a_refused_receipt_is_not_retried_and_the_next_one_still_goes(
    simulator: Simulator, whatsapp_receiver: WebhookReceiver
) -> None:
    whatsapp_receiver.status = 400

    answer = await simulator.whatsapp("Budi")
    message = await simulator.settled(answer.json()["messages"][0]["id"])

    assert [[a["outcome"] for a in r["attempts"]] for r in message["receipts"]] == [
        ["refused"],
        ["refused"],
        ["refused"],
    ]
    assert len(whatsapp_receiver.received) == 3


async def test_a_receiver_that_is_not_listening_is_retried(
    start_simulator: StartSimulator,
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/receipts"
    async with start_simulator(sms_receipt_url=nobody) as simulator:
        message_id = (await simulator.sms()).json()["message_id"]

        async def attempts() -> list[dict[str, object]]:
            message = await simulator.message(message_id)
            return [a for r in message["receipts"] for a in r["attempts"]]

        failed = await eventually(attempts, until=lambda a: len(a) >= 3, what="three attempts")
    assert all(a["status_code"] is None and a["error"] for a in failed)


async def test_receipts_wait_out_the_numbers_delay(
    start_simulator: StartSimulator, sms_receiver: WebhookReceiver
) -> None:
    held = HeldSleep()
    clock = MovableClock()
    clock.fixed = datetime(2025, 5, 2, 1, 0, tzinfo=UTC)
    async with start_simulator(sleep=held, clock=clock) as simulator:
        await simulator.control(receipt_delay_seconds=3600)
        message_id = (await simulator.sms()).json()["message_id"]

        async def asked() -> list[float]:
            return held.requested

        await eventually(asked, what="the receipt to wait")
        waiting = await simulator.message(message_id)
        received_while_waiting = len(sms_receiver.received)
        clock.fixed += timedelta(hours=1)
        held.release()
        message = await simulator.settled(message_id)

    assert held.requested == [3600]
    assert (waiting["receipts"], received_while_waiting) == ([], 0)
    assert waiting["receipts_due_at"] == "2025-05-02T02:00:00Z"
    (report,) = sms_receiver.payloads
    assert report["done_at"] == "2025-05-02T02:00:00Z"  # the moment it reports
    assert message["accepted_at"] == "2025-05-02T01:00:00Z"


async def test_the_default_delay_applies_to_every_number_without_its_own(
    start_simulator: StartSimulator,
) -> None:
    held = HeldSleep()
    async with start_simulator(sleep=held, receipt_delay_seconds=5) as simulator:
        await simulator.whatsapp("Budi")

        async def asked() -> list[float]:
            return held.requested

        await eventually(asked, what="the receipts to wait")
    assert held.requested == [5]


async def test_withheld_receipts_are_never_sent(
    simulator: Simulator, sms_receiver: WebhookReceiver
) -> None:
    await simulator.control(withhold_receipts=True)

    withheld_id = (await simulator.sms()).json()["message_id"]
    other_id = (await simulator.sms(to="+6281298765432")).json()["message_id"]
    await simulator.settled(other_id)

    withheld = await simulator.message(withheld_id)
    assert (withheld["receipts"], withheld["receipts_due_at"]) == ([], None)
    assert await receipt_tasks(withheld_id) == []  # nothing is scheduled to send them
    assert [p["message_id"] for p in sms_receiver.payloads] == [other_id]


async def test_redelivery_repeats_every_receipt_sent(
    simulator: Simulator, whatsapp_receiver: WebhookReceiver
) -> None:
    wamid = (await simulator.whatsapp("Budi")).json()["messages"][0]["id"]
    first = await simulator.settled(wamid)
    whatsapp_receiver.hold_until_in_flight(2)

    answer = await simulator.client.post(
        f"/control/messages/{wamid}/redeliver", json={"times": 2, "concurrently": True}
    )

    assert answer.json() == {"message_id": wamid, "status_codes": [200] * 6}
    received = whatsapp_receiver.received
    assert len(received) == 9
    assert {r.headers["webhook-id"] for r in received} == {
        r["webhook_id"] for r in first["receipts"]
    }
    assert len({r.body for r in received}) == 3
    assert all(r.payload is not None for r in received)


async def test_redelivering_an_unknown_message_is_a_404_problem(simulator: Simulator) -> None:
    answer = await simulator.client.post("/control/messages/nope/redeliver", json={"times": 1})

    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "message_not_found"


async def test_shutdown_cancels_receipts_waiting_to_retry(
    start_simulator: StartSimulator, sms_receiver: WebhookReceiver
) -> None:
    sms_receiver.status = 503
    async with start_simulator(retry_initial_seconds=300, retry_max_seconds=300) as simulator:
        await simulator.sms()

        async def attempts() -> int:
            return len(sms_receiver.received)

        await eventually(attempts, what="the first attempt")
        assert await receipt_tasks(), "the receipt should be waiting to retry"

    assert await receipt_tasks() == []


async def test_reset_cancels_what_is_owed_and_forgets_everything(
    start_simulator: StartSimulator, whatsapp_receiver: WebhookReceiver
) -> None:
    held = HeldSleep()
    async with start_simulator(sleep=held) as simulator:
        await simulator.control(fate="permanent_failure", receipt_delay_seconds=60)
        await simulator.client.put("/control/availability", json={"sms": "down"})
        await simulator.client.put("/control/receipts", json={"sms_url": "http://127.0.0.1:9/x"})
        await simulator.whatsapp("Budi")
        assert await receipt_tasks()

        reset = await simulator.client.post("/control/reset")

        assert reset.status_code == 204
        assert await receipt_tasks() == []
        assert (await simulator.client.get("/messages")).json() == []
        number = (await simulator.client.get(f"/control/numbers/{NUMBER}")).json()
        assert (number["controlled"], number["fate"]) == (False, "delivered")
        assert (await simulator.client.get("/control/availability")).json() == {
            "sms": "up",
            "whatsapp": "up",
        }
        urls = (await simulator.client.get("/control/receipts")).json()
        assert urls["whatsapp_url"] == whatsapp_receiver.url
        assert urls["sms_url"] != "http://127.0.0.1:9/x"
    assert whatsapp_receiver.received == []


async def test_receipts_go_where_a_test_points_them(
    simulator: Simulator, sms_receiver: WebhookReceiver
) -> None:
    from notifysim_harness import SMS_SECRET

    from kota_shared.testing.webhooks import serve_receiver

    async with serve_receiver(SMS_SECRET) as elsewhere:
        pointed = await simulator.client.put("/control/receipts", json={"sms_url": elsewhere.url})
        message_id = (await simulator.sms()).json()["message_id"]
        await simulator.settled(message_id)

    assert pointed.json()["sms_url"] == elsewhere.url
    assert [p["message_id"] for p in elsewhere.payloads] == [message_id]
    assert sms_receiver.received == []
