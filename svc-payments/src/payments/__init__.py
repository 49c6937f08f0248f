"""Payments (e-Pembayaran): invoices citizens pay, and later channels, callbacks and the ledger."""
