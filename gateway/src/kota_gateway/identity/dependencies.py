"""What the identity provider's endpoints receive by injection: its configuration, the key
ring, the runtime (for endpoints that own their transaction), the civil registry, the caller's
address and the city admin."""

from typing import Annotated

from fastapi import Depends, Request

from kota_contracts.access import Role
from kota_gateway.identity.config import IdentityConfig
from kota_gateway.identity.keys import SigningKeys
from kota_gateway.identity.registry.port import CivilRegistry
from kota_shared.app import ServiceRuntime
from kota_shared.auth import Principal, Require


def _config(request: Request) -> IdentityConfig:
    config: IdentityConfig = request.app.state.identity
    return config


def _keys(request: Request) -> SigningKeys:
    # Read per request: a key rotation replaces the ring while the gateway runs.
    keys: SigningKeys = request.app.state.signing_keys
    return keys


def _civil_registry(request: Request) -> CivilRegistry:
    registry: CivilRegistry = request.app.state.civil_registry
    return registry


def _client_address(request: Request) -> str:
    return _config(request).client_address(request)


def _runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


Config = Annotated[IdentityConfig, Depends(_config)]
Keys = Annotated[SigningKeys, Depends(_keys)]
Registry = Annotated[CivilRegistry, Depends(_civil_registry)]
"""The civil registry, each call counted against the day's quota and audited."""
ClientAddress = Annotated[str, Depends(_client_address)]
"""The caller's IP address: the connection's peer, or what trusted proxies forwarded."""
Runtime = Annotated[ServiceRuntime, Depends(_runtime)]
"""For an endpoint whose refusal must still commit what it recorded (a failed sign-in
counted): it opens its own transaction with ``runtime.sessionmaker`` and
``runtime.transaction``, and raises the refusal after the commit."""
CityAdmin = Annotated[Principal, Depends(Require(roles={Role.CITY_ADMIN}))]
