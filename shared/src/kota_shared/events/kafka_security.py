"""How a service proves to Kafka who it is: the options every aiokafka client it makes takes.

The broker authenticates each service as its own principal (SASL/SCRAM) and its ACLs let a
principal write only the topics it owns and read only the topics it consumes. So the relay's
producer, the consumers, their dead-letter producer, the admin client that creates topics and
the readiness probe must all connect as the same principal: each takes one `KafkaSecurity`
(a service's comes from its settings, ``ServiceSettings.kafka_security``).
"""

import ssl
from dataclasses import dataclass, field
from typing import Any, Literal

SecurityProtocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL"]
"""PLAINTEXT authenticates nobody: only for a broker that is itself open (a test's own
broker, a benchmark's). SASL_SSL is for a broker across a network you do not own."""

SaslMechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]
"""SCRAM never sends the password, so it is the default; PLAIN sends it, and belongs only
inside TLS (SASL_SSL)."""


@dataclass(frozen=True)
class KafkaSecurity:
    """Who a client is to the broker, and how it proves it."""

    protocol: SecurityProtocol = "PLAINTEXT"
    mechanism: SaslMechanism = "SCRAM-SHA-512"
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.protocol != "PLAINTEXT" and not (self.username and self.password):
            raise ValueError(f"Kafka over {self.protocol} needs a username and a password")

    @classmethod
    def scram(cls, username: str, password: str) -> "KafkaSecurity":
        """SCRAM-SHA-512 over an unencrypted connection: a broker on loopback or a private
        network (the local suite, compose)."""
        return cls(
            protocol="SASL_PLAINTEXT",
            mechanism="SCRAM-SHA-512",
            username=username,
            password=password,
        )

    @property
    def authenticated(self) -> bool:
        return self.protocol != "PLAINTEXT"

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for any aiokafka client (producer, consumer, admin)."""
        if not self.authenticated:
            return {"security_protocol": "PLAINTEXT"}
        options: dict[str, Any] = {
            "security_protocol": self.protocol,
            "sasl_mechanism": self.mechanism,
            "sasl_plain_username": self.username,
            "sasl_plain_password": self.password,
        }
        if self.protocol == "SASL_SSL":
            # The system's trust store; a private CA is added the OpenSSL way (SSL_CERT_FILE).
            options["ssl_context"] = ssl.create_default_context()
        return options


UNAUTHENTICATED = KafkaSecurity()
"""No credentials: what a client of an open broker uses, and what an authenticating broker
refuses."""
