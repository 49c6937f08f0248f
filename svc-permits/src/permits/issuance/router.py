"""Issued permits: public verification and QR, the holder's copy, agency lookup, revocation."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from kota_contracts.access import Role, Scope

from kota_shared.auth import Principal, Require
from kota_shared.clock import local_date
from kota_shared.problems import NotFound, ValidationFailed
from kota_shared.qr import qr_png, qr_svg
from permits.applications import repository as applications
from permits.applications.flow import Flow
from permits.catalogue import repository as catalogue
from permits.catalogue.definition import PermitTypeDefinition
from permits.dependencies import CitizenOrOfficer, Officer, is_officer
from permits.issuance import repository, service
from permits.issuance.certificate import mask_name, parse_permit_number
from permits.issuance.models import Permit
from permits.issuance.schemas import PermitRead, PublicVerification, RevocationRequest
from permits.issuance.verification import InvalidCode, VerificationCodes
from permits.problems import InvalidVerificationCode

router = APIRouter(prefix="/v1/permits", tags=["permits"])

OfficerOrVerifier = Annotated[
    Principal, Depends(Require(roles={Role.PERMITS_OFFICER}, scopes={Scope.PERMITS_VERIFY}))
]
Code = Annotated[str, Path(max_length=200, description="The code printed on the permit.")]
_CACHE_PUBLIC = {"Cache-Control": "public, max-age=300"}


def _codes(request: Request) -> VerificationCodes:
    codes: VerificationCodes = request.app.state.verification_codes
    return codes


Codes = Annotated[VerificationCodes, Depends(_codes)]


def _verification_url(request: Request, code: str) -> str:
    base: str = request.app.state.runtime.settings.public_base_url
    return f"{base.rstrip('/')}/v1/permits/verify/{code}"


def _present(request: Request, flow: Flow, permit: Permit, codes: VerificationCodes) -> PermitRead:
    code = codes.issue(permit.id)
    return PermitRead(
        id=permit.id,
        application_id=permit.application_id,
        permit_type=permit.permit_type,
        number=permit.number,
        holder_name=permit.holder_name,
        issued_at=permit.issued_at,
        valid_until=permit.valid_until,
        validity=service.validity(flow, permit),
        revoked_at=permit.revoked_at,
        revocation_reason=permit.revocation_reason,
        verification_code=code,
        verification_url=_verification_url(request, code),
    )


async def _verified(flow: Flow, codes: VerificationCodes, code: str) -> Permit:
    try:
        permit_id = codes.verify(code)
    except InvalidCode:
        raise InvalidVerificationCode() from None
    permit = await repository.get(flow.session, permit_id)
    if permit is None:  # signed by us but never committed: treat as unknown
        raise InvalidVerificationCode()
    return permit


@router.get(
    "/verify/{code}",
    summary="Check a permit by the code printed on it",
    description=(
        "Who may call: anyone, without signing in. Answers valid, expired or revoked, with "
        "the holder's name masked. A forged or guessed code is 404 "
        "`invalid_verification_code`. Strongly consistent."
    ),
)
async def verify(code: Code, flow: Flow, codes: Codes) -> PublicVerification:
    permit = await _verified(flow, codes, code)
    definition = await _type_of_permit(flow, permit)
    local = flow.calendar.timezone
    return PublicVerification(
        validity=service.validity(flow, permit),
        number=permit.number,
        permit_type=permit.permit_type,
        permit_type_name_id=definition.name_id,
        permit_type_name_en=definition.name_en,
        holder_name=mask_name(permit.holder_name),
        issued_on=local_date(permit.issued_at, local),
        valid_until=permit.valid_until,
        revoked_on=local_date(permit.revoked_at, local) if permit.revoked_at else None,
    )


async def _type_of_permit(flow: Flow, permit: Permit) -> PermitTypeDefinition:
    application = await applications.get_any(
        session=flow.session, application_id=permit.application_id
    )
    assert application is not None  # a permit always has its application
    return await catalogue.definition_of(flow.session, application.permit_type)


@router.get(
    "/verify/{code}/qr.svg",
    summary="The QR code of the permit's verification link, as SVG (for the certificate)",
    description="Who may call: anyone holding a valid code. A forged code is 404.",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
async def qr_code_svg(code: Code, request: Request, flow: Flow, codes: Codes) -> Response:
    await _verified(flow, codes, code)
    return Response(
        qr_svg(_verification_url(request, code)), media_type="image/svg+xml", headers=_CACHE_PUBLIC
    )


@router.get(
    "/verify/{code}/qr.png",
    summary="The QR code of the permit's verification link, as PNG",
    description="Who may call: anyone holding a valid code. A forged code is 404.",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
async def qr_code_png(code: Code, request: Request, flow: Flow, codes: Codes) -> Response:
    await _verified(flow, codes, code)
    return Response(
        qr_png(_verification_url(request, code)), media_type="image/png", headers=_CACHE_PUBLIC
    )


@router.get(
    "/applications/{application_id}/permit",
    summary="The permit issued for an application, with its verification code and link",
    description="Who may call: the citizen who owns the application, or a permits officer.",
)
async def read_permit(
    application_id: uuid.UUID, request: Request, flow: Flow, codes: Codes, caller: CitizenOrOfficer
) -> PermitRead:
    permit = await repository.by_application(flow.session, application_id)
    if permit is None or (not is_officer(caller) and permit.applicant_id != caller.subject):
        raise NotFound("No permit has been issued for an application of yours with this id.")
    return _present(request, flow, permit, codes)


@router.get(
    "/issued",
    summary="Look a permit up by its number",
    description=(
        "Who may call: a permits officer, or an agency client with the `permits:verify` "
        "scope (e.g. a bank checking a business permit). Strongly consistent."
    ),
)
async def lookup(
    number: Annotated[str, Query(max_length=64, examples=["PBG/3671/2026/000123"])],
    request: Request,
    flow: Flow,
    codes: Codes,
    caller: OfficerOrVerifier,
) -> PermitRead:
    try:
        parse_permit_number(number)
    except ValueError:
        raise ValidationFailed(
            "A permit number looks like PBG/3671/2026/000123.", field="number"
        ) from None
    permit = await repository.by_number(flow.session, number)
    if permit is None:
        raise NotFound("There is no permit with this number.")
    return _present(request, flow, permit, codes)


@router.post(
    "/issued/{permit_id}/revoke",
    summary="Revoke an issued permit, giving the reason",
    description="Who may call: a permits officer. Verification answers `revoked` from now on.",
)
async def revoke(
    permit_id: uuid.UUID,
    body: RevocationRequest,
    request: Request,
    flow: Flow,
    codes: Codes,
    officer: Officer,
) -> PermitRead:
    permit = await service.revoke(flow, permit_id=permit_id, officer=officer, reason=body.reason)
    return _present(request, flow, permit, codes)
