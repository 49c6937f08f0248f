"""The gateway's token endpoint as the dashboard's sign-in sees it, for in-process tests.

Signs its access tokens with the test signer the monitoring app verifies against (its JWKS),
so a token it gives is as good as the gateway's; refresh tokens rotate and work once, and a
logout ends them, as the gateway's do (the gateway's own tests prove the real one).
"""

import secrets
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from kota_shared.testing.tokens import TestSigner

LOCKED = "locked.out"
"""A name the desk refuses as the gateway does after repeated failures (429)."""


@dataclass
class Account:
    password: str
    roles: list[str]


@dataclass
class TokenDesk:
    signer: TestSigner
    accounts: dict[str, Account] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    """Live refresh token → the account's name."""
    forwarded_for: list[str | None] = field(default_factory=list)
    """The ``X-Forwarded-For`` of each password sign-in, in order."""
    renewed: list[str] = field(default_factory=list)
    signed_out: list[str] = field(default_factory=list)

    def tokens(self, name: str) -> dict[str, object]:
        account = self.accounts[name]
        refresh_token = secrets.token_urlsafe(24)
        self.sessions[refresh_token] = name
        return {
            "access_token": self.signer.issue(f"account-{name}", roles=account.roles),
            "token_type": "Bearer",
            "expires_in": 900,
            "refresh_token": refresh_token,
        }

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/auth/token")
        async def token(request: Request) -> Response:
            form = await request.form()
            if form.get("grant_type") == "refresh_token":
                name = self.sessions.pop(str(form.get("refresh_token")), None)
                if name is None:
                    return JSONResponse({"code": "invalid_refresh_token"}, status_code=401)
                self.renewed.append(name)
                return JSONResponse(self.tokens(name))
            username = str(form.get("username"))
            self.forwarded_for.append(request.headers.get("x-forwarded-for"))
            if username == LOCKED:
                return JSONResponse(
                    {"code": "too_many_attempts"}, status_code=429, headers={"Retry-After": "300"}
                )
            account = self.accounts.get(username)
            if account is None or account.password != form.get("password"):
                return JSONResponse({"code": "invalid_credentials"}, status_code=401)
            return JSONResponse(self.tokens(username))

        @app.post("/v1/auth/logout")
        async def logout(request: Request) -> Response:
            form = await request.form()
            refresh_token = str(form.get("refresh_token"))
            if self.sessions.pop(refresh_token, None) is not None:
                self.signed_out.append(refresh_token)
            return Response(status_code=204)

        return app
