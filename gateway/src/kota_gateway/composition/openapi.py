"""One OpenAPI document for the whole API: the gateway's operations and every service's.

Services already serve their paths under ``/v1/<service>``, so merging is mostly putting
documents side by side: each service's operations are tagged with its name, its component
schemas are prefixed with it (``permits`` + ``ApplicationRead``) so two services may both
have an ``ApplicationRead``, and every ``$ref`` is rewritten to match. Upstream documents are
fetched in the background and cached; a service that is down keeps its last known document.

The merged document is then presented as clients meet it, through the gateway
(`through_the_gateway`): a ``servers`` entry; OAuth2 password and client-credentials flows
beside the bearer scheme, so the docs' Authorize button fetches a token; and the answers the
edge itself may give on any operation (429 ``rate_limited``; 401 ``client_revoked`` where a
token is taken; 504 ``gateway_timeout`` on a service's operations).
"""

import asyncio
import copy
import logging
from collections.abc import Mapping
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from kota_contracts.access import SCOPE_PURPOSES
from kota_gateway.composition import docs
from kota_gateway.edge.proxy import GatewayTimeout
from kota_gateway.edge.ratelimit.middleware import TooManyRequests
from kota_gateway.edge.revocations import ClientRevoked
from kota_gateway.edge.upstreams import Upstreams
from kota_shared.app import ServiceRuntime
from kota_shared.openapi import add_problems, document_problems, takes_access_token

_log = logging.getLogger(__name__)
_SCHEMA_REF = "#/components/schemas/"


def _prefixed(service: str, name: str) -> str:
    return f"{service.capitalize()}{name}"


def _rewrite_refs(node: Any, service: str) -> Any:
    if isinstance(node, dict):
        rewritten = {key: _rewrite_refs(value, service) for key, value in node.items()}
        ref = rewritten.get("$ref")
        if isinstance(ref, str) and ref.startswith(_SCHEMA_REF):
            rewritten["$ref"] = _SCHEMA_REF + _prefixed(service, ref[len(_SCHEMA_REF) :])
        return rewritten
    if isinstance(node, list):
        return [_rewrite_refs(item, service) for item in node]
    return node


def merge(gateway: dict[str, Any], services: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """The gateway's document with each service's paths, tags and schemas added."""
    merged = copy.deepcopy(gateway)
    paths: dict[str, Any] = merged.setdefault("paths", {})
    components: dict[str, Any] = merged.setdefault("components", {})
    schemas: dict[str, Any] = components.setdefault("schemas", {})
    security_schemes: dict[str, Any] = components.setdefault("securitySchemes", {})
    tags: list[dict[str, Any]] = merged.setdefault("tags", [])
    for service, document in sorted(services.items()):
        document = _rewrite_refs(document, service)
        for path, operations in document.get("paths", {}).items():
            for operation in operations.values():
                if isinstance(operation, dict):
                    operation["tags"] = [service]
            paths[path] = operations
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            schemas[_prefixed(service, name)] = schema
        security_schemes.update(document.get("components", {}).get("securitySchemes", {}))
        info = document.get("info", {})
        tags.append({"name": service, "description": info.get("description", "")})
    if not security_schemes:
        del components["securitySchemes"]
    return merged


OAUTH2 = "OAuth2"
SIGN_IN_URL = "/v1/auth/token"
CLIENT_SIGN_IN_URL = "/v1/auth/clients/token"
_METHODS = frozenset({"get", "put", "post", "delete", "patch"})


def oauth2_scheme() -> dict[str, Any]:
    """How a token is obtained: a person signs in (password), an agency client presents its
    credentials (client credentials, with the scopes it was granted)."""
    return {
        "type": "oauth2",
        "description": "Citizens and officers sign in with the password flow (a citizen's "
        "NIK or phone, or a staff username); agency clients use client credentials.",
        "flows": {
            "password": {
                "tokenUrl": SIGN_IN_URL,
                "refreshUrl": SIGN_IN_URL,
                "scopes": {},
            },
            "clientCredentials": {
                "tokenUrl": CLIENT_SIGN_IN_URL,
                "scopes": {scope.value: purpose for scope, purpose in SCOPE_PURPOSES.items()},
            },
        },
    }


def through_the_gateway(
    merged: dict[str, Any], *, server_url: str, services: frozenset[str]
) -> dict[str, Any]:
    """``merged`` as a client of the gateway meets it (see the module's doc)."""
    merged["servers"] = [{"url": server_url, "description": "The Kota LIVE gateway"}]
    merged.setdefault("components", {}).setdefault("securitySchemes", {})[OAUTH2] = oauth2_scheme()
    for item in merged.get("paths", {}).values():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            add_problems(operation, TooManyRequests)
            if takes_access_token(operation):
                operation["security"] = [{OAUTH2: []}, *operation["security"]]
                add_problems(operation, ClientRevoked)
            if set(operation.get("tags", ())) & services:
                add_problems(operation, GatewayTimeout)
    return merged


def _document(result: httpx.Response | BaseException) -> dict[str, Any] | None:
    """The upstream's OpenAPI document, or None: one bad answer must not stop the refresh."""
    if not isinstance(result, httpx.Response) or result.status_code != 200:
        return None
    try:
        document = result.json()
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


class UpstreamDocuments:
    """Each upstream's ``/openapi.json``, refreshed in the background."""

    def __init__(self, clients: Mapping[str, httpx.AsyncClient], *, refresh_seconds: float) -> None:
        self._clients = clients
        self._refresh_seconds = refresh_seconds
        self.documents: dict[str, dict[str, Any]] = {}

    async def refresh(self) -> None:
        names = list(self._clients)
        results = await asyncio.gather(
            *(self._clients[name].get("/openapi.json", timeout=5) for name in names),
            return_exceptions=True,
        )
        for name, result in zip(names, results, strict=True):
            document = _document(result)
            if document is not None:
                self.documents[name] = document
            else:
                _log.info("openapi of %s not refreshed: %s", name, result)

    async def keep_fresh(self) -> None:
        """Re-read periodically; the first read is the caller's, at start."""
        while True:
            await asyncio.sleep(self._refresh_seconds)
            await self.refresh()


def own_openapi(app: FastAPI) -> dict[str, Any]:
    """The gateway's own operations, with their error answers as they are."""
    return document_problems(
        get_openapi(
            title=app.title,
            version=app.version,
            description=f"{app.description}\n\n{docs.REFERENCE}",
            routes=app.routes,
        )
    )


async def serve_merged_openapi(
    app: FastAPI,
    runtime: ServiceRuntime,
    upstreams: Upstreams,
    *,
    refresh_seconds: float,
    server_url: str,
) -> None:
    """Make ``/openapi.json`` (and ``/docs``) the merged document, refreshed in the background.

    The first read is awaited, so the gateway serves every service's operations from its
    first request on; afterwards a supervised task keeps them fresh.
    """
    documents = UpstreamDocuments(upstreams.clients, refresh_seconds=refresh_seconds)
    await documents.refresh()

    def openapi() -> dict[str, Any]:
        merged = merge(own_openapi(app), documents.documents)
        return through_the_gateway(
            merged, server_url=server_url, services=frozenset(documents.documents)
        )

    app.openapi = openapi  # type: ignore[method-assign]
    runtime.supervisor.start("openapi-refresh", documents.keep_fresh)
