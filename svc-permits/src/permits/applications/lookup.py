"""Finding the application a caller names: their own, one they may see, or any; else 404.

Another citizen's application answers exactly as a missing one does, so ids reveal nothing.
The request's dependencies (`permits.applications.dependencies`) and the documents' own
transactions both find applications here.
"""

import uuid

from kota_shared.auth import Principal
from kota_shared.problems import NotFound
from kota_shared.transaction import Transaction
from permits.applications import repository
from permits.applications.models import Application
from permits.dependencies import is_officer
from permits.messages import _

NOT_YOURS = _("No application with this id belongs to you.")


async def own(
    tx: Transaction, *, application_id: uuid.UUID, applicant: Principal, for_update: bool = False
) -> Application:
    """The applicant's own application; ``for_update`` locks it for a change."""
    found = await repository.get_owned(
        tx.session,
        application_id=application_id,
        applicant_id=applicant.subject,
        for_update=for_update,
    )
    if found is None:
        raise NotFound(NOT_YOURS)
    return found


async def visible(tx: Transaction, *, application_id: uuid.UUID, caller: Principal) -> Application:
    """The application if the caller may see it: its applicant, or a permits officer."""
    found = await repository.get_visible(
        tx.session,
        application_id=application_id,
        viewer=caller.subject,
        sees_all=is_officer(caller),
    )
    if found is None:
        raise NotFound(NOT_YOURS)
    return found


async def existing(
    tx: Transaction, *, application_id: uuid.UUID, for_update: bool = False
) -> Application:
    """Any application, for an officer (the caller checks the role)."""
    found = await repository.get_any(
        tx.session, application_id=application_id, for_update=for_update
    )
    if found is None:
        raise NotFound(_("There is no application with this id."))
    return found
