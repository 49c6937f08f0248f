"""Payments: invoices opened, paid on time, expired; revenue per source and channel; refunds."""
