"""The SMS gateway over HTTP: sends taken or refused as a gateway does, and one signed DLR
per message at the SMS receipt URL."""

from datetime import datetime

import pytest
from notifysim_harness import NUMBER, SMS_AUTH, SMS_SECRET, WHATSAPP_AUTH, Simulator, StartSimulator

from kota_shared.testing.webhooks import WebhookReceiver


async def test_a_send_is_taken_and_reported_delivered_with_a_signed_dlr(
    simulator: Simulator, sms_receiver: WebhookReceiver, whatsapp_receiver: WebhookReceiver
) -> None:
    answer = await simulator.sms(text="Izin Anda disetujui.", reference="notice-1")

    assert answer.status_code == 202
    accepted = answer.json()
    assert accepted == {
        "message_id": accepted["message_id"],
        "status": "accepted",
        "segments": 1,
        "encoding": "GSM-7",
    }
    message = await simulator.settled(accepted["message_id"])
    (received,) = sms_receiver.received
    assert received.payload == {
        "message_id": accepted["message_id"],
        "reference": "notice-1",
        "to": NUMBER,
        "status": "DELIVRD",
        "error_code": "000",
        "done_at": received.payload["done_at"],
    }
    datetime.fromisoformat(received.payload["done_at"])
    (receipt,) = message["receipts"]
    assert received.headers["webhook-id"] == receipt["webhook_id"]
    assert message["status"] == "DELIVRD"
    assert whatsapp_receiver.received == []  # each provider calls its own URL


async def test_the_answer_counts_segments_in_the_alphabet_the_text_needs(
    simulator: Simulator,
) -> None:
    long_gsm = await simulator.sms(text="a" * 161)
    turkish = await simulator.sms(text="Teşekkürler")

    assert (long_gsm.json()["segments"], long_gsm.json()["encoding"]) == (2, "GSM-7")
    assert (turkish.json()["segments"], turkish.json()["encoding"]) == (1, "UCS-2")


@pytest.mark.parametrize(
    ("fate", "status", "error_code"),
    [("permanent_failure", "UNDELIV", "001"), ("temporary_failure", "EXPIRED", "027")],
)
async def test_a_failing_number_is_taken_and_reported_failed(
    simulator: Simulator,
    sms_receiver: WebhookReceiver,
    fate: str,
    status: str,
    error_code: str,
) -> None:
    await simulator.control(fate=fate)

    answer = await simulator.sms()

    assert answer.status_code == 202
    await simulator.settled(answer.json()["message_id"])
    (report,) = sms_receiver.payloads
    assert (report["status"], report["error_code"]) == (status, error_code)


async def test_a_landline_is_taken_and_rejected_by_the_network(
    simulator: Simulator, sms_receiver: WebhookReceiver
) -> None:
    answer = await simulator.sms(to="+62215550100")

    await simulator.settled(answer.json()["message_id"])
    (report,) = sms_receiver.payloads
    assert (report["status"], report["error_code"]) == ("REJECTD", "011")


def refusal(answer: object, status: int, code: str) -> str:
    """The message of a refusal in the gateway's shape, after checking its status and code."""
    assert answer.status_code == status, answer.text  # type: ignore[attr-defined]
    body = answer.json()  # type: ignore[attr-defined]
    assert list(body) == ["error"]
    assert body["error"]["code"] == code
    message: str = body["error"]["message"]
    assert message
    return message


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"authorization": "Bearer wrong"},
        {"authorization": "Basic eDp5"},
        {"authorization": b"Bearer kl\xe9"},  # Latin-1, as a header may be
        WHATSAPP_AUTH,
    ],
)
async def test_only_the_api_keys_holder_may_send(
    simulator: Simulator, headers: dict[str, str | bytes]
) -> None:
    answer = await simulator.client.post(
        "/sms/v1/messages", json={"to": NUMBER, "text": "Halo"}, headers=headers
    )

    refusal(answer, 401, "unauthorized")
    assert answer.headers["www-authenticate"] == "Bearer"
    assert (await simulator.client.get("/messages")).json() == []


@pytest.mark.parametrize("to", ["081234567890", "+62 812 3456 7890", "+620000", "halo"])
async def test_a_number_not_in_international_form_is_refused(simulator: Simulator, to: str) -> None:
    refusal(await simulator.sms(to=to), 400, "invalid_number")


@pytest.mark.parametrize("text", ["", "   \n"])
async def test_an_empty_text_is_refused(simulator: Simulator, text: str) -> None:
    refusal(await simulator.sms(text=text), 400, "empty_text")


async def test_a_text_over_the_segment_limit_is_refused(start_simulator: StartSimulator) -> None:
    async with start_simulator(sms_max_segments=2) as simulator:
        taken = await simulator.sms(text="a" * 306)
        refused = await simulator.sms(text="a" * 307)

    assert taken.status_code == 202
    assert "3 GSM-7 segments" in refusal(refused, 400, "text_too_long")


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"to": "+6281234567890"}',
        b'{"to": 6281234567890, "text": "Halo"}',
        b'{"to": "+6281234567890", "text": "Halo", "reference": ""}',
        b'{"to": "+6281234567890", "text": "' + b"a" * 6000 + b'"}',
    ],
)
async def test_a_malformed_send_is_refused_in_the_gateways_shape(
    simulator: Simulator, body: bytes
) -> None:
    answer = await simulator.client.post(
        "/sms/v1/messages",
        content=body,
        headers=SMS_AUTH | {"content-type": "application/json"},
    )

    refusal(answer, 400, "invalid_request")


async def test_a_refused_number_gets_an_error_and_nothing_is_sent(
    simulator: Simulator, sms_receiver: WebhookReceiver
) -> None:
    await simulator.control(fate="refused", times=1)

    refused = await simulator.sms()
    taken = await simulator.sms()

    refusal(refused, 400, "recipient_rejected")
    assert taken.status_code == 202
    listed = (await simulator.client.get("/messages")).json()
    assert [m["message_id"] for m in listed] == [taken.json()["message_id"]]


async def test_down_answers_503_until_it_is_up_again(simulator: Simulator) -> None:
    down = await simulator.client.put("/control/availability", json={"sms": "down"})
    refused = await simulator.sms()
    whatsapp_still_up = await simulator.whatsapp("Budi")
    await simulator.client.put("/control/availability", json={"sms": "up"})
    taken = await simulator.sms()

    assert down.json() == {"sms": "down", "whatsapp": "up"}
    refusal(refused, 503, "service_unavailable")
    assert refused.headers["retry-after"] == "1"
    assert whatsapp_still_up.status_code == 200
    assert taken.status_code == 202
    listed = (await simulator.client.get("/messages", params={"channel": "sms"})).json()
    assert len(listed) == 1


async def test_a_dlr_verifies_only_with_the_sms_secret(
    simulator: Simulator, sms_receiver: WebhookReceiver
) -> None:
    from standardwebhooks import Webhook, WebhookVerificationError

    answer = await simulator.sms()
    await simulator.settled(answer.json()["message_id"])

    (received,) = sms_receiver.received
    Webhook(SMS_SECRET).verify(received.body, received.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "b3RoZXItc2VjcmV0LW9mLWFub3RoZXI=").verify(
            received.body, received.headers
        )
