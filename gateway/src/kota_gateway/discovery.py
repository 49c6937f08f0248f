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
