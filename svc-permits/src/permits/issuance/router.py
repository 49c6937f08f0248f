"""Issued permits: public verification and QR, the holder's copy, agency lookup, revocation."""

from fastapi import APIRouter, Request, Response

from kota_shared.openapi import answers
from kota_shared.problems import NotFound
from kota_shared.qr import qr_png, qr_svg
from kota_shared.transaction import Transaction
from permits.dependencies import Officer
from permits.issuance import service
from permits.issuance.dependencies import (
    AnyPermitForUpdate,
    Code,
    Codes,
    NumberedPermit,
    VerifiedPermit,
    VisiblePermit,
)
from permits.issuance.models import Permit
from permits.issuance.schemas import PermitRead, PublicVerification, RevocationRequest
from permits.issuance.verification import VerificationCodes, VerificationLinks
from permits.problems import IllegalTransition, InvalidVerificationCode
from permits.transaction import PermitsTx

router = APIRouter(prefix="/v1/permits", tags=["permits"])

_CACHE_PUBLIC = {"Cache-Control": "public, max-age=300"}


def _verification_url(request: Request, code: str) -> str:
    links: VerificationLinks = request.app.state.verification_links
    return links.url(code)


def _read(
    request: Request, tx: Transaction, codes: VerificationCodes, permit: Permit
) -> PermitRead:
    code = codes.issue(permit.id)
    return PermitRead.of(
        permit,
        today=tx.today,
        verification_code=code,
        verification_url=_verification_url(request, code),
    )


@router.get(
    "/verify/{code}",
    summary="Check a permit by the code printed on it",
    description=(
        "Who may call: anyone, without signing in. Answers valid, expired or revoked, with "
        "the holder's name masked. A forged or guessed code is 404 "
        "`invalid_verification_code`. Strongly consistent."
    ),
    responses=answers(InvalidVerificationCode),
)
async def verify_permit(permit: VerifiedPermit, tx: PermitsTx) -> PublicVerification:
    definition = await service.permit_type(tx, permit=permit)
    return PublicVerification.of(
        permit, definition=definition, today=tx.today, timezone=tx.calendar.timezone
    )


@router.get(
    "/verify/{code}/qr.svg",
    summary="The QR code of the permit's verification link, as SVG (for the certificate)",
    description="Who may call: anyone holding a valid code. A forged code is 404.",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}, **answers(InvalidVerificationCode)},
)
async def qr_code_svg(code: Code, permit: VerifiedPermit, request: Request) -> Response:
    # The permit proves the code genuine; the QR encodes the code as printed.
    return Response(
        qr_svg(_verification_url(request, code)), media_type="image/svg+xml", headers=_CACHE_PUBLIC
    )


@router.get(
    "/verify/{code}/qr.png",
    summary="The QR code of the permit's verification link, as PNG",
    description="Who may call: anyone holding a valid code. A forged code is 404.",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **answers(InvalidVerificationCode)},
)
async def qr_code_png(code: Code, permit: VerifiedPermit, request: Request) -> Response:
    # The permit proves the code genuine; the QR encodes the code as printed.
    return Response(
        qr_png(_verification_url(request, code)), media_type="image/png", headers=_CACHE_PUBLIC
    )


@router.get(
    "/applications/{application_id}/permit",
    summary="The permit issued for an application, with its verification code and link",
    description="Who may call: the citizen who owns the application, or a permits officer.",
)
async def read_permit(
    permit: VisiblePermit, request: Request, tx: PermitsTx, codes: Codes
) -> PermitRead:
    return _read(request, tx, codes, permit)


@router.get(
    "/issued",
    summary="Look a permit up by its number",
    description=(
        "Who may call: a permits officer, or an agency client with the `permits:verify` "
        "scope (e.g. a bank checking a business permit). Strongly consistent."
    ),
    responses=answers(NotFound),
)
async def find_permit_by_number(
    permit: NumberedPermit, request: Request, tx: PermitsTx, codes: Codes
) -> PermitRead:
    return _read(request, tx, codes, permit)


@router.post(
    "/issued/{permit_id}/revoke",
    summary="Revoke an issued permit, giving the reason",
    description="Who may call: a permits officer. Verification answers `revoked` from now on.",
    responses=answers(IllegalTransition),
)
async def revoke_permit(
    body: RevocationRequest,
    officer: Officer,
    permit: AnyPermitForUpdate,
    request: Request,
    tx: PermitsTx,
    codes: Codes,
) -> PermitRead:
    await service.revoke(tx, permit=permit, by=officer, reason=body.reason)
    return _read(request, tx, codes, permit)
