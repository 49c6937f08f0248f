"""The education service's own problems (RFC 9457), each with a stable code and a title a
parent can read."""

from typing import Any

from education import labels
from education.admission.pathways import offered
from education.messages import _
from kota_contracts.education import SchoolLevel
from kota_shared.i18n import Sequence
from kota_shared.problems import Conflict, NotFound, ValidationFailed


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
    title = _("This student (NISN) already has an active registration this admission year.")


class RegistrationNotActive(Conflict):
    code = "registration_not_active"
    title = _("This registration was already withdrawn.")
