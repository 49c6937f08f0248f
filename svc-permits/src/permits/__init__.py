"""Permits (perizinan): from a citizen's application to a permit anyone can verify."""
