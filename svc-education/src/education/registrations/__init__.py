"""Registrations (pendaftaran SPMB): a parent registers a child for a place at a school through
one pathway."""
