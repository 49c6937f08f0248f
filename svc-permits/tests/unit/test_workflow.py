"""The application workflow: the table's paths, its refusals, and properties of the whole graph."""

import contextlib
from collections import deque
from collections.abc import Iterable
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from kota_contracts import permits as contracts
from permits.applications.workflow import (
    STATUS_NAMES,
    TERMINAL,
    TRANSITIONS,
    Action,
    Actor,
    ActorNotAllowed,
    IllegalTransition,
    Stage,
    Status,
    available_actions,
    next_status,
    stage_of,
)

Step = tuple[Action, Actor]

SUBMIT = (Action.SUBMIT, Actor.APPLICANT)
START_REVIEW = (Action.START_REVIEW, Actor.OFFICER)
APPROVE = (Action.APPROVE, Actor.OFFICER)


def run(steps: Iterable[Step], start: Status = Status.DRAFT) -> Status:
    status = start
    for action, actor in steps:
        status = next_status(status, action, actor)
    return status


def edges_by_probing() -> set[tuple[Status, Status]]:
    """The graph as `next_status` actually behaves, asked for every possible step."""
    edges = set()
    for source in Status:
        for action in Action:
            for actor in Actor:
                with contextlib.suppress(IllegalTransition, ActorNotAllowed):
                    edges.add((source, next_status(source, action, actor)))
    return edges


def reachable(edges: set[tuple[Status, Status]], start: Status) -> set[Status]:
    seen, queue = {start}, deque([start])
    while queue:
        here = queue.popleft()
        for source, target in edges:
            if source is here and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


# Happy paths and the other ways out.


def test_free_permit_is_issued_straight_after_approval() -> None:
    steps = [SUBMIT, START_REVIEW, APPROVE, (Action.ISSUE, Actor.SYSTEM)]
    assert run(steps) is Status.ISSUED


def test_paid_permit_waits_for_payment_then_is_issued() -> None:
    approved = run([SUBMIT, START_REVIEW, APPROVE])
    awaiting = next_status(approved, Action.REQUEST_PAYMENT, Actor.SYSTEM)
    assert awaiting is Status.AWAITING_PAYMENT
    assert next_status(awaiting, Action.RECORD_PAYMENT, Actor.SYSTEM) is Status.ISSUED


def test_revision_round_trip_returns_to_review() -> None:
    in_review = run([SUBMIT, START_REVIEW])
    sent_back = next_status(in_review, Action.REQUEST_REVISION, Actor.OFFICER)
    assert sent_back is Status.REVISION_REQUESTED
    resubmitted = next_status(sent_back, Action.RESUBMIT, Actor.APPLICANT)
    assert resubmitted is Status.RESUBMITTED
    assert next_status(resubmitted, *START_REVIEW) is Status.IN_REVIEW


@pytest.mark.parametrize(
    "status",
    [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.IN_REVIEW,
        Status.REVISION_REQUESTED,
        Status.RESUBMITTED,
    ],
)
def test_applicant_can_cancel_until_a_decision(status: Status) -> None:
    assert next_status(status, Action.CANCEL, Actor.APPLICANT) is Status.CANCELLED


@pytest.mark.parametrize("status", [Status.APPROVED, Status.AWAITING_PAYMENT, Status.ISSUED])
def test_applicant_cannot_cancel_after_approval(status: Status) -> None:
    with pytest.raises(IllegalTransition):
        next_status(status, Action.CANCEL, Actor.APPLICANT)


def test_officer_rejects_during_review() -> None:
    assert run([SUBMIT, START_REVIEW, (Action.REJECT, Actor.OFFICER)]) is Status.REJECTED


def test_unpaid_approval_expires() -> None:
    steps = [(Action.REQUEST_PAYMENT, Actor.SYSTEM), (Action.EXPIRE, Actor.SYSTEM)]
    assert run(steps, start=Status.APPROVED) is Status.EXPIRED


def test_officer_revokes_an_issued_permit() -> None:
    assert next_status(Status.ISSUED, Action.REVOKE, Actor.OFFICER) is Status.REVOKED


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.RESUBMITTED, Status.IN_REVIEW])
def test_undecided_application_is_deemed_approved(status: Status) -> None:
    assert next_status(status, Action.DEEM_APPROVED, Actor.SYSTEM) is Status.APPROVED


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVISION_REQUESTED])
def test_nothing_is_deemed_approved_while_it_is_the_citizens_turn(status: Status) -> None:
    with pytest.raises(IllegalTransition):
        next_status(status, Action.DEEM_APPROVED, Actor.SYSTEM)


# Refusals.


def test_illegal_step_names_the_current_status() -> None:
    with pytest.raises(IllegalTransition) as raised:
        next_status(Status.IN_REVIEW, Action.SUBMIT, Actor.APPLICANT)
    assert raised.value.current is Status.IN_REVIEW
    assert raised.value.action is Action.SUBMIT
    assert str(raised.value) == "An application with the status “In review” cannot be submitted."
    assert raised.value.message.render("id") == (
        "Permohonan berstatus “Sedang ditinjau” tidak dapat diajukan."
    )


def test_illegal_step_is_reported_before_the_actor_is_checked() -> None:
    # Nobody may approve a draft, so the officer is not told "wrong actor".
    with pytest.raises(IllegalTransition) as raised:
        next_status(Status.DRAFT, Action.APPROVE, Actor.APPLICANT)
    assert raised.value.current is Status.DRAFT


@pytest.mark.parametrize(
    ("status", "action", "actor"),
    [
        (Status.IN_REVIEW, Action.APPROVE, Actor.APPLICANT),
        (Status.IN_REVIEW, Action.APPROVE, Actor.SYSTEM),
        (Status.SUBMITTED, Action.DEEM_APPROVED, Actor.OFFICER),
        (Status.AWAITING_PAYMENT, Action.RECORD_PAYMENT, Actor.APPLICANT),
        (Status.DRAFT, Action.SUBMIT, Actor.OFFICER),
        (Status.IN_REVIEW, Action.CANCEL, Actor.OFFICER),
    ],
)
def test_wrong_actor_is_refused(status: Status, action: Action, actor: Actor) -> None:
    with pytest.raises(ActorNotAllowed) as raised:
        next_status(status, action, actor)
    assert raised.value.action is action
    assert raised.value.actor is actor
    assert str(raised.value).startswith("An application can only be ")
    assert raised.value.message.render("id").startswith("Permohonan hanya dapat ")


def test_a_wrong_actor_is_told_who_may_take_the_step() -> None:
    with pytest.raises(ActorNotAllowed) as raised:
        next_status(Status.IN_REVIEW, Action.APPROVE, Actor.APPLICANT)
    assert raised.value.allowed is Actor.OFFICER
    assert str(raised.value) == "An application can only be approved by a permits officer."
    assert raised.value.message.render("id") == (
        "Permohonan hanya dapat disetujui oleh petugas perizinan."
    )


def test_every_status_and_action_has_an_indonesian_name() -> None:
    assert set(STATUS_NAMES) == set(Status)
    assert all(name.render("id") != name.render("en") for name in STATUS_NAMES.values())
    for action in Action:
        with pytest.raises(IllegalTransition) as raised:
            next_status(Status.REVOKED, action, Actor.OFFICER)
        assert raised.value.message.render("id") != raised.value.message.render("en")


def test_every_action_has_a_readable_refusal() -> None:
    for action in Action:
        with pytest.raises(
            IllegalTransition, match=r"^An application with the status “Revoked” cannot be \w"
        ) as refused:
            next_status(Status.REVOKED, action, Actor.OFFICER)
        assert refused.value.message.render("id").startswith(
            "Permohonan berstatus “Dicabut” tidak dapat di"
        )


# The table itself.


def test_each_status_and_action_leads_to_one_place() -> None:
    steps = [(t.source, t.action) for t in TRANSITIONS]
    assert len(steps) == len(set(steps))


def test_available_actions_from_review() -> None:
    assert available_actions(Status.IN_REVIEW, Actor.OFFICER) == {
        Action.REQUEST_REVISION,
        Action.APPROVE,
        Action.REJECT,
    }
    assert available_actions(Status.IN_REVIEW, Actor.APPLICANT) == {Action.CANCEL}
    assert available_actions(Status.IN_REVIEW, Actor.SYSTEM) == {Action.DEEM_APPROVED}


@pytest.mark.parametrize(
    ("status", "stage"),
    [
        (Status.SUBMITTED, Stage.VERIFICATION),
        (Status.RESUBMITTED, Stage.VERIFICATION),
        (Status.IN_REVIEW, Stage.REVIEW),
    ],
)
def test_clock_runs_while_the_city_has_the_application(status: Status, stage: Stage) -> None:
    assert stage_of(status) is stage


@pytest.mark.parametrize(
    "status", sorted(set(Status) - {Status.SUBMITTED, Status.RESUBMITTED, Status.IN_REVIEW})
)
def test_no_clock_runs_otherwise(status: Status) -> None:
    assert stage_of(status) is None


# (a) Random walks from DRAFT.

ALL_STEPS: list[Step] = [(action, actor) for action in Action for actor in Actor]


def table_steps(status: Status) -> list[Step]:
    return [(t.action, t.actor) for t in TRANSITIONS if t.source is status]


@given(st.data())
def test_random_walk_stays_on_the_table(data: st.DataObject) -> None:
    table_reachable = reachable({(t.source, t.target) for t in TRANSITIONS}, Status.DRAFT)
    status, decided = Status.DRAFT, False
    for _ in range(data.draw(st.integers(0, 40), label="length")):
        # Mix legal steps (so walks get far) with anything at all (so refusals are exercised).
        legal = table_steps(status)
        choices = st.sampled_from(ALL_STEPS)
        if legal:
            choices = st.sampled_from(legal) | choices
        action, actor = data.draw(choices, label="step")
        if (action, actor) not in legal:
            with pytest.raises((IllegalTransition, ActorNotAllowed)) as refused:
                next_status(status, action, actor)
            if isinstance(refused.value, IllegalTransition):
                assert refused.value.current is status
            # No state is kept: later steps are still answered by the table from here.
            continue
        after = next_status(status, action, actor)
        assert status not in TERMINAL, f"left terminal {status} by {action}"
        assert after in table_reachable
        decided = decided or action in {Action.APPROVE, Action.DEEM_APPROVED}
        if after is Status.ISSUED:
            assert decided, "issued without an approval"
        status = after


# (b) The graph as a whole.


def test_next_status_follows_exactly_the_table() -> None:
    assert edges_by_probing() == {(t.source, t.target) for t in TRANSITIONS}


def test_every_status_is_reachable_from_draft() -> None:
    assert reachable(edges_by_probing(), Status.DRAFT) == set(Status)


@pytest.mark.parametrize("status", sorted(set(Status) - TERMINAL))
def test_every_open_status_can_end(status: Status) -> None:
    assert reachable(edges_by_probing(), status) & (TERMINAL | {Status.ISSUED})


@pytest.mark.parametrize("status", sorted(TERMINAL))
def test_terminal_statuses_have_no_way_out(status: Status) -> None:
    assert all(source is not status for source, _ in edges_by_probing())
    assert all(not available_actions(status, actor) for actor in Actor)


# (c) available_actions agrees with next_status, step by step.


class AvailableActionsAgree(RuleBasedStateMachine):
    status: Status

    @initialize(start=st.sampled_from(Status))
    def start(self, start: Status) -> None:
        self.status = start

    @rule(action=st.sampled_from(Action), actor=st.sampled_from(Actor))
    def try_anything(self, action: Action, actor: Actor) -> None:
        offered = {a: available_actions(self.status, a) for a in Actor}
        try:
            after = next_status(self.status, action, actor)
        except ActorNotAllowed:
            assert action not in offered[actor]
            assert any(action in actions for actions in offered.values())
        except IllegalTransition:
            assert not any(action in actions for actions in offered.values())
        else:
            assert action in offered[actor]
            self.status = after

    @rule(data=st.data())
    def take_an_offered_action(self, data: st.DataObject) -> None:
        actor = data.draw(st.sampled_from(Actor))
        offered = sorted(available_actions(self.status, actor))
        if offered:
            self.status = next_status(self.status, data.draw(st.sampled_from(offered)), actor)

    @invariant()
    def terminal_offers_nothing(self) -> None:
        if self.status in TERMINAL:
            assert all(not available_actions(self.status, actor) for actor in Actor)


TestAvailableActionsAgree = AvailableActionsAgree.TestCase


def test_the_published_step_event_names_exactly_the_workflows_actions_and_stages() -> None:
    """`StepTaken` spells permits' enums out as Literals for its schema; a value added on
    one side only would be published unreadable, or never published."""
    assert sorted(get_args(contracts.Action)) == sorted(a.value for a in Action)
    assert sorted(get_args(contracts.Stage)) == sorted(s.value for s in Stage)
    actor = contracts.StepTaken.model_fields["actor"].annotation
    assert sorted(get_args(actor)) == sorted(a.value for a in Actor)
