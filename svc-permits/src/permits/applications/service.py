"""Domain operations on applications; the request boundary commits."""

from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.auth import Principal
from kota_shared.events.outbox import Outbox
from permits.applications.models import Application
from permits.applications.schemas import ApplicationDraft
from permits.events import ApplicationDrafted


async def draft(
    *, session: AsyncSession, outbox: Outbox, applicant: Principal, body: ApplicationDraft
) -> Application:
    """Start an application and announce it, in one transaction."""
    application = Application(
        applicant_id=applicant.subject,
        created_by=applicant.acting_officer or applicant.subject,
        permit_type=body.permit_type,
        district_code=body.district_code,
    )
    session.add(application)
    await session.flush()
    await outbox.add(
        session,
        ApplicationDrafted(
            application_id=application.id,
            permit_type=application.permit_type,
            district_code=application.district_code,
            drafted_at=application.created_at,
        ),
        subject=str(application.id),
    )
    return application
