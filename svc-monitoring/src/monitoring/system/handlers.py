"""Reads monitoring's own system alerts back into the ledger (as the deadline alerts'), so
rebuilt read models do not raise again what was raised before."""

from kota_contracts.monitoring import ConsumerLagging, DeadLetterWritten, ServiceNotReady
from kota_shared.events.envelope import ReceivedEvent
from monitoring.system.ledger import record
from monitoring.transaction import MonitoringTransaction


async def system_alert_raised(
    tx: MonitoringTransaction,
    event: ReceivedEvent[ServiceNotReady | ConsumerLagging | DeadLetterWritten],
) -> None:
    await record(tx, event.data)
