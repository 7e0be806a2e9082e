"""Helpers shared by CLI commands."""

from __future__ import annotations

from pathlib import Path

import typer

from sim.personas import Persona, load_persona, persona_files


def resolve_persona(name: str, directory: Path) -> Persona:
    """A persona by id (a file in the library) or by path to a YAML file; a clear error if
    neither exists, listing the ids that do."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return load_persona(path)
    candidate = directory / f"{name}.yaml"
    if not candidate.exists():
        known = ", ".join(p.stem for p in persona_files(directory)) or "none"
        raise typer.BadParameter(f"no persona {name!r} in {directory} (known: {known})")
    return load_persona(candidate)
