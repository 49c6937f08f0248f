"""The periodic sweep that sends due reminders, in batches, under the service's supervisor."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from information.config import InformationSettings
from information.reminders import service
from kota_shared.app import Extension, ServiceRuntime
from kota_shared.periodic import every

TASK_NAME = "reminders"


async def send_due_reminders(
    runtime: ServiceRuntime, *, batch_size: int, timezone: ZoneInfo
) -> None:
    """Every reminder due now, one batch per transaction (a crash repeats at most one
    batch, whose notices are already there)."""
    while True:
        async with runtime.sessionmaker() as session, session.begin():
            sent = await service.send_due(
                runtime.transaction(session), batch_size=batch_size, timezone=timezone
            )
        if sent < batch_size:
            return


def extension(settings: InformationSettings) -> Extension:
    @asynccontextmanager
    async def reminders(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        runtime.supervisor.start(
            TASK_NAME,
            every(
                settings.reminder_sweep_seconds,
                partial(
                    send_due_reminders,
                    runtime,
                    batch_size=settings.reminder_batch_size,
                    timezone=settings.timezone,
                ),
            ),
        )
        yield

    return reminders
