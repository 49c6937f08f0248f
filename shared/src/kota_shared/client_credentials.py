"""A service calling another's internal API as an OAuth2 client (RFC 6749 §4.4).

`ClientCredentialsAuth` is an ``httpx.Auth``: pass it as ``auth=`` to the service's own
client (``runtime.http``) and each request carries the client's access token. The token is
fetched from the gateway's token endpoint (``POST /v1/auth/clients/token``) when there is
none or it is about to expire, and kept until then; a request answered 401 (a signing key
rotated, a token refused early) is sent once more with a newly fetched token, and a second
401 is the caller's answer. One fetch at a time: requests that find the token missing,
stale or refused while another fetch is under way wait for it and use its token.

Written over ``httpx.Auth`` rather than taken from a library: Authlib's client is a client
class of its own (so not the service's pooled, traced one) and does not retry on 401, and
httpx-auth fetches tokens with a blocking client.
"""

import asyncio
from collections.abc import AsyncGenerator, Generator, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote_plus

import httpx
from pydantic import BaseModel, Field, ValidationError

from kota_shared.clock import Clock, system_clock

RENEW_BEFORE_SECONDS = 60.0
"""A token is renewed this long before it expires (at most half its lifetime before)."""


class TokenRequestFailed(httpx.HTTPError):
    """The token endpoint refused the client or gave no usable token.

    An ``httpx.HTTPError``, so a caller that waits out a network fault waits this out too;
    ``error`` is OAuth2's code when the endpoint gave one (``invalid_client``: a wrong or
    revoked secret, which waiting does not cure).
    """

    def __init__(self, message: str, *, status_code: int, error: str | None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error = error


class _TokenAnswer(BaseModel):
    """RFC 6749 §5.1, what of it is used."""

    access_token: str = Field(min_length=1)
    expires_in: int = Field(gt=0)


@dataclass(frozen=True)
class _Token:
    value: str
    renew_at: datetime


class ClientCredentialsAuth(httpx.Auth):
    """The access token of one client, fetched, kept and renewed for the requests it signs.

    ``scopes`` narrows the token to some of the client's scopes (all of them if empty).
    ``clock`` is the service's injectable clock, so a test moves time past expiry.
    """

    requires_request_body = True  # a request answered 401 is sent again, body and all

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: str,
        http: httpx.AsyncClient,
        scopes: Iterable[str] = (),
        clock: Clock = system_clock,
        renew_before_seconds: float = RENEW_BEFORE_SECONDS,
        timeout_seconds: float = 10,
    ) -> None:
        self._token_url = token_url
        # RFC 6749 §2.3.1: id and secret are form-encoded before they go into Basic.
        self._credentials = httpx.BasicAuth(quote_plus(client_id), quote_plus(client_secret))
        self._http = http
        self._scope = " ".join(sorted(set(scopes)))
        self._clock = clock
        self._renew_before = renew_before_seconds
        self._timeout = timeout_seconds
        self._token: _Token | None = None
        self._lock = asyncio.Lock()

    async def access_token(self) -> str:
        """A token to send now: the one kept, or a new one if none is or it is due."""
        return (await self._valid()).value

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        used = await self._valid()
        request.headers["Authorization"] = f"Bearer {used.value}"
        response = yield request
        if response.status_code == httpx.codes.UNAUTHORIZED:
            renewed = await self._renewed(replacing=used)
            request.headers["Authorization"] = f"Bearer {renewed.value}"
            yield request

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError(
            "ClientCredentialsAuth fetches tokens asynchronously: use an AsyncClient"
        )

    def _usable(self, token: _Token | None) -> bool:
        return token is not None and self._clock() < token.renew_at

    async def _valid(self) -> _Token:
        token = self._token
        if token is not None and self._usable(token):
            return token
        return await self._renewed(replacing=token)

    async def _renewed(self, *, replacing: _Token | None) -> _Token:
        """A token other than ``replacing`` (missing, due or refused): fetched here, or by
        whoever held the lock meanwhile."""
        async with self._lock:
            current = self._token
            if current is not None and current is not replacing and self._usable(current):
                return current
            self._token = await self._fetch()
            return self._token

    async def _fetch(self) -> _Token:
        asked_at = self._clock()
        form = {"grant_type": "client_credentials"}
        if self._scope:
            form["scope"] = self._scope
        response = await self._http.post(
            self._token_url, data=form, auth=self._credentials, timeout=self._timeout
        )
        if response.status_code != httpx.codes.OK:
            raise TokenRequestFailed(
                f"the token endpoint answered {response.status_code}",
                status_code=response.status_code,
                error=_oauth_error(response),
            )
        try:
            answer = _TokenAnswer.model_validate_json(response.content)
        except ValidationError:
            raise TokenRequestFailed(
                "the token endpoint's answer has no usable token",
                status_code=response.status_code,
                error=None,
            ) from None
        lifetime = timedelta(seconds=answer.expires_in)
        margin = min(timedelta(seconds=self._renew_before), lifetime / 2)
        return _Token(value=answer.access_token, renew_at=asked_at + lifetime - margin)


def _oauth_error(response: httpx.Response) -> str | None:
    """RFC 6749 §5.2's ``error``, if the answer is JSON that has one."""
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, str) else None
