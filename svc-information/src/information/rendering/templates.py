"""Notices written from templates kept as code: ``templates/<kind>/v<N>/<channel>.<lang>.j2``.

The newest version of a kind is used unless a version is asked for (a notice keeps the one
it was written with, to write it again the same way). Each file holds the channel's parts as
named blocks: ``title`` and ``body`` (inbox, letter), ``text`` (SMS), ``template_name`` and
``body`` (WhatsApp, whose body marks each template parameter with ``p(...)``). Indonesian is
always there; a language without its file, or one we do not write, gets Indonesian.

Rendering runs in Jinja2's immutable sandbox with strict undefined values: a template can
read its parameters and call its filters, nothing else (``''.__class__`` is refused), a
misspelt parameter is an error rather than a blank, and so is printing ``None`` or a bool.
Autoescaping is off: the output is text (the inbox is JSON, SMS and WhatsApp plain text), and
nothing a citizen or an officer wrote is ever compiled as a template, only printed.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import FileSystemLoader, StrictUndefined, Template, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment

from information.notices.kinds import Channel, NoticeKind, NoticeParams
from information.rendering.formats import Formats
from information.rendering.sms import plain
from kota_shared.i18n import DEFAULT_LANGUAGE, Language, negotiate
from kota_shared.sms import SmsLength, measure

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

BLOCKS: dict[Channel, frozenset[str]] = {
    "inbox": frozenset({"title", "body"}),
    "letter": frozenset({"title", "body"}),
    "sms": frozenset({"text"}),
    "whatsapp": frozenset({"template_name", "body"}),
}
"""The parts each channel's template must define, and may not go beyond."""

_VERSION = re.compile(r"v([1-9][0-9]*)")


class TemplateMissing(LookupError):
    """No template for this kind, channel and version."""


class TemplateFault(ValueError):
    """A template that breaks the layout's rules (its blocks, an empty part)."""


@dataclass(frozen=True)
class WhatsAppMessage:
    """A WhatsApp Cloud API template message: the pre-approved template and its body's
    parameters in order (``{{1}}``, ``{{2}}``, ...)."""

    template_name: str
    language: Language
    """The template's language code, as the Cloud API names it (``id``, ``en``)."""
    parameters: tuple[str, ...]


@dataclass(frozen=True)
class Rendered:
    kind: NoticeKind
    channel: Channel
    language: Language
    """The language written, which is Indonesian when the one asked for has no template."""
    version: int
    """The template version used: stored with the notice."""
    title: str | None
    """Inbox and letter only."""
    body: str
    """The inbox's or the letter's body, the SMS's text, or the WhatsApp message as the
    citizen reads it (the approved template filled in with ``whatsapp.parameters``)."""
    whatsapp: WhatsAppMessage | None = None
    sms: SmsLength | None = None
    """The SMS's alphabet and parts."""


def _printable(value: object) -> object:
    """What ``{{ ... }}`` may print: a template says what to write for an absent value or a
    flag, rather than printing ``None`` or ``True`` to a citizen."""
    if value is None or isinstance(value, bool):
        raise TemplateFault(f"a template printed {value!r}: test the value instead")
    return value


def _one_line(value: object) -> str:
    # The Cloud API refuses a parameter with a newline, a tab or more than four spaces in a
    # row; an officer's text may hold any of them.
    return " ".join(str(_printable(value)).split())


class _Filling:
    """One template filled with one notice's parameters, a part at a time; the WhatsApp
    parameters are collected in the order the body prints them (``p(...)``)."""

    def __init__(self, template: Template, params: NoticeParams) -> None:
        self.template = template
        self.parameters: list[str] = []
        self.context = template.new_context({**params, "p": self._parameter})

    def _parameter(self, value: object) -> str:
        text = _one_line(value)
        if not text:
            number = len(self.parameters) + 1
            raise TemplateFault(f"{self.template.name}: parameter {number} is empty")
        self.parameters.append(text)
        return text

    def part(self, name: str) -> str:
        text = "".join(self.template.blocks[name](self.context)).strip()
        if not text:
            raise TemplateFault(f"{self.template.name}: its {name} is empty")
        return text


class TemplateLibrary:
    """The templates under ``root`` (the service's own, or a test's)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._environments: dict[tuple[Language, str], ImmutableSandboxedEnvironment] = {}

    @cached_property
    def versions(self) -> Mapping[str, tuple[int, ...]]:
        """Each kind's template versions, oldest first (read once: templates ship with the
        code and do not change while it runs)."""
        found: dict[str, tuple[int, ...]] = {}
        for folder in sorted(path for path in self.root.iterdir() if path.is_dir()):
            numbers = [
                int(match.group(1))
                for version in folder.iterdir()
                if version.is_dir() and (match := _VERSION.fullmatch(version.name))
            ]
            if numbers:
                found[folder.name] = tuple(sorted(numbers))
        return found

    def latest_version(self, kind: str) -> int:
        try:
            return self.versions[kind][-1]
        except KeyError:
            raise TemplateMissing(f"no templates for notice kind {kind!r}") from None

    def environment(self, language: Language, timezone: ZoneInfo) -> ImmutableSandboxedEnvironment:
        """The sandbox templates in ``language`` render in, with its filters."""
        key = (language, timezone.key)
        if key not in self._environments:
            environment = ImmutableSandboxedEnvironment(
                loader=FileSystemLoader(self.root),
                undefined=StrictUndefined,
                autoescape=False,  # text for JSON, SMS and WhatsApp, not HTML
                finalize=_printable,
                auto_reload=False,
            )
            environment.filters.update(Formats(language, timezone).filters())
            self._environments[key] = environment
        return self._environments[key]

    def render(
        self,
        kind: str,
        channel: Channel,
        language: str | None,
        params: NoticeParams,
        *,
        timezone: ZoneInfo,
        version: int | None = None,
    ) -> Rendered:
        """The notice ``kind`` for ``channel`` in ``language`` (a preference or a language
        tag; anything we do not write gets Indonesian), filled with ``params``, with the
        city's ``timezone`` on its clocks. The newest version unless ``version`` is given."""
        try:
            notice_kind = NoticeKind(kind)
        except ValueError:
            raise TemplateMissing(f"no notice kind {kind!r}") from None
        version = self.latest_version(kind) if version is None else version
        written_in, template = self._template(
            notice_kind, channel, version, negotiate(language), timezone
        )
        blocks = set(template.blocks)
        if blocks != BLOCKS[channel]:
            raise TemplateFault(
                f"{template.name}: blocks {sorted(blocks)}, a {channel} template has "
                f"{sorted(BLOCKS[channel])}"
            )
        filled = _Filling(template, params)
        common: dict[str, Any] = {
            "kind": notice_kind,
            "channel": channel,
            "language": written_in,
            "version": version,
        }
        match channel:
            case "inbox" | "letter":
                return Rendered(**common, title=filled.part("title"), body=filled.part("body"))
            case "sms":
                text = plain(filled.part("text"))
                return Rendered(**common, title=None, body=text, sms=measure(text))
            case "whatsapp":
                name, body = filled.part("template_name"), filled.part("body")
                message = WhatsAppMessage(name, written_in, tuple(filled.parameters))
                return Rendered(**common, title=None, body=body, whatsapp=message)

    def _template(
        self,
        kind: NoticeKind,
        channel: Channel,
        version: int,
        language: Language,
        timezone: ZoneInfo,
    ) -> tuple[Language, Template]:
        """The template in ``language``, else in Indonesian, with the language it is in."""
        name = f"{kind}/v{version}/{channel}"
        for written_in in dict.fromkeys((language, DEFAULT_LANGUAGE)):
            try:
                environment = self.environment(written_in, timezone)
                return written_in, environment.get_template(f"{name}.{written_in}.j2")
            except TemplateNotFound:
                continue
        raise TemplateMissing(f"no {channel} template for {kind} v{version}")


LIBRARY = TemplateLibrary(TEMPLATES)
"""The service's templates."""


def render(
    kind: str,
    channel: Channel,
    language: str | None,
    params: NoticeParams,
    *,
    timezone: ZoneInfo,
    version: int | None = None,
) -> Rendered:
    """A notice from the service's templates (see `TemplateLibrary.render`)."""
    return LIBRARY.render(kind, channel, language, params, timezone=timezone, version=version)
