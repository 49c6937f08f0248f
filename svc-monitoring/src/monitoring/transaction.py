"""Monitoring's transaction: every service's tools, plus the city's time zone, since every
figure is counted on the city's day an event happened, not on UTC's."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from kota_shared.transaction import Transaction


@dataclass(frozen=True, kw_only=True)
class MonitoringTransaction(Transaction):
    timezone: ZoneInfo
