"""Who may do what on the suite's Kafka: ACLs derived from the service registry.

Every service connects as its own principal, named after it (``User:permits``). What the
registry declares (`kota_contracts.services`: ``publishes``, ``consumes``) is all it may do:

- write, and create, the topic it publishes, and the topics of its own namespace
  (``<service>.``), which holds its consumers' dead-letter topics (``<service>.<consumer>.dlq``);
- read exactly the topics it consumes;
- use only consumer groups of its namespace (``<service>.<purpose>``).

Kafka's authorizer denies whatever no ACL allows, so a stranger, or one service posing as
another's producer, is refused. The tooling's principal (`ADMIN`) is a super user.

The same grants are applied to the local broker (`apply`, over the Kafka protocol) and to the
compose deployment (`acl_commands`, ``kafka-acls.sh`` run by the broker's container at start).
"""

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka.client import AIOKafkaClient
from aiokafka.errors import for_code
from aiokafka.protocol.admin import CreateAclsRequest, DeleteAclsRequest, DescribeAclsRequest

from kota_contracts.services import EVERY_SERVICE, ServiceDeclaration
from kota_shared.events.kafka_security import KafkaSecurity

ADMIN = "kota_admin"
"""The tooling's principal: a super user. Service names are letters and digits, so no
service can be called this."""


class Resource(enum.IntEnum):
    """Kafka's resource type codes (the ACL protocol's)."""

    TOPIC = 2
    GROUP = 3


class Pattern(enum.IntEnum):
    """How an ACL's resource name matches (Kafka's pattern type codes)."""

    LITERAL = 3
    PREFIXED = 4


class Operation(enum.IntEnum):
    """Kafka's ACL operation codes, for the operations granted here."""

    READ = 3
    WRITE = 4
    CREATE = 5
    DESCRIBE = 8


_ANY = 1  # resource type, pattern type and operation filter matching everything
_ALLOW = 3
_ANY_HOST = "*"
_EVERY = "*"  # a literal ACL on "*" matches every resource of its type

_PRODUCE = (Operation.WRITE, Operation.CREATE, Operation.DESCRIBE)
_CONSUME = (Operation.READ, Operation.DESCRIBE)


@dataclass(frozen=True, order=True)
class Grant:
    """Operations a service's principal is allowed on one resource (one or more ACLs)."""

    service: str
    resource: Resource
    name: str
    pattern: Pattern
    operations: tuple[Operation, ...]

    @property
    def principal(self) -> str:
        return f"User:{self.service}"

    def acls(self) -> set["Acl"]:
        return {
            Acl(self.resource, self.name, self.pattern, self.principal, operation)
            for operation in self.operations
        }


@dataclass(frozen=True, order=True)
class Acl:
    """One ACL as the broker stores it (always an allow, from any host)."""

    resource: Resource
    name: str
    pattern: Pattern
    principal: str
    operation: Operation


def namespace(service: ServiceDeclaration) -> str:
    """The prefix of the topics and consumer groups that are the service's own."""
    return f"{service.name}."


def grants(services: Sequence[ServiceDeclaration] = EVERY_SERVICE) -> list[Grant]:
    """What each declared service may do, and nothing more; raises if two services would
    own the same topic."""
    _check_ownership(services)
    result: list[Grant] = []
    for service in services:
        own = namespace(service)
        result.append(Grant(service.name, Resource.TOPIC, own, Pattern.PREFIXED, _PRODUCE))
        if service.publishes and not service.publishes.startswith(own):
            # The gateway publishes identity.events, outside its own namespace.
            result.append(
                Grant(service.name, Resource.TOPIC, service.publishes, Pattern.LITERAL, _PRODUCE)
            )
        for topic in service.consumes:
            result.append(Grant(service.name, Resource.TOPIC, topic, Pattern.LITERAL, _CONSUME))
        if service.consumes:
            result.append(Grant(service.name, Resource.GROUP, own, Pattern.PREFIXED, _CONSUME))
        if service.watches_the_broker:
            # Offsets and metadata of every topic and group, for lag and dead letters; no
            # READ, so not the contents.
            for resource in (Resource.TOPIC, Resource.GROUP):
                result.append(
                    Grant(service.name, resource, _EVERY, Pattern.LITERAL, (Operation.DESCRIBE,))
                )
    return result


def _check_ownership(services: Sequence[ServiceDeclaration]) -> None:
    owners: dict[str, str] = {}
    for service in services:
        if service.publishes:
            if service.publishes in owners:
                raise ValueError(
                    f"{service.publishes} is published by both {owners[service.publishes]} "
                    f"and {service.name}"
                )
            owners[service.publishes] = service.name
    for service in services:
        for topic, owner in owners.items():
            if owner != service.name and topic.startswith(namespace(service)):
                raise ValueError(
                    f"{topic} (published by {owner}) lies in {service.name}'s namespace "
                    f"{namespace(service)!r}, which would let {service.name} write it"
                )


def published_topics(services: Sequence[ServiceDeclaration] = EVERY_SERVICE) -> list[str]:
    """The topics the tooling creates before any service starts: a consumer may not create
    the topics it reads, and one that subscribed to a missing topic would not see it appear
    before its next metadata refresh (minutes)."""
    return [service.publishes for service in services if service.publishes]


def wanted_acls(given: Iterable[Grant]) -> set[Acl]:
    return {acl for grant in given for acl in grant.acls()}


async def apply(
    bootstrap_servers: str,
    security: KafkaSecurity,
    given: Sequence[Grant],
    *,
    services: Sequence[ServiceDeclaration] = EVERY_SERVICE,
) -> None:
    """Make the broker's ACLs for the services' principals exactly ``given``: create what is
    missing, delete what the registry no longer declares (a topic no longer consumed).

    ``security`` must be a super user's. ACLs of other principals are left alone.
    """
    wanted = wanted_acls(given)
    managed = {f"User:{service.name}" for service in services}
    client = AIOKafkaClient(bootstrap_servers=bootstrap_servers, **security.client_options())
    try:
        await client.bootstrap()
        node = client.get_random_node()
        present = await _described(client, node)
        for acl in sorted(wanted - present):
            response = await client.send(
                node,
                CreateAclsRequest(
                    acl.resource,
                    acl.name,
                    acl.pattern,
                    acl.principal,
                    _ANY_HOST,
                    acl.operation,
                    _ALLOW,
                ),
            )
            for code, message in response.creation_responses:
                _raise_for(code, message, f"creating {acl}")
        for acl in sorted(present - wanted):
            if acl.principal not in managed:
                continue
            response = await client.send(
                node,
                DeleteAclsRequest(
                    acl.resource,
                    acl.name,
                    acl.pattern,
                    acl.principal,
                    _ANY_HOST,
                    acl.operation,
                    _ALLOW,
                ),
            )
            for code, message, *_matching in response.filter_responses:
                _raise_for(code, message, f"deleting {acl}")
    finally:
        await client.close()


async def described_acls(bootstrap_servers: str, security: KafkaSecurity) -> set[Acl]:
    """The broker's allow-from-anywhere ACLs on topics and groups."""
    client = AIOKafkaClient(bootstrap_servers=bootstrap_servers, **security.client_options())
    try:
        await client.bootstrap()
        return await _described(client, client.get_random_node())
    finally:
        await client.close()


async def _described(client: Any, node: int) -> set[Acl]:
    response = await client.send(
        node, DescribeAclsRequest(_ANY, None, _ANY, None, None, _ANY, _ANY)
    )
    _raise_for(response.error_code, response.error_message, "describing ACLs")
    found: set[Acl] = set()
    for resource_type, name, pattern_type, entries in response.resources:
        if resource_type not in Resource._value2member_map_:
            continue
        if pattern_type not in Pattern._value2member_map_:
            continue
        for principal, host, operation, permission in entries:
            if host != _ANY_HOST or permission != _ALLOW:
                continue
            if operation not in Operation._value2member_map_:
                continue
            found.add(
                Acl(
                    Resource(resource_type),
                    name,
                    Pattern(pattern_type),
                    principal,
                    Operation(operation),
                )
            )
    return found


def _raise_for(code: int, message: str | None, doing: str) -> None:
    if code != 0:
        raise for_code(code)(f"{doing}: {message or ''}")


def acl_commands(given: Sequence[Grant]) -> list[list[str]]:
    """``kafka-acls.sh`` arguments (after the connection options) granting ``given``: one
    command per principal, pattern and set of operations, as each starts a JVM."""
    merged: dict[tuple[str, Resource, Pattern, tuple[Operation, ...]], list[Grant]] = {}
    for grant in given:
        key = (grant.service, grant.resource, grant.pattern, grant.operations)
        merged.setdefault(key, []).append(grant)
    commands = []
    for (service, _resource, pattern, operations), same in merged.items():
        command = ["--add", "--allow-principal", f"User:{service}"]
        for operation in operations:
            command += ["--operation", operation.name.capitalize()]
        for grant in same:
            command += ["--topic" if grant.resource is Resource.TOPIC else "--group", grant.name]
        command += ["--resource-pattern-type", pattern.name.lower()]
        commands.append(command)
    return commands
