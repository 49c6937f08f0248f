"""Applies health's booking events to the health read model (bookings from ``.v2``, which
health publishes beside ``.v1`` for the same booking, with the day's places and district)."""

from kota_contracts.health import AppointmentBookedV2, AppointmentCancelled
from kota_shared.events.envelope import ReceivedEvent
from monitoring.health import repository
from monitoring.reach import handlers as reach
from monitoring.transaction import MonitoringTransaction


async def appointment_booked(
    tx: MonitoringTransaction, event: ReceivedEvent[AppointmentBookedV2]
) -> None:
    booking = event.data
    day = repository.day_of(booking.visit_date, booking.facility_code, booking.service_code)
    assisted = booking.assisted_by is not None
    await repository.count(tx.session, day, booked=1, assisted=int(assisted))
    await repository.offer(tx.session, day, places=booking.daily_quota)
    await reach.count_transaction(
        tx,
        service="health",
        kecamatan=booking.kecamatan_code,
        at=booking.booked_at,
        assisted=assisted,
    )


async def appointment_cancelled(
    tx: MonitoringTransaction, event: ReceivedEvent[AppointmentCancelled]
) -> None:
    cancellation = event.data
    day = repository.day_of(
        cancellation.visit_date, cancellation.facility_code, cancellation.service_code
    )
    await repository.count(tx.session, day, cancelled=1)
