"""The catalogue: anyone may read what the city offers; a city admin defines it."""

from fastapi import APIRouter, Response, status

from kota_shared.problems import ValidationFailed
from kota_shared.transaction import CurrentTransaction
from permits.catalogue import service
from permits.catalogue.definition import PermitTypeDefinition
from permits.catalogue.dependencies import OfferedType, TypeCode
from permits.dependencies import Admin
from permits.messages import _

router = APIRouter(prefix="/v1/permits/types", tags=["permits"])


@router.get(
    "",
    summary="The permit types the city offers",
    description="Who may call: anyone, without signing in. Strongly consistent.",
)
async def list_types(tx: CurrentTransaction) -> list[PermitTypeDefinition]:
    return list(await service.offered_types(tx))


@router.get(
    "/{code}",
    summary="One permit type: its form, documents, fee rule and service-level targets",
    description="Who may call: anyone, without signing in. Withdrawn types are not found.",
)
async def read_type(definition: OfferedType) -> PermitTypeDefinition:
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
    tx: CurrentTransaction,
    admin: Admin,
    response: Response,
) -> PermitTypeDefinition:
    if definition.code != code:
        raise ValidationFailed(_("The code in the body must match the code in the path."))
    created = await service.save(tx, definition=definition, by=admin)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return definition
