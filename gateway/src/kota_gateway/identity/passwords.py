"""Passwords: the policy a new one must meet, and Argon2id hashing off the event loop.

Hashing is deliberately slow (tens of milliseconds of CPU and 64 MiB), so it runs in a
worker thread: a sign-in must never stall every other request on the event loop.
"""

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kota_gateway.messages import _
from kota_shared.i18n import Message

MIN_LENGTH = 10
MAX_LENGTH = 256  # long enough for any passphrase, short enough to bound the hashing work


class WeakPassword(ValueError):
    """A new password the policy refuses; ``message`` says why, in the caller's language."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


def check_policy(password: str) -> str:
    """``password`` if acceptable as a new password, else `WeakPassword` saying why."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(_("A password has at least {count} characters.", count=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        raise WeakPassword(_("A password has at most {count} characters.", count=MAX_LENGTH))
    if password.isdigit():
        raise WeakPassword(_("A password cannot be only digits (like a NIK or a phone number)."))
    if not password.strip():
        raise WeakPassword(_("A password cannot be only spaces."))
    return password


class Passwords:
    """Argon2id (argon2-cffi's RFC 9106 low-memory profile by default)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        # Checked when an account is unknown, so a miss costs what a wrong password costs
        # and response time does not tell which usernames exist.
        self._decoy = self._hasher.hash("decoy password, never anyone's")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; a missing hash is checked against a decoy."""
        try:
            return await asyncio.to_thread(
                self._hasher.verify, password_hash or self._decoy, password
            ) and (password_hash is not None)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with weaker parameters than today's."""
        return self._hasher.check_needs_rehash(password_hash)
