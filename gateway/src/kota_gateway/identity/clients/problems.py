"""The OAuth2 errors of the token endpoint, as problem+json that OAuth2 clients also read.

Each carries RFC 6749 §5.2's ``error`` member beside the problem's ``code``, so an
off-the-shelf OAuth2 client library understands the answer too.
"""

from typing import Any, ClassVar

from kota_gateway.messages import _
from kota_shared.i18n import Message
from kota_shared.problems import Problem


class OAuthProblem(Problem):
    extra_headers: ClassVar[dict[str, str]] = {}

    def __init__(self, detail: Message | None = None, **extensions: Any) -> None:
        super().__init__(
            detail,
            headers={"Cache-Control": "no-store", **self.extra_headers},
            error=self.code,
            **extensions,
        )


class InvalidClient(OAuthProblem):
    status = 401
    code = "invalid_client"
    title = _("The client is unknown, revoked, or its secret is wrong.")
    extra_headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": 'Basic realm="kota-live"'}


class InvalidRequest(OAuthProblem):
    status = 400
    code = "invalid_request"
    title = _("The token request is malformed.")


class UnsupportedGrantType(OAuthProblem):
    status = 400
    code = "unsupported_grant_type"
    title = _("Only the client_credentials grant is supported here.")


class InvalidScope(OAuthProblem):
    status = 400
    code = "invalid_scope"
    title = _("The requested scope is not granted to this client.")
