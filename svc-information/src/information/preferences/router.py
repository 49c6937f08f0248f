"""A citizen's preferences: the channels, their order, the language and the quiet hours."""

from fastapi import APIRouter

from information.dependencies import Citizen, account_id
from information.preferences import repository
from information.preferences.schemas import Preferences
from kota_shared.db import DbSession
from kota_shared.transaction import CurrentTransaction

router = APIRouter(prefix="/v1/information/preferences", tags=["information"])

WHO = (
    "Who may call: a signed-in citizen, about themselves (or an officer at a kiosk with the "
    "citizen's token)."
)


@router.get(
    "",
    summary="How you are reached",
    description=WHO + " The defaults until you change them: WhatsApp, then SMS; Indonesian; "
    "quiet from 21:00 to 06:00 city time.",
)
async def read_preferences(session: DbSession, citizen: Citizen) -> Preferences:
    return Preferences.of(await repository.get(session, account_id=account_id(citizen)))


@router.put(
    "",
    summary="Change how you are reached",
    description=WHO + " The inbox always has every notice, whatever the channels; what cannot "
    "wait (e.g. a deadline today) is sent in quiet hours too.",
)
async def put_preferences(
    body: Preferences, tx: CurrentTransaction, citizen: Citizen
) -> Preferences:
    stored = await repository.put(
        tx.session,
        account_id=account_id(citizen),
        channels=[channel.value for channel in body.channels],
        language=body.language,
        quiet_from=body.quiet_from,
        quiet_until=body.quiet_until,
        now=tx.now,
    )
    return Preferences.of(stored)
