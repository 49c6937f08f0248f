"""The booking rules, pure: which days can be booked, when a queue is full, what a queue
number looks like, and until when a booking can be cancelled. Each refusal is its own
problem, so a client can tell the citizen exactly why."""

from collections.abc import Collection
from datetime import date, timedelta

from health.messages import _
from health.problems import (
    CancellationTooLate,
    FullyBooked,
    ServiceClosed,
    VisitDateBeyondHorizon,
    VisitDateInPast,
)
from kota_shared.i18n import LongDate, Sequence, Weekday


def check_visit_date(visit_date: date, *, today: date, horizon_days: int) -> None:
    """A visit may be booked for today up to ``horizon_days`` ahead, both included."""
    if visit_date < today:
        raise VisitDateInPast(
            _(
                "{visit_date} has passed; today is {today}.",
                visit_date=LongDate(visit_date),
                today=LongDate(today),
            )
        )
    last = today + timedelta(days=horizon_days)
    if visit_date > last:
        raise VisitDateBeyondHorizon(
            _("The last day that can be booked now is {last}.", last=LongDate(last)),
            last_bookable_date=last.isoformat(),
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
