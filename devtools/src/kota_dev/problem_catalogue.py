"""Every problem code the suite can answer with, found by scanning, for the gateway's pages.

A problem's ``type`` URL names its code (``/problems/<code>``), and the gateway serves a
page for each. The gateway may not import the services that define most codes (they are
separate deployments), so the codes are gathered here, where every package is installed:
every module of the shared library and of each registered service is imported, and every
`Problem` subclass that declares its own ``code`` is listed. The result is committed inside
the gateway's package (it ships with it), and a test fails when it is stale. Regenerate it
with ``uv run python -m kota_dev.problem_catalogue``.
"""

import importlib
import inspect
import json
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kota_contracts.services import EVERY_SERVICE
from kota_shared.problems import Problem

CATALOGUE = (
    Path(__file__).resolve().parents[3]
    / "gateway/src/kota_gateway/composition/problem_catalogue.json"
)
SHARED = "kota_shared"
EVERY_SERVICE_MARK = "all"
"""What `answered_by` says of the shared library's problems: any service may answer them."""
SKIPPED_PARTS = frozenset({"migrations", "testing", "__main__"})
"""Alembic scripts (run only by Alembic), test helpers and command-line entry points."""


def _packages() -> dict[str, str]:
    """Import package → who answers with its problems."""
    return {SHARED: EVERY_SERVICE_MARK, **{s.package: s.name for s in EVERY_SERVICE}}


def _import_all(package: str) -> None:
    root = importlib.import_module(package)
    for module in pkgutil.walk_packages(root.__path__, f"{package}."):
        if SKIPPED_PARTS.isdisjoint(module.name.split(".")):
            importlib.import_module(module.name)


def _subclasses(cls: type[Problem]) -> Iterator[type[Problem]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def problem_classes() -> list[type[Problem]]:
    """Every `Problem` subclass with a code of its own in the scanned packages."""
    packages = _packages()
    for package in packages:
        _import_all(package)
    candidates: list[type[Problem]] = [Problem, *_subclasses(Problem)]
    found = {
        cls
        for cls in candidates
        if "code" in cls.__dict__ and cls.__module__.split(".")[0] in packages
    }
    return sorted(found, key=lambda cls: (cls.code, cls.__module__, cls.__qualname__))


def catalogue() -> list[dict[str, Any]]:
    """One entry per code, ordered by code; a code two classes share must mean one thing."""
    packages = _packages()
    entries: dict[str, dict[str, Any]] = {}
    for cls in problem_classes():
        entry: dict[str, Any] = {
            "code": cls.code,
            "status": cls.status,
            "title_id": cls.title.render("id"),
            "title_en": cls.title.render("en"),
            "description_en": inspect.cleandoc(cls.__doc__) if cls.__doc__ else "",
            "answered_by": [packages[cls.__module__.split(".")[0]]],
            "defined_in": [f"{cls.__module__}.{cls.__qualname__}"],
        }
        known = entries.get(cls.code)
        if known is None:
            entries[cls.code] = entry
            continue
        if (known["status"], known["title_en"]) != (entry["status"], entry["title_en"]):
            raise ValueError(f"problem code {cls.code!r} means two things: {known} and {entry}")
        known["answered_by"] = sorted({*known["answered_by"], *entry["answered_by"]})
        known["defined_in"] += entry["defined_in"]
    return [entries[code] for code in sorted(entries)]


def render() -> str:
    return json.dumps(catalogue(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    CATALOGUE.write_text(render())
    print(CATALOGUE.relative_to(CATALOGUE.parents[4]))


if __name__ == "__main__":
    main()
