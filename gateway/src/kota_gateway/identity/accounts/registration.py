"""Registering accounts: a citizen registering themselves, and a city admin creating staff.

No commit here: the request's transaction commits what is added, with the events that
announce it (the outbox, in the same transaction). A citizen is added only once the civil
registry has verified them (`verification`); a refusal is returned, not raised, so the
caller commits the attempt it counted before answering.
"""

import uuid

from sqlalchemy.exc import IntegrityError

from kota_contracts.access import Role
from kota_contracts.identity import CitizenRegistered, CitizenRegisteredV2, StaffAccountCreated
from kota_gateway.identity.accounts import repository, subjects, verification
from kota_gateway.identity.accounts.models import Account, AccountKind
from kota_gateway.identity.accounts.problems import AlreadyRegistered, UsernameTaken
from kota_gateway.identity.accounts.schemas import (
    AssistedCitizenRegistration,
    CitizenRegistration,
    StaffCreate,
)
from kota_gateway.identity.config import IdentityConfig
from kota_gateway.identity.registry import port
from kota_shared.auth import Principal
from kota_shared.problems import Problem
from kota_shared.transaction import Transaction


def claim_of(body: CitizenRegistration | AssistedCitizenRegistration) -> port.PersonClaim:
    return port.PersonClaim(nik=body.nik, full_name=body.full_name, birth_date=body.birth_date)


async def add_citizen(
    tx: Transaction,
    *,
    body: CitizenRegistration | AssistedCitizenRegistration,
    resident: port.RegisteredPerson,
    password_hash: str | None,
    registered_by: uuid.UUID | None,
) -> Account:
    """Insert the account of a citizen the registry verified (``resident``);
    `AlreadyRegistered` (saying neither which nor whose) when the NIK or the phone has one."""
    if await repository.citizen_exists(tx.session, nik=body.nik, phone=body.phone):
        raise AlreadyRegistered()
    account = Account(
        id=uuid.uuid4(),
        kind=AccountKind.CITIZEN,
        nik=body.nik,
        phone=body.phone,
        email=body.email,
        full_name=body.full_name,
        birth_date=body.birth_date,
        sex=body.sex,
        roles=[Role.CITIZEN.value],
        password_hash=password_hash,
        registered_by=registered_by,
        kecamatan_code=resident.address.kecamatan_code,
        verified_at=tx.now,
    )
    tx.session.add(account)
    try:
        await tx.session.flush()
    except IntegrityError:  # the same NIK or phone registering at this very moment
        raise AlreadyRegistered() from None
    return account


async def register_citizen(
    tx: Transaction,
    *,
    config: IdentityConfig,
    registry: port.CivilRegistry,
    body: CitizenRegistration,
    source: str,
) -> Account | Problem:
    """A citizen creates their own account (phone and password required), once the
    registry has verified them; ``source`` is the caller's address (attempts are counted)."""
    resident = await verification.verified_resident(
        tx,
        config=config,
        registry=registry,
        claim=claim_of(body),
        inquiry=port.Inquiry(
            purpose=port.Purpose.REGISTRATION, asked_by="anonymous", source=source
        ),
    )
    if isinstance(resident, Problem):
        return resident
    account = await add_citizen(
        tx,
        body=body,
        resident=resident,
        password_hash=await config.passwords.hash(body.password.get_secret_value()),
        registered_by=None,
    )
    for event in (
        CitizenRegistered(
            account_id=account.id, regency_code=body.nik[:4], registered_at=account.created_at
        ),
        CitizenRegisteredV2(
            account_id=account.id,
            regency_code=body.nik[:4],
            kecamatan_code=resident.address.kecamatan_code,
            registered_at=account.created_at,
        ),
    ):
        await tx.outbox.add(tx.session, event, subject=str(account.id))
    return account


async def create_staff(
    tx: Transaction, *, config: IdentityConfig, body: StaffCreate, by: Principal
) -> Account:
    """A city admin (``by``) creates an officer's or administrator's account."""
    if await repository.username_taken(tx.session, username=body.username):
        raise UsernameTaken()
    admin_id = subjects.account_id(by.subject)
    account = Account(
        id=uuid.uuid4(),
        kind=AccountKind.STAFF,
        username=body.username,
        full_name=body.full_name,
        roles=[role.value for role in body.roles],
        password_hash=await config.passwords.hash(body.password.get_secret_value()),
        created_by=admin_id,
    )
    tx.session.add(account)
    try:
        await tx.session.flush()
    except IntegrityError:
        raise UsernameTaken() from None
    await tx.outbox.add(
        tx.session,
        StaffAccountCreated(
            account_id=account.id,
            roles=account.roles,
            created_by=admin_id,
            created_at=account.created_at,
        ),
        subject=str(account.id),
    )
    return account
