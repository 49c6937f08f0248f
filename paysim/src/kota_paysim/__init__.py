"""A payment provider simulator: pays virtual accounts and QRIS, calls back signed."""
