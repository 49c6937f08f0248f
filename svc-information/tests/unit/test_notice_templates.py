"""Every template of every kind, channel, language and version renders from its event's
example, within the SMS limits, and prints nothing personal; the sandbox refuses tricks."""

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError
from notice_examples import PLANTED, VA_NUMBER, WIB, example_params

from information.notices.kinds import Channel, NoticeKind, channels_of
from information.rendering import Rendered, TemplateFault, TemplateMissing, render
from information.rendering.templates import LIBRARY, TemplateLibrary
from kota_shared.i18n import LANGUAGES, Language

MAX_SMS_SEGMENTS = 2
"""What a template with its example may take: texts that fit in two SMS parts, in GSM-7."""

EXAMPLES = example_params()
EVERY_TEMPLATE = [
    (kind, channel, language, version)
    for kind in NoticeKind
    for version in LIBRARY.versions.get(kind, ())
    for channel in channels_of(kind)
    for language in LANGUAGES
]
LEFTOVER_SYNTAX = ("{{", "}}", "{%", "%}", "{#", "#}")


def rendered(kind: NoticeKind, channel: Channel, language: Language, version: int) -> Rendered:
    return render(kind, channel, language, EXAMPLES[kind], timezone=WIB, version=version)


def texts(notice: Rendered) -> list[str]:
    parameters = notice.whatsapp.parameters if notice.whatsapp else ()
    return [notice.title or "", notice.body, *parameters]


def test_every_kind_has_templates_and_an_example() -> None:
    assert set(LIBRARY.versions) == set(NoticeKind)
    assert set(EXAMPLES) == set(NoticeKind)


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_each_version_has_its_channels_in_indonesian_and_nothing_else(kind: NoticeKind) -> None:
    allowed = {
        f"{channel}.{language}.j2" for channel in channels_of(kind) for language in LANGUAGES
    }
    for version in LIBRARY.versions[kind]:
        files = {path.name for path in (LIBRARY.root / kind / f"v{version}").iterdir()}

        assert files <= allowed, f"{kind} v{version}: unexpected {sorted(files - allowed)}"
        assert {f"{channel}.id.j2" for channel in channels_of(kind)} <= files


@pytest.mark.parametrize(("kind", "channel", "language", "version"), EVERY_TEMPLATE)
def test_every_template_renders_from_its_example(
    kind: NoticeKind, channel: Channel, language: Language, version: int
) -> None:
    notice = rendered(kind, channel, language, version)

    assert (notice.kind, notice.channel, notice.language, notice.version) == (
        kind,
        channel,
        language,
        version,
    )
    assert notice.body
    assert (notice.title is not None) == (channel in ("inbox", "letter"))
    for text in texts(notice):
        assert not [syntax for syntax in LEFTOVER_SYNTAX if syntax in text], text
        assert not [word for word in ("None", "True", "False") if word in text], text


@pytest.mark.parametrize(("kind", "channel", "language", "version"), EVERY_TEMPLATE)
def test_no_template_prints_a_full_nik_family_card_phone_or_secret(
    kind: NoticeKind, channel: Channel, language: Language, version: int
) -> None:
    """The examples plant them in every free text an event carries; the only 16-digit number
    a notice may print is the virtual account the citizen pays into."""
    for text in texts(rendered(kind, channel, language, version)):
        assert not [value for value in PLANTED if value in text], text
        assert set(re.findall(r"\d{16,}", text)) <= {VA_NUMBER}, text


@pytest.mark.parametrize(
    ("kind", "language", "version"),
    [(k, lang, v) for k, c, lang, v in EVERY_TEMPLATE if c == "sms"],
)
def test_every_sms_fits_the_limits_in_gsm7(
    kind: NoticeKind, language: Language, version: int
) -> None:
    notice = rendered(kind, "sms", language, version)

    assert notice.sms is not None
    assert notice.sms.encoding == "GSM-7", notice.body
    assert notice.sms.segments <= MAX_SMS_SEGMENTS, notice.body


@pytest.mark.parametrize(
    ("kind", "version"),
    [(k, v) for k in NoticeKind if "whatsapp" in channels_of(k) for v in LIBRARY.versions[k]],
)
def test_a_whatsapp_template_is_one_approved_text_per_version(
    kind: NoticeKind, version: int
) -> None:
    """Its name says kind and version and is the same in every language (one template, its
    translations); the body has no conditions, so what varies is in its parameters, and
    the preview holds each parameter in order."""
    messages = {lang: rendered(kind, "whatsapp", lang, version) for lang in LANGUAGES}
    names = {notice.whatsapp.template_name for notice in messages.values() if notice.whatsapp}

    assert names == {f"kota_{kind.replace('.', '_')}_v{version}"}
    for language, notice in messages.items():
        assert notice.whatsapp is not None
        assert notice.whatsapp.language == language
        source = (LIBRARY.root / kind / f"v{version}" / f"whatsapp.{language}.j2").read_text()
        assert "{%" not in re.sub(r"{% (end)?block( \w+)? %}", "", source)
        position = 0
        for parameter in notice.whatsapp.parameters:
            assert parameter
            assert parameter == " ".join(parameter.split())
            position = notice.body.index(parameter, position) + len(parameter)


@pytest.mark.parametrize("asked", ["fr", "jv", "", None, "id-ID", "*"])
def test_indonesian_is_written_when_a_language_is_not_one_we_write(asked: str | None) -> None:
    kind = NoticeKind.PERMIT_APPROVED
    notice = render(kind, "inbox", asked, EXAMPLES[kind], timezone=WIB)

    assert notice.language == "id"
    assert notice == render(kind, "inbox", "id", EXAMPLES[kind], timezone=WIB)


def test_english_is_written_when_asked_for_by_any_tag() -> None:
    kind = NoticeKind.PERMIT_APPROVED
    notice = render(kind, "inbox", "en-GB", EXAMPLES[kind], timezone=WIB)

    assert notice.language == "en"
    assert notice.title == "Your PBG application is approved"


def library(tmp_path: Path, files: dict[str, str]) -> TemplateLibrary:
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return TemplateLibrary(tmp_path)


SMS = "{% block text %}{{ greeting }}{% endblock %}"


def test_the_newest_version_is_used_and_reported(tmp_path: Path) -> None:
    templates = library(
        tmp_path,
        {
            "permit.submitted/v2/sms.id.j2": "{% block text %}v2 {{ greeting }}{% endblock %}",
            "permit.submitted/v10/sms.id.j2": "{% block text %}v10 {{ greeting }}{% endblock %}",
            "permit.submitted/v9/sms.id.j2": "{% block text %}v9 {{ greeting }}{% endblock %}",
            "permit.submitted/draft/sms.id.j2": SMS,
        },
    )

    newest = templates.render("permit.submitted", "sms", "id", {"greeting": "hai"}, timezone=WIB)
    asked = templates.render(
        "permit.submitted", "sms", "id", {"greeting": "hai"}, timezone=WIB, version=9
    )

    assert (newest.version, newest.body) == (10, "v10 hai")
    assert (asked.version, asked.body) == (9, "v9 hai")
    with pytest.raises(TemplateMissing):
        templates.render("permit.submitted", "sms", "id", {}, timezone=WIB, version=3)


def test_a_language_without_its_file_gets_indonesian(tmp_path: Path) -> None:
    templates = library(tmp_path, {"permit.submitted/v1/sms.id.j2": SMS})

    notice = templates.render("permit.submitted", "sms", "en", {"greeting": "hai"}, timezone=WIB)

    assert (notice.language, notice.body) == ("id", "hai")


@pytest.mark.parametrize(
    "trick",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ greeting.__class__.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ [].append(1) }}",
        "{{ {}.update(a=1) }}",
        "{{ p.__self__.context }}",
    ],
)
def test_the_sandbox_refuses_reaching_past_the_parameters(tmp_path: Path, trick: str) -> None:
    templates = library(
        tmp_path, {"permit.submitted/v1/sms.id.j2": f"{{% block text %}}{trick}{{% endblock %}}"}
    )

    with pytest.raises(SecurityError):
        templates.render("permit.submitted", "sms", "id", {"greeting": "hai"}, timezone=WIB)


def test_a_parameter_is_printed_as_text_never_run_as_a_template() -> None:
    kind = NoticeKind.ANNOUNCEMENT
    params = {**EXAMPLES[kind], "title_id": "{{ ''.__class__ }}", "body_id": "{% raw %}"}

    notice = render(kind, "inbox", "id", params, timezone=WIB)

    assert (notice.title, notice.body) == ("{{ ''.__class__ }}", "{% raw %}")


@pytest.mark.parametrize(
    ("source", "params", "error"),
    [
        (SMS, {}, UndefinedError),  # a missing (or misspelt) parameter
        (SMS, {"greeting": None}, TemplateFault),  # printing None to a citizen
        (SMS, {"greeting": True}, TemplateFault),
        ("{% block text %} {% endblock %}", {}, TemplateFault),  # an empty SMS
        ("{% block body %}{{ greeting }}{% endblock %}", {"greeting": "hai"}, TemplateFault),
    ],
)
def test_a_template_that_would_say_something_wrong_fails_instead(
    tmp_path: Path, source: str, params: dict[str, str | None], error: type[Exception]
) -> None:
    templates = library(tmp_path, {"permit.submitted/v1/sms.id.j2": source})

    with pytest.raises(error):
        templates.render("permit.submitted", "sms", "id", params, timezone=WIB)


def test_an_unknown_kind_has_no_template() -> None:
    with pytest.raises(TemplateMissing):
        render("permit.teleported", "inbox", "id", {}, timezone=WIB)


def test_an_sms_is_counted_in_the_alphabet_its_text_needs(tmp_path: Path) -> None:
    """Babel's and officers' typographic spaces and quotes become GSM-7 look-alikes; a
    character GSM-7 lacks makes the whole text UCS-2; extension characters count two."""
    templates = library(tmp_path, {"permit.submitted/v1/sms.id.j2": SMS})

    def sms(greeting: str) -> Rendered:
        return templates.render(
            "permit.submitted", "sms", "id", {"greeting": greeting}, timezone=WIB
        )

    typographic = sms("Rp\u00a0150.000 \u2013 \u201cok\u201d")
    assert typographic.body == 'Rp 150.000 - "ok"'
    assert typographic.sms is not None
    assert typographic.sms.encoding == "GSM-7"

    extension = sms("€" * 80)
    assert extension.sms is not None
    assert (extension.sms.encoding, extension.sms.units, extension.sms.segments) == (
        "GSM-7",
        160,
        1,
    )

    emoji = sms("Banjir 🌊 " + "a" * 62)
    assert emoji.sms is not None
    assert (emoji.sms.encoding, emoji.sms.units, emoji.sms.segments) == ("UCS-2", 72, 2)


def test_clocks_are_the_citys() -> None:
    """The same instant in a WITA city's notice reads an hour later, and says WITA."""
    kind = NoticeKind.INVOICE_PAID
    makassar = render(kind, "sms", "id", EXAMPLES[kind], timezone=ZoneInfo("Asia/Makassar"))

    assert "11 Maret 2026 20.45 WITA" in makassar.body
    assert "19.45 WIB" in render(kind, "sms", "id", EXAMPLES[kind], timezone=WIB).body
