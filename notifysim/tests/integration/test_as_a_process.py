"""The simulator as other packages' tests meet it: a process of its own, started by the
pytest plugin (`notification_simulator`), sending signed receipts to the test's receivers."""

from typing import Any

import httpx

from kota_dev.pytest_plugin import NotificationSimulator
from kota_shared.testing.waiting import eventually
from kota_shared.testing.webhooks import serve_receiver

NUMBER = "+6281234567890"


async def test_a_send_through_the_process_gets_its_signed_receipts(
    notification_simulator: NotificationSimulator,
) -> None:
    simulator = notification_simulator
    async with (
        serve_receiver(simulator.sms_webhook_secret) as sms,
        serve_receiver(simulator.whatsapp_webhook_secret) as whatsapp,
        httpx.AsyncClient() as client,
    ):
        await simulator.point_receipts(sms_url=sms.url, whatsapp_url=whatsapp.url)
        await simulator.control_number(NUMBER, read=False)
        sent_sms = await client.post(
            simulator.sms_messages_url,
            json={"to": NUMBER, "text": "Izin Anda terbit.", "reference": "notice-9"},
            headers={"authorization": f"Bearer {simulator.sms_api_key}"},
        )
        sent_whatsapp = await client.post(
            simulator.whatsapp_messages_url(),
            json={
                "messaging_product": "whatsapp",
                "to": NUMBER,
                "type": "template",
                "template": {"name": "izin_terbit", "language": {"code": "id"}},
            },
            headers={"authorization": f"Bearer {simulator.whatsapp_access_token}"},
        )

        async def received() -> tuple[list[Any], list[Any]]:
            return sms.payloads, whatsapp.payloads

        await eventually(received, until=lambda r: len(r[0]) == 1 and len(r[1]) == 2)
        listed = await simulator.messages(to=NUMBER)

    assert sent_sms.status_code == 202
    assert sent_whatsapp.status_code == 200
    assert sms.payloads[0]["reference"] == "notice-9"
    assert [m["channel"] for m in listed] == ["whatsapp", "sms"]
    assert listed[1]["text"] == "Izin Anda terbit."
