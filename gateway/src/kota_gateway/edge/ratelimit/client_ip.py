"""The client's IP address behind the proxies we were told to trust.

The client IP is the connection's peer; ``X-Forwarded-For`` is believed only when the peer
is one of ``trusted_proxies``, and then read right to left up to the first untrusted hop
(anyone may write the left end of that header).
"""

import ipaddress
from collections.abc import Sequence


class TrustedProxies:
    """Finds the client's address behind the proxies we were told to trust."""

    def __init__(self, entries: Sequence[str]) -> None:
        self._networks = [ipaddress.ip_network(entry, strict=False) for entry in entries]

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._networks)

    def client_ip(self, peer: str | None, forwarded_for: Sequence[str]) -> str:
        if peer is None:
            return "unknown"
        if not self._networks or not forwarded_for or not self._trusted(peer):
            return peer
        hops = [hop.strip() for value in forwarded_for for hop in value.split(",")]
        hops = [hop for hop in hops if hop]
        for hop in reversed(hops):
            if not self._trusted(hop):
                return hop
        return hops[0] if hops else peer
