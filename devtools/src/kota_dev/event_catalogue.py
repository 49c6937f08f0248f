"""The suite's published event schemas (``schemas/events``): which modules declare events,
and the command that regenerates the files (``uv run python -m kota_dev.event_catalogue``)."""

from pathlib import Path

from kota_shared.events.schemas import write_catalogue

CATALOGUE = Path(__file__).resolve().parents[3] / "schemas" / "events"
EVENT_MODULES = (
    "kota_gateway.identity.events",
    "kota_gateway.clients.events",
    "kota_shared.contracts.permits",
    "kota_shared.contracts.payments",
    "health.bookings.events",
    "education.registrations.events",
)


def main() -> None:
    for path in write_catalogue(CATALOGUE, EVENT_MODULES):
        print(path.relative_to(CATALOGUE.parents[1]))


if __name__ == "__main__":
    main()
