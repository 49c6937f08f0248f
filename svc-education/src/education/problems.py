"""The education service's own problems (RFC 9457), each with a stable code and a title a
parent can read."""

from typing import Any

from education import labels
from education.admission.pathways import offered
from education.messages import _
from kota_contracts.education import SchoolLevel
from kota_shared.i18n import Sequence
from kota_shared.problems import Conflict, NotFound, Problem, ValidationFailed


class RegistrationClosed(Conflict):
    code = "registration_period_closed"
    title = _("School admission registration is not open now.")


class UnknownSchool(ValidationFailed):
    code = "unknown_school"
    title = _("There is no school with this NPSN in the city.")


class SchoolNotFound(NotFound):
    code = "school_not_found"
    title = _("There is no school with this NPSN in the city.")


class PathwayNotOffered(ValidationFailed):
    code = "pathway_not_offered"
    title = _("This admission pathway is not offered at this school level.")

    @classmethod
    def at(cls, level: SchoolLevel, **extensions: Any) -> "PathwayNotOffered":
        """The problem for a pathway ``level`` does not offer, naming those it does."""
        pathways = offered(level)
        return cls(
            _(
                "At {level}, pupils are admitted through these pathways: {pathways}.",
                level=labels.level(level),
                pathways=Sequence.of(labels.pathway(pathway) for pathway in pathways),
            ),
            offered=[str(pathway) for pathway in pathways],
            **extensions,
        )


class AchievementScoreRequired(ValidationFailed):
    code = "achievement_score_required"
    title = _("The achievement pathway needs the child's achievement score.")


class AchievementScoreNotApplicable(ValidationFailed):
    code = "achievement_score_not_applicable"
    title = _("An achievement score is only for the achievement pathway (prestasi).")


class FamilyCardTooRecent(ValidationFailed):
    code = "family_card_too_recent"
    title = _("The family card (KK) must have been issued at least one year before registration.")


class StudentTooYoung(ValidationFailed):
    code = "student_too_young"
    title = _("The child is too young for this school level.")


class PsychologistRecommendationRequired(ValidationFailed):
    code = "psychologist_recommendation_required"
    title = _(
        "A child under 6 may enter primary school (SD) from 5½ years only with a "
        "psychologist's recommendation."
    )


class StudentTooOld(ValidationFailed):
    code = "student_too_old"
    title = _("The child is above the maximum age for this school level.")


class StudentAlreadyRegistered(Conflict):
    code = "student_already_registered"
    title = _("This child already has an active registration this admission year.")


class StudentNotOnFamilyCard(ValidationFailed):
    code = "student_not_on_family_card"
    title = _(
        "Only a child on your own family card (KK) can be registered; this NIK is not one of them."
    )


class FamilyCardNotFound(ValidationFailed):
    code = "no_family_card"
    title = _(
        "The civil registry lists no family card (KK) for you, so no child can be registered."
    )


class FamilyCardUnavailable(Problem):
    status = 503
    code = "family_card_unavailable"
    title = _(
        "Your family card (KK) cannot be read from the civil registry right now. Nothing was "
        "saved; please try again in a few minutes."
    )

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": "60"}, retry_after=60)


class HomeNotLocated(ValidationFailed):
    code = "home_not_located"
    title = _(
        "The address on your family card (KK) has no location yet, so the distance to the "
        "school cannot be measured. Please contact the education office (Dinas Pendidikan)."
    )


class FamilyRegistrationLimit(Conflict):
    code = "family_registration_limit"
    title = _("Your family card (KK) already has the most active registrations allowed this year.")


class RegistrationAlreadyVerified(Conflict):
    code = "registration_already_verified"
    title = _("This registration's documents were verified already.")


class RegistrationNotActive(Conflict):
    code = "registration_not_active"
    title = _("This registration was already withdrawn.")
