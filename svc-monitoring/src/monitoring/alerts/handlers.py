"""Reads monitoring's own alerts back into the ledger, so rebuilt read models know which
alerts were raised before and do not raise them again."""

import uuid

from kota_contracts.monitoring import DeadlineAtRisk, DeadlineBreached
from kota_shared.events.envelope import ReceivedEvent
from monitoring.alerts.sweep import record
from monitoring.transaction import MonitoringTransaction


async def at_risk_raised(tx: MonitoringTransaction, event: ReceivedEvent[DeadlineAtRisk]) -> None:
    await record(tx, event_id=uuid.UUID(event.id), kind="at_risk", alert=event.data)


async def breached_raised(
    tx: MonitoringTransaction, event: ReceivedEvent[DeadlineBreached]
) -> None:
    await record(tx, event_id=uuid.UUID(event.id), kind="breached", alert=event.data)
