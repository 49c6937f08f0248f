"""Quiet hours and the per-number limits, on the service's clock: what can wait is held until
the citizen's morning, what cannot goes at once; no number gets more than 20 identical or
100 messages in any hour, however many dispatchers send."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from delivery_post import Citizen, Post
from fastapi import FastAPI

from information.main import create_app
from information.notices.kinds import NoticeKind
from kota_shared.testing.servers import serve_app
from kota_shared.testing.waiting import eventually

WIB = ZoneInfo("Asia/Jakarta")
NIGHT = (time(21, 0), time(6, 0))


def next_evening(hour: int) -> datetime:
    """The next time it is ``hour`` o'clock in Tangerang."""
    now = datetime.now(WIB)
    evening = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return evening if evening > now else evening + timedelta(days=1)


async def test_quiet_hours_hold_what_can_wait_until_morning_and_let_urgent_through(
    post: Post,
) -> None:
    citizen = await post.citizen(channels=["sms"], quiet=NIGHT)
    evening = next_evening(22)
    post.clock.fixed = evening.astimezone(UTC)

    can_wait = await post.notify(citizen)
    urgent = await post.notify(citizen, urgent=True, kind=NoticeKind.INVOICE_EXPIRED)

    assert await post.until_statuses(citizen, urgent, [("sms", "delivered")])
    (held,) = await post.messages(citizen, can_wait)
    assert (held["status"], held["error_code"]) == ("created", "quiet_hours")
    assert datetime.fromisoformat(held["due_at"]) == evening + timedelta(hours=8)  # 06:00
    assert len(await post.received(citizen)) == 1

    post.clock.fixed = (evening + timedelta(hours=8)).astimezone(UTC)

    assert await post.until_statuses(citizen, can_wait, [("sms", "delivered")])
    assert len(await post.received(citizen)) == 2


async def test_a_citizen_without_quiet_hours_is_sent_to_at_night(post: Post) -> None:
    citizen = await post.citizen(channels=["sms"], quiet=None)
    post.clock.fixed = next_evening(23).astimezone(UTC)

    notice_id = await post.notify(citizen)

    assert await post.until_statuses(citizen, notice_id, [("sms", "delivered")])


@pytest.fixture
async def second_dispatcher(information_app: FastAPI) -> AsyncIterator[None]:
    """Another replica on the same database: the limits must hold across processes."""
    settings = information_app.state.runtime.settings
    async with serve_app(create_app(settings, clock=information_app.state.clock)):
        yield


async def _settled(
    post: Post, citizen: Citizen, notices: list[uuid.UUID], *, delivered: int
) -> list[dict[str, object]]:
    """The notices' messages once ``delivered`` of them are and none is in flight."""

    async def probe() -> list[dict[str, object]]:
        return [m for n in notices for m in await post.messages(citizen, n)]

    def done(messages: list[dict[str, object]]) -> bool:
        statuses = [m["status"] for m in messages]
        return statuses.count("delivered") == delivered and "sending" not in statuses

    return await eventually(probe, until=done, within=60, what=f"{delivered} delivered")


async def test_no_number_gets_more_than_20_identical_or_100_in_all_an_hour(
    post: Post, second_dispatcher: None
) -> None:
    citizen = await post.citizen(channels=["sms", "whatsapp"])
    post.clock.fixed = datetime.now(UTC)

    identical = [await post.notify(citizen) for _ in range(23)]

    first = await _settled(post, citizen, identical, delivered=20)
    refused = [m for m in first if m["status"] == "permanent_failure"]
    assert [m["error_code"] for m in refused] == ["identical_limit"] * 3
    assert len(first) == 23  # a refusal of the limit is not handed on to WhatsApp

    different = [
        await post.notify(citizen, params={"invoice_number": f"KT-{n:05d}"}) for n in range(83)
    ]

    then = await _settled(post, citizen, different, delivered=80)
    held = [m for m in then if m["status"] == "created"]
    assert len(held) == 3
    assert {m["error_code"] for m in held} == {"number_limit"}
    assert len(await post.received(citizen)) == 100

    post.move_clock(timedelta(hours=1, minutes=1))

    await _settled(post, citizen, different, delivered=83)
    assert len(await post.received(citizen)) == 103
