"""Monitoring (e-Monitoring): read models built from every service's events."""
