"""Public key discovery: what every service fetches to verify the gateway's tokens."""

from typing import Any

from fastapi import APIRouter, Request, Response

router = APIRouter(tags=["identity"])


@router.get(
    "/.well-known/jwks.json",
    summary="The public keys that verify Kota LIVE access tokens",
    description="Who may call: anyone (public keys only).",
)
async def jwks(request: Request, response: Response) -> dict[str, Any]:
    response.headers["Cache-Control"] = "public, max-age=300"
    keys: dict[str, Any] = request.app.state.signing_keys.jwks()
    return keys


@router.get(
    "/.well-known/openid-configuration",
    summary="Where clients find the token endpoint and the keys (OpenID discovery)",
    description="Who may call: anyone.",
)
async def openid_configuration(request: Request, response: Response) -> dict[str, Any]:
    response.headers["Cache-Control"] = "public, max-age=300"
    issuer: str = request.app.state.runtime.settings.token_issuer.rstrip("/")
    return {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "token_endpoint": f"{issuer}/v1/auth/token",
        "grant_types_supported": ["password", "refresh_token", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "id_token_signing_alg_values_supported": ["EdDSA"],
        "subject_types_supported": ["public"],
        "response_types_supported": ["token"],
        "scopes_supported": list(request.app.state.identity.agency_client_scopes),
    }
