"""The code's layers, as docs/architectuur.md draws them: domain packages import no Dagster,
and no two top-level packages (nor two modules) import each other, not even through an
import tucked inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

from orchestration.paths import PROJECT_ROOT

PACKAGES = ("orchestration", "expectations")
# Domain code: sources, intake, warehouse, reference data, the synthetic world, code lists.
DOMAIN = (
    "orchestration.bronnen",
    "orchestration.inname",
    "orchestration.warehouse",
    "orchestration.referentie",
    "orchestration.synthetic",
    "orchestration.codes",
    "orchestration.portaal",
    "expectations",
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every module of ours and everything it imports, wherever in the file."""
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            names: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module)
                    names.update(f"{node.module}.{alias.name}" for alias in node.names)
            found[_module_name(path)] = names
    return found


def _unit(module: str) -> str:
    """``orchestration.bronnen.nivel.read`` -> ``orchestration.bronnen``; other packages whole."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "orchestration" else parts[0]


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_domain_code_imports_no_dagster():
    offenders = {
        module: sorted(n for n in names if n.split(".")[0].startswith("dagster"))
        for module, names in _imports().items()
        if module.startswith(DOMAIN)
    }
    assert {m: n for m, n in offenders.items() if n} == {}


def test_no_import_cycles_between_packages_or_modules():
    imports = _imports()
    modules = set(imports)
    module_graph = {
        module: {n for n in names if n in modules and n != module}
        for module, names in imports.items()
    }
    # A module imports its parent package's __init__ on the way; that is not a dependency.
    for module, targets in module_graph.items():
        targets -= {t for t in targets if module.startswith(t + ".")}
    assert _cycle(module_graph) is None

    unit_graph: dict[str, set[str]] = {}
    for module, targets in module_graph.items():
        unit_graph.setdefault(_unit(module), set()).update(
            _unit(t) for t in targets if _unit(t) != _unit(module)
        )
    assert _cycle(unit_graph) is None
