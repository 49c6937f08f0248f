"""WhatsApp's Cloud API over HTTP: template sends answered as Meta answers them, refusals
in the Graph API's error object, and each status as a signed webhook, in order."""

from typing import Any

import httpx
import pytest
from notifysim_harness import (
    MESSAGES,
    NUMBER,
    SMS_AUTH,
    TEMPLATES,
    WHATSAPP_AUTH,
    Simulator,
    StartSimulator,
    template_message,
)

from kota_shared.testing.webhooks import WebhookReceiver


def statuses(receiver: WebhookReceiver) -> list[dict[str, Any]]:
    """Each verified webhook's one status, in the order they arrived."""
    found = []
    for payload in receiver.payloads:
        assert payload["object"] == "whatsapp_business_account"
        (entry,) = payload["entry"]
        (change,) = entry["changes"]
        assert change["field"] == "messages"
        (status,) = change["value"]["statuses"]
        found.append(status)
    return found


async def test_a_template_send_is_answered_as_meta_answers_it(simulator: Simulator) -> None:
    answer = await simulator.whatsapp("Budi", "PBG-2025-0001", to="+6281234567890")

    assert answer.status_code == 200
    sent = answer.json()
    (message,) = sent["messages"]
    assert sent == {
        "messaging_product": "whatsapp",
        "contacts": [{"input": "+6281234567890", "wa_id": "6281234567890"}],
        "messages": [{"id": message["id"], "message_status": "accepted"}],
    }
    assert message["id"].startswith("wamid.")


async def test_sent_delivered_and_read_arrive_in_order_signed(
    simulator: Simulator, whatsapp_receiver: WebhookReceiver, sms_receiver: WebhookReceiver
) -> None:
    answer = await simulator.whatsapp("Budi", biz_opaque_callback_data="notice-7")
    wamid = answer.json()["messages"][0]["id"]

    message = await simulator.settled(wamid)

    assert [s["status"] for s in statuses(whatsapp_receiver)] == ["sent", "delivered", "read"]
    for status in statuses(whatsapp_receiver):
        assert status["id"] == wamid
        assert status["recipient_id"] == "6281234567890"
        assert status["biz_opaque_callback_data"] == "notice-7"
        assert int(status["timestamp"]) > 0
        assert "errors" not in status
    (first, *_rest) = whatsapp_receiver.payloads
    assert first["entry"][0]["id"] == "109876543210000"
    assert first["entry"][0]["changes"][0]["value"]["metadata"] == {
        "display_phone_number": "6281299990000",
        "phone_number_id": "109876543210001",
    }
    webhook_ids = [r.headers["webhook-id"] for r in whatsapp_receiver.received]
    assert webhook_ids == [r["webhook_id"] for r in message["receipts"]]
    assert len(set(webhook_ids)) == 3  # one per status
    assert message["status"] == "read"
    assert sms_receiver.received == []


async def test_a_citizen_who_does_not_read_gets_no_read_status(
    simulator: Simulator, whatsapp_receiver: WebhookReceiver
) -> None:
    await simulator.control(read=False)

    answer = await simulator.whatsapp("Budi")
    await simulator.settled(answer.json()["messages"][0]["id"])

    assert [s["status"] for s in statuses(whatsapp_receiver)] == ["sent", "delivered"]


@pytest.mark.parametrize(
    ("fate", "code"), [("permanent_failure", 131026), ("temporary_failure", 131049)]
)
async def test_a_failing_number_gets_one_failed_status_with_metas_error(
    simulator: Simulator, whatsapp_receiver: WebhookReceiver, fate: str, code: int
) -> None:
    await simulator.control(fate=fate)

    answer = await simulator.whatsapp("Budi")
    await simulator.settled(answer.json()["messages"][0]["id"])

    (status,) = statuses(whatsapp_receiver)
    assert status["status"] == "failed"
    assert [e["code"] for e in status["errors"]] == [code]


def graph_error(answer: httpx.Response, status: int, code: int) -> dict[str, Any]:
    """The Graph API error object of a refusal, after checking its status and code."""
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert list(body) == ["error"]
    error: dict[str, Any] = body["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["type"]
    assert error["fbtrace_id"]
    return error


@pytest.mark.parametrize(
    "headers",
    [{}, {"authorization": "Bearer wrong"}, {"authorization": b"Bearer \xff"}, SMS_AUTH],
)
async def test_only_the_access_tokens_holder_may_send(
    simulator: Simulator, headers: dict[str, str | bytes]
) -> None:
    answer = await simulator.client.post(MESSAGES, json=template_message("Budi"), headers=headers)

    error = graph_error(answer, 401, 190)
    assert error["type"] == "OAuthException"
    assert (await simulator.client.get("/messages")).json() == []


async def test_another_business_number_does_not_exist(simulator: Simulator) -> None:
    answer = await simulator.client.post(
        "/whatsapp/v23.0/999/messages", json=template_message("Budi"), headers=WHATSAPP_AUTH
    )

    error = graph_error(answer, 400, 100)
    assert (error["error_subcode"], error["type"]) == (33, "GraphMethodException")


@pytest.mark.parametrize(
    "change",
    [
        {"messaging_product": "sms"},
        {"type": "text"},
        {"to": 6281234567890},
        {"template": {"name": "x"}},
        {
            "template": {
                "name": "x",
                "language": {"code": "id"},
                "components": [{"type": "body", "parameters": [{"type": "image", "image": {}}]}],
            }
        },
    ],
)
async def test_a_body_meta_refuses_is_an_invalid_parameter(
    simulator: Simulator, change: dict[str, Any]
) -> None:
    answer = await simulator.client.post(
        MESSAGES, json=template_message("Budi") | change, headers=WHATSAPP_AUTH
    )

    error = graph_error(answer, 400, 100)
    assert error["message"] == "(#100) Invalid parameter"
    assert error["error_data"]["details"]


async def test_not_json_is_an_invalid_parameter(simulator: Simulator) -> None:
    answer = await simulator.client.post(
        MESSAGES, content=b"{", headers=WHATSAPP_AUTH | {"content-type": "application/json"}
    )

    graph_error(answer, 400, 100)


async def test_a_number_not_in_international_form_is_refused(simulator: Simulator) -> None:
    error = graph_error(await simulator.whatsapp("Budi", to="081234567890"), 400, 131009)

    assert "to" in error["error_data"]["details"]


async def test_a_refused_number_gets_message_undeliverable(simulator: Simulator) -> None:
    await simulator.control(fate="refused")

    graph_error(await simulator.whatsapp("Budi"), 400, 131026)


@pytest.mark.parametrize("parameter", ["two\nlines", "a\ttab", "five     spaces"])
async def test_a_parameter_meta_cannot_show_is_refused(
    simulator: Simulator, parameter: str
) -> None:
    graph_error(await simulator.whatsapp(parameter), 400, 132018)


async def test_down_answers_503_until_it_is_up_again(simulator: Simulator) -> None:
    await simulator.client.put("/control/availability", json={"whatsapp": "down"})
    refused = await simulator.whatsapp("Budi")
    await simulator.client.put("/control/availability", json={"whatsapp": "up"})
    taken = await simulator.whatsapp("Budi")

    graph_error(refused, 503, 131016)
    assert refused.headers["retry-after"] == "1"
    assert taken.status_code == 200


TEMPLATE = {
    "name": "izin_disetujui",
    "language": "id",
    "category": "UTILITY",
    "components": [{"type": "BODY", "text": "Halo {{1}}, izin {{2}} Anda disetujui."}],
}


async def register(simulator: Simulator, template: dict[str, Any] = TEMPLATE) -> httpx.Response:
    return await simulator.client.post(TEMPLATES, json=template, headers=WHATSAPP_AUTH)


async def test_a_registered_template_is_shown_filled_in(simulator: Simulator) -> None:
    created = await register(simulator)
    answer = await simulator.whatsapp("Budi", "PBG-1")

    assert created.status_code == 200
    assert created.json() == {
        "id": created.json()["id"],
        "status": "APPROVED",
        "category": "UTILITY",
    }
    message = await simulator.message(answer.json()["messages"][0]["id"])
    assert message["text"] == "Halo Budi, izin PBG-1 Anda disetujui."
    assert message["template"] == {
        "name": "izin_disetujui",
        "language": "id",
        "parameters": ["Budi", "PBG-1"],
    }
    listed = await simulator.client.get(TEMPLATES, headers=WHATSAPP_AUTH)
    assert [t["name"] for t in listed.json()["data"]] == ["izin_disetujui"]


async def test_a_template_is_registered_once_per_language(simulator: Simulator) -> None:
    await register(simulator)

    again = await register(simulator)
    english = await register(simulator, TEMPLATE | {"language": "en"})

    assert graph_error(again, 400, 100)["error_subcode"] == 2388024
    assert english.status_code == 200


async def test_a_known_template_with_the_wrong_number_of_parameters_is_refused(
    simulator: Simulator,
) -> None:
    await register(simulator)

    graph_error(await simulator.whatsapp("Budi"), 400, 132000)


async def test_an_unknown_template_is_sent_with_its_parameters_unless_required(
    start_simulator: StartSimulator,
) -> None:
    async with start_simulator() as lenient:
        answer = await lenient.whatsapp("Budi")
        message = await lenient.message(answer.json()["messages"][0]["id"])
    async with start_simulator(whatsapp_require_templates=True) as strict:
        refused = await strict.whatsapp("Budi")

    assert message["text"] is None
    assert message["template"]["parameters"] == ["Budi"]
    graph_error(refused, 400, 132001)


async def test_a_deleted_template_is_unknown_again(start_simulator: StartSimulator) -> None:
    async with start_simulator(whatsapp_require_templates=True) as simulator:
        await register(simulator)
        deleted = await simulator.client.delete(
            TEMPLATES, params={"name": "izin_disetujui"}, headers=WHATSAPP_AUTH
        )
        refused = await simulator.whatsapp("Budi", "PBG-1")

    assert deleted.json() == {"success": True}
    graph_error(refused, 400, 132001)


async def test_templates_belong_to_the_business_account_and_the_tokens_holder(
    simulator: Simulator,
) -> None:
    other_account = await simulator.client.post(
        "/whatsapp/v23.0/999/message_templates", json=TEMPLATE, headers=WHATSAPP_AUTH
    )
    no_token = await simulator.client.get(TEMPLATES)

    graph_error(other_account, 400, 100)
    graph_error(no_token, 401, 190)


async def test_a_version_not_like_metas_is_refused(simulator: Simulator) -> None:
    answer = await simulator.client.post(
        f"/whatsapp/latest/{NUMBER}/messages", json=template_message("Budi"), headers=WHATSAPP_AUTH
    )

    graph_error(answer, 400, 100)
