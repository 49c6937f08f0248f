"""Every service keeps the house shape written down in CONTRIBUTING.md, and the import graph
keeps the layers: a test that walks the tree instead of a reviewer's memory.

- each service has the same root modules (``main``, ``config``, ``db``) and migrations;
- SQL statements are written in repositories only;
- a router is imported by its service's ``main`` only, a service module by no repository;
- no service imports another; ``kota_shared`` and ``kota_contracts`` import no service;
- no import circle spans more than one folder;
- every published event model lives in ``kota_contracts``.
"""

import ast
import functools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

from kota_contracts.services import EVERY_SERVICE, ServiceDeclaration

REPO = Path(__file__).resolve().parents[2]
SERVICE_PACKAGES = [service.package for service in EVERY_SERVICE]
LIBRARIES = ["kota_shared", "kota_contracts"]
SIMULATORS = ["kota_paysim", "kota_regsim", "kota_notifysim"]
"""The outside parties' stand-ins: as separate from the services as the parties are."""
OTHERS = [*SIMULATORS, "kota_dev"]
REQUIRED_MODULES = ("__init__.py", "main.py", "config.py", "db.py", "migrations/env.py")
SQL_BUILDERS = frozenset({"select", "insert", "update", "delete"})
"""SQLAlchemy's statement constructors: a statement is written in a repository."""
SESSION_QUERIES = frozenset({"execute", "scalar", "scalars", "get", "stream", "stream_scalars"})
"""What a session runs statements with."""


@functools.cache
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*SERVICE_PACKAGES, *LIBRARIES, *OTHERS)


def source_root(service: ServiceDeclaration) -> Path:
    return REPO / service.folder / "src" / service.package


def modules_of(service: ServiceDeclaration) -> Iterator[tuple[str, Path]]:
    """Each module of the service outside its migration scripts, by dotted name."""
    root = source_root(service)
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] == "migrations":
            continue
        dotted = ".".join((service.package, *relative.with_suffix("").parts))
        yield dotted.removesuffix(".__init__"), path


def kind(module: str) -> str:
    last = module.rsplit(".", 1)[-1]
    if last == "router" or last.endswith("_router"):
        return "router"
    if last == "repository" or last.endswith("_repository"):
        return "repository"
    if last == "service" or last.endswith("_service"):
        return "service"
    return "other"


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
def test_a_service_has_the_house_modules(service: ServiceDeclaration) -> None:
    root = source_root(service)

    missing = [name for name in REQUIRED_MODULES if not (root / name).is_file()]
    assert missing == [], f"{service.folder} lacks {missing} (see CONTRIBUTING.md)"
    assert not (root / "models.py").exists(), (
        f"{service.package}/models.py: the declarative Base lives in db.py, and "
        "migrations/env.py imports each aggregate's models"
    )
    assert (root / "migrations" / "versions").is_dir()
    assert (REPO / service.folder / "tests").is_dir()


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
def test_an_aggregate_with_tables_has_a_repository(service: ServiceDeclaration) -> None:
    root = source_root(service)
    lacking = [
        str(models.parent.relative_to(root))
        for models in root.rglob("models.py")
        if not (models.parent / "repository.py").exists()
        and not (models.parent / "repository").is_dir()
    ]

    assert lacking == [], f"{service.package}: aggregates with models but no repository"


def sql_written_in(path: Path) -> list[str]:
    """Where ``path`` builds a SQL statement or runs one on a session."""
    tree = ast.parse(path.read_text())
    builders = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy")
        for alias in node.names
        if alias.name in SQL_BUILDERS
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id in builders:
            found.append(f"{path.name}:{node.lineno} {function.id}(...)")
        if (
            isinstance(function, ast.Attribute)
            and function.attr in SESSION_QUERIES
            and ast.unparse(function.value).endswith("session")
        ):
            found.append(f"{path.name}:{node.lineno} {ast.unparse(function)}(...)")
    return found


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
def test_sql_is_written_in_repositories_only(service: ServiceDeclaration) -> None:
    outside = [
        finding
        for module, path in modules_of(service)
        if kind(module) != "repository"
        for finding in sql_written_in(path)
    ]

    assert outside == [], f"{service.package}: SQL outside a repository: {outside}"


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
def test_routers_are_imported_by_main_only(service: ServiceDeclaration) -> None:
    main = f"{service.package}.main"
    wrong = [
        f"{importer} imports {module}"
        for module, _path in modules_of(service)
        if kind(module) == "router"
        for importer in graph().find_modules_that_directly_import(module)
        if importer != main
    ]

    assert wrong == []


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
def test_layers_point_down_routers_services_repositories(service: ServiceDeclaration) -> None:
    upward = [
        f"{module} imports {imported}"
        for module, _path in modules_of(service)
        for imported in graph().find_modules_directly_imported_by(module)
        if (kind(module), kind(imported)) in {("repository", "service"), ("repository", "router")}
        or (kind(module) == "service" and kind(imported) == "router")
    ]

    assert upward == []


def test_no_service_imports_another() -> None:
    crossing = [
        f"{importer} imports {imported}"
        for importer_package in [*SERVICE_PACKAGES, *SIMULATORS]
        for imported_package in [*SERVICE_PACKAGES, *SIMULATORS]
        if importer_package != imported_package
        for importer, imported in _direct_imports(importer_package, imported_package)
    ]

    assert crossing == []


@pytest.mark.parametrize("library", LIBRARIES)
def test_the_libraries_import_no_service(library: str) -> None:
    forbidden = [*SERVICE_PACKAGES, *OTHERS]
    if library == "kota_shared":
        forbidden.append("kota_contracts")  # contracts build on shared, not the reverse
    reaching = [
        f"{importer} imports {imported}"
        for package in forbidden
        for importer, imported in _direct_imports(library, package)
    ]

    assert reaching == []


def _direct_imports(importer: str, imported: str) -> list[tuple[str, str]]:
    return [
        (found["importer"], found["imported"])
        for found in graph().find_matching_direct_imports(
            import_expression=f"{importer}.** -> {imported}.**"
        )
    ]


def test_no_import_circle_spans_folders() -> None:
    spanning = [
        sorted(circle)
        for circle in _import_circles(graph())
        if len({module.rsplit(".", 1)[0] for module in circle}) > 1
    ]

    assert spanning == [], f"import circles across folders: {spanning}"


def _import_circles(imports: grimp.ImportGraph) -> list[set[str]]:
    """The strongly connected groups of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[set[str]] = []
    for start in sorted(imports.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(imports.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    imported = imports.find_modules_directly_imported_by(successor)
                    work.append((successor, iter(sorted(imported))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    circles.append(group)
    return circles


EVENTS_DECLARED_OUTSIDE_CONTRACTS = """
import importlib, sys
from kota_shared.events.envelope import registered_event_types
for package in sys.argv[1:]:
    importlib.import_module(package + ".main")
for event_type, model in sorted(registered_event_types().items()):
    if not model.__module__.startswith("kota_contracts."):
        print(event_type, "in", model.__module__)
"""


def test_every_published_event_is_declared_in_the_contracts() -> None:
    # In a fresh interpreter: this one has the test suites' own event types registered.
    result = subprocess.run(
        [sys.executable, "-c", EVENTS_DECLARED_OUTSIDE_CONTRACTS, *SERVICE_PACKAGES],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
