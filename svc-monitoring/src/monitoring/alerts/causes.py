"""What an alert is about, and the event id that follows from it."""

import uuid
from datetime import datetime

from kota_contracts.monitoring import DeadlineAtRisk, DeadlineBreached

ALERT_NAMESPACE = uuid.UUID("6f1c2a4e-5b0d-4c8e-9a37-2d51e0b7c913")
"""Fixed for ever: changing it would make every alert raised before a new one."""

DeadlineAlert = type[DeadlineAtRisk] | type[DeadlineBreached]
KINDS: dict[str, DeadlineAlert] = {"at_risk": DeadlineAtRisk, "breached": DeadlineBreached}


def cause_id(kind: str, *cause: object) -> uuid.UUID:
    """The event id of the alert of ``kind`` about ``cause``: the same every time."""
    return uuid.uuid5(ALERT_NAMESPACE, ":".join([kind, *map(str, cause)]))


def alert_id(
    kind: str, *, application_id: uuid.UUID, stage: str, started_at: datetime
) -> uuid.UUID:
    """One id per cause: the same stage of the same application, entered at the same time,
    at risk (or breached) is one alert however often it is noticed."""
    return cause_id(kind, application_id, stage, started_at.isoformat())
