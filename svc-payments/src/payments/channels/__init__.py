"""Payment channels for an invoice: what a citizen pays with (QRIS, virtual accounts)."""
