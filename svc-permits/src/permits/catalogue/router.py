"""The catalogue: anyone may read what the city offers; a city admin defines it."""

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from kota_shared.db import DbSession
from kota_shared.problems import NotFound, ValidationFailed
from permits.catalogue import repository
from permits.catalogue.definition import PermitTypeDefinition
from permits.dependencies import Admin

router = APIRouter(prefix="/v1/permits/types", tags=["permits"])

TypeCode = Annotated[str, Path(pattern=r"^[A-Z][A-Z0-9_]{1,19}$", examples=["PBG"])]


@router.get(
    "",
    summary="The permit types the city offers",
    description="Who may call: anyone, without signing in. Strongly consistent.",
)
async def list_types(session: DbSession) -> list[PermitTypeDefinition]:
    return list(await repository.list_all(session, include_inactive=False))


@router.get(
    "/{code}",
    summary="One permit type: its form, documents, fee rule and service-level targets",
    description="Who may call: anyone, without signing in. Withdrawn types are not found.",
)
async def read_type(code: TypeCode, session: DbSession) -> PermitTypeDefinition:
    definition = await repository.get(session, code)
    if definition is None or not definition.active:
        raise NotFound("There is no permit type with this code.")
    return definition


@router.put(
    "/{code}",
    summary="Define or change a permit type",
    description=(
        "Who may call: a city admin (`city_admin`). Applications already submitted keep "
        "their deadlines; a new fee rule applies to approvals from now on. Send "
        "`active: false` to stop accepting new applications of this type."
    ),
    responses={201: {"description": "Created"}, 200: {"description": "Replaced"}},
)
async def save_type(
    code: TypeCode,
    definition: PermitTypeDefinition,
    session: DbSession,
    admin: Admin,
    response: Response,
) -> PermitTypeDefinition:
    if definition.code != code:
        raise ValidationFailed("The code in the body must match the code in the path.")
    created = await repository.save(session, definition, updated_by=admin.subject)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return definition
