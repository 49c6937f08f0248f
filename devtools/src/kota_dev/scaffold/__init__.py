"""``kota new-service NAME``: a new service in the house shape, declared in every place the
suite reads, so it boots, migrates, answers ``/readyz``, passes its own tests and is started
by ``kota up`` with nothing edited by hand.

It writes ``svc-NAME/`` from the templates beside this module, the service's contracts module
(``kota_contracts/NAME.py``, its topic), its entry in the registry
(``kota_contracts/services.py``) and in the workspace (root ``pyproject.toml``), and
re-renders ``docker-compose.yml`` (and with it the PostgreSQL init script's list). Then
``uv sync`` installs it.
"""

import keyword
import os
import re
import subprocess
import sys
from pathlib import Path

from kota_contracts import services as registry

TEMPLATES = Path(__file__).resolve().parent / "templates"
PACKAGE_PLACEHOLDER = "__package__"
TEMPLATE_SUFFIX = ".tmpl"
"""Templates are not Python files until filled in: no linter or test runner reads them."""
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]{1,29}$")
"""Lower-case letters and digits: the name is a URL segment, a database, a role, a Python
package and (upper-cased) a settings prefix at once."""
TAKEN = frozenset(
    {"auth", "me", "paysim", "regsim", "notifysim", "shared", "contracts", "dev", "tests", "kota"}
)
"""Names that would hide a gateway route, a simulator or a workspace package."""


class ScaffoldError(ValueError):
    """The name cannot be used; the message says why."""


def check_name(name: str, repo: Path) -> None:
    if not NAME_PATTERN.match(name):
        raise ScaffoldError(
            f"{name!r}: use 2-30 lower-case letters and digits, starting with a letter"
        )
    if keyword.iskeyword(name) or name in sys.stdlib_module_names or name in TAKEN:
        raise ScaffoldError(f"{name!r} is reserved (a Python module or a suite name)")
    if any(service.name == name for service in registry.EVERY_SERVICE):
        raise ScaffoldError(f"{name!r} is already declared in kota_contracts.services")
    if (repo / f"svc-{name}").exists():
        raise ScaffoldError(f"svc-{name}/ already exists")


def new_service(name: str, repo: Path) -> list[Path]:
    """Scaffold service ``name`` in the workspace at ``repo``; returns the files written."""
    check_name(name, repo)
    words = {"{{name}}": name, "{{Name}}": name.capitalize(), "{{NAME}}": name.upper()}
    written = _copy_templates(TEMPLATES / "service", repo / f"svc-{name}", name, words)
    contract = repo / "contracts" / "src" / "kota_contracts" / f"{name}.py"
    contract.write_text(_fill((TEMPLATES / "contract.py.tmpl").read_text(), words))
    registry_file = repo / "contracts" / "src" / "kota_contracts" / "services.py"
    registry_file.write_text(_declare(registry_file.read_text(), name))
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(_add_member(pyproject.read_text(), name))
    written += [contract, registry_file, pyproject]
    _tidy(repo, [p for p in written if p.suffix == ".py"])
    _render_compose(repo)
    return [*written, repo / "docker-compose.yml"]


def _fill(text: str, words: dict[str, str]) -> str:
    for placeholder, value in words.items():
        text = text.replace(placeholder, value)
    return text


def _copy_templates(source: Path, target: Path, name: str, words: dict[str, str]) -> list[Path]:
    written = []
    for template in sorted(source.rglob("*")):
        if template.suffix != TEMPLATE_SUFFIX:
            continue
        relative = str(template.relative_to(source)).replace(PACKAGE_PLACEHOLDER, name)
        relative = relative.removesuffix(TEMPLATE_SUFFIX)
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_fill(template.read_text(), words))
        written.append(path)
    return written


_IMPORT = re.compile(r"^from kota_contracts import ([\w, ]+)$", re.MULTILINE)
_END_OF_SERVICES = '\n)\n"""Every service behind the gateway'


def _declare(source: str, name: str) -> str:
    """The registry's source with ``name`` imported and declared after the last service."""
    found = _IMPORT.search(source)
    if found is None or _END_OF_SERVICES not in source:
        raise ScaffoldError("kota_contracts/services.py no longer has the shape this tool edits")
    modules = sorted({*found.group(1).replace(" ", "").split(","), name})
    source = source.replace(found.group(0), f"from kota_contracts import {', '.join(modules)}")
    offset = max(service.port_offset for service in registry.EVERY_SERVICE) + 1
    declaration = (
        "\n    ServiceDeclaration(\n"
        f'        name="{name}",\n'
        f"        port_offset={offset},\n"
        f'        package="{name}",\n'
        f'        folder="svc-{name}",\n'
        f"        publishes={name}.TOPIC,\n"
        "    ),"
    )
    return source.replace(_END_OF_SERVICES, declaration + _END_OF_SERVICES, 1)


def _add_member(pyproject: str, name: str) -> str:
    """The root ``pyproject.toml`` with the service as a workspace member everywhere."""
    distribution, folder = f"kota-{name}", f"svc-{name}"
    # Services go before the simulators, which close each list.
    edits = (
        ('    "kota-paysim",\n', f'    "{distribution}",\n    "kota-paysim",\n'),
        (', "paysim", ', f', "{folder}", "paysim", '),
        (
            "kota-paysim = { workspace = true }\n",
            f"{distribution} = {{ workspace = true }}\nkota-paysim = {{ workspace = true }}\n",
        ),
        (":paysim/src", f":{folder}/src:paysim/src"),
        ('"paysim/tests", ', f'"{folder}/tests", "paysim/tests", '),
        ('"kota_paysim", ', f'"{name}", "kota_paysim", '),
    )
    for old, new in edits:
        if old not in pyproject:
            raise ScaffoldError(f"pyproject.toml no longer has {old.strip()!r} where expected")
        pyproject = pyproject.replace(old, new, 1)
    return pyproject


def _tidy(repo: Path, files: list[Path]) -> None:
    """Wrap long lines, then sort imports, as the linters want (ruff is a dev dependency).

    Formatting first: a long name makes a template's line too long for ``ruff check``."""
    names = [str(path) for path in files]
    for command in (["format", "--quiet", *names], ["check", "--fix", "--quiet", *names]):
        subprocess.run([sys.executable, "-m", "ruff", *command], cwd=repo, check=True)


def _render_compose(repo: Path) -> None:
    """``kota compose`` in a fresh interpreter: this one has the old registry imported."""
    sources = [repo / "contracts" / "src", repo / "devtools" / "src"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(path) for path in sources)}
    subprocess.run([sys.executable, "-m", "kota_dev.cli", "compose"], cwd=repo, env=env, check=True)
