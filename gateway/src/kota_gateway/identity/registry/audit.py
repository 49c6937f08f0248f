"""Every call to the civil registry counted against the day's quota first, and audited after.

Both are written in transactions of their own, committed at once: a call the request that
made it then rolls back (a registration refused) was still made, and the audit must say so;
and two gateways counting the same day see each other's calls. The count is one atomic
upsert (`repository.take_one_call`): no two calls take the last unit.
"""

import time
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_gateway.identity.registry import repository
from kota_gateway.identity.registry.models import RegistryCall
from kota_gateway.identity.registry.port import (
    CivilRegistry,
    FamilyCard,
    Inquiry,
    NotInRegistry,
    PersonClaim,
    RegisteredPerson,
    RegistryQuotaExhausted,
)
from kota_shared.clock import Clock, local_date

_T = TypeVar("_T")


class AuditedRegistry:
    """A `CivilRegistry` that counts and audits each call of the one it wraps."""

    def __init__(
        self,
        registry: CivilRegistry,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        daily_quota: int,
        timezone: ZoneInfo,
    ) -> None:
        self._registry = registry
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._daily_quota = daily_quota
        self._timezone = timezone

    async def verify(self, claim: PersonClaim, *, inquiry: Inquiry) -> bool:
        return await self._audited(
            "verify",
            inquiry,
            nik=claim.nik,
            call=lambda: self._registry.verify(claim, inquiry=inquiry),
            outcome=lambda matched: "match" if matched else "no_match",
        )

    async def person(self, nik: str, *, inquiry: Inquiry) -> RegisteredPerson:
        return await self._audited(
            "person",
            inquiry,
            nik=nik,
            call=lambda: self._registry.person(nik, inquiry=inquiry),
            outcome=lambda _person: "found",
        )

    async def family_card(self, number: str, *, inquiry: Inquiry) -> FamilyCard:
        return await self._audited(
            "family_card",
            inquiry,
            family_card_number=number,
            call=lambda: self._registry.family_card(number, inquiry=inquiry),
            outcome=lambda _card: "found",
        )

    async def calls_today(self) -> int:
        """Calls counted on the city's current day."""
        async with self._sessionmaker() as session:
            return await repository.calls_on(session, day=self._today())

    async def _audited(
        self,
        operation: str,
        inquiry: Inquiry,
        *,
        call: Callable[[], Awaitable[_T]],
        outcome: Callable[[_T], str],
        nik: str | None = None,
        family_card_number: str | None = None,
    ) -> _T:
        started = time.monotonic()
        result = "unavailable"
        try:
            if not await self._take_one():
                result = "quota_exhausted"
                raise RegistryQuotaExhausted(f"{self._daily_quota} calls counted today")
            try:
                answer = await call()
            except NotInRegistry:
                result = "not_found"
                raise
            except RegistryQuotaExhausted:
                result = "quota_exhausted"
                raise
            result = outcome(answer)
            return answer
        finally:
            await self._record(
                RegistryCall(
                    asked_at=self._clock(),
                    operation=operation,
                    purpose=inquiry.purpose.value,
                    asked_by=inquiry.asked_by[:64],
                    acting_officer=inquiry.acting_officer,
                    source=inquiry.source[:64],
                    nik=nik,
                    family_card_number=family_card_number,
                    outcome=result,
                    duration_ms=round((time.monotonic() - started) * 1000),
                )
            )

    def _today(self) -> date:
        return local_date(self._clock(), self._timezone)

    async def _take_one(self) -> bool:
        """Count one call today, unless the quota is spent (then False, nothing counted)."""
        async with self._sessionmaker.begin() as session:
            return await repository.take_one_call(
                session, day=self._today(), quota=self._daily_quota
            )

    async def _record(self, call: RegistryCall) -> None:
        async with self._sessionmaker.begin() as session:
            repository.record_call(session, call)
