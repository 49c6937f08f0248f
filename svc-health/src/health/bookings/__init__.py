"""Clinic bookings: a citizen's place in a polyclinic's queue (nomor antrian) for one day."""
