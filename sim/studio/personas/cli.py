"""`sim personas import` and `sim personas export ID`: the YAML library into the database
(the same idempotent seed import the app runs at start-up) and any stored version back out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.config import get_settings
from sim.db import make_engine, session_scope, upgrade_database
from sim.errors import AppError
from sim.studio.personas.seed import import_library
from sim.studio.personas.service import export_text


def import_command(
    directory: Annotated[Path | None, typer.Option(
        "--dir", help="Personas folder (default SIM_PERSONAS_DIR)")] = None,
) -> None:
    """Imports personas/*.yaml into the database (new ids and higher versions only)."""
    settings = get_settings()
    upgrade_database(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        outcomes = import_library(engine, directory or settings.personas_dir)
    finally:
        engine.dispose()
    for name, outcome in outcomes.items():
        typer.echo(f"{name}: {outcome}")
    bad = [n for n, o in outcomes.items() if o.startswith("invalid")]
    typer.echo(f"{len(outcomes) - len(bad)} of {len(outcomes)} file(s) stored")
    if bad:
        raise typer.Exit(1)


def export_command(
    persona_id: Annotated[str, typer.Argument(help="The persona's id")],
    version: Annotated[int | None, typer.Option(
        "--version", min=1, help="Which version (default: published, else the newest)")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write this file instead of printing")] = None,
) -> None:
    """Prints (or writes) a stored persona version as YAML, as it would sit in personas/."""
    settings = get_settings()
    upgrade_database(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as db:
            number, text = export_text(db, persona_id, version)
    except AppError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output} ({persona_id} v{number})")


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("export")(export_command)
