"""Checks: the request works through every target, and each scenario does what it says.

``checks`` in the report: the answer's framing, request id and RateLimit headers, the
gateway's metrics counting it, and (``gateway``) counting per verified subject.
"""

from typing import Any

from .config import DISTRICT, PATH, STATE_DIR
from .servers import Target, metrics_port
from .tokens import sign_tokens


def probe(target: Target, *, token: str) -> dict[str, Any]:
    """One request with ``token``: the right answer, and what it shows of the target's work."""
    import httpx

    url = f"http://127.0.0.1:{target.port}{PATH}"
    headers = {"Authorization": f"Bearer {token}"}
    response = httpx.get(url, headers=headers, timeout=10)
    body = response.json() if response.status_code == 200 else None
    if not (isinstance(body, list) and len(body) == 1 and body[0]["district_code"] == DISTRICT):
        raise RuntimeError(
            f"{target.name}: {url} answered {response.status_code} {response.text[:300]}"
        )
    found: dict[str, Any] = {
        "status": response.status_code,
        "body_bytes": len(response.content),
        "framing": "chunked"
        if response.headers.get("transfer-encoding") == "chunked"
        else "content-length",
        "x_request_id": "x-request-id" in response.headers,
        "ratelimit_headers": "ratelimit-limit" in response.headers,
    }
    if target.name.startswith("gateway"):
        metrics_url = f"http://127.0.0.1:{metrics_port(target.port)}/metrics"
        metrics = httpx.get(metrics_url, timeout=10).text
        found["metrics_count_requests"] = 'service="gateway"' in metrics
    if target.name == "gateway":
        found["counted_per_verified_subject"] = _counted_per_subject(url)
    return found


def _counted_per_subject(url: str) -> bool:
    """Two fresh tokens: if A's second request and B's first see different budgets, the
    gateway counted them by their verified ``sub``, not by the (shared) client address."""
    import httpx

    a, b = sign_tokens(STATE_DIR / "gateway-keys", 2)
    remaining = []
    for token in (a, a, b):
        response = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
        remaining.append(int(response.headers["ratelimit-remaining"]))
    return remaining[0] - remaining[1] == 1 and remaining[2] == remaining[0]
