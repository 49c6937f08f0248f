"""Gateway settings that would route wrongly are refused at start."""

import pytest
from pydantic import ValidationError

from kota_gateway.config import GatewaySettings


@pytest.mark.parametrize("name", ["auth", "me"])
def test_an_upstream_may_not_hide_the_gateways_own_paths(name: str) -> None:
    with pytest.raises(ValidationError, match="the gateway's own /v1/ paths"):
        GatewaySettings(upstreams={name: "http://127.0.0.1:9"})


def test_service_names_are_accepted_as_upstreams() -> None:
    settings = GatewaySettings(upstreams={"permits": "http://127.0.0.1:9"})

    assert settings.upstreams == {"permits": "http://127.0.0.1:9"}
