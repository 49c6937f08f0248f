"""When a channel does not deliver: a provider that is down is waited out and sent to once
it is back; a permanent failure is recorded, not retried, and hands the notice on; a
receipt that never comes hands it on once the wait is over (the clock moved, not waited)."""

from datetime import timedelta

from delivery_post import Post
from sqlalchemy import select

from information.delivery.models import Message
from kota_shared.testing.waiting import eventually

DAY = timedelta(hours=24)


async def test_a_provider_down_is_waited_out_and_sent_to_once_it_is_back(post: Post) -> None:
    citizen = await post.citizen(channels=["sms", "whatsapp"])
    await post.provider("sms", "down")
    try:
        notice_id = await post.notify(citizen)

        async def rows() -> list[Message]:
            return await post.rows(notice_id)

        def retrying(found: list[Message]) -> bool:
            return bool(found) and found[0].attempts >= 2 and found[0].status == "technical_failure"

        (waiting,) = await eventually(rows, until=retrying, what="a second try, failed")
        assert waiting.error_code == "http_503"
        assert waiting.due_at is not None  # to be tried again
        assert await post.received(citizen) == []
    finally:
        await post.provider("sms", "up")

    assert await post.until_statuses(citizen, notice_id, [("sms", "delivered")])
    assert len(await post.received(citizen)) == 1  # once, however many tries it took


async def test_a_provider_down_longer_than_the_wait_hands_the_notice_on(post: Post) -> None:
    citizen = await post.citizen(channels=["sms", "whatsapp"])
    await post.provider("sms", "down")
    try:
        notice_id = await post.notify(citizen)
        await eventually(
            lambda: post.rows(notice_id),
            until=lambda rows: bool(rows) and rows[0].attempts >= 1,
            what="a first try",
        )
        post.move_clock(DAY + timedelta(minutes=1))

        assert await post.until_statuses(
            citizen, notice_id, [("sms", "technical_failure"), ("whatsapp", "read")]
        )
    finally:
        await post.provider("sms", "up")
    (sms, _whatsapp) = await post.messages(citizen, notice_id)
    assert sms["due_at"] is None  # given up: never tried again
    assert [m["channel"] for m in await post.received(citizen)] == ["whatsapp"]


async def test_a_permanent_failure_is_recorded_not_retried_and_falls_back(post: Post) -> None:
    citizen = await post.citizen(channels=["whatsapp", "sms"])
    await post.fare(citizen, fate="permanent_failure", times=1)  # not a WhatsApp number

    notice_id = await post.notify(citizen)

    assert await post.until_statuses(
        citizen, notice_id, [("whatsapp", "permanent_failure"), ("sms", "delivered")]
    )
    whatsapp, _sms = await post.messages(citizen, notice_id)
    assert whatsapp["attempts"] == 1
    assert whatsapp["error_code"] == "whatsapp:131026"
    assert sorted(m["channel"] for m in await post.received(citizen)) == ["sms", "whatsapp"]


async def test_a_send_the_provider_refuses_fails_permanently_and_falls_back(post: Post) -> None:
    citizen = await post.citizen(channels=["sms", "whatsapp"])
    await post.fare(citizen, fate="refused", times=1)

    notice_id = await post.notify(citizen)

    assert await post.until_statuses(
        citizen, notice_id, [("sms", "permanent_failure"), ("whatsapp", "read")]
    )
    sms, _whatsapp = await post.messages(citizen, notice_id)
    assert (sms["attempts"], sms["error_code"]) == (1, "recipient_rejected")
    assert [m["channel"] for m in await post.received(citizen)] == ["whatsapp"]


async def test_a_temporary_failure_hands_the_notice_on_at_once(post: Post) -> None:
    citizen = await post.citizen(channels=["sms", "whatsapp"])
    await post.fare(citizen, fate="temporary_failure", times=1)  # the phone stayed off

    notice_id = await post.notify(citizen)

    assert await post.until_statuses(
        citizen, notice_id, [("sms", "temporary_failure"), ("whatsapp", "read")]
    )


async def test_a_receipt_that_never_comes_hands_the_notice_on_after_the_wait(
    post: Post,
) -> None:
    citizen = await post.citizen(channels=["whatsapp", "sms"])
    await post.fare(citizen, withhold_receipts=True, times=1)
    notice_id = await post.notify(citizen)
    await post.until_received(citizen, 1)
    post.move_clock(DAY - timedelta(minutes=1))
    # Not yet: a marker notice, sent and delivered after the clock moved, proves the
    # dispatcher has looked at the waiting message since.
    marker_citizen = await post.citizen(channels=["sms"])
    marker = await post.notify(marker_citizen)
    await post.until_statuses(marker_citizen, marker, [("sms", "delivered")])
    assert await post.statuses(citizen, notice_id) == [("whatsapp", "sending")]

    post.move_clock(timedelta(minutes=2))

    assert await post.until_statuses(
        citizen, notice_id, [("whatsapp", "temporary_failure"), ("sms", "delivered")]
    )
    whatsapp, _sms = await post.messages(citizen, notice_id)
    assert whatsapp["error_code"] == "no_receipt"
    assert sorted(m["channel"] for m in await post.received(citizen)) == ["sms", "whatsapp"]


async def test_no_fallback_once_the_citizen_has_read_the_notice_in_the_app(post: Post) -> None:
    citizen = await post.citizen(channels=["whatsapp", "sms"])
    await post.fare(citizen, withhold_receipts=True, times=1)
    notice_id = await post.notify(citizen)
    await post.until_received(citizen, 1)
    read = await post.information.post(
        f"/v1/information/notices/{notice_id}/read", headers=post.as_citizen(citizen)
    )
    assert read.status_code == 200, read.text

    post.move_clock(DAY + timedelta(minutes=1))

    assert await post.until_statuses(citizen, notice_id, [("whatsapp", "temporary_failure")])
    async with post.runtime.sessionmaker() as session:
        handed_on = await session.scalar(
            select(Message.fell_back_at).where(Message.notice_id == notice_id)
        )
    assert handed_on is not None  # considered, and found unneeded
    assert [m["channel"] for m in await post.received(citizen)] == ["whatsapp"]


async def test_the_last_channel_failing_leaves_the_inbox(post: Post) -> None:
    citizen = await post.citizen(channels=["sms"])
    await post.fare(citizen, fate="permanent_failure", times=1)

    notice_id = await post.notify(citizen)

    assert await post.until_statuses(citizen, notice_id, [("sms", "permanent_failure")])
    inbox = await post.information.get(
        f"/v1/information/notices/{notice_id}", headers=post.as_citizen(citizen)
    )
    assert inbox.status_code == 200
