"""Permit issuance: numbering, the signed verification code, and the certificate's contents."""
