"""The `sim` command: each sub-module registers its own commands on one Typer app."""

from __future__ import annotations

import typer

from sim.cli import chat, personas, purge, score, serve

app = typer.Typer(
    name="sim",
    help="Resistance role-play simulator for psychotherapy training.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

for module in (score, personas, chat, serve, purge):
    module.register(app)
