"""The OAuth2 errors of the token endpoint, as problem+json that OAuth2 clients also read.

Each carries RFC 6749 §5.2's ``error`` member beside the problem's ``code``, so an
off-the-shelf OAuth2 client library understands the answer too.
"""

from typing import Any, ClassVar

from kota_shared.problems import Problem


class OAuthProblem(Problem):
    extra_headers: ClassVar[dict[str, str]] = {}

    def __init__(self, detail: str | None = None, **extensions: Any) -> None:
        super().__init__(
            detail,
            headers={"Cache-Control": "no-store", **self.extra_headers},
            error=self.code,
            **extensions,
        )


class InvalidClient(OAuthProblem):
    status = 401
    code = "invalid_client"
    title_en = "The client is unknown, revoked, or its secret is wrong."
    title_id = "Klien tidak dikenal, sudah dicabut, atau rahasianya salah."
    extra_headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": 'Basic realm="kota-live"'}


class InvalidRequest(OAuthProblem):
    status = 400
    code = "invalid_request"
    title_en = "The token request is malformed."
    title_id = "Permintaan token tidak sesuai format."


class UnsupportedGrantType(OAuthProblem):
    status = 400
    code = "unsupported_grant_type"
    title_en = "Only the client_credentials grant is supported here."
    title_id = "Hanya grant client_credentials yang didukung di sini."


class InvalidScope(OAuthProblem):
    status = 400
    code = "invalid_scope"
    title_en = "The requested scope is not granted to this client."
    title_id = "Cakupan yang diminta tidak diberikan kepada klien ini."
