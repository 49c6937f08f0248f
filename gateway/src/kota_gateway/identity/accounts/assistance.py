"""Assisted service: an officer at a kiosk acting for a citizen, or registering one first.

The officer's roles are read from the database, not trusted from the token, so an officer
whose roles were withdrawn cannot act for citizens with a token still alive. An assisted
session is one access token naming the officer (``act``), with no refresh token, and is
announced, so records it creates can be traced to both.
"""

from kota_contracts.access import Role
from kota_contracts.identity import (
    CitizenAssisted,
    CitizenRegisteredByOfficer,
    CitizenRegisteredByOfficerV2,
)
from kota_gateway.identity import tokens
from kota_gateway.identity.accounts import nik as nik_rules
from kota_gateway.identity.accounts import repository, subjects, verification
from kota_gateway.identity.accounts.models import SERVICE_OFFICER_ROLES, Account
from kota_gateway.identity.accounts.problems import CitizenNotFound
from kota_gateway.identity.accounts.registration import add_citizen, claim_of
from kota_gateway.identity.accounts.schemas import (
    AssistedCitizenRegistration,
    AssistResponse,
    CitizenSummary,
)
from kota_gateway.identity.config import IdentityConfig
from kota_gateway.identity.keys import SigningKeys
from kota_gateway.identity.registry import port
from kota_gateway.messages import _
from kota_shared.auth import Principal
from kota_shared.problems import Forbidden, Problem
from kota_shared.transaction import Transaction


async def _serving_officer(tx: Transaction, *, officer: Principal) -> Account:
    """The officer's account, if it (still) serves citizens; else `Forbidden`."""
    account = await repository.get_account(
        tx.session, account_id=subjects.account_id(officer.subject)
    )
    if account is None or not SERVICE_OFFICER_ROLES.intersection(account.roles):
        raise Forbidden(_("Only officers serving citizens may act for one."))
    return account


async def _act_for(
    tx: Transaction,
    *,
    config: IdentityConfig,
    keys: SigningKeys,
    officer: Account,
    citizen: Account,
    citizen_nik: str,
) -> AssistResponse:
    """An assisted session: a citizen's access token naming the officer (``act``), announced."""
    access = tokens.issue_access_token(
        keys=keys,
        issuer=config.issuer,
        audience=config.audience,
        subject=str(citizen.id),
        roles=[Role.CITIZEN.value],
        ttl=config.access_ttl,
        acting_officer=str(officer.id),
        now=tx.now,
    )
    await tx.outbox.add(
        tx.session,
        CitizenAssisted(
            citizen_id=citizen.id,
            officer_id=officer.id,
            token_id=access.jti,
            expires_at=access.expires_at,
            assisted_at=tx.now,
        ),
        subject=str(citizen.id),
    )
    return AssistResponse(
        access_token=access.token,
        expires_in=access.expires_in,
        citizen=CitizenSummary(
            id=citizen.id, full_name=citizen.full_name, nik_masked=nik_rules.mask_nik(citizen_nik)
        ),
        acting_officer=officer.id,
    )


async def assist(
    tx: Transaction,
    *,
    config: IdentityConfig,
    keys: SigningKeys,
    citizen_nik: str,
    by: Principal,
) -> AssistResponse:
    """An access token for a citizen that names the officer (``by``) acting for them.

    No refresh token: an assisted session ends with its access token.
    """
    officer = await _serving_officer(tx, officer=by)
    citizen = await repository.get_citizen_by_nik(tx.session, nik=citizen_nik)
    if citizen is None:
        raise CitizenNotFound()
    return await _act_for(
        tx, config=config, keys=keys, officer=officer, citizen=citizen, citizen_nik=citizen_nik
    )


async def register_assisted_citizen(
    tx: Transaction,
    *,
    config: IdentityConfig,
    keys: SigningKeys,
    registry: port.CivilRegistry,
    body: AssistedCitizenRegistration,
    by: Principal,
    source: str,
) -> AssistResponse | Problem:
    """An officer (``by``) registers a citizen at a kiosk, then acts for them at once.

    The registry verifies the citizen exactly as for self-registration (the kiosk's
    address, ``source``, is counted). The account has no password (the citizen cannot sign
    in alone) and names the officer in ``registered_by``; `AlreadyRegistered` as for
    self-registration. Announced as the registration (v1 and v2) and the assisted session
    its token opens (as `assist` announces it).
    """
    officer = await _serving_officer(tx, officer=by)
    resident = await verification.verified_resident(
        tx,
        config=config,
        registry=registry,
        claim=claim_of(body),
        inquiry=port.Inquiry(
            purpose=port.Purpose.ASSISTED_REGISTRATION,
            asked_by="anonymous",
            source=source,
            acting_officer=str(officer.id),
        ),
    )
    if isinstance(resident, Problem):
        return resident
    citizen = await add_citizen(
        tx, body=body, resident=resident, password_hash=None, registered_by=officer.id
    )
    for event in (
        CitizenRegisteredByOfficer(
            account_id=citizen.id,
            regency_code=body.nik[:4],
            registered_by=officer.id,
            registered_at=citizen.created_at,
        ),
        CitizenRegisteredByOfficerV2(
            account_id=citizen.id,
            regency_code=body.nik[:4],
            kecamatan_code=resident.address.kecamatan_code,
            registered_by=officer.id,
            registered_at=citizen.created_at,
        ),
    ):
        await tx.outbox.add(tx.session, event, subject=str(citizen.id))
    return await _act_for(
        tx, config=config, keys=keys, officer=officer, citizen=citizen, citizen_nik=body.nik
    )
