"""No scope is offered that nothing honours: every scope an agency client can be granted is
required by at least one operation of some service (``Require(scopes=...)``)."""

import ast
from pathlib import Path

from kota_contracts.access import Scope
from kota_contracts.services import EVERY_SERVICE
from kota_gateway.identity.settings import IdentitySettings

REPO = Path(__file__).resolve().parents[3]


def _scopes_in(expression: ast.expr) -> set[str]:
    """The scopes named in ``scopes=``: ``Scope.X`` members and string literals."""
    found = set()
    for node in ast.walk(expression):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Scope"
        ):
            found.add(Scope[node.attr].value)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
    return found


def required_scopes() -> dict[str, set[str]]:
    """Each scope some service's code requires, and where."""
    required: dict[str, set[str]] = {}
    for service in EVERY_SERVICE:
        for path in sorted((REPO / service.folder / "src").rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.attr if isinstance(node.func, ast.Attribute) else None
                name = node.func.id if isinstance(node.func, ast.Name) else name
                if name != "Require":
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "scopes":
                        for scope in _scopes_in(keyword.value):
                            required.setdefault(scope, set()).add(str(path.relative_to(REPO)))
    return required


def test_the_scan_finds_the_scopes_the_services_require() -> None:
    required = required_scopes()

    assert "svc-monitoring/src/monitoring/dependencies.py" in required["monitoring:read"]


def test_every_offered_scope_is_required_by_an_operation() -> None:
    required = required_scopes()
    offered = {scope.value for scope in Scope} | set(IdentitySettings().agency_client_scopes)

    unhonoured = sorted(offered - set(required))
    assert unhonoured == [], f"offered, but no operation requires them: {unhonoured}"


def test_the_fhir_scope_is_not_offered() -> None:
    """There is no FHIR API behind it (yet): granting it would promise what does not exist."""
    assert "health:fhir:read" not in {scope.value for scope in Scope}
    assert "health:fhir:read" not in IdentitySettings().agency_client_scopes
