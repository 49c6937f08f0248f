"""The shared library imports nothing built on it: no dev tool, no service, no simulator.

kota_shared's pytest plugin once imported kota_dev, which imports kota_shared; a cycle
like that makes every change to one a change to both. The plugin now lives in kota_dev.
"""

import ast
from pathlib import Path

import kota_shared

BUILT_ON_SHARED = (
    "kota_dev",
    "kota_gateway",
    "kota_paysim",
    "kota_regsim",
    "kota_notifysim",
    "permits",
    "health",
    "education",
    "payments",
    "monitoring",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_of_the_shared_library_imports_what_is_built_on_it():
    package = Path(kota_shared.__file__).parent
    offending = {
        f"{path.relative_to(package)}: {name}"
        for path in package.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in BUILT_ON_SHARED
    }
    assert offending == set()
