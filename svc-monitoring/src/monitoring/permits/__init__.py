"""Permits against their deadlines: volumes, compliance, processing time and the backlog."""
