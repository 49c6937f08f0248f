"""The city's citizens: ``--citizens`` of them in information's directory, written by one
set-based statement (as identity's registrations would have filled it, a district each), the
first ``--sends`` of them (in account id order: the fan-out's first chunks) preferring SMS,
and the same sample as identity's accounts at the gateway, each with a phone number.

Only ids and districts are in information's directory, as in the service; only the sample
has a phone, so only its messages can be sent."""

import time
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from kota_contracts.regions import KOTA_TANGERANG_KECAMATAN

KECAMATAN = sorted(KOTA_TANGERANG_KECAMATAN)

_DIRECTORY = text(
    """
    INSERT INTO directory
        (account_id, kind, kecamatan_code, registered_at_kiosk, roles, registered_at)
    SELECT gen_random_uuid(), 'citizen', (CAST(:codes AS varchar[]))[1 + n % :districts],
           false, '{}', now() - make_interval(mins => n % 525600)
    FROM generate_series(1, :citizens) AS n
    """
)

# No quiet hours: the sample's SMS goes whatever the city's time when the bench runs.
_SAMPLE_PREFERS_SMS = text(
    """
    INSERT INTO preferences (account_id, channels, language, quiet_from, quiet_until, updated_at)
    SELECT account_id, ARRAY['sms'], 'id', NULL, NULL, now()
    FROM directory WHERE kind = 'citizen' ORDER BY account_id LIMIT :sends
    RETURNING account_id
    """
)

# Self-registered citizens (so with a phone and a password hash, which nobody checks here:
# nobody signs in). NIK and phone from the sample's place: unique, and valid numbers.
_ACCOUNTS = text(
    """
    INSERT INTO accounts (id, kind, nik, phone, full_name, roles, password_hash,
                          kecamatan_code, verified_at)
    SELECT id, 'citizen', '3671' || lpad(n::text, 12, '0'), '+62812' || lpad(n::text, 8, '0'),
           'Warga ' || n, ARRAY['citizen'], 'bench: never signs in',
           (CAST(:codes AS varchar[]))[1 + n % :districts], now()
    FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS sample(id, n)
    """
)


async def fill_directory(engine: AsyncEngine, *, citizens: int) -> dict[str, Any]:
    """``citizens`` citizens, spread evenly over the city's kecamatan; analysed after."""
    began = time.perf_counter()
    async with engine.begin() as connection:
        await connection.execute(
            _DIRECTORY, {"codes": KECAMATAN, "districts": len(KECAMATAN), "citizens": citizens}
        )
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("VACUUM ANALYZE directory"))
    return {"citizens": citizens, "seconds": round(time.perf_counter() - began, 1)}


async def choose_sample(engine: AsyncEngine, *, sends: int) -> list[uuid.UUID]:
    """The first ``sends`` citizens by account id, now preferring SMS alone."""
    async with engine.begin() as connection:
        chosen = (await connection.execute(_SAMPLE_PREFERS_SMS, {"sends": sends})).scalars()
        return sorted(chosen)


async def add_accounts(engine: AsyncEngine, sample: list[uuid.UUID]) -> None:
    """The sample as identity's citizens, on the gateway's (migrated) database."""
    async with engine.begin() as connection:
        await connection.execute(
            _ACCOUNTS, {"ids": sample, "codes": KECAMATAN, "districts": len(KECAMATAN)}
        )
