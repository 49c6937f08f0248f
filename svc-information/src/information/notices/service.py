"""Turning drafts (what to tell whom) into notices in their recipients' inboxes."""

import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from information.delivery import service as delivery
from information.directory import repository as directory
from information.notices import repository
from information.notices.drafts import (
    CitizenRecipient,
    NoticeDraft,
    OfficersRecipient,
    SubjectOwner,
)
from information.notices.models import Notice
from information.rendering import render
from kota_shared.i18n import LANGUAGES
from kota_shared.transaction import Transaction

_log = logging.getLogger(__name__)


async def record(
    tx: Transaction, drafts: Iterable[NoticeDraft], *, source_id: str, timezone: ZoneInfo
) -> list[Notice]:
    """Add each draft to its recipients' inboxes, once per (cause, recipient, kind), and plan
    their messages; the notices that are new (a redelivered cause gives none).

    Drafts alike but for their recipient (an announcement's chunk) are rendered once, and
    all rows go in one statement: a fan-out to a million inboxes is bound by the database,
    not by the templates. Times are written in the city's ``timezone``."""
    rendered: dict[str, tuple[dict[str, dict[str, str]], int]] = {}
    rows = []
    for draft in drafts:
        key = json.dumps([draft.kind, draft.subject_ref, draft.params], sort_keys=True)
        if key not in rendered:
            rendered[key] = _inbox_content(draft, timezone)
        content, version = rendered[key]
        rows += [
            {
                "id": uuid.uuid4(),
                "recipient_id": recipient_id,
                "kind": draft.kind,
                "source_id": source_id,
                "subject_ref": draft.subject_ref,
                "params": dict(draft.params),
                "content": content,
                "template_version": version,
                "urgent": draft.urgent,
                "created_at": tx.now,
            }
            for recipient_id in await _recipients(tx, draft)
        ]
    created = await repository.add_all(tx.session, rows)
    await delivery.plan(tx, notices=created)  # besides the inbox: WhatsApp, SMS
    return created


def _inbox_content(draft: NoticeDraft, timezone: ZoneInfo) -> tuple[dict[str, dict[str, str]], int]:
    """The inbox's title and body in every language, and the template version used."""
    rendered = {
        language: render(draft.kind, "inbox", language, draft.params, timezone=timezone)
        for language in LANGUAGES
    }
    content: dict[str, dict[str, str]] = {
        language: {"title": texts.title or "", "body": texts.body}
        for language, texts in rendered.items()
    }
    return content, rendered["id"].version


async def _recipients(tx: Transaction, draft: NoticeDraft) -> Sequence[uuid.UUID]:
    recipient = draft.recipient
    if isinstance(recipient, OfficersRecipient):
        return await directory.staff_with_any_role(tx.session, roles=sorted(recipient.roles))
    if isinstance(recipient, SubjectOwner):
        owner = await repository.owner_of(tx.session, subject_ref=recipient.subject_ref)
        if owner is None:
            _log.info(
                "no owner known for %s: its %s notice has nobody to go to",
                recipient.subject_ref,
                draft.kind,
            )
        return [] if owner is None else [owner]
    assert isinstance(recipient, CitizenRecipient)
    return [recipient.account_id]
