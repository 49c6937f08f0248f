"""Verification codes printed on permits: anyone can check one, nobody can guess or forge one.

A code is ``<permit id>.<signature>``, 45 URL-safe characters: the permit's UUID as unpadded
base64url (22 characters), a dot, and HMAC-SHA-256 of that text truncated to 128 bits (22
characters). 128 bits is the usual minimum for a MAC tag, and it keeps the QR small.
"""

import base64
import hashlib
import re
import uuid
from collections.abc import Sequence

from itsdangerous import BadSignature, HMACAlgorithm, Signer

SALT = "kota-permits-verification"
"""Keeps these signatures apart from anything else signed with the same secret."""
SIGNATURE_BYTES = 16
CODE_LENGTH = 45

# 16 bytes take 22 base64 characters; the last carries 2 bits of data and 4 zero bits, so only
# A, Q, g and w end a canonical encoding. Accepting the others would let several spellings of
# one code verify (an altered last character would still pass).
_PART = r"[A-Za-z0-9_-]{21}[AQgw]"
_CODE = re.compile(rf"({_PART})\.{_PART}")


class InvalidCode(ValueError):
    """Not a code this service issued: malformed, altered, or signed by an unknown secret."""


class _TruncatedHMACSHA256(HMACAlgorithm):
    """HMAC-SHA-256 cut to its first 128 bits (as RFC 4868 does), to keep the code short."""

    def __init__(self) -> None:
        super().__init__(hashlib.sha256)

    def get_signature(self, key: bytes, value: bytes) -> bytes:
        return super().get_signature(key, value)[:SIGNATURE_BYTES]


class VerificationCodes:
    """Issues and checks verification codes under a list of secrets, newest first.

    The first secret signs and every secret verifies, so rotation means putting a new secret
    in front: permits printed under the older ones keep verifying until those are dropped.
    itsdangerous wants the opposite order (oldest first, the last signs), hence the reversal.
    Every parameter that shapes the signature is pinned rather than left to library defaults,
    which could change and invalidate printed permits.
    """

    def __init__(self, secrets: Sequence[str]) -> None:
        if isinstance(secrets, str):
            raise TypeError("secrets is a list of secrets, not a single string")
        if not secrets or not all(secrets):
            raise ValueError("at least one secret is needed, and none may be empty")
        self._signer = Signer(
            secret_key=list(reversed(secrets)),
            salt=SALT,
            key_derivation="hmac",
            digest_method=hashlib.sha256,
            algorithm=_TruncatedHMACSHA256(),
        )

    def issue(self, permit_id: uuid.UUID) -> str:
        """Return the code to print on the permit and put in its QR."""
        value = base64.urlsafe_b64encode(permit_id.bytes).rstrip(b"=")
        return self._signer.sign(value).decode("ascii")

    def verify(self, code: str) -> uuid.UUID:
        """Return the id of the permit ``code`` was issued for, or raise `InvalidCode`."""
        # Length first, so any input, however long, is turned away before real work.
        if len(code) != CODE_LENGTH or (match := _CODE.fullmatch(code)) is None:
            raise InvalidCode
        try:
            self._signer.unsign(code)
        except BadSignature:
            raise InvalidCode from None
        return uuid.UUID(bytes=base64.urlsafe_b64decode(match[1] + "=="))


class VerificationLinks:
    """Where anyone checks a permit: the public verification page of its code."""

    def __init__(self, codes: VerificationCodes, *, public_base_url: str) -> None:
        self.codes = codes
        self._base = public_base_url.rstrip("/")

    def url(self, code: str) -> str:
        return f"{self._base}/v1/permits/verify/{code}"

    def for_permit(self, permit_id: uuid.UUID) -> str:
        return self.url(self.codes.issue(permit_id))
