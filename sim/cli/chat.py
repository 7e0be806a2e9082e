"""Placeholder: replaced by the owner of this command group."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Adds this module's commands to the root app (filled in by its owner)."""
