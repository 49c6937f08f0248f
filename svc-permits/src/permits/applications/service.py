"""The applicant's operations — draft, fill in, submit, cancel — and reading applications
back; the request boundary commits."""

from collections.abc import Mapping, Sequence
from typing import Any

from kota_contracts.permits import (
    ApplicationCancelled,
    ApplicationDrafted,
    ApplicationSubmitted,
    ApplicationSubmittedV2,
)
from kota_shared import i18n
from kota_shared.auth import Principal
from kota_shared.i18n import Localized, Message
from kota_shared.pagination import Key
from kota_shared.transaction import Transaction
from permits.applicants import repository as applicants
from permits.applications import repository, transitions
from permits.applications.models import Application, Transition
from permits.applications.schemas import ApplicationDraft, ApplicationUpdate
from permits.applications.transitions import Step
from permits.applications.workflow import STATUS_NAMES, Action, Actor, Status
from permits.catalogue import repository as catalogue
from permits.catalogue import service as catalogue_service
from permits.catalogue.definition import PermitTypeDefinition
from permits.catalogue.fields import FieldErrors, validate_fields
from permits.documents import repository as documents
from permits.messages import _
from permits.problems import IncompleteApplication, InvalidFields, NotEditable, TooManyDrafts
from permits.transaction import PermitsTransaction

EDITABLE = frozenset({Status.DRAFT, Status.REVISION_REQUESTED})


def _validated(
    definition: PermitTypeDefinition, values: Mapping[str, Any], *, complete: bool
) -> dict[str, Any]:
    try:
        return validate_fields(definition.fields, values, complete=complete)
    except FieldErrors as exc:
        raise InvalidFields(
            errors=[{"field": name, "message": message} for name, message in exc.errors]
        ) from None


async def draft(tx: PermitsTransaction, *, draft: ApplicationDraft, by: Principal) -> Application:
    """Start an application and announce it, in one transaction, if the account may hold
    one more draft.

    The account's row is locked before its drafts are counted, so of several drafts started
    at once only as many as fit are kept; the others are a 409 ``too_many_drafts``.
    """
    definition = await catalogue_service.offered(tx, code=draft.permit_type)
    application = Application(
        applicant_id=by.subject,
        created_by=by.acted_by,
        permit_type=definition.code,
        district_code=draft.district_code,
        holder_name=draft.holder_name,
        fields=_validated(definition, draft.fields, complete=False),
        status=Status.DRAFT,
    )
    await applicants.lock(tx.session, applicant_id=by.subject)
    if await repository.count_drafts(tx.session, applicant_id=by.subject) >= tx.max_open_drafts:
        raise TooManyDrafts(
            _(
                "You already have {limit} draft applications, the most one account may "
                "hold at once. Submit one of them, or withdraw (cancel) a draft you no "
                "longer need, then start the new application.",
                limit=tx.max_open_drafts,
            ),
            limit=tx.max_open_drafts,
        )
    tx.session.add(application)
    await tx.session.flush()
    await tx.outbox.add(
        tx.session,
        ApplicationDrafted(
            application_id=application.id,
            permit_type=application.permit_type,
            district_code=application.district_code,
            drafted_at=application.created_at,
        ),
        subject=str(application.id),
    )
    return application


async def own_applications(
    tx: Transaction, *, applicant: Principal, after: Key | None, limit: int
) -> Sequence[Application]:
    """The applicant's applications, newest first, from the one after ``after`` on."""
    return await repository.list_owned(
        tx.session, applicant_id=applicant.subject, after=after, limit=limit
    )


async def history(tx: Transaction, *, application: Application) -> Sequence[Transition]:
    """Every step the application has taken, in order."""
    return await repository.history(tx.session, application_id=application.id)


def ensure_editable(application: Application) -> None:
    if application.status not in EDITABLE:
        raise NotEditable(
            _(
                "The application's status is “{status}”.",
                status=STATUS_NAMES[application.status],
            ),
            current_status=application.status.value,
        )


async def update(tx: Transaction, *, application: Application, changes: ApplicationUpdate) -> None:
    """Change what the applicant may still change; fields are merged, ``null`` clears one."""
    ensure_editable(application)
    definition = await catalogue.definition_of(tx.session, code=application.permit_type)
    sent = changes.model_dump(exclude_unset=True)
    if "holder_name" in sent:
        application.holder_name = changes.holder_name
    if "district_code" in sent:
        application.district_code = changes.district_code
    if changes.fields:
        merged = {**application.fields, **changes.fields}
        kept = {name: value for name, value in merged.items() if value is not None}
        application.fields = _validated(definition, kept, complete=False)


_DISTRICT = _("the district (kecamatan) where the permit applies")
_HOLDER_NAME = _("the name to print on the permit")


async def _missing(
    tx: Transaction, application: Application, definition: PermitTypeDefinition
) -> list[tuple[str, Message | Localized]]:
    """What submitting still needs: the code a client reads, and what a person reads."""
    have = await documents.kinds_for(tx.session, application_id=application.id)
    missing: list[tuple[str, Message | Localized]] = [
        (f"document {d.kind}", Localized(id=d.label_id, en=d.label_en))
        for d in definition.documents
        if d.required and d.kind not in have
    ]
    if not application.holder_name:
        missing.insert(0, ("holder_name", _HOLDER_NAME))
    if application.district_code is None:
        missing.insert(0, ("district_code", _DISTRICT))
    return missing


async def submit(
    tx: PermitsTransaction, *, application: Application, by: Principal, note: str | None
) -> None:
    """Hand in a draft, or a revised application: complete form and required documents."""
    definition = await catalogue_service.offered(tx, code=application.permit_type)
    resubmission = application.status is Status.REVISION_REQUESTED
    action = Action.RESUBMIT if resubmission else Action.SUBMIT
    if application.status in EDITABLE:
        application.fields = _validated(definition, application.fields, complete=True)
        missing = await _missing(tx, application, definition)
        if missing:
            raise IncompleteApplication(
                _(
                    "Still missing: {missing}.",
                    missing=i18n.Sequence.of(label for _code, label in missing),
                ),
                missing=[code for code, _label in missing],
            )
    await transitions.apply(
        tx,
        application=application,
        step=Step.by(by, action, Actor.APPLICANT, tx.now, note),
        targets=definition.stage_targets,
    )
    application.submitted_at = tx.now
    assert application.stage_deadline_at is not None  # submitting starts verification's clock
    submitted = ApplicationSubmitted(
        application_id=application.id,
        permit_type=application.permit_type,
        district_code=application.district_code,
        resubmission=resubmission,
        submitted_at=tx.now,
        deadline_at=application.stage_deadline_at,
    )
    await tx.outbox.add(tx.session, submitted, subject=str(application.id))
    await tx.outbox.add(
        tx.session,
        ApplicationSubmittedV2(applicant_id=application.applicant_id, **submitted.model_dump()),
        subject=str(application.id),
    )


async def cancel(
    tx: PermitsTransaction, *, application: Application, by: Principal, note: str | None
) -> None:
    await transitions.take(
        tx,
        application=application,
        step=Step.by(by, Action.CANCEL, Actor.APPLICANT, tx.now, note),
    )
    await tx.outbox.add(
        tx.session,
        ApplicationCancelled(
            application_id=application.id,
            permit_type=application.permit_type,
            cancelled_at=tx.now,
        ),
        subject=str(application.id),
    )
