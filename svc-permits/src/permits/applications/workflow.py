"""The application workflow as one explicit table, so every legal step is reviewable at a glance.

Pure: no I/O and no database. The service asks `next_status` before it changes a row, and the
API shows clients `available_actions`. Any step missing from `TRANSITIONS` is illegal.
"""

import enum
from dataclasses import dataclass

from kota_shared.i18n import Message
from permits.messages import _


class Status(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    REVISION_REQUESTED = "revision_requested"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    AWAITING_PAYMENT = "awaiting_payment"
    ISSUED = "issued"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Action(enum.StrEnum):
    SUBMIT = "submit"
    START_REVIEW = "start_review"
    REQUEST_REVISION = "request_revision"
    RESUBMIT = "resubmit"
    APPROVE = "approve"
    REJECT = "reject"
    DEEM_APPROVED = "deem_approved"
    """Fiktif positif: the deadline passed with no decision, so the law approves it."""
    REQUEST_PAYMENT = "request_payment"
    ISSUE = "issue"
    RECORD_PAYMENT = "record_payment"
    EXPIRE = "expire"
    CANCEL = "cancel"
    REVOKE = "revoke"


class Actor(enum.StrEnum):
    APPLICANT = "applicant"
    """The citizen, or an officer acting for them at a counter."""
    OFFICER = "officer"
    """A permits officer deciding on the application."""
    SYSTEM = "system"
    """The deadline clock and payment events: nobody may take these steps by hand."""


class Stage(enum.StrEnum):
    """A stage with its own service-level deadline."""

    VERIFICATION = "verification"
    """Waiting for an officer to check the documents and start the review."""
    REVIEW = "review"


@dataclass(frozen=True, slots=True)
class Transition:
    """One legal step: from `source`, `actor` may take `action`, which leads to `target`."""

    source: Status
    action: Action
    target: Status
    actor: Actor


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.DRAFT, Action.SUBMIT, Status.SUBMITTED, Actor.APPLICANT),
    Transition(Status.SUBMITTED, Action.START_REVIEW, Status.IN_REVIEW, Actor.OFFICER),
    Transition(Status.RESUBMITTED, Action.START_REVIEW, Status.IN_REVIEW, Actor.OFFICER),
    Transition(Status.IN_REVIEW, Action.REQUEST_REVISION, Status.REVISION_REQUESTED, Actor.OFFICER),
    Transition(Status.REVISION_REQUESTED, Action.RESUBMIT, Status.RESUBMITTED, Actor.APPLICANT),
    Transition(Status.IN_REVIEW, Action.APPROVE, Status.APPROVED, Actor.OFFICER),
    Transition(Status.IN_REVIEW, Action.REJECT, Status.REJECTED, Actor.OFFICER),
    Transition(Status.SUBMITTED, Action.DEEM_APPROVED, Status.APPROVED, Actor.SYSTEM),
    Transition(Status.RESUBMITTED, Action.DEEM_APPROVED, Status.APPROVED, Actor.SYSTEM),
    Transition(Status.IN_REVIEW, Action.DEEM_APPROVED, Status.APPROVED, Actor.SYSTEM),
    Transition(Status.APPROVED, Action.REQUEST_PAYMENT, Status.AWAITING_PAYMENT, Actor.SYSTEM),
    Transition(Status.APPROVED, Action.ISSUE, Status.ISSUED, Actor.SYSTEM),
    Transition(Status.AWAITING_PAYMENT, Action.RECORD_PAYMENT, Status.ISSUED, Actor.SYSTEM),
    Transition(Status.AWAITING_PAYMENT, Action.EXPIRE, Status.EXPIRED, Actor.SYSTEM),
    Transition(Status.DRAFT, Action.CANCEL, Status.CANCELLED, Actor.APPLICANT),
    Transition(Status.SUBMITTED, Action.CANCEL, Status.CANCELLED, Actor.APPLICANT),
    Transition(Status.IN_REVIEW, Action.CANCEL, Status.CANCELLED, Actor.APPLICANT),
    Transition(Status.REVISION_REQUESTED, Action.CANCEL, Status.CANCELLED, Actor.APPLICANT),
    Transition(Status.RESUBMITTED, Action.CANCEL, Status.CANCELLED, Actor.APPLICANT),
    Transition(Status.ISSUED, Action.REVOKE, Status.REVOKED, Actor.OFFICER),
)

TERMINAL: frozenset[Status] = frozenset(
    {Status.REJECTED, Status.CANCELLED, Status.EXPIRED, Status.REVOKED}
)

_BY_STEP: dict[tuple[Status, Action], Transition] = {(t.source, t.action): t for t in TRANSITIONS}

_STAGES: dict[Status, Stage] = {
    Status.SUBMITTED: Stage.VERIFICATION,
    Status.RESUBMITTED: Stage.VERIFICATION,
    Status.IN_REVIEW: Stage.REVIEW,
}

# The name of each status, as a person reads it.
STATUS_NAMES: dict[Status, Message] = {
    Status.DRAFT: _("Draft"),
    Status.SUBMITTED: _("Submitted"),
    Status.IN_REVIEW: _("In review"),
    Status.REVISION_REQUESTED: _("Sent back for revision"),
    Status.RESUBMITTED: _("Resubmitted"),
    Status.APPROVED: _("Approved"),
    Status.AWAITING_PAYMENT: _("Awaiting payment"),
    Status.ISSUED: _("Issued"),
    Status.REJECTED: _("Rejected"),
    Status.CANCELLED: _("Cancelled"),
    Status.EXPIRED: _("Expired"),
    Status.REVOKED: _("Revoked"),
}
"""What a person reads for each status (the API's ``status`` itself stays the code)."""

# What taking an action does to an application, in "An application cannot be {done}": a
# past participle in English, the passive "di-" form in Indonesian (see the catalogue).
_DONE: dict[Action, Message] = {
    Action.SUBMIT: _("submitted"),
    Action.START_REVIEW: _("taken into review"),
    Action.REQUEST_REVISION: _("sent back for revision"),
    Action.RESUBMIT: _("resubmitted"),
    Action.APPROVE: _("approved"),
    Action.REJECT: _("rejected"),
    Action.DEEM_APPROVED: _("deemed approved"),
    Action.REQUEST_PAYMENT: _("billed"),
    Action.ISSUE: _("issued"),
    Action.RECORD_PAYMENT: _("marked paid"),
    Action.EXPIRE: _("expired"),
    Action.CANCEL: _("cancelled"),
    Action.REVOKE: _("revoked"),
}

# Who takes a step, in "An application can only be {done} by {actor}."
_ACTORS: dict[Actor, Message] = {
    Actor.APPLICANT: _("the applicant"),
    Actor.OFFICER: _("a permits officer"),
    Actor.SYSTEM: _("the system, automatically"),
}


class IllegalTransition(Exception):
    """The action does not exist from the application's current status, for anyone.

    ``message`` is for the person who tried; ``str()`` is its English, for logs.
    """

    def __init__(self, current: Status, action: Action) -> None:
        self.message = _(
            "An application with the status “{status}” cannot be {done}.",
            status=STATUS_NAMES[current],
            done=_DONE[action],
        )
        super().__init__(self.message)
        self.current = current
        self.action = action


class ActorNotAllowed(Exception):
    """The action exists from here, but another kind of actor must take it."""

    def __init__(self, action: Action, actor: Actor, *, allowed: Actor) -> None:
        self.message = _(
            "An application can only be {done} by {actor}.",
            done=_DONE[action],
            actor=_ACTORS[allowed],
        )
        super().__init__(self.message)
        self.action = action
        self.actor = actor
        self.allowed = allowed


def next_status(current: Status, action: Action, actor: Actor) -> Status:
    """The status after `actor` takes `action`; raises if that step is not in the table."""
    transition = _BY_STEP.get((current, action))
    if transition is None:
        raise IllegalTransition(current, action)
    if transition.actor is not actor:
        raise ActorNotAllowed(action, actor, allowed=transition.actor)
    return transition.target


def available_actions(current: Status, actor: Actor) -> frozenset[Action]:
    """What `actor` may do next, so clients offer only buttons that will work."""
    return frozenset(t.action for t in TRANSITIONS if t.source is current and t.actor is actor)


def stage_of(status: Status) -> Stage | None:
    """The stage whose service-level clock runs in `status`; None when no clock runs.

    REVISION_REQUESTED has none: it is the citizen's turn, so the city's clock stops.
    """
    return _STAGES.get(status)
