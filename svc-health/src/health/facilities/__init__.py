"""Health facilities: the puskesmas, hospitals and clinics where citizens are seen."""
