"""`sim purge`: deletes transcripts and program records whose retention has run out."""

from __future__ import annotations

import json

import typer


def purge(dry_run: bool = typer.Option(False, "--dry-run", help="Count, delete nothing.")
          ) -> None:
    """Transcripts after SIM_TRANSCRIPT_RETENTION_DAYS (or their program's setting), program
    records after the program's record retention; prints the counts as JSON."""
    from sim.config import get_settings
    from sim.db import make_engine, upgrade_database
    from sim.programs.config import ProgramSettings
    from sim.programs.privacy import purge as run

    url = get_settings().database_url
    upgrade_database(url)
    engine = make_engine(url)
    try:
        counts = run(engine, ProgramSettings().transcript_retention_days, dry_run=dry_run)
    finally:
        engine.dispose()
    typer.echo(json.dumps({"dry_run": dry_run, **counts}))


def register(app: typer.Typer) -> None:
    app.command("purge")(purge)
