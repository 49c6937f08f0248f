"""Registered templates: their placeholders counted and filled in order."""

import pytest

from kota_notifysim.templates import AlreadyRegistered, Templates
from kota_notifysim.whatsapp_schemas import TemplateCreate


def definition(body: str, *, language: str = "id") -> TemplateCreate:
    return TemplateCreate.model_validate(
        {
            "name": "izin_disetujui",
            "language": language,
            "category": "UTILITY",
            "components": [{"type": "HEADER", "text": "Kota"}, {"type": "BODY", "text": body}],
        }
    )


def test_the_body_is_filled_in_by_placeholder_number() -> None:
    template = Templates().register(definition("{{2}} untuk {{1}}; lagi {{2}}."))

    assert template.parameter_count == 2
    assert template.render(("Budi", "PBG")) == "PBG untuk Budi; lagi PBG."


def test_one_template_per_name_and_language() -> None:
    templates = Templates()
    templates.register(definition("Halo {{1}}"))
    templates.register(definition("Hello {{1}}", language="en"))

    with pytest.raises(AlreadyRegistered):
        templates.register(definition("Hai {{1}}"))
    found = templates.find("izin_disetujui", "en")
    assert found is not None
    assert found.render(("Budi",)) == "Hello Budi"
    assert templates.delete("izin_disetujui") == 2
    assert templates.listed() == []
