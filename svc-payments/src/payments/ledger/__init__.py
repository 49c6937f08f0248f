"""The double-entry ledger: every rupiah the city receives or owes back, as balanced journals."""
