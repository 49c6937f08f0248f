"""Accounts (citizens and staff), their refresh-token families, and failed sign-ins."""

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kota_contracts.access import Role
from kota_gateway.db import Base
from kota_gateway.identity.accounts.nik import Sex
from kota_shared.db import value_enum


class AccountKind(enum.StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"
    """Officers and administrators of the city: signed in by username."""


SERVICE_OFFICER_ROLES = frozenset(
    {
        Role.PERMITS_OFFICER,
        Role.CLINIC_OFFICER,
        Role.SCHOOL_OFFICER,
        Role.FINANCE_OFFICER,
        Role.INFORMATION_OFFICER,
    }
)
"""Officers who serve citizens, so may act for one at a kiosk (assisted service)."""
STAFF_ROLES = SERVICE_OFFICER_ROLES | {Role.MONITORING_VIEWER, Role.CITY_ADMIN}
"""What a city admin may grant a staff account."""


class Account(Base):
    """Someone who signs in: a citizen (by NIK or phone) or staff (by username)."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'citizen' AND nik IS NOT NULL) OR (kind = 'staff' AND username IS NOT NULL)",
            name="identifier_by_kind",
        ),
        # Only a citizen an officer registered at a kiosk may have no phone and no password
        # (they cannot sign in alone); everyone else signs in, so has both. A later
        # self-service step can add them: the row still fits with ``registered_by`` kept.
        CheckConstraint(
            "(kind = 'citizen' AND registered_by IS NOT NULL)"
            " OR (registered_by IS NULL AND password_hash IS NOT NULL"
            " AND (kind = 'staff' OR phone IS NOT NULL))",
            name="credentials_by_origin",
        ),
    )
    # Server defaults (created_at, ...) come back with the INSERT: no lazy load afterwards.
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 - SQLAlchemy's own declaration

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[AccountKind] = mapped_column(value_enum(AccountKind, length=16))
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)
    """Personal data: shown whole only to its owner and officers, never logged."""
    phone: Mapped[str | None] = mapped_column(String(16), unique=True)
    """E.164, ``+62…``."""
    username: Mapped[str | None] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[Sex | None] = mapped_column(value_enum(Sex, length=8))
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    """Argon2id; None for a citizen registered by an officer who has not set one."""
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    """The admin who created a staff account (None for citizens and the first admin)."""
    registered_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    """The officer who registered a citizen at a kiosk (assisted service); None for a
    citizen who registered themselves, and for staff."""
    kecamatan_code: Mapped[str | None] = mapped_column(String(8))
    """Where a citizen lives, as the civil registry's family card says (Kemendagri code,
    dotted: ``36.71.05``), for announcements and the city's figures per district; None
    for staff and for citizens registered before the registry check."""
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the civil registry matched this citizen's NIK, name and date of birth."""
    password_changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    def __repr__(self) -> str:  # never the NIK, phone or hash
        return f"Account(id={self.id}, kind={self.kind})"


class RefreshTokenFamily(Base):
    """One sign-in and every refresh token rotated from it; revoked as a whole."""

    __tablename__ = "refresh_token_families"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
    """``logout``, ``reuse`` (a used token came back) or ``password_changed``."""

    account: Mapped[Account] = relationship(lazy="raise")


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    family_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("refresh_token_families.id", ondelete="CASCADE"), index=True
    )
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the token, hex; the token itself is never stored."""
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When it was exchanged for the next one; a second use revokes the family."""

    # Declared so a family and its first token can be added in one flush (inserted in
    # order); never loaded implicitly.
    family: Mapped[RefreshTokenFamily] = relationship(lazy="raise")


class SignInFailures(Base):
    """Failed sign-ins with one sign-in name from one source address (see `lockout`).

    Kept by name, not by account, so a name nobody has is counted exactly as one that
    exists; the name is kept only as a digest. ``source`` is the client's address, or
    ``*`` for the count from every address together.
    """

    __tablename__ = "sign_in_failures"

    name_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    """SHA-256 (hex) of the sign-in name's kind and value (``nik:…``, ``account:<id>``)."""
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """Failures since the last success, forgotten once none came for the failure window."""
    last_failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Until when this address is refused for this name, even with the right password."""
