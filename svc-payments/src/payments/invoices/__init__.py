"""Invoices: what a citizen owes the city for a service (a permit's fee, a clinic's tariff)."""
