"""The control API for tests and demos: add and read family cards, switch the registry down
or slow, see the calls it received, start a new quota day."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from kota_regsim.audit import CallLog, Clock, Quota
from kota_regsim.availability import Switch
from kota_regsim.population import AlreadyRegistered, InvalidFamily, Registry
from kota_regsim.problems import Problem
from kota_regsim.schemas import (
    AvailabilityRead,
    AvailabilityUpdate,
    CallRead,
    FamilyCreate,
    FamilyRead,
    PersonRead,
)

router = APIRouter(prefix="/simulator", tags=["Simulator control"])

Number = Annotated[str, Path(pattern=r"^\d{16}$")]


def _registry(request: Request) -> Registry:
    registry: Registry = request.app.state.registry
    return registry


def _today(request: Request) -> date:
    clock: Clock = request.app.state.clock
    return clock().astimezone(request.app.state.settings.timezone).date()


def _switch(request: Request) -> Switch:
    switch: Switch = request.app.state.availability
    return switch


RegistryDep = Annotated[Registry, Depends(_registry)]
Today = Annotated[date, Depends(_today)]
SwitchDep = Annotated[Switch, Depends(_switch)]


@router.post("/families", status_code=201)
async def add_family(body: FamilyCreate, registry: RegistryDep, today: Today) -> FamilyRead:
    """Who may call: anyone (a test tool). Register a family card by the registry's rules;
    what is left out (the card number, NIKs, coordinates) the registry fills in."""
    try:
        card = registry.register(body.spec(), today=today)
    except AlreadyRegistered as exc:
        raise Problem(status=409, code="already_registered", detail=str(exc)) from None
    except InvalidFamily as exc:
        raise Problem(status=422, code="invalid_family", detail=str(exc)) from None
    return FamilyRead.of(card)


@router.get("/families/{no_kk}")
async def read_family(no_kk: Number, registry: RegistryDep) -> FamilyRead:
    """Who may call: anyone (a test tool). A family card with every member."""
    card = registry.family(no_kk)
    if card is None:
        raise Problem(status=404, code="family_not_found", detail="the registry holds no such card")
    return FamilyRead.of(card)


@router.get("/people/{nik}")
async def read_person(nik: Number, registry: RegistryDep) -> PersonRead:
    """Who may call: anyone (a test tool). A resident, with their card's number and address."""
    found = registry.person(nik)
    if found is None:
        raise Problem(status=404, code="person_not_found", detail="the registry holds no such NIK")
    person, card = found
    return PersonRead.of_card(person, card)


@router.get("/availability")
async def read_availability(switch: SwitchDep) -> AvailabilityRead:
    """Who may call: anyone (a test tool). Whether Dukcapil's endpoint is up, down or slow."""
    return AvailabilityRead.of(switch.current)


@router.put("/availability")
async def set_availability(body: AvailabilityUpdate, switch: SwitchDep) -> AvailabilityRead:
    """Who may call: anyone (a test tool). ``down``: every Dukcapil call answers 503, as
    during maintenance; ``slow``: each waits ``delay_seconds`` first; ``up``: neither."""
    switch.set(body.availability())
    return AvailabilityRead.of(switch.current)


@router.get("/calls")
async def list_calls(
    request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> list[CallRead]:
    """Who may call: anyone (a test tool). The Dukcapil calls received, newest first."""
    calls: CallLog = request.app.state.calls
    return [CallRead.of(call) for call in calls.recent(limit)]


@router.post("/quota/reset", status_code=204, response_class=Response)
async def reset_quota(request: Request) -> Response:
    """Who may call: anyone (a test tool). Forget every account's calls so far today."""
    quota: Quota = request.app.state.quota
    quota.reset()
    return Response(status_code=204)
