"""Which budget a request spends, whose it is, and what the caller is told."""

import asyncio

import jwt
import pytest

from kota_gateway.edge.ratelimit.client_ip import TrustedProxies
from kota_gateway.edge.ratelimit.limiter import RateLimits
from kota_gateway.edge.ratelimit.policy import Decision, parse_limits, route_class
from kota_gateway.edge.ratelimit.storage import SweepingMemoryStorage
from kota_gateway.edge.revocations import unverified_subject


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("POST", "/v1/auth/login", "auth"),
        ("GET", "/v1/auth/clients", "auth"),
        ("GET", "/v1/permits/applications", "read"),
        ("HEAD", "/v1/permits/applications", "read"),
        ("OPTIONS", "/v1/permits/applications", "read"),
        ("POST", "/v1/permits/applications", "write"),
        ("DELETE", "/v1/health/appointments/1", "write"),
        ("GET", "/v1/authors", "read"),  # not the auth routes, only a similar name
        ("GET", "/readyz", None),
        ("GET", "/metrics", None),
        ("GET", "/.well-known/jwks.json", None),
    ],
)
def test_route_classes(method: str, path: str, expected: str | None) -> None:
    assert route_class(method, path) == expected


def test_forwarded_for_is_ignored_without_trusted_proxies() -> None:
    assert TrustedProxies([]).client_ip("10.0.0.9", ["198.51.100.1"]) == "10.0.0.9"


def test_forwarded_for_is_ignored_from_an_untrusted_peer() -> None:
    proxies = TrustedProxies(["10.0.0.0/8"])

    assert proxies.client_ip("192.0.2.1", ["198.51.100.1"]) == "192.0.2.1"


def test_the_client_is_the_first_untrusted_hop_from_the_right() -> None:
    proxies = TrustedProxies(["10.0.0.0/8", "2001:db8::1"])

    # The client may have sent its own X-Forwarded-For: the left part is not to be believed.
    assert proxies.client_ip("10.0.0.2", ["6.6.6.6, 198.51.100.7", "10.0.0.1"]) == "198.51.100.7"
    assert proxies.client_ip("2001:db8::1", ["2001:db8::42"]) == "2001:db8::42"


def test_only_trusted_hops_gives_the_leftmost() -> None:
    proxies = TrustedProxies(["10.0.0.0/8"])

    assert proxies.client_ip("10.0.0.2", ["10.1.1.1, 10.0.0.1"]) == "10.1.1.1"


def test_no_peer_is_unknown() -> None:
    assert TrustedProxies([]).client_ip(None, []) == "unknown"


def test_limits_are_parsed_per_class() -> None:
    parsed = parse_limits({"auth": "10/minute", "read": "5/second;300/minute"})

    assert [item.amount for item in parsed["read"]] == [5, 300]
    assert parsed["auth"][0].get_expiry() == 60


@pytest.mark.parametrize(
    ("limits", "message"),
    [({"reads": "1/minute"}, "unknown route class"), ({"read": "lots"}, "read")],
)
def test_a_bad_limit_names_the_setting(limits: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match="GATEWAY_RATE_LIMITS") as error:
        parse_limits(limits)

    assert message in str(error.value)


def test_decision_headers_follow_the_draft() -> None:
    decision = Decision(allowed=True, limit=10, remaining=7, reset_seconds=42, window_seconds=60)

    assert dict(decision.headers()) == {
        b"ratelimit-limit": b"10",
        b"ratelimit-remaining": b"7",
        b"ratelimit-reset": b"42",
        b"ratelimit-policy": b"10;w=60",
    }


async def test_the_in_process_storage_sweeps_at_most_once_a_second() -> None:
    limits = RateLimits({"read": "100/minute"})
    storage = limits.storage
    assert isinstance(storage, SweepingMemoryStorage)

    await limits.hit("read", "ip:192.0.2.1")
    first_sweep = storage.timer
    for n in range(20):
        await asyncio.sleep(0)  # let each sweep finish, as a busy server would
        await limits.hit("read", f"ip:192.0.2.{n}")

    assert first_sweep is not None  # the library still calls the hook we override
    assert storage.timer is first_sweep  # and no other sweep started within the second
    await limits.aclose()


def test_the_edge_reads_a_tokens_subject_without_trusting_it() -> None:
    token = jwt.encode(
        {"sub": "client:ac_1"},
        "a key of thirty-two bytes or more, never checked",
        algorithm="HS256",
    )

    assert unverified_subject(token) == "client:ac_1"
    assert unverified_subject("not.a.token") is None
    assert unverified_subject("a.b") is None
    assert unverified_subject(token.split(".")[0] + ".W10." + "sig") is None  # a list, no sub
