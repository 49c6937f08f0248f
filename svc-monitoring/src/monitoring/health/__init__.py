"""Clinic bookings per facility, service and visit day; cancellations; kiosk bookings."""
