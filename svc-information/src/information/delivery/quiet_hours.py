"""When a citizen's quiet hours end: an SMS or WhatsApp message that can wait is held until
then. Pure arithmetic on the city's clock.

Quiet hours are two local times; ``quiet_from`` later than ``quiet_until`` spans midnight
(21:00 to 06:00). The end is computed on the city's wall clock, then turned into an instant,
so a zone with daylight saving (not Indonesia's, but the setting is free) still ends quiet
at 06:00 local.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def quiet_until(
    moment: datetime, *, quiet_from: time | None, quiet_until: time | None, timezone: ZoneInfo
) -> datetime | None:
    """The instant the quiet period holding ``moment`` ends, or None if ``moment`` is not in
    one (or the citizen has none). ``quiet_from`` is in the quiet period, ``quiet_until``
    is not."""
    if quiet_from is None or quiet_until is None or quiet_from == quiet_until:
        return None
    if moment.tzinfo is None:
        raise ValueError(f"{moment} has no timezone")
    local = moment.astimezone(timezone)
    now = local.time().replace(tzinfo=None)
    day = local.date()
    if quiet_from < quiet_until:  # within one day, e.g. 13:00 to 15:00
        if not quiet_from <= now < quiet_until:
            return None
        ends_on = day
    elif now >= quiet_from:  # the evening part of a night: ends tomorrow morning
        ends_on = day + timedelta(days=1)
    elif now < quiet_until:  # the morning part: ends this morning
        ends_on = day
    else:
        return None
    return datetime.combine(ends_on, quiet_until, tzinfo=timezone).astimezone(moment.tzinfo)
