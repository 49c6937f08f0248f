"""The gateway's token endpoint, as the dashboard's sign-in uses it from the server side.

Officials sign in with the accounts the gateway issues: monitoring posts the name and
password to ``POST /v1/auth/token`` (the password grant), renews a session with its refresh
token (each works once: the gateway rotates it), and ends it with ``POST /v1/auth/logout``.
The browser never sees a token: monitoring keeps them in its cookies
(`monitoring.dashboard.session`).
"""

from dataclasses import dataclass

import httpx

TOKEN_PATH = "/v1/auth/token"  # noqa: S105 - a path, not a secret
LOGOUT_PATH = "/v1/auth/logout"
TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int


class SignInRefused(Exception):
    """Wrong name or password (the gateway does not say which, nor whether the name exists)."""


class SignInLocked(Exception):
    """Too many failures with this name from this address: refused for ``retry_after`` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"locked for {retry_after} s")
        self.retry_after = retry_after


class GatewayUnavailable(Exception):
    """The gateway did not answer, or not as its token endpoint does."""


@dataclass(frozen=True)
class TokenDesk:
    http: httpx.AsyncClient
    gateway_url: str

    async def _post(
        self, path: str, form: dict[str, str], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        try:
            return await self.http.post(
                self.gateway_url.rstrip("/") + path,
                data=form,
                headers={"Accept": "application/json", **(headers or {})},
                timeout=TIMEOUT_SECONDS,
            )
        except httpx.HTTPError as exc:
            raise GatewayUnavailable(str(exc)) from exc

    async def sign_in(self, *, username: str, password: str, forwarded_for: str | None) -> Tokens:
        """Tokens for the account, or `SignInRefused` / `SignInLocked`.

        ``forwarded_for``, when given, is the browser's address chain: the gateway counts
        failures per address, and believes the header only from a proxy it trusts."""
        headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        response = await self._post(
            TOKEN_PATH,
            {"grant_type": "password", "username": username, "password": password},
            headers,
        )
        if response.status_code in (400, 401, 422):
            raise SignInRefused()
        if response.status_code == 429:
            raise SignInLocked(_retry_after(response))
        return _tokens(response)

    async def renew(self, refresh_token: str) -> Tokens | None:
        """A new pair for the session, or None if it has ended (expired, revoked, reused)."""
        response = await self._post(
            TOKEN_PATH, {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )
        if response.status_code in (400, 401, 422):
            return None
        return _tokens(response)

    async def sign_out(self, refresh_token: str) -> None:
        """End the session at the gateway: its refresh tokens stop working."""
        response = await self._post(LOGOUT_PATH, {"refresh_token": refresh_token})
        if response.status_code >= 500:
            raise GatewayUnavailable(f"logout answered {response.status_code}")


def _retry_after(response: httpx.Response) -> int:
    try:
        return max(1, int(response.headers.get("retry-after", "60")))
    except ValueError:
        return 60


def _tokens(response: httpx.Response) -> Tokens:
    if response.status_code != 200:
        raise GatewayUnavailable(f"the token endpoint answered {response.status_code}")
    try:
        body = response.json()
        return Tokens(
            access_token=str(body["access_token"]),
            refresh_token=str(body["refresh_token"]),
            expires_in=int(body["expires_in"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise GatewayUnavailable("the token endpoint's answer is not a token response") from exc
