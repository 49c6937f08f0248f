"""The README and the docs say what is true: their links lead somewhere, the `make` targets they
name exist, and the README's walk-through, run as written against a suite that `kota up`
started, registers a citizen, gets a permit approved and pays its invoice at the simulated bank.
"""

import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from stdnum import luhn

from kota_dev.suite import PAYSIM
from kota_dev.suite_process import SuitePorts, running_suite, up_command

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
DOCUMENTS = sorted(
    [README, REPO / "CONTRIBUTING.md", REPO / "CHANGELOG.md", *(REPO / "docs").glob("*.md")]
)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
MAKE_TARGET = re.compile(r"`make ([a-z][a-z-]*)`|^make ([a-z][a-z-]*)", re.MULTILINE)
"""`make X` inline, or a command line in a code block that starts with it."""
README_MAX_LINES = 180
"""The README is for a newcomer (about 150 lines); reference belongs in docs/."""
WALK_THROUGH = re.compile(r"<!-- walk-through.*?-->(.*?)<!-- /walk-through -->", re.DOTALL)
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
ADDRESSES = "gw=http://127.0.0.1:8000 bank=http://127.0.0.1:8090"
"""The walk-through's first line: the only place it names where the suite listens."""


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to dashes."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(document: Path) -> set[str]:
    text = FENCE.sub("", document.read_text())
    return {_slug(heading) for heading in HEADING.findall(text)}


def _links(document: Path) -> list[str]:
    return LINK.findall(FENCE.sub("", document.read_text()))


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(document: Path) -> None:
    broken = []
    for link in _links(document):
        if re.match(r"^[a-z]+:", link):  # http:, https:, mailto:
            continue
        path, _, anchor = link.partition("#")
        target = (document.parent / path).resolve() if path else document
        if not target.exists():
            broken.append(f"{link}: no such file")
        elif anchor and target.suffix == ".md" and anchor not in _anchors(target):
            broken.append(f"{link}: no heading #{anchor} in {target.name}")
    assert not broken, f"{document.relative_to(REPO)}: {broken}"


def test_every_document_in_docs_is_reachable_from_the_readme() -> None:
    reachable: set[Path] = set()
    frontier = [README]
    while frontier:
        document = frontier.pop()
        for link in _links(document):
            path = link.partition("#")[0]
            if not path or re.match(r"^[a-z]+:", path):
                continue
            target = (document.parent / path).resolve()
            if target.suffix == ".md" and target.exists() and target not in reachable:
                reachable.add(target)
                frontier.append(target)
    orphans = [p.name for p in (REPO / "docs").glob("*.md") if p.resolve() not in reachable]
    assert not orphans, f"docs no page links to: {orphans}"


def test_every_make_target_the_docs_name_exists() -> None:
    makefile = (REPO / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE))
    named = {
        (document.name, target)
        for document in DOCUMENTS
        for match in MAKE_TARGET.findall(document.read_text())
        for target in match
        if target
    }
    assert named, "the README names `make up` and `make test` at least"
    missing = sorted(f"{name}: make {target}" for name, target in named if target not in targets)
    assert not missing, missing


def test_the_readme_stays_a_newcomers_page() -> None:
    lines = README.read_text().splitlines()
    assert len(lines) <= README_MAX_LINES, f"{len(lines)} lines: move reference into docs/"
    named = {target for match in MAKE_TARGET.findall(README.read_text()) for target in match}
    assert {"up", "test"} <= named, "the two commands"


def walk_through() -> str:
    """The README's walk-through: its ``sh`` blocks, in order, as one script."""
    (section,) = WALK_THROUGH.findall(README.read_text())
    script = "\n".join(SH_BLOCK.findall(section))
    assert script.startswith(ADDRESSES + "\n"), "the walk-through starts with its addresses"
    return script


def test_the_walk_through_is_a_valid_shell_script() -> None:
    checked = subprocess.run(
        ["bash", "-n"], input=walk_through(), capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr


@dataclass(frozen=True)
class RunningSuite:
    home: Path
    """Where the walk-through runs: ``.kota/run`` inside it is the suite's state directory,
    as it is inside a clone for `make up`."""
    gateway_port: int


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSuite]:
    home = tmp_path_factory.mktemp("clone")
    ports = SuitePorts.free()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOTA_TEST_")}
    command = up_command(home / ".kota" / "run", ports)
    with running_suite(command, log=home / "kota-up.out", env=env):
        yield RunningSuite(home=home, gateway_port=ports.base)


def _warnings(logs: Path, *, last: int = 5) -> str:
    """The last warnings and errors each service logged: why a step of the walk-through
    waited in vain (an event refused, a callback rejected)."""
    lines = []
    for log in sorted(logs.glob("*.log")):
        logged = log.read_text(errors="replace").splitlines()
        found = [line[:500] for line in logged if '"level": "WARNING"' in line or "ERROR" in line]
        lines += [f"{log.stem}: {line}" for line in found[-last:]]
    return "\n".join(lines)


@pytest.mark.e2e
@pytest.mark.timeout(600)
def test_the_walk_through_pays_an_invoice_and_issues_the_permit(suite: RunningSuite) -> None:
    gateway, bank = suite.gateway_port, suite.gateway_port + PAYSIM.port_offset
    script = walk_through().replace(
        ADDRESSES, f"gw=http://127.0.0.1:{gateway} bank=http://127.0.0.1:{bank}", 1
    )

    ran = subprocess.run(
        ["timeout", "240", "bash", "-euo", "pipefail"],
        input=script,
        cwd=suite.home,
        capture_output=True,
        text=True,
        check=False,
    )

    assert ran.returncode == 0, (
        f"stdout:\n{ran.stdout}\nstderr:\n{ran.stderr}\nthe suite's warnings:\n"
        + _warnings(suite.home / ".kota" / "run" / "logs")
    )
    lines = ran.stdout.splitlines()
    assert "submitted" in lines
    assert "in_review" in lines
    assert "awaiting_payment 150000" in lines
    (va,) = [line for line in lines if re.fullmatch(r"[0-9]{16}", line)]
    assert va == "8890800000000017", "the README names the first invoice's number"
    assert luhn.is_valid(va)
    assert "valid REKLAME/3671/" in ran.stdout
    assert "True 200" in lines, "the simulator's callback was acknowledged"
    statement = [line.split(",") for line in lines if line.startswith("SIM-")]
    assert [(row[2], row[3]) for row in statement] == [(va, "150000")]
