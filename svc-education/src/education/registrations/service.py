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
from education.admission.pathways import is_offered
from education.admission.ranking import rank
from education.messages import _
from education.problems import (
    AchievementScoreNotApplicable,
    AchievementScoreRequired,
    FamilyCardTooRecent,
    PathwayNotOffered,
    PsychologistRecommendationRequired,
    RegistrationClosed,
    RegistrationNotActive,
    StudentAlreadyRegistered,
    StudentTooOld,
    StudentTooYoung,
    UnknownSchool,
)
from education.registrations import repository
from education.registrations.models import Registration, Status
from education.registrations.schemas import RegistrationCreate
from education.schools import repository as schools
from education.schools.models import School
from education.transaction import EducationTransaction
from kota_contracts.education import (
    Pathway,
    RegistrationSubmitted,
    RegistrationWithdrawn,
    SchoolLevel,
)
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
            errors=_field(
                "family_card_issued_on", _("Issued less than one year ago."), "too_recent"
            ),
        )


def _check_age(
    level: SchoolLevel, body: RegistrationCreate, *, reference_date: date, today: date
) -> None:
    if body.birth_date > today:
        in_the_future = _("The birth date is in the future.")
        raise ValidationFailed(
            in_the_future, errors=_field("birth_date", in_the_future, "future_date")
        )
    age = Age.on(reference_date, born=body.birth_date)
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
    tx: EducationTransaction, *, parent: Principal, student_nisn: str
) -> None:
    existing = await repository.active_for_student(
        tx.session, student_nisn=student_nisn, admission_year=tx.period.year
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
    # Says nothing of who registered the child, nor where.
    return StudentAlreadyRegistered(
        _(
            "If you did not register this child, please contact the education office (Dinas "
            "Pendidikan) with the child's NISN."
        )
    )


def _violated_constraint(exc: IntegrityError) -> str | None:
    # asyncpg's error, which SQLAlchemy's adapter wraps, names the constraint.
    return getattr(exc.orig.__cause__, "constraint_name", None) if exc.orig else None


async def register(
    tx: EducationTransaction, *, parent: Principal, body: RegistrationCreate
) -> Registration:
    """Check every rule, then store the registration and announce it in one transaction."""
    _ensure_open(tx, admission_year=tx.period.year)
    school = await schools.get_by_npsn(tx.session, npsn=body.school_npsn)
    if school is None:
        raise UnknownSchool(
            _("No school in the city has NPSN {npsn}.", npsn=body.school_npsn),
            errors=_field("school_npsn", _("There is no such school."), "unknown_school"),
        )
    _check_pathway_and_score(school.level, body)
    _check_family_card(body.family_card_issued_on, today=tx.today)
    _check_age(school.level, body, reference_date=tx.period.age_reference_date, today=tx.today)
    await _ensure_not_registered(tx, parent=parent, student_nisn=body.student_nisn)
    registration = _new_registration(tx, parent=parent, body=body, school=school)
    tx.session.add(registration)
    try:
        await tx.session.flush()
    except IntegrityError as exc:  # the same child registered by someone at this very moment
        if _violated_constraint(exc) == _ACTIVE_STUDENT_INDEX:
            raise _registered_elsewhere() from None
        raise
    await tx.outbox.add(
        tx.session,
        RegistrationSubmitted(
            registration_id=registration.id,
            admission_year=registration.admission_year,
            school_npsn=school.npsn,
            level=school.level,
            pathway=registration.pathway,
            parent_id=registration.parent_id,
            assisted_by=parent.acting_officer,
            submitted_at=registration.registered_at,
        ),
        subject=str(registration.id),
    )
    return registration


def _new_registration(
    tx: EducationTransaction, *, parent: Principal, body: RegistrationCreate, school: School
) -> Registration:
    # Coordinates are stored to 6 places (about 0.1 m), and the distance is computed from
    # what is stored, so anyone can recompute it from the record.
    latitude = Decimal(f"{body.home_latitude:.6f}")
    longitude = Decimal(f"{body.home_longitude:.6f}")
    return Registration(
        admission_year=tx.period.year,
        status=Status.SUBMITTED,
        parent_id=parent.subject,
        registered_by=parent.acted_by,
        school_npsn=school.npsn,
        school=school,
        pathway=body.pathway,
        student_nisn=body.student_nisn,
        student_name=body.student_name,
        birth_date=body.birth_date,
        psychologist_recommendation=body.psychologist_recommendation,
        family_card_number=body.family_card_number,
        family_card_issued_on=body.family_card_issued_on,
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
