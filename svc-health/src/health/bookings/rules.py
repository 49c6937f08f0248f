"""The booking rules, pure: which days can be booked and from when, when a queue is full,
how many bookings one citizen may hold, what a queue number looks like, and until when a
booking can be cancelled. Each refusal is its own problem, so a client can tell the citizen
exactly why."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_time

from health.messages import _
from health.problems import (
    BookingNotOpenYet,
    CancellationTooLate,
    FullyBooked,
    ServiceClosed,
    TooManyActiveBookings,
    VisitDateBeyondHorizon,
    VisitDateInPast,
)
from kota_shared.clock import local_date
from kota_shared.i18n import Localized, LongDate, Sequence, Weekday
from kota_shared.i18n.formats import BABEL_LOCALES


@dataclass(frozen=True, kw_only=True)
class BookingWindow:
    """Which visit days can be booked at a given moment.

    A day D opens at ``opens_at`` (city time) ``horizon_days`` before D, and stays open
    through D itself. So one new day opens each morning at a known hour, rather than the
    whole window the moment it is published: a bot cannot take two weeks of places in one
    burst, and a citizen who comes at the hour has the same chance as one who never sleeps.
    """

    horizon_days: int
    opens_at: time
    """Naive: read on the city's clock (``timezone``)."""
    timezone: ZoneInfo

    def opening_of(self, visit_date: date) -> datetime:
        """When bookings for ``visit_date`` open, in city time."""
        day = visit_date - timedelta(days=self.horizon_days)
        return datetime.combine(day, self.opens_at, tzinfo=self.timezone)

    def last_open_day(self, now: datetime) -> date:
        """The furthest visit day that can be booked at ``now``: ``horizon_days`` after
        today once today's opening hour has come, one day less before it."""
        last = local_date(now, self.timezone) + timedelta(days=self.horizon_days)
        return last if self.opening_of(last) <= now else last - timedelta(days=1)


def _clock_time(moment: datetime) -> Localized:
    """``07.00`` as each language writes the time of day (Babel's CLDR forms)."""
    written = {
        language: format_time(moment.timetz(), format="short", locale=locale)
        for language, locale in BABEL_LOCALES.items()
    }
    return Localized(id=written["id"], en=written["en"])


def check_visit_date(visit_date: date, *, now: datetime, window: BookingWindow) -> None:
    """A visit may be booked for today up to the window's last open day, both included.

    The day that opens later today is `BookingNotOpenYet`, which says when; a day further
    ahead is `VisitDateBeyondHorizon`, which names the last one open now. Both carry
    ``opens_at``, the moment the day opens.
    """
    today = local_date(now, window.timezone)
    if visit_date < today:
        raise VisitDateInPast(
            _(
                "{visit_date} has passed; today is {today}.",
                visit_date=LongDate(visit_date),
                today=LongDate(today),
            )
        )
    last = window.last_open_day(now)
    if visit_date <= last:
        return
    opening = window.opening_of(visit_date)
    if opening.date() <= today:
        raise BookingNotOpenYet(
            _(
                "Bookings for {visit_date} open on {opens_on} at {opens_at} {zone}.",
                visit_date=LongDate(visit_date),
                opens_on=LongDate(opening.date()),
                opens_at=_clock_time(opening),
                zone=opening.tzname(),
            ),
            opens_at=opening.isoformat(),
        )
    raise VisitDateBeyondHorizon(
        _("The last day that can be booked now is {last}.", last=LongDate(last)),
        last_bookable_date=last.isoformat(),
        opens_at=opening.isoformat(),
    )


def check_open(open_weekdays: Collection[int], visit_date: date) -> None:
    """The service must run on the visit's day of the week (ISO: 1 is Monday)."""
    if visit_date.isoweekday() not in open_weekdays:
        raise ServiceClosed(
            _(
                "The service does not run on {day}; it runs on {days}.",
                day=Weekday(visit_date.isoweekday()),
                days=Sequence.of(Weekday(day) for day in sorted(open_weekdays)),
            ),
            open_weekdays=sorted(open_weekdays),
        )


def check_room(*, active_bookings: int, daily_quota: int, visit_date: date) -> None:
    """Only active bookings take a place: a cancellation frees one for someone else."""
    if active_bookings >= daily_quota:
        raise FullyBooked(
            _(
                "The queue for {visit_date} is full (daily quota: {quota}).",
                visit_date=LongDate(visit_date),
                quota=daily_quota,
            ),
            daily_quota=daily_quota,
        )


def check_booking_limit(*, active_bookings: int, limit: int) -> None:
    """A citizen holds at most ``limit`` active bookings (booked, visiting today or later)
    across every facility: a cancelled or past booking holds none."""
    if active_bookings >= limit:
        raise TooManyActiveBookings(
            _(
                "You already hold the most active bookings one citizen may hold at once "
                "(limit: {limit}). Cancelling one of them frees a place for this booking.",
                limit=limit,
            ),
            max_active_bookings=limit,
        )


def queue_label(service_code: str, number: int) -> str:
    """The number as the desk calls it and the ticket prints it: ``umum``, 7 → ``UMUM-007``.

    Three digits cover any real day at a puskesmas; a larger number simply grows.
    """
    if number < 1:
        raise ValueError(f"queue numbers start at 1, not {number}")
    return f"{service_code.upper()}-{number:03d}"


def check_cancellable(visit_date: date, *, today: date) -> None:
    """Cancelling is for the days before the visit; on the day, the desk handles no-shows."""
    if visit_date <= today:
        raise CancellationTooLate(
            _(
                "The visit is on {visit_date}; a booking can be cancelled until the day before.",
                visit_date=LongDate(visit_date),
            )
        )
