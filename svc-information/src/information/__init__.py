"""Kota LIVE information service."""
