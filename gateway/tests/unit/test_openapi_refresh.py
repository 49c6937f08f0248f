"""Refreshing the upstreams' OpenAPI documents survives an upstream that answers nonsense.

The refresh runs as a supervised background task: an exception there would restart it,
and a document that stays broken would end up failing the gateway's /livez.
"""

import httpx

from kota_gateway.composition.openapi import UpstreamDocuments


def upstream(body: bytes, status: int = 200) -> httpx.AsyncClient:
    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"content-type": "application/json"})

    return httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="http://upstream")


async def test_a_bad_document_is_skipped_and_the_good_ones_kept():
    clients = {
        "health": upstream(b'{"openapi": "3.1.0", "paths": {}}'),
        "permits": upstream(b"<html>not json</html>"),
        "payments": upstream(b"[1, 2, 3]"),
        "education": upstream(b'{"openapi": "3.1.0"}', status=503),
    }
    documents = UpstreamDocuments(clients, refresh_seconds=60)
    documents.documents["permits"] = {"openapi": "3.1.0", "paths": {"/v1/permits/types": {}}}

    await documents.refresh()

    assert documents.documents == {
        "health": {"openapi": "3.1.0", "paths": {}},
        # The last good document stays until a good one replaces it.
        "permits": {"openapi": "3.1.0", "paths": {"/v1/permits/types": {}}},
    }
    for client in clients.values():
        await client.aclose()
