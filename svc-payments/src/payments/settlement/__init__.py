"""Settlements reported by the payment provider: verified, matched to invoices, recorded once."""
