"""Raising a system alert once per cause: the ledger row and the event, in one transaction."""

from kota_contracts.monitoring import ConsumerLagging, DeadLetterWritten, ServiceNotReady
from monitoring.alerts.causes import cause_id
from monitoring.system import repository
from monitoring.transaction import MonitoringTransaction

SystemAlert = ServiceNotReady | ConsumerLagging | DeadLetterWritten


def describe(alert: SystemAlert) -> tuple[str, str, str, tuple[object, ...]]:
    """The alert's kind, subject, detail for people, and its cause."""
    match alert:
        case ServiceNotReady():
            return (
                "service_not_ready",
                alert.service,
                alert.detail or "",
                (alert.service, alert.not_ready_since.isoformat()),
            )
        case ConsumerLagging():
            return (
                "consumer_lagging",
                alert.consumer_group,
                f"{alert.lag} behind (threshold {alert.threshold})",
                (alert.consumer_group, alert.lagging_since.isoformat()),
            )
        case DeadLetterWritten():
            return (
                "dead_letter_written",
                alert.dead_letter_topic,
                f"{alert.new} new, {alert.written} in all",
                (alert.dead_letter_topic, alert.written),
            )


async def record(tx: MonitoringTransaction, alert: SystemAlert) -> bool:
    """Put ``alert`` in the ledger, once: False if its cause is there already."""
    kind, subject, detail, cause = describe(alert)
    return await repository.record_alert(
        tx.session,
        event_id=cause_id(kind, *cause),
        kind=kind,
        subject=subject,
        detail=detail,
        detected_at=alert.detected_at,
    )


async def raise_once(tx: MonitoringTransaction, alert: SystemAlert) -> None:
    """Record ``alert`` and publish it, unless its cause was alerted before."""
    if await record(tx, alert):
        kind, subject, _detail, cause = describe(alert)
        await tx.outbox.add(tx.session, alert, subject=subject, event_id=cause_id(kind, *cause))
