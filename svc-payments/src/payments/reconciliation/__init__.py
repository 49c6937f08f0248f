"""Reconciliation: the provider's daily settlement statement checked against what we recorded."""
