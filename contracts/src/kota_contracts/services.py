"""The suite's services, declared once: what the dev suite starts, what the gateway routes to
and gathers the home screen from, which databases exist, who publishes and consumes which
topic. The dev tools, the gateway's defaults, the compose file, the PostgreSQL init script,
the event catalogue and the end-to-end suite all read this tuple, so a new service is one
entry here (``kota new-service NAME`` writes it) rather than eight edits.

Only facts about the architecture live here; how a deployment wires secrets and volumes is
the deployment's business (``kota_dev.compose``).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from kota_contracts import education, health, identity, information, monitoring, payments, permits


@dataclass(frozen=True)
class HomeSection:
    """One section of the citizen's home screen (``GET /v1/me/overview``): one of the caller's
    lists in this service, read with the caller's own token."""

    path: str
    only: Mapping[str, str] = field(default_factory=dict)
    """Keep items whose fields have these values (e.g. unpaid invoices: status=open)."""


@dataclass(frozen=True)
class ServiceDeclaration:
    name: str
    """The service's name: its URL prefix (``/v1/<name>/``), database, role, settings prefix
    (``<NAME>_``) and compose service."""
    port_offset: int
    """Its port in the local suite: the suite's base port (8000) plus this."""
    package: str
    """The Python package holding ``main:create_app`` and ``migrations/``."""
    folder: str
    """The workspace folder, e.g. ``svc-permits``."""
    publishes: str | None = None
    """The topic it writes through its outbox, if any."""
    consumes: tuple[str, ...] = ()
    """The topics its consumers read."""
    home_sections: Mapping[str, HomeSection] = field(default_factory=dict)
    seeds_demo_data: bool = False
    """``kota up`` runs ``<package>.seed`` once it is ready (the city's starting data)."""
    routed: bool = True
    """The gateway routes ``/v1/<name>/...`` here (false only for the gateway itself)."""
    watches_the_broker: bool = False
    """May describe every topic and consumer group (offsets, not contents): monitoring, which
    reports each group's lag and each dead-letter topic."""

    @property
    def env_prefix(self) -> str:
        return f"{self.name.upper()}_"

    @property
    def distribution(self) -> str:
        """Its name in ``pyproject.toml``, e.g. ``kota-permits``."""
        return f"kota-{self.name}"

    @property
    def app(self) -> str:
        return f"{self.package}.main:create_app"


def _sections(**sections: HomeSection) -> Mapping[str, HomeSection]:
    return MappingProxyType(sections)


GATEWAY = ServiceDeclaration(
    name="gateway",
    port_offset=0,
    # Not `gateway`: that is the repository folder, which pytest would import instead.
    package="kota_gateway",
    folder="gateway",
    publishes=identity.TOPIC,
    routed=False,
)

SERVICES: tuple[ServiceDeclaration, ...] = (
    ServiceDeclaration(
        name="permits",
        port_offset=1,
        package="permits",
        folder="svc-permits",
        publishes=permits.TOPIC,
        consumes=(payments.TOPIC,),
        home_sections=_sections(applications=HomeSection(path="/v1/permits/applications")),
        seeds_demo_data=True,  # the city's starting permit catalogue
    ),
    ServiceDeclaration(
        name="health",
        port_offset=2,
        package="health",
        folder="svc-health",
        publishes=health.TOPIC,
        # Active bookings from today on, by visit date then queue number.
        home_sections=_sections(appointments=HomeSection(path="/v1/health/bookings")),
        seeds_demo_data=True,
    ),
    ServiceDeclaration(
        name="education",
        port_offset=3,
        package="education",
        folder="svc-education",
        publishes=education.TOPIC,
        # This admission year's school registrations.
        home_sections=_sections(admissions=HomeSection(path="/v1/education/registrations")),
        seeds_demo_data=True,
    ),
    ServiceDeclaration(
        name="payments",
        port_offset=4,
        package="payments",
        folder="svc-payments",
        publishes=payments.TOPIC,
        consumes=(permits.TOPIC,),
        home_sections=_sections(
            unpaid_invoices=HomeSection(path="/v1/payments/invoices", only={"status": "open"})
        ),
    ),
    ServiceDeclaration(
        name="monitoring",
        port_offset=5,
        package="monitoring",
        folder="svc-monitoring",
        publishes=monitoring.TOPIC,
        watches_the_broker=True,
        # Its own topic too: the alerts raised are a read model, rebuilt from the log.
        consumes=(
            identity.TOPIC,
            permits.TOPIC,
            payments.TOPIC,
            health.TOPIC,
            education.TOPIC,
            monitoring.TOPIC,
        ),
    ),
    ServiceDeclaration(
        name="information",
        port_offset=6,
        package="information",
        folder="svc-information",
        publishes=information.TOPIC,
        consumes=(
            identity.TOPIC,
            permits.TOPIC,
            payments.TOPIC,
            health.TOPIC,
            education.TOPIC,
            monitoring.TOPIC,
        ),
        # The notices not read yet, newest first.
        home_sections=_sections(
            unread_notices=HomeSection(path="/v1/information/notices?unread=true")
        ),
    ),
)
"""Every service behind the gateway, in the order the home screen lists their sections."""

EVERY_SERVICE = (GATEWAY, *SERVICES)
"""Every process with a database of its own."""


LOCAL_SUITE_PORT = 8000
"""The local suite's base port: each service listens at this plus its port offset."""


def local_suite_url(service: ServiceDeclaration) -> str:
    """Where the local suite (``kota up``) runs ``service``: the defaults of every setting
    that names another service, so a checkout runs with no configuration."""
    return f"http://127.0.0.1:{LOCAL_SUITE_PORT + service.port_offset}"


def declared(name: str) -> ServiceDeclaration:
    for service in EVERY_SERVICE:
        if service.name == name:
            return service
    raise KeyError(f"no service named {name!r} is declared in kota_contracts.services")
