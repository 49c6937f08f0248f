"""How messages a parent reads name school levels, pathways and ages, in their language.

The codes (``SMP``, ``domisili``) are for clients; a message names a level or a pathway the
way Indonesian does (``SMP``, ``jalur domisili``), or in English with the Indonesian term
beside it (``junior secondary school (SMP)``, ``the residence (domisili) pathway``).
"""

from dataclasses import dataclass

from education.admission.eligibility import Age
from education.messages import _
from kota_contracts.education import Pathway, SchoolLevel
from kota_shared.i18n import Language, Message
from kota_shared.i18n.catalogue import render

LEVELS: dict[SchoolLevel, Message] = {
    SchoolLevel.SD: _("primary school (SD)"),
    SchoolLevel.SMP: _("junior secondary school (SMP)"),
    SchoolLevel.SMA: _("senior secondary school (SMA)"),
}
PATHWAYS: dict[Pathway, Message] = {
    Pathway.DOMISILI: _("residence (domisili)"),
    Pathway.AFIRMASI: _("affirmative action (afirmasi)"),
    Pathway.MUTASI: _("parent's transfer (mutasi)"),
    Pathway.PRESTASI: _("achievement (prestasi)"),
}


def level(value: SchoolLevel) -> Message:
    """The level as a message names it: ``SD`` / ``primary school (SD)``."""
    return LEVELS[value]


def pathway(value: Pathway) -> Message:
    """The pathway as a message names it (without the word "pathway"): ``domisili`` /
    ``residence (domisili)``."""
    return PATHWAYS[value]


@dataclass(frozen=True)
class AgeInWords:
    """An age in years and months: ``5 tahun 3 bulan`` / ``5 years 3 months``."""

    age: Age

    def render(self, language: Language) -> str:
        years, months = self.age.years, self.age.months
        parts = [_("1 year") if years == 1 else _("{count} years", count=years)]
        if months:
            parts.append(_("1 month") if months == 1 else _("{count} months", count=months))
        return " ".join(render(part, language) for part in parts)
