"""A parent's operations on registrations: register a child, withdraw. No commit here: the
request boundary commits the registration and its event together, or neither."""

from datetime import date
from decimal import Decimal
from typing import Any

from kota_contracts.education import (
    Pathway,
    RegistrationSubmitted,
    RegistrationWithdrawn,
    SchoolLevel,
)
from sqlalchemy.exc import IntegrityError

from education.admission import eligibility
from education.admission.distance import distance_m
from education.admission.eligibility import Age, AgeVerdict
from education.admission.pathways import is_offered
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
from education.registrations.context import Desk
from education.registrations.models import Registration, Status
from education.registrations.schemas import RegistrationCreate
from education.schools import repository as schools
from education.schools.models import School
from kota_shared.auth import Principal
from kota_shared.problems import ValidationFailed

_ACTIVE_STUDENT_INDEX = "uq_registrations_active_student"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _field(name: str, message: str, kind: str) -> list[dict[str, str]]:
    return [{"field": f"body.{name}", "message": message, "type": kind}]


def _ensure_open(desk: Desk, *, admission_year: int) -> None:
    period = desk.period
    if admission_year != period.year or not period.is_open(desk.now):
        raise RegistrationClosed(
            f"Registration for the {period.year}/{period.year + 1} school year is open from "
            f"{_day(period.opens_on)} to {_day(period.closes_on)}.",
            admission_year=period.year,
            opens_on=period.opens_on.isoformat(),
            closes_on=period.closes_on.isoformat(),
        )


def _check_pathway_and_score(level: SchoolLevel, body: RegistrationCreate) -> None:
    if not is_offered(level, body.pathway):
        raise PathwayNotOffered.at(
            level, errors=_field("pathway", f"Not offered at {level}.", "pathway_not_offered")
        )
    if body.pathway is Pathway.PRESTASI and body.achievement_score is None:
        raise AchievementScoreRequired(
            errors=_field("achievement_score", "Required for the prestasi pathway.", "missing")
        )
    if body.pathway is not Pathway.PRESTASI and body.achievement_score is not None:
        raise AchievementScoreNotApplicable(
            f"Leave the score out for the {body.pathway} pathway.",
            errors=_field(
                "achievement_score", f"Not used by the {body.pathway} pathway.", "not_applicable"
            ),
        )


def _check_family_card(issued_on: date, *, today: date) -> None:
    usable_from = eligibility.family_card_usable_from(issued_on)
    if today < usable_from:
        raise FamilyCardTooRecent(
            f"This family card was issued on {_day(issued_on)}; it can be used to register "
            f"from {_day(usable_from)}.",
            usable_from=usable_from.isoformat(),
            errors=_field("family_card_issued_on", "Less than one year ago.", "too_recent"),
        )


def _check_age(
    level: SchoolLevel, body: RegistrationCreate, *, reference_date: date, today: date
) -> None:
    if body.birth_date > today:
        raise ValidationFailed(
            "The birth date is in the future.",
            errors=_field("birth_date", "The birth date is in the future.", "future_date"),
        )
    age = Age.on(reference_date, born=body.birth_date)
    verdict = eligibility.judge_age(
        level, age, psychologist_recommendation=body.psychologist_recommendation
    )
    if verdict is AgeVerdict.ELIGIBLE:
        return
    on_reference = f"On {_day(reference_date)} the child will be {age} old"
    facts: dict[str, Any] = {
        "age_reference_date": reference_date.isoformat(),
        "age_at_reference_date": {"years": age.years, "months": age.months},
    }
    if verdict is AgeVerdict.TOO_YOUNG:
        raise StudentTooYoung(
            f"{on_reference}; primary school (SD) admits children from 6 years, or from "
            "5 years 6 months with a psychologist's recommendation.",
            **facts,
        )
    if verdict is AgeVerdict.NEEDS_RECOMMENDATION:
        raise PsychologistRecommendationRequired(
            f"{on_reference}. Register with psychologist_recommendation set to true once a "
            "psychologist recommends the child.",
            **facts,
        )
    maximum = eligibility.MAXIMUM_YEARS[level]
    raise StudentTooOld(f"{on_reference}; {level} admits children up to {maximum} years.", **facts)


async def _ensure_not_registered(desk: Desk, parent: Principal, student_nisn: str) -> None:
    existing = await repository.active_for_student(
        session=desk.session, student_nisn=student_nisn, admission_year=desk.period.year
    )
    if existing is None:
        return
    if existing.parent_id == parent.subject:  # the parent's own: they may know which one
        raise StudentAlreadyRegistered(
            "You registered this child already; withdraw that registration to choose again.",
            registration_id=str(existing.id),
        )
    raise _registered_elsewhere()


def _registered_elsewhere() -> StudentAlreadyRegistered:
    # Says nothing of who registered the child, nor where.
    return StudentAlreadyRegistered(
        "If you did not register this child, please contact the education office (Dinas "
        "Pendidikan) with the child's NISN."
    )


def _violated_constraint(exc: IntegrityError) -> str | None:
    # asyncpg's error, which SQLAlchemy's adapter wraps, names the constraint.
    return getattr(exc.orig.__cause__, "constraint_name", None) if exc.orig else None


async def register(desk: Desk, parent: Principal, body: RegistrationCreate) -> Registration:
    """Check every rule, then store the registration and announce it in one transaction."""
    _ensure_open(desk, admission_year=desk.period.year)
    school = await schools.get_by_npsn(session=desk.session, npsn=body.school_npsn)
    if school is None:
        raise UnknownSchool(
            f"No school in the city has NPSN {body.school_npsn}.",
            errors=_field("school_npsn", "No such school.", "unknown_school"),
        )
    _check_pathway_and_score(school.level, body)
    _check_family_card(body.family_card_issued_on, today=desk.today)
    _check_age(school.level, body, reference_date=desk.period.age_reference_date, today=desk.today)
    await _ensure_not_registered(desk, parent, body.student_nisn)
    registration = _new_registration(desk, parent, body, school)
    desk.session.add(registration)
    try:
        await desk.session.flush()
    except IntegrityError as exc:  # the same child registered by someone at this very moment
        if _violated_constraint(exc) == _ACTIVE_STUDENT_INDEX:
            raise _registered_elsewhere() from None
        raise
    await desk.outbox.add(
        desk.session,
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
    desk: Desk, parent: Principal, body: RegistrationCreate, school: School
) -> Registration:
    # Coordinates are stored to 6 places (about 0.1 m), and the distance is computed from
    # what is stored, so anyone can recompute it from the record.
    latitude = Decimal(f"{body.home_latitude:.6f}")
    longitude = Decimal(f"{body.home_longitude:.6f}")
    return Registration(
        admission_year=desk.period.year,
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
        registered_at=desk.now,
    )


async def withdraw(desk: Desk, parent: Principal, registration: Registration) -> None:
    """Take the child out of the running, while registration is open; they may register again."""
    if registration.status is not Status.SUBMITTED:
        raise RegistrationNotActive(current_status=registration.status.value)
    _ensure_open(desk, admission_year=registration.admission_year)
    registration.status = Status.WITHDRAWN
    registration.withdrawn_at = desk.now
    registration.withdrawn_by = parent.acted_by
    await desk.outbox.add(
        desk.session,
        RegistrationWithdrawn(
            registration_id=registration.id,
            admission_year=registration.admission_year,
            school_npsn=registration.school.npsn,
            level=registration.school.level,
            pathway=registration.pathway,
            withdrawn_at=desk.now,
        ),
        subject=str(registration.id),
    )
