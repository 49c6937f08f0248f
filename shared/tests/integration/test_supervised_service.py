"""A service's background tasks run supervised: a relay that cannot recover fails /livez.

Built with `create_service_app` as every service is, on the real PostgreSQL and Kafka. The
relay's database lacks its outbox table, a fault no waiting cures: the relay is restarted
again and again, /readyz says so, and once that has lasted past the bound /livez fails so an
orchestrator would restart the process. With a sound database nothing fails.
"""

from typing import Any

from sqlalchemy.ext.asyncio import create_async_engine

from kota_dev.faults.parcels import TABLES, metadata
from kota_dev.pytest_plugin import Infrastructure, create_database, running_app
from kota_shared.app import ServiceDefinition, create_service_app
from kota_shared.settings import ServiceSettings
from kota_shared.testing.waiting import eventually


class ParcelSettings(ServiceSettings):
    service_name: str = "parcels"


def parcels_app(database_url: str, service_env: dict[str, Any], **settings: Any):
    return create_service_app(
        ServiceDefinition(
            settings=ParcelSettings(database_url=database_url, **service_env, **settings),
            title="parcels",
            description="A miniature service",
            migrations="unused:migrations",  # migrate_on_start is off in tests
            routers=[],
            event_tables=TABLES,
        )
    )


async def test_a_relay_that_keeps_failing_shows_in_readyz_and_fails_livez_past_the_bound(
    infrastructure: Infrastructure, service_env: dict[str, Any]
):
    without_tables = await create_database(infrastructure, "parcels_broken")
    app = parcels_app(without_tables, service_env, task_unhealthy_after_seconds=1.5)

    async with running_app(app) as client:
        tasks = await eventually(
            lambda: _tasks(client),
            until=lambda tasks: tasks["outbox-relay"]["restarts"] >= 1,
            what="the relay to fail and be restarted",
        )
        assert "outbox" in tasks["outbox-relay"]["last_error"]  # relation "outbox" does not exist
        livez = await eventually(
            lambda: client.get("/livez"),
            # The backlog's measurement fails on the same missing table: both are past the
            # bound once each has been failing for 1.5 s, the relay usually first.
            until=lambda response: (
                response.status_code == 503
                and {"outbox-relay", "outbox-backlog"} <= set(response.json()["tasks"])
            ),
            within=20,
            what="/livez to fail on the relay and the backlog",
        )

    assert livez.json()["status"] == "failing"
    assert sorted(livez.json()["tasks"]) == ["outbox-backlog", "outbox-relay"]


async def test_a_sound_service_is_alive_and_its_relay_runs(
    infrastructure: Infrastructure, service_env: dict[str, Any]
):
    url = await create_database(infrastructure, "parcels_sound")
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await engine.dispose()
    app = parcels_app(url, service_env, task_unhealthy_after_seconds=1.5)

    async with running_app(app) as client:
        readyz = await eventually(
            lambda: client.get("/readyz"),
            until=lambda response: response.status_code == 200,
            what="the service to be ready",
        )
        livez = await client.get("/livez")

    assert readyz.json()["tasks"] == {
        "outbox-relay": {"state": "running", "restarts": 0},
        "outbox-backlog": {"state": "running", "restarts": 0},
    }
    assert livez.status_code == 200


async def _tasks(client) -> dict[str, Any]:
    response = await client.get("/readyz")
    return response.json()["tasks"]
