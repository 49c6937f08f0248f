"""The education service's own problems (RFC 9457), each with a stable code and a title a
parent can read."""

from typing import Any

from education.admission.pathways import offered
from kota_contracts.education import SchoolLevel
from kota_shared.problems import Conflict, NotFound, ValidationFailed


class RegistrationClosed(Conflict):
    code = "registration_period_closed"
    title_en = "School admission registration is not open now."
    title_id = "Pendaftaran SPMB sedang tidak dibuka."


class UnknownSchool(ValidationFailed):
    code = "unknown_school"
    title_en = "There is no school with this NPSN in the city."
    title_id = "Tidak ada sekolah dengan NPSN tersebut di kota ini."


class SchoolNotFound(NotFound):
    code = "school_not_found"
    title_en = "There is no school with this NPSN in the city."
    title_id = "Tidak ada sekolah dengan NPSN tersebut di kota ini."


class PathwayNotOffered(ValidationFailed):
    code = "pathway_not_offered"
    title_en = "This admission pathway is not offered at this school level."
    title_id = "Jalur pendaftaran ini tidak tersedia untuk jenjang sekolah tersebut."

    @classmethod
    def at(cls, level: SchoolLevel, **extensions: Any) -> "PathwayNotOffered":
        """The problem for a pathway ``level`` does not offer, naming those it does."""
        pathways = [str(pathway) for pathway in offered(level)]
        return cls(
            f"{level} schools admit through: {', '.join(pathways)}.",
            offered=pathways,
            **extensions,
        )


class AchievementScoreRequired(ValidationFailed):
    code = "achievement_score_required"
    title_en = "The achievement pathway needs the child's achievement score."
    title_id = "Jalur prestasi memerlukan nilai prestasi anak."


class AchievementScoreNotApplicable(ValidationFailed):
    code = "achievement_score_not_applicable"
    title_en = "An achievement score is only for the achievement pathway (prestasi)."
    title_id = "Nilai prestasi hanya untuk jalur prestasi."


class FamilyCardTooRecent(ValidationFailed):
    code = "family_card_too_recent"
    title_en = "The family card (KK) must have been issued at least one year before registration."
    title_id = (
        "Kartu Keluarga (KK) harus diterbitkan paling singkat satu tahun sebelum pendaftaran."
    )


class StudentTooYoung(ValidationFailed):
    code = "student_too_young"
    title_en = "The child is too young for this school level."
    title_id = "Usia anak belum cukup untuk jenjang sekolah ini."


class PsychologistRecommendationRequired(ValidationFailed):
    code = "psychologist_recommendation_required"
    title_en = (
        "A child under 6 may enter primary school (SD) from 5½ years only with a "
        "psychologist's recommendation."
    )
    title_id = (
        "Anak di bawah 6 tahun dapat masuk SD mulai usia 5½ tahun hanya dengan rekomendasi "
        "psikolog."
    )


class StudentTooOld(ValidationFailed):
    code = "student_too_old"
    title_en = "The child is above the maximum age for this school level."
    title_id = "Usia anak melebihi batas usia untuk jenjang sekolah ini."


class StudentAlreadyRegistered(Conflict):
    code = "student_already_registered"
    title_en = "This student (NISN) already has an active registration this admission year."
    title_id = "Siswa dengan NISN ini sudah memiliki pendaftaran aktif pada tahun ajaran ini."


class RegistrationNotActive(Conflict):
    code = "registration_not_active"
    title_en = "This registration was already withdrawn."
    title_id = "Pendaftaran ini sudah dibatalkan."
