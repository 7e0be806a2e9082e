"""`sim personas validate|schema|check`: tools for persona authors.

validate reports every problem of every file (file:line:column: field: what, allowed), then
every gap in coverage (a topic with no answers, no answer to a risk question, a bank too small
for 60 turns), and exits 1 if any; schema exports the JSON Schema editors can use for
completion; check runs the behaviour battery (sim/engine/battery.py: confrontational, skilful
and repairing trainees plus the clinical cases) and fails a persona that does not react as a
clinician would expect.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sim.cli.common import resolve_persona
from sim.config import REPO_ROOT, get_settings
from sim.personas import PersonaError, load_persona, persona_files
from sim.personas.coverage import coverage_issues
from sim.personas.schema import json_schema as persona_schema

personas_app = typer.Typer(help="Validate, export the schema of, and behaviour-check personas.")
SCHEMA_PATH = REPO_ROOT / "personas" / "schema.json"


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(persona_files(path))
        else:
            files.append(path)
    return files


@personas_app.command("validate")
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: the personas folder)")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on gaps in coverage too (the shipped library)")
    ] = False,
) -> None:
    """Checks persona files; prints every error as file:line:column: field: problem, then every
    gap in coverage (a draft may have gaps; --strict fails on them)."""
    console = Console(highlight=False, soft_wrap=True)
    files = _expand(paths or [get_settings().personas_dir])
    if not files:
        console.print("no persona files (*.yaml) found")
        raise typer.Exit(1)
    bad = gapped = 0
    for path in files:
        if not path.exists():
            console.print(f"{path}:1:1: <file>: no such file")
            bad += 1
            continue
        try:
            persona = load_persona(path)
        except PersonaError as exc:
            bad += 1
            for issue in exc.issues:
                console.print(str(issue), markup=False)
            continue
        gaps = coverage_issues(path, persona)
        for issue in gaps:
            console.print(str(issue), markup=False)
        gapped += bool(gaps)
        state = "ok" if not gaps else "ok (with gaps in coverage)"
        console.print(f"{state} {path} ({persona.id} v{persona.version})", markup=False)
    if gapped:
        console.print(f"{gapped} of {len(files)} file(s) with gaps in coverage"
                      + ("" if strict else " (--strict fails on them)"))
    if bad or (strict and gapped):
        if bad:
            console.print(f"{bad} of {len(files)} file(s) invalid")
        raise typer.Exit(1)
    console.print(f"all {len(files)} persona file(s) valid")


@personas_app.command("schema")
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of printing")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help=f"Exit 1 if {SCHEMA_PATH.name} is out of date")
    ] = False,
) -> None:
    """Prints (or writes) the persona JSON Schema."""
    text = json.dumps(persona_schema(), indent=2) + "\n"
    if check:
        target = output or SCHEMA_PATH
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            typer.echo(f"{target} is out of date: run `sim personas schema -o {target}`")
            raise typer.Exit(1)
        typer.echo(f"{target} is up to date")
        return
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}")
    else:
        typer.echo(text, nl=False)


@personas_app.command("check")
def check(
    persona: Annotated[str | None, typer.Argument(help="Persona id or YAML path")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Check every persona")] = False,
    personas_dir: Annotated[
        Path | None, typer.Option("--dir", help="Personas folder (default from settings)")
    ] = None,
) -> None:
    """Runs the behaviour battery; exits 1 where a persona does not behave as designed."""
    from scoring import get_scorer
    from sim.engine.battery import run_battery

    console = Console(highlight=False, soft_wrap=True)
    directory = personas_dir or get_settings().personas_dir
    if not all_ and not persona:
        raise typer.BadParameter("name a persona or pass --all")
    try:
        personas = (
            [load_persona(p) for p in persona_files(directory)]
            if all_
            else [resolve_persona(persona or "", directory)]
        )
    except PersonaError as exc:
        for issue in exc.issues:
            console.print(str(issue), markup=False)
        raise typer.Exit(1) from None
    scorer = get_scorer("offline")
    table = Table(title="Behaviour battery")
    for column in ("persona", "check", "result", "detail"):
        table.add_column(column, overflow="fold")
    failed = 0
    for item in personas:
        result = run_battery(item, scorer)
        failed += not result.ok
        for name, ok, detail in result.checks:
            table.add_row(item.id, name, "[green]ok[/]" if ok else "[red]FAIL[/]", detail)
        table.add_section()
        for failure in result.failures:
            console.print(f"[red]FAIL[/] {item.id}: {failure}")
    console.print(table)
    if failed:
        console.print(f"{failed} of {len(personas)} persona(s) failed the battery")
        raise typer.Exit(1)
    console.print(f"all {len(personas)} persona(s) behave as designed")


def register(app: typer.Typer) -> None:
    """Adds `sim personas ...` to the root app (import/export: the persona studio's)."""
    from sim.studio.personas.cli import register as studio_commands

    studio_commands(personas_app)
    app.add_typer(personas_app, name="personas")
