"""Readiness of each upstream as the gateway sees it (its own ``/readyz``)."""

import httpx


async def upstream_readiness(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz", timeout=2)
    if response.status_code != 200:
        raise RuntimeError(f"/readyz answered {response.status_code}")
