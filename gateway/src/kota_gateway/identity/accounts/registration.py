"""Registering accounts: a citizen registering themselves, and a city admin creating staff.

No commit and no HTTP here: the request's transaction commits what is added, with the
event that announces it (the outbox, in the same transaction).
"""

import uuid

from sqlalchemy.exc import IntegrityError

from kota_contracts.access import Role
from kota_contracts.identity import CitizenRegistered, StaffAccountCreated
from kota_gateway.identity.accounts import repository, subjects
from kota_gateway.identity.accounts.models import Account, AccountKind
from kota_gateway.identity.accounts.problems import AlreadyRegistered, UsernameTaken
from kota_gateway.identity.accounts.schemas import (
    AssistedCitizenRegistration,
    CitizenRegistration,
    StaffCreate,
)
from kota_gateway.identity.config import IdentityConfig
from kota_shared.auth import Principal
from kota_shared.transaction import Transaction


async def add_citizen(
    tx: Transaction,
    *,
    body: CitizenRegistration | AssistedCitizenRegistration,
    password_hash: str | None,
    registered_by: uuid.UUID | None,
) -> Account:
    """Insert a citizen's account; `AlreadyRegistered` (saying neither which nor whose)
    when the NIK or the phone has one."""
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
    )
    tx.session.add(account)
    try:
        await tx.session.flush()
    except IntegrityError:  # the same NIK or phone registering at this very moment
        raise AlreadyRegistered() from None
    return account


async def register_citizen(
    tx: Transaction, *, config: IdentityConfig, body: CitizenRegistration
) -> Account:
    """A citizen creates their own account (phone and password required)."""
    account = await add_citizen(
        tx,
        body=body,
        password_hash=await config.passwords.hash(body.password.get_secret_value()),
        registered_by=None,
    )
    await tx.outbox.add(
        tx.session,
        CitizenRegistered(
            account_id=account.id,
            regency_code=body.nik[:4],
            registered_at=account.created_at,
        ),
        subject=str(account.id),
    )
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
