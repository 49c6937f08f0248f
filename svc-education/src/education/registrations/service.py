"""Operations on registrations: a parent registers a child, withdraws, lists their own; a
school's officers read its applicants in ranking order. No commit here: the request boundary
commits the registration and its event together, or neither."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError

from education import labels
from education.admission import eligibility
from education.admission.distance import distance_m
from education.admission.eligibility import Age, AgeVerdict
from education.admission.pathways import is_offered, published_quotas
from education.admission.ranking import rank
from education.messages import _
from education.problems import (
    AchievementScoreNotApplicable,
    AchievementScoreRequired,
    FamilyCardTooRecent,
    FamilyRegistrationLimit,
    HomeNotLocated,
    PathwayNotOffered,
    PsychologistRecommendationRequired,
    RegistrationAlreadyVerified,
    RegistrationClosed,
    RegistrationNotActive,
    StudentAlreadyRegistered,
    StudentNotOnFamilyCard,
    StudentTooOld,
    StudentTooYoung,
    UnknownSchool,
)
from education.registrations import repository
from education.registrations.models import Registration, Status
from education.registrations.schemas import RegistrationCreate, VerificationCreate
from education.schools import repository as schools
from education.schools.models import School
from education.transaction import EducationTransaction
from kota_contracts.education import (
    Pathway,
    RegistrationSubmitted,
    RegistrationSubmittedV2,
    RegistrationVerified,
    RegistrationWithdrawn,
    SchoolLevel,
)
from kota_contracts.family_cards import FamilyCard, FamilyCardMember
from kota_contracts.regions import dotted_kecamatan
from kota_shared.auth import Principal
from kota_shared.i18n import LongDate, Message, Text
from kota_shared.pagination import Key
from kota_shared.problems import ValidationFailed

_ACTIVE_STUDENT_INDEX = "uq_registrations_active_student"


def _field(name: str, message: Message, kind: str) -> list[dict[str, Text]]:
    return [{"field": f"body.{name}", "message": message, "type": kind}]


def _ensure_open(tx: EducationTransaction, *, admission_year: int) -> None:
    period = tx.period
    if admission_year != period.year or not period.is_open(tx.now):
        school_year = f"{period.year}/{period.year + 1}"
        raise RegistrationClosed(
            _(
                "Registration for the {school_year} school year is open from {opens_on} to "
                "{closes_on}.",
                school_year=school_year,
                opens_on=LongDate(period.opens_on),
                closes_on=LongDate(period.closes_on),
            ),
            admission_year=period.year,
            opens_on=period.opens_on.isoformat(),
            closes_on=period.closes_on.isoformat(),
        )


def _check_pathway_and_score(level: SchoolLevel, body: RegistrationCreate) -> None:
    if not is_offered(level, body.pathway):
        raise PathwayNotOffered.at(
            level,
            errors=_field(
                "pathway",
                _("Not offered at {level}.", level=labels.level(level)),
                "pathway_not_offered",
            ),
        )
    if body.pathway is Pathway.PRESTASI and body.achievement_score is None:
        raise AchievementScoreRequired(
            errors=_field(
                "achievement_score",
                _("Required for the achievement (prestasi) pathway."),
                "missing",
            )
        )
    if body.pathway is not Pathway.PRESTASI and body.achievement_score is not None:
        chosen = labels.pathway(body.pathway)
        raise AchievementScoreNotApplicable(
            _("Leave the score out for the {pathway} pathway.", pathway=chosen),
            errors=_field(
                "achievement_score",
                _("Not used by the {pathway} pathway.", pathway=chosen),
                "not_applicable",
            ),
        )


def _check_family_card(issued_on: date, *, today: date) -> None:
    usable_from = eligibility.family_card_usable_from(issued_on)
    if today < usable_from:
        raise FamilyCardTooRecent(
            _(
                "This family card was issued on {issued_on}; it can be used to register from "
                "{usable_from}.",
                issued_on=LongDate(issued_on),
                usable_from=LongDate(usable_from),
            ),
            usable_from=usable_from.isoformat(),
        )


_PARENTS = frozenset({"KEPALA KELUARGA", "SUAMI", "ISTRI"})
"""Members of a card who are not registered for school by another member."""


def _child_on_card(card: FamilyCard, body: RegistrationCreate) -> FamilyCardMember:
    """The child the body names, if the parent's card lists them (not as a parent)."""
    child = card.member(body.student_nik)
    if child is None or child.relationship in _PARENTS:
        # The same answer whether the NIK is on another card or on none.
        raise StudentNotOnFamilyCard(
            errors=_field(
                "student_nik", _("Not a child on your family card (KK)."), "not_on_family_card"
            )
        )
    return child


def _home(card: FamilyCard) -> tuple[Decimal, Decimal]:
    # Stored to 6 places (about 0.1 m), and the distance is computed from what is stored,
    # so anyone can recompute it from the record.
    latitude, longitude = card.address.latitude, card.address.longitude
    if latitude is None or longitude is None:
        raise HomeNotLocated()
    return Decimal(f"{latitude:.6f}"), Decimal(f"{longitude:.6f}")


def _check_age(
    level: SchoolLevel,
    body: RegistrationCreate,
    *,
    born: date,
    reference_date: date,
    today: date,
) -> None:
    if born > today:
        in_the_future = _("The birth date is in the future.")
        raise ValidationFailed(in_the_future)
    age = Age.on(reference_date, born=born)
    verdict = eligibility.judge_age(
        level, age, psychologist_recommendation=body.psychologist_recommendation
    )
    if verdict is AgeVerdict.ELIGIBLE:
        return
    when = {"reference_date": LongDate(reference_date), "age": labels.AgeInWords(age)}
    facts: dict[str, Any] = {
        "age_reference_date": reference_date.isoformat(),
        "age_at_reference_date": {"years": age.years, "months": age.months},
    }
    if verdict is AgeVerdict.TOO_YOUNG:
        raise StudentTooYoung(
            _(
                "On {reference_date} the child will be {age} old; primary school (SD) admits "
                "children from 6 years, or from 5 years 6 months with a psychologist's "
                "recommendation.",
                **when,
            ),
            **facts,
        )
    if verdict is AgeVerdict.NEEDS_RECOMMENDATION:
        raise PsychologistRecommendationRequired(
            _(
                "On {reference_date} the child will be {age} old. Register again with the "
                "psychologist's recommendation once a psychologist recommends the child.",
                **when,
            ),
            **facts,
        )
    raise StudentTooOld(
        _(
            "On {reference_date} the child will be {age} old; {level} admits children up to "
            "{maximum} years.",
            **when,
            level=labels.level(level),
            maximum=eligibility.MAXIMUM_YEARS[level],
        ),
        **facts,
    )


async def _ensure_not_registered(
    tx: EducationTransaction, *, parent: Principal, student_nik: str
) -> None:
    existing = await repository.active_for_student(
        tx.session, student_nik=student_nik, admission_year=tx.period.year
    )
    if existing is None:
        return
    if existing.parent_id == parent.subject:  # the parent's own: they may know which one
        raise StudentAlreadyRegistered(
            _("You registered this child already; withdraw that registration to choose again."),
            registration_id=str(existing.id),
        )
    raise _registered_elsewhere()


def _registered_elsewhere() -> StudentAlreadyRegistered:
    # Only a member of the child's own family card can have registered them; says not where.
    return StudentAlreadyRegistered(
        _(
            "Another member of the child's family card (KK) registered this child already; "
            "one of you can withdraw that registration to choose again."
        )
    )


async def _ensure_family_share(tx: EducationTransaction, *, card: FamilyCard) -> None:
    """At most the configured number of active registrations per family card and year,
    counted under the card's lock (two parents of one family at the same moment), which
    the caller holds."""
    active = await repository.active_on_family_card(
        tx.session, family_card_number=card.number, admission_year=tx.period.year
    )
    maximum = tx.settings.max_active_registrations_per_family_card
    if active >= maximum:
        raise FamilyRegistrationLimit(
            _(
                "A family card can hold at most {maximum} active registrations in one "
                "admission year; withdraw one to register another child.",
                maximum=maximum,
            ),
            max_active_registrations=maximum,
        )


def _violated_constraint(exc: IntegrityError) -> str | None:
    # asyncpg's error, which SQLAlchemy's adapter wraps, names the constraint.
    return getattr(exc.orig.__cause__, "constraint_name", None) if exc.orig else None


async def register(
    tx: EducationTransaction, *, parent: Principal, body: RegistrationCreate, card: FamilyCard
) -> Registration:
    """Check every rule against ``card`` (the parent's own, from the civil registry), then
    store the registration and announce it in one transaction."""
    _ensure_open(tx, admission_year=tx.period.year)
    school = await schools.get_by_npsn(tx.session, npsn=body.school_npsn)
    if school is None:
        raise UnknownSchool(
            _("No school in the city has NPSN {npsn}.", npsn=body.school_npsn),
            errors=_field("school_npsn", _("There is no such school."), "unknown_school"),
        )
    _check_pathway_and_score(school.level, body)
    child = _child_on_card(card, body)
    _check_family_card(card.issued_on, today=tx.today)
    _check_age(
        school.level,
        body,
        born=child.birth_date,
        reference_date=tx.period.age_reference_date,
        today=tx.today,
    )
    home = _home(card)
    # The card's lock first: the child's own registration is then answered before the
    # card's count (the parent who made it learns which one).
    await repository.lock_family_card(tx.session, family_card_number=card.number)
    await _ensure_not_registered(tx, parent=parent, student_nik=child.nik)
    await _ensure_family_share(tx, card=card)
    registration = _new_registration(
        tx, parent=parent, body=body, school=school, card=card, child=child, home=home
    )
    tx.session.add(registration)
    try:
        await tx.session.flush()
    except IntegrityError as exc:  # the same child registered by someone at this very moment
        if _violated_constraint(exc) == _ACTIVE_STUDENT_INDEX:
            raise _registered_elsewhere() from None
        raise
    await _announce(tx, registration=registration, school=school, parent=parent)
    return registration


async def _announce(
    tx: EducationTransaction, *, registration: Registration, school: School, parent: Principal
) -> None:
    """`RegistrationSubmitted`, and its ``.v2`` beside it (the school's places, district)."""
    facts: dict[str, Any] = {
        "registration_id": registration.id,
        "admission_year": registration.admission_year,
        "school_npsn": school.npsn,
        "level": school.level,
        "pathway": registration.pathway,
        "parent_id": registration.parent_id,
        "assisted_by": parent.acting_officer,
        "submitted_at": registration.registered_at,
    }
    quotas = published_quotas(school.level, school.capacity)
    for event in (
        RegistrationSubmitted(**facts),
        RegistrationSubmittedV2(
            **facts,
            kecamatan_code=dotted_kecamatan(school.district_code),
            school_capacity=school.capacity,
            pathway_quota=quotas[registration.pathway] if quotas else None,
        ),
    ):
        await tx.outbox.add(tx.session, event, subject=str(registration.id))


def _new_registration(
    tx: EducationTransaction,
    *,
    parent: Principal,
    body: RegistrationCreate,
    school: School,
    card: FamilyCard,
    child: FamilyCardMember,
    home: tuple[Decimal, Decimal],
) -> Registration:
    latitude, longitude = home
    return Registration(
        admission_year=tx.period.year,
        status=Status.SUBMITTED,
        parent_id=parent.subject,
        registered_by=parent.acted_by,
        school_npsn=school.npsn,
        school=school,
        pathway=body.pathway,
        student_nik=child.nik,
        student_nisn=body.student_nisn,
        student_name=child.full_name,
        birth_date=child.birth_date,
        psychologist_recommendation=body.psychologist_recommendation,
        family_card_number=card.number,
        family_card_issued_on=card.issued_on,
        home_latitude=latitude,
        home_longitude=longitude,
        distance_m=distance_m(latitude, longitude, school.latitude, school.longitude),
        achievement_score=body.achievement_score,
        registered_at=tx.now,
    )


async def withdraw(tx: EducationTransaction, *, registration: Registration, by: Principal) -> None:
    """Take the child out of the running, while registration is open; they may register again."""
    if registration.status is not Status.SUBMITTED:
        raise RegistrationNotActive(current_status=registration.status.value)
    _ensure_open(tx, admission_year=registration.admission_year)
    registration.status = Status.WITHDRAWN
    registration.withdrawn_at = tx.now
    registration.withdrawn_by = by.acted_by
    await tx.outbox.add(
        tx.session,
        RegistrationWithdrawn(
            registration_id=registration.id,
            admission_year=registration.admission_year,
            school_npsn=registration.school.npsn,
            level=registration.school.level,
            pathway=registration.pathway,
            withdrawn_at=tx.now,
        ),
        subject=str(registration.id),
    )


async def verify(
    tx: EducationTransaction,
    *,
    registration: Registration,
    by: Principal,
    body: VerificationCreate,
) -> None:
    """Record the documents a school officer checked; once per registration."""
    if registration.status is not Status.SUBMITTED:
        raise RegistrationNotActive(current_status=registration.status.value)
    if registration.verified_at is not None:
        raise RegistrationAlreadyVerified(
            verified_at=registration.verified_at.isoformat(),
            verified_by=registration.verified_by,
        )
    registration.verified_at = tx.now
    registration.verified_by = by.acted_by
    registration.documents_checked = [str(document) for document in body.documents_checked]
    registration.verification_note = body.note
    await tx.outbox.add(
        tx.session,
        RegistrationVerified(
            registration_id=registration.id,
            admission_year=registration.admission_year,
            school_npsn=registration.school.npsn,
            level=registration.school.level,
            pathway=registration.pathway,
            verified_by=by.acted_by,
            documents_checked=body.documents_checked,
            verified_at=tx.now,
        ),
        subject=str(registration.id),
    )


async def list_of_parent(
    tx: EducationTransaction, *, parent: Principal, after: Key | None, limit: int
) -> Sequence[Registration]:
    """The registrations the parent made this admission year, withdrawn ones included."""
    return await repository.list_for_parent(
        tx.session,
        parent_id=parent.subject,
        admission_year=tx.period.year,
        after=after,
        limit=limit,
    )


async def school_ranking(
    tx: EducationTransaction, *, school: School, pathway: Pathway
) -> list[Registration]:
    """The school's active registrations to ``pathway`` this year, the first ranked first."""
    if not is_offered(school.level, pathway):
        raise PathwayNotOffered.at(school.level)
    registrations = await repository.active_at_school(
        tx.session, school_npsn=school.npsn, admission_year=tx.period.year, pathway=pathway
    )
    return rank(registrations, level=school.level, pathway=pathway)
