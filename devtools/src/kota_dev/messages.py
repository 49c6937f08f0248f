"""Every package's messages, extracted by Babel and merged into its Indonesian catalogue.

``uv run kota messages`` scans each package (the shared library and every registered
service) for ``_("…")`` calls, in its code and its HTML templates (Jinja2), adds the new
messages to ``locale/id/LC_MESSAGES/messages.po`` untranslated, and drops the ones the code
no longer has; a translator then fills in the ``msgstr`` lines. The shared library's
catalogue also holds pydantic's message templates (see `kota_shared.i18n.validation`).
`problems` lists what keeps a catalogue from being complete; the translation test fails
while anything is listed.
"""

import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from kota_contracts.services import EVERY_SERVICE
from kota_shared.i18n.catalogue import CATALOGUE_PATH
from kota_shared.i18n.validation import PYDANTIC_TEMPLATES

SHARED = "kota_shared"
METHOD_MAP = [
    ("**/migrations/**", "ignore"),
    ("**/testing/**", "ignore"),
    ("**.py", "python"),
    # Server-rendered pages mark their words with ``_("…")`` too (monitoring's dashboard).
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
]
KEYWORDS: dict[str, None] = {"_": None}
"""The one marker: ``_`` of the package's ``messages`` module, message first."""
PO_WIDTH = 100


def packages() -> list[str]:
    """Import names of the packages that have messages of their own."""
    return [SHARED, *(service.package for service in EVERY_SERVICE)]


def package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise LookupError(f"package {package} is not installed")
    return Path(spec.origin).parent


def catalogue_file(package: str) -> Path:
    return package_dir(package).joinpath(*CATALOGUE_PATH)


def extracted(package: str) -> Catalog:
    """The messages the package's code marks today (the template)."""
    root = package_dir(package)
    template = Catalog(project="Kota LIVE", domain="messages")
    for filename, lineno, message, comments, context in extract_from_dir(
        root, method_map=METHOD_MAP, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        template.add(
            message, locations=[(filename, lineno)], auto_comments=comments, context=context
        )
    if package == SHARED:
        for kind, text in sorted(PYDANTIC_TEMPLATES.items()):
            template.add(text, auto_comments=[f"pydantic error type: {kind}"])
    return template


def _read(path: Path) -> Catalog:
    if not path.is_file():
        return Catalog(locale="id", project="Kota LIVE", domain="messages")
    with path.open("rb") as po:
        return read_po(po, locale="id")


def update(package: str) -> Path | None:
    """Merge the package's template into its catalogue and write it back (none is made
    for a package that marks no message)."""
    path = catalogue_file(package)
    template = extracted(package)
    if not len(template) and not path.is_file():
        return None
    catalogue = _read(path)
    catalogue.update(template, no_fuzzy_matching=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(
            po,
            catalogue,
            width=PO_WIDTH,
            omit_header=True,  # no dates or tool versions: a diff shows only messages
            include_lineno=False,
            ignore_obsolete=True,
            sort_output=True,
        )
    return path


@dataclass(frozen=True)
class CatalogueProblem:
    package: str
    message: str
    what: str

    def __str__(self) -> str:
        return f"{self.package}: {self.what}: {self.message!r}"


def problems(package: str) -> Iterator[CatalogueProblem]:
    """What is missing, untranslated or left over in the package's catalogue."""
    catalogue = _read(catalogue_file(package))
    wanted = {str(message.id) for message in extracted(package) if message.id}
    present = {str(message.id): message for message in catalogue if message.id}
    for text in sorted(wanted - present.keys()):
        yield CatalogueProblem(package, text, "not in the catalogue (run `kota messages`)")
    for text in sorted(present.keys() - wanted):
        yield CatalogueProblem(package, text, "no longer in the code (run `kota messages`)")
    for text in sorted(wanted & present.keys()):
        entry = present[text]
        if not entry.string or entry.fuzzy:
            yield CatalogueProblem(package, text, "has no Indonesian translation")


def main(*, check: bool = False, only: list[str] | None = None) -> int:
    """Update every catalogue (or those of ``only``), or with ``check`` only report what is
    wrong with them."""
    chosen = only or packages()
    unknown = sorted(set(chosen) - set(packages()))
    if unknown:
        print(f"no such package with messages: {', '.join(unknown)}")
        return 2
    if not check:
        for package in chosen:
            if (written := update(package)) is not None:
                print(written)
    found = [problem for package in chosen for problem in problems(package)]
    for problem in found:
        print(problem)
    return 1 if found else 0
