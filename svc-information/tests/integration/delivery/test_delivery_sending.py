"""A notice reaches its citizen once, by their first channel, its receipt saying so; a
redelivered event, a second dispatcher or one restarted after a crash sends nothing twice;
a citizen without a phone has the inbox only."""

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from delivery_post import Citizen, Post
from fastapi import FastAPI
from notice_examples import INVOICE_CREATED, INVOICE_PAID
from sqlalchemy import select, update

from information.delivery.models import Message
from information.main import create_app
from information.notices.models import Notice
from kota_shared.testing.servers import serve_app
from kota_shared.testing.waiting import eventually


async def test_a_notice_goes_once_by_the_first_channel_and_its_receipts_mark_it_read(
    post: Post,
) -> None:
    citizen = await post.citizen(channels=["whatsapp", "sms"])

    notice_id = await post.notify(citizen)

    assert await post.until_statuses(citizen, notice_id, [("whatsapp", "read")])
    (sent,) = await post.received(citizen)
    (message,) = await post.messages(citizen, notice_id)
    assert sent["channel"] == "whatsapp"
    assert sent["reference"] == message["id"]  # our id travels with it, for reconciliation
    assert sent["template"]["language"] == "id"
    assert message["attempts"] == 1
    assert await post.received(citizen, "sms") == []  # delivered: no fallback


async def test_an_sms_first_citizen_gets_an_sms_in_bahasa_indonesia_marked_delivered(
    post: Post,
) -> None:
    citizen = await post.citizen(channels=["sms"])

    notice_id = await post.notify(citizen)

    assert await post.until_statuses(citizen, notice_id, [("sms", "delivered")])
    (sent,) = await post.received(citizen)
    assert sent["channel"] == "sms"
    assert "tagihan" in sent["text"].lower()  # the invoice-opened text, in Indonesian
    (row,) = await post.rows(notice_id)
    assert row.number_hash is not None
    assert citizen.phone is not None
    assert citizen.phone.removeprefix("+") not in row.number_hash  # a keyed hash, no number
    assert row.segments == sent["segments"]


async def test_an_event_delivered_three_times_sends_one_message(post: Post) -> None:
    citizen = await post.citizen(channels=["sms"])
    event = INVOICE_CREATED.model_copy(
        update={"invoice_id": uuid.uuid4(), "payer_id": str(citizen.account_id)}
    )

    await post.publish(event, subject=str(event.invoice_id), times=3)
    # A later event on the same partition (same key): once its notice is sent, the three
    # copies before it have all been consumed.
    marker = INVOICE_PAID.model_copy(
        update={"invoice_id": event.invoice_id, "payer_id": str(citizen.account_id)}
    )
    await post.publish(marker, subject=str(event.invoice_id))

    await post.until_received(citizen, 2)
    async with post.runtime.sessionmaker() as session:
        kinds = (
            await session.scalars(
                select(Notice.kind).where(Notice.recipient_id == citizen.account_id)
            )
        ).all()
    assert sorted(kinds) == ["invoice.opened", "invoice.paid"]
    assert len(await post.received(citizen)) == 2


async def test_a_citizen_without_a_phone_gets_the_inbox_only(post: Post) -> None:
    citizen = await post.kiosk_citizen()

    notice_id = await post.notify(citizen)

    async def rows() -> list[Message]:
        return await post.rows(notice_id)

    await eventually(rows, until=lambda found: found == [], what="its message dropped")
    inbox = await post.information.get(
        f"/v1/information/notices/{notice_id}", headers=post.as_citizen(citizen)
    )
    assert inbox.status_code == 200, inbox.text


async def test_another_citizen_cannot_read_a_notices_messages(post: Post) -> None:
    citizen = await post.citizen(channels=["sms"])
    other = await post.citizen(channels=["sms"])
    notice_id = await post.notify(citizen)

    answer = await post.information.get(
        f"/v1/information/notices/{notice_id}/messages", headers=post.as_citizen(other)
    )
    unsigned = await post.information.get(f"/v1/information/notices/{notice_id}/messages")

    assert answer.status_code == 404
    assert unsigned.status_code == 401


@pytest.fixture
async def second_dispatcher(
    information_app: FastAPI,
) -> AsyncIterator[httpx.AsyncClient]:
    """Another replica of the service on the same database: its own dispatcher."""
    settings = information_app.state.runtime.settings
    replica = create_app(settings, clock=information_app.state.clock)
    async with serve_app(replica) as url, httpx.AsyncClient(base_url=url) as client:
        yield client


async def test_two_dispatchers_send_each_of_many_notices_once(
    post: Post, second_dispatcher: httpx.AsyncClient
) -> None:
    citizens = [await post.citizen(channels=["sms"]) for _ in range(6)]

    notices = [(c, await post.notify(c)) for c in citizens for _ in range(3)]

    for citizen, notice_id in notices:
        await post.until_statuses(citizen, notice_id, [("sms", "delivered")])
    for citizen in citizens:
        assert len(await post.received(citizen)) == 3


async def test_a_send_whose_answer_was_lost_is_not_sent_again_and_its_receipt_names_it(
    post: Post, information_app: FastAPI
) -> None:
    """As if the dispatcher died after the provider took the message, before it recorded
    the provider's id: a restarted dispatcher leaves it, and the receipt reconciles it."""
    citizen = await post.citizen(channels=["sms", "whatsapp"])
    await post.point_receipts("sms", "http://127.0.0.1:9/nobody-listens")  # receipts wait
    try:
        notice_id = await post.notify(citizen)
        (sent,) = await post.until_received(citizen, 1)
        await _until_named(post, notice_id)
        async with post.runtime.sessionmaker.begin() as session:
            await session.execute(
                update(Message)
                .where(Message.notice_id == notice_id)
                .values(provider_message_id=None)  # the answer, lost with the crash
            )

        settings = information_app.state.runtime.settings
        async with serve_app(create_app(settings, clock=post.clock)):
            # The restarted replica dispatches: a marker sent through it arrives.
            marker_citizen = await post.citizen(channels=["whatsapp"])
            marker = await post.notify(marker_citizen)
            await post.until_statuses(marker_citizen, marker, [("whatsapp", "read")])
            assert await post.statuses(citizen, notice_id) == [("sms", "sending")]

            await post.point_receipts("sms")  # the receipt's next retry reaches the service

            assert await post.until_statuses(citizen, notice_id, [("sms", "delivered")])
    finally:
        await post.point_receipts("sms")
    (row,) = await post.rows(notice_id)
    assert row.provider_message_id == sent["message_id"]
    assert len(await post.received(citizen)) == 1


async def _until_named(post: Post, notice_id: uuid.UUID) -> Message:
    async def probe() -> Message | None:
        rows = await post.rows(notice_id)
        return rows[0] if rows and rows[0].provider_message_id else None

    found = await eventually(probe, what="the provider's id recorded")
    assert found is not None
    return found


async def test_delivery_is_measured(post: Post) -> None:
    citizen: Citizen = await post.citizen(channels=["sms"])
    notice_id = await post.notify(citizen)
    await post.until_statuses(citizen, notice_id, [("sms", "delivered")])

    metrics = (await post.information.get("/metrics")).text

    assert 'kota_information_messages_total{channel="sms",status="delivered"}' in metrics
    assert 'kota_information_delivery_queue{channel="sms",state="due"}' in metrics
