"""`sim serve`, `sim db upgrade`, `sim create-admin`: run the web app and manage its database."""

from __future__ import annotations

import sys

import typer

DEMO_PASSWORD = "demo-password-123"
DEMO_ACCOUNTS = (
    ("trainee@example.org", "Demo Trainee", "trainee"),
    ("instructor@example.org", "Demo Instructor", "instructor"),
    ("admin@example.org", "Demo Admin", "admin"),
)

db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)


def _settings():
    from sim.config import get_settings

    return get_settings()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every Alembic migration to SIM_DATABASE_URL (alembic upgrade head)."""
    from sim.db import upgrade_database

    upgrade_database(_settings().database_url)
    typer.echo("database is at the latest schema")


def seed_demo(url: str) -> list[str]:
    """Creates the demo accounts that do not exist yet; returns the emails created."""
    from sim.db import make_engine, session_scope
    from sim.models import Role, UserCreate
    from sim.programs.teaching import teach
    from sim.routes.users import create_user
    from sim.security.sessions import find_user_by_email

    created = []
    engine = make_engine(url)
    with session_scope(engine) as db:
        for email, name, role in DEMO_ACCOUNTS:
            if find_user_by_email(db, email) is None:
                create_user(db, UserCreate(email=email, display_name=name, password=DEMO_PASSWORD,
                                           role=Role(role)))
                created.append(email)
        # the demo instructor reviews the demo trainee (an instructor's scope is their cohorts)
        instructor = find_user_by_email(db, "instructor@example.org")
        trainee = find_user_by_email(db, "trainee@example.org")
        if instructor and trainee and instructor.role == Role.INSTRUCTOR:
            teach(db, instructor.id or 0, [trainee.id or 0], "Demo program", "Demo cohort")
    engine.dispose()
    return created


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (0.0.0.0 in a container)."),
    port: int = typer.Option(8000, min=1, max=65535),
    workers: int = typer.Option(1, min=1, max=64, envvar="SIM_WORKERS",
                                help="uvicorn worker processes (a dead one is restarted)."),
    seed_demo_accounts: bool = typer.Option(
        False, "--seed-demo", help="Create demo trainee/instructor/admin accounts."),
    migrate: bool = typer.Option(
        True, "--migrate/--no-migrate", envvar="SIM_MIGRATE_ON_START",
        help="Apply migrations first (turn off when a release step runs `sim db upgrade`)."),
) -> None:
    """Migrate the database, then run the web app with uvicorn (its supervisor restarts a
    worker that dies; request bodies are limited in the app, sim/security/bodylimit.py)."""
    import uvicorn

    from sim.db import upgrade_database

    settings = _settings()
    if migrate:
        upgrade_database(settings.database_url)
    if seed_demo_accounts:
        created = seed_demo(settings.database_url)
        typer.echo(f"Demo accounts ({'created' if created else 'already present'}), "
                   f"password {DEMO_PASSWORD!r}:")
        for email, _, role in DEMO_ACCOUNTS:
            typer.echo(f"  {role:<10} {email}")
    typer.echo(f"Serving on http://{host}:{port} (voice={settings.voice}, "
               f"scorer={settings.scorer}, database={settings.database_url.split(':', 1)[0]})")
    # the supervisor SIGKILLs a worker that misses a 5 s health ping by default: on a starved
    # machine (seen under the 1,000-session bench) that killed live workers mid-turn
    uvicorn.run("sim.main:create_app", factory=True, host=host, port=port, workers=workers,
                log_config=None, proxy_headers=True, timeout_graceful_shutdown=30,
                timeout_worker_healthcheck=30)


def create_admin(
    email: str = typer.Argument(..., help="The administrator's email (login name)."),
    password: str | None = typer.Option(None, help="Password (visible in shell history)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read it from stdin."),
    name: str = typer.Option("Administrator", help="Display name."),
) -> None:
    """Create the first (or another) admin account."""
    from pydantic import ValidationError

    from sim.db import make_engine, session_scope, upgrade_database
    from sim.errors import AppError
    from sim.models import Role, UserCreate
    from sim.routes.users import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    if not password:
        raise typer.BadParameter("give --password or --password-stdin", param_hint="password")
    try:
        data = UserCreate(email=email, display_name=name, password=password, role=Role.ADMIN)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise typer.BadParameter(f"{err['loc'][0]}: {err['msg']}") from None
    url = _settings().database_url
    upgrade_database(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as db:
            create_user(db, data)
    except AppError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    typer.echo(f"admin {email.lower()} created")


def _throttle_store():
    from sim.db import make_engine
    from sim.security.throttle import DatabaseThrottle

    return DatabaseThrottle(make_engine(_settings().database_url))


def unlock(email: str = typer.Argument(..., help="The account's email (login name).")) -> None:
    """Clear the sign-in lockout that failed attempts put on an account (docs/DEPLOY.md)."""
    from sim.security.throttle import account_keys

    address = email.strip().lower()
    _throttle_store().clear(account_keys(address))
    typer.echo(f"sign-in lockout cleared for {address}")


def register(app: typer.Typer) -> None:
    """Adds serve, create-admin, unlock and the db group to the root app."""
    app.command("serve")(serve)
    app.command("create-admin")(create_admin)
    app.command("unlock")(unlock)
    app.add_typer(db_app, name="db")
