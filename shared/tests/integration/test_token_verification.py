"""Token verification with keys fetched over HTTP from a JWKS, as services fetch the gateway's."""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi import Depends, FastAPI

from kota_shared.auth import JwksKeys, Principal, Require, TokenVerifier
from kota_shared.problems import Unauthorized, install_problem_handlers
from kota_shared.testing.tokens import TestSigner, serve_jwks


@pytest.fixture
def signer() -> TestSigner:
    return TestSigner()


@pytest.fixture
async def verifier(signer: TestSigner) -> AsyncIterator[TokenVerifier]:
    with serve_jwks(signer) as url:
        async with httpx.AsyncClient() as client:
            yield TokenVerifier(
                keys=JwksKeys(url, client=client, min_refresh_seconds=0),
                issuer=signer.issuer,
                audience=signer.audience,
            )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forge(header: dict, payload: dict, signature: bytes = b"") -> str:
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    return f"{signing_input}.{_b64(signature)}"


def _claims(signer: TestSigner, **overrides) -> dict:
    now = int(time.time())
    return {
        "iss": signer.issuer,
        "aud": signer.audience,
        "sub": "citizen-1",
        "typ": "access",
        "iat": now,
        "exp": now + 600,
        "roles": ["citizen"],
        **overrides,
    }


async def test_a_valid_token_gives_its_principal(signer, verifier) -> None:
    token = signer.issue("citizen-1", roles=["citizen"], scopes=["permits:verify"])

    principal = await verifier.verify(token)

    assert principal.subject == "citizen-1"
    assert principal.roles == {"citizen"}
    assert principal.scopes == {"permits:verify"}
    assert principal.acting_officer is None


async def test_an_officer_acting_for_a_citizen_is_named(signer, verifier) -> None:
    principal = await verifier.verify(signer.issue("citizen-1", act={"sub": "officer-9"}))

    assert principal.acting_officer == "officer-9"


async def test_alg_none_is_rejected(signer, verifier) -> None:
    token = _forge({"alg": "none", "typ": "JWT", "kid": signer.kid}, _claims(signer))

    with pytest.raises(Unauthorized):
        await verifier.verify(token)


async def test_hs256_signed_with_the_public_key_is_rejected(signer, verifier) -> None:
    public_pem = signer.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": signer.kid}
    payload = _claims(signer)
    unsigned = _forge(header, payload).rsplit(".", 1)[0]
    signature = hmac.new(public_pem, unsigned.encode(), hashlib.sha256).digest()

    with pytest.raises(Unauthorized):
        await verifier.verify(f"{unsigned}.{_b64(signature)}")


@pytest.mark.parametrize(
    "overrides",
    [
        {"iss": "https://evil.example"},
        {"aud": "another-app"},
        {"exp": int(time.time()) - 60},
        {"nbf": int(time.time()) + 600},
        {"typ": "refresh"},
        {"sub": None},
    ],
    ids=["wrong-iss", "wrong-aud", "expired", "future-nbf", "refresh-as-access", "no-sub"],
)
async def test_wrong_claims_are_rejected(signer, verifier, overrides) -> None:
    claims = {k: v for k, v in _claims(signer, **overrides).items() if v is not None}
    token = jwt.encode(claims, signer.private_key, algorithm="EdDSA", headers={"kid": signer.kid})

    with pytest.raises(Unauthorized):
        await verifier.verify(token)


@pytest.mark.parametrize("kid", ["unknown-key", "../../../etc/passwd", "x" * 5000, ""])
async def test_an_unknown_or_malicious_kid_is_rejected(signer, verifier, kid) -> None:
    token = signer.issue("citizen-1", headers={"kid": kid})

    with pytest.raises(Unauthorized):
        await verifier.verify(token)


async def test_a_tampered_payload_is_rejected(signer, verifier) -> None:
    header, _payload, signature = signer.issue("citizen-1", roles=["citizen"]).split(".")
    promoted = _b64(json.dumps(_claims(signer, roles=["city_admin"])).encode())

    with pytest.raises(Unauthorized):
        await verifier.verify(f"{header}.{promoted}.{signature}")


@pytest.mark.parametrize("token", ["opaque-refresh-token-value", "a.b.c", ""])
async def test_a_token_that_is_not_a_jwt_is_rejected(verifier, token) -> None:
    with pytest.raises(Unauthorized):
        await verifier.verify(token)


async def test_a_rotated_key_is_fetched_when_first_seen(signer, verifier) -> None:
    before = signer.issue("citizen-1")
    await verifier.verify(before)  # caches the first key
    signer.rotate()

    after = await verifier.verify(signer.issue("citizen-2"))

    assert after.subject == "citizen-2"
    assert (await verifier.verify(before)).subject == "citizen-1"  # old key still published


async def test_unknown_kids_do_not_flood_the_gateway(signer) -> None:
    fetches = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal fetches
        fetches += 1
        return httpx.Response(200, json=signer.jwks())

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        verifier = TokenVerifier(
            keys=JwksKeys("http://gateway/jwks", client=client, min_refresh_seconds=60),
            issuer=signer.issuer,
            audience=signer.audience,
        )
        await verifier.verify(signer.issue("citizen-1"))
        for n in range(20):
            with pytest.raises(Unauthorized):
                await verifier.verify(signer.issue("citizen-1", headers={"kid": f"invented-{n}"}))

    assert fetches == 1


@pytest.fixture
async def guarded_app(verifier) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.token_verifier = verifier

    @app.get("/officers-only")
    async def officers_only(
        who: Annotated[Principal, Depends(Require(roles={"permits_officer"}))],
    ) -> dict[str, str]:
        return {"sub": who.subject}

    @app.get("/verify")
    async def verify(
        who: Annotated[
            Principal, Depends(Require(roles={"permits_officer"}, scopes={"permits:verify"}))
        ],
    ) -> dict[str, str]:
        return {"sub": who.subject}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_a_citizen_calling_an_officer_operation_gets_403(signer, guarded_app) -> None:
    token = signer.issue("citizen-1", roles=["citizen"])

    response = await guarded_app.get("/officers-only", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


async def test_an_agency_client_needs_the_scope(signer, guarded_app) -> None:
    without = signer.issue("client-bpn", roles=[], scopes=["health:fhir:read"])
    with_scope = signer.issue("client-bpn", roles=[], scopes=["permits:verify"])

    denied = await guarded_app.get("/verify", headers={"Authorization": f"Bearer {without}"})
    allowed = await guarded_app.get("/verify", headers={"Authorization": f"Bearer {with_scope}"})

    assert denied.status_code == 403
    assert allowed.status_code == 200
    assert allowed.json() == {"sub": "client-bpn"}


async def test_a_forged_token_is_401_problem_json(guarded_app, signer) -> None:
    forged = _forge({"alg": "none", "kid": signer.kid}, _claims(signer))

    response = await guarded_app.get(
        "/officers-only", headers={"Authorization": f"Bearer {forged}"}
    )

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
