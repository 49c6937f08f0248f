"""Alerts as events: applications about to miss, or past, their stage's deadline."""
