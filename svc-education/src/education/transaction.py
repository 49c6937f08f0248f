"""The education service's transaction: the shared one plus the admission period it runs."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from education.admission.period import AdmissionPeriod
from education.config import EducationSettings
from education.dependencies import Period
from kota_shared.transaction import CurrentTransaction, Transaction


@dataclass(frozen=True, kw_only=True)
class EducationTransaction(Transaction):
    period: AdmissionPeriod
    """The admission the service runs: its year, when registration is open, the age date.

    Its timezone is the service's (`EducationSettings.timezone`), so ``today`` is also the
    period's local date at ``now``: registration dates and the family card rule use it."""
    settings: EducationSettings
    """The service's settings, for the limits the rules apply."""


def _build(base: CurrentTransaction, period: Period, request: Request) -> EducationTransaction:
    settings: EducationSettings = request.app.state.runtime.settings
    return EducationTransaction.extending(base, period=period, settings=settings)


EducationTx = Annotated[EducationTransaction, Depends(_build)]
"""The request's transaction, as every registration operation takes it first."""
