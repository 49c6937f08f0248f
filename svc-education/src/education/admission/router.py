"""The admission period, public: parents see when they can register and how places are split."""

from fastapi import APIRouter

from education.admission.pathways import SHARES
from education.admission.schemas import AdmissionRead, PathwayShare
from education.dependencies import Period
from kota_shared.clock import Now

router = APIRouter(prefix="/v1/education/admission", tags=["education"])


@router.get(
    "",
    summary="The admission period: dates, and each level's pathways",
    description="Who may call: anyone, without signing in.",
)
async def read_admission(period: Period, now: Now) -> AdmissionRead:
    return AdmissionRead(
        admission_year=period.year,
        registration_opens_on=period.opens_on,
        registration_closes_on=period.closes_on,
        age_reference_date=period.age_reference_date,
        timezone=str(period.timezone),
        open=period.is_open(now),
        pathways={
            level: [
                PathwayShare(
                    pathway=pathway,
                    minimum_percent=float(share.minimum * 100),
                    maximum_percent=float(share.maximum * 100),
                )
                for pathway, share in shares.items()
            ]
            for level, shares in SHARES.items()
        },
    )
