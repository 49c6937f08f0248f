"""Settings of the gateway (environment prefix ``GATEWAY_``): every service's, and one part
each for the edge, the identity provider and composition, so each package's code is typed
with only the settings it reads. The variables keep their names (``GATEWAY_UPSTREAMS``,
``GATEWAY_ACCESS_TOKEN_TTL_SECONDS``, ...): the parts are mixins, not nested models."""

from pydantic_settings import SettingsConfigDict

from kota_gateway.composition.settings import CompositionSettings
from kota_gateway.edge.settings import EdgeSettings
from kota_gateway.identity.settings import IdentitySettings
from kota_shared.settings import ServiceSettings


class GatewaySettings(ServiceSettings, EdgeSettings, IdentitySettings, CompositionSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_")

    service_name: str = "gateway"
