"""The package's layers import downwards only: routes and the app factory sit on top; nothing
below them (dependencies, the runtime, the engine, reports, security, models) imports a route."""

from __future__ import annotations

import ast
from pathlib import Path

SIM = Path(__file__).resolve().parent.parent / "sim"
TOP = {"sim.routes", "sim.main", "sim.cli"}


def _top(module: str) -> bool:
    """The top layer: the trainee routes, the app factory, the CLI, and each wing's route
    modules (sim/<wing>/**/routes*.py), which may use the account helpers in sim.routes."""
    return (any(module == top or module.startswith(top + ".") for top in TOP)
            or any(part.startswith("routes") for part in module.split(".")[1:]))


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def _module(path: Path) -> str:
    return ".".join(path.relative_to(SIM.parent).with_suffix("").parts)


def test_nothing_below_the_routes_imports_them():
    offenders = []
    for path in sorted(SIM.rglob("*.py")):
        module = _module(path)
        if _top(module):
            continue
        if "migrations" in path.parts:
            continue
        for name in _imports(path):
            if name.startswith("sim.") and _top(name):
                offenders.append(f"{module} imports {name}")
    assert offenders == []


def test_the_runtime_lives_below_the_routes():
    assert (SIM / "runtime.py").is_file()
    assert not (SIM / "routes" / "runtime.py").exists()
    assert "sim.runtime.Runtime" in _imports(SIM / "deps.py")

