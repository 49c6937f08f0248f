"""Issued permits named by a request — by verification code, number, application or id —
loaded for the caller or answered with 404; and the codes that sign them."""

import uuid
from typing import Annotated

from fastapi import Depends, Path, Query, Request

from kota_contracts.access import Role, Scope
from kota_shared.auth import Principal, Require
from kota_shared.problems import NotFound, ValidationFailed
from kota_shared.transaction import CurrentTransaction
from permits.dependencies import CitizenOrOfficer, Officer, is_officer
from permits.issuance import repository
from permits.issuance.certificate import parse_permit_number
from permits.issuance.models import Permit
from permits.issuance.verification import InvalidCode, VerificationCodes
from permits.messages import _
from permits.problems import InvalidVerificationCode

OfficerOrVerifier = Annotated[
    Principal, Depends(Require(roles={Role.PERMITS_OFFICER}, scopes={Scope.PERMITS_VERIFY}))
]
"""A permits officer, or an agency client allowed to check permits (e.g. a bank)."""
Code = Annotated[str, Path(max_length=200, description="The code printed on the permit.")]


def _codes(request: Request) -> VerificationCodes:
    codes: VerificationCodes = request.app.state.verification_codes
    return codes


Codes = Annotated[VerificationCodes, Depends(_codes)]


async def _verified(code: Code, tx: CurrentTransaction, codes: Codes) -> Permit:
    try:
        permit_id = codes.verify(code)
    except InvalidCode:
        raise InvalidVerificationCode() from None
    permit = await repository.get(tx.session, permit_id=permit_id)
    if permit is None:  # signed by us but never committed: treat as unknown
        raise InvalidVerificationCode()
    return permit


VerifiedPermit = Annotated[Permit, Depends(_verified)]
"""The permit a genuine verification code names; a forged or guessed one is 404."""


async def _numbered(
    caller: OfficerOrVerifier,
    number: Annotated[str, Query(max_length=64, examples=["PBG/3671/2026/000123"])],
    tx: CurrentTransaction,
) -> Permit:
    try:
        parse_permit_number(number)
    except ValueError:
        raise ValidationFailed(
            _("A permit number looks like {example}.", example="PBG/3671/2026/000123"),
            field="number",
        ) from None
    permit = await repository.by_number(tx.session, number=number)
    if permit is None:
        raise NotFound(_("There is no permit with this number."))
    return permit


NumberedPermit = Annotated[Permit, Depends(_numbered)]
"""The permit with the number in the query, for officers and verifying agencies."""


async def _of_visible_application(
    caller: CitizenOrOfficer, application_id: uuid.UUID, tx: CurrentTransaction
) -> Permit:
    permit = await repository.by_application(tx.session, application_id=application_id)
    if permit is None or (not is_officer(caller) and permit.applicant_id != caller.subject):
        raise NotFound(_("No permit has been issued for an application of yours with this id."))
    return permit


VisiblePermit = Annotated[Permit, Depends(_of_visible_application)]
"""The permit of an application the caller may see: its applicant's, or any for officers."""


async def _any_for_update(officer: Officer, permit_id: uuid.UUID, tx: CurrentTransaction) -> Permit:
    permit = await repository.get(tx.session, permit_id=permit_id, for_update=True)
    if permit is None:
        raise NotFound(_("There is no permit with this id."))
    return permit


AnyPermitForUpdate = Annotated[Permit, Depends(_any_for_update)]
"""Any permit, for a permits officer, locked for the change the endpoint makes."""
