"""School levels, apart from the ORM so that the admission rules can use them without a database."""

import enum


class SchoolLevel(enum.StrEnum):
    SD = "SD"
    """Primary (sekolah dasar)."""
    SMP = "SMP"
    """Junior high (sekolah menengah pertama)."""
    SMA = "SMA"
    """Senior high (sekolah menengah atas)."""
