"""Real-browser fixtures: the real app under uvicorn (temp SQLite, scripted voice, offline
scorer, demo accounts) and Debian's chromium driven by Playwright. Never `playwright install`.

Set SIM_E2E_BASE_URL to drive an already running server instead (it must have the demo
accounts); the suite then starts nothing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TRAINEE_EMAIL = "trainee@example.org"
TRAINEE_PASSWORD = "demo-password-123"  # sim.cli.serve.DEMO_PASSWORD

def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is an e2e test, and needs the system chromium."""
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing (install Debian's chromium: make system-deps)")
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


EXTRA_TRAINEES = 60
EXTRA_STAFF = 12  # instructors and admins for the review and admin pages (logins are limited)


def _seed(url: str) -> None:
    """Schema via the project's migrations, the demo accounts as `sim serve --seed-demo`, and
    one fresh trainee per test (each test starts from an empty history), and instructors and
    admins for the review and admin pages. The hashes are real argon2id at test cost (the
    server verifies each with the cost it was made with): 60 hashes at production cost took
    minutes on a busy machine."""
    from argon2 import PasswordHasher

    from sim.security import passwords

    real = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    try:
        _create_accounts(url)
    finally:
        passwords._hasher = real


def _create_accounts(url: str) -> None:
    from sim.cli.serve import seed_demo
    from sim.db import make_engine, session_scope, upgrade_database
    from sim.models import Role, UserCreate
    from sim.programs.teaching import teach
    from sim.routes.users import create_user

    upgrade_database(url)
    seed_demo(url)
    engine = make_engine(url)
    with session_scope(engine) as db:
        trainees = [create_user(db, UserCreate(
            email=f"e2e-{i}@example.org", display_name=f"Trainee {i}",
            password=TRAINEE_PASSWORD, role=Role.TRAINEE)).id or 0 for i in range(EXTRA_TRAINEES)]
        for i in range(EXTRA_STAFF):
            for role in (Role.INSTRUCTOR, Role.ADMIN):
                staff = create_user(db, UserCreate(
                    email=f"e2e-{role.value}-{i}@example.org",
                    display_name=f"{role.value.title()} {i}", password=TRAINEE_PASSWORD,
                    role=role))
                if role == Role.INSTRUCTOR:  # every e2e trainee is in each instructor's scope
                    teach(db, staff.id or 0, trainees, "E2E program")
    engine.dispose()


_accounts = iter(range(EXTRA_TRAINEES))
_staff = {"instructor": iter(range(EXTRA_STAFF)), "admin": iter(range(EXTRA_STAFF))}


def staff_email(role: str) -> str:
    """A fresh instructor or admin account for one test (demo accounts on an external server)."""
    if os.environ.get("SIM_E2E_BASE_URL"):
        return f"{role}@example.org"
    return f"e2e-{role}-{next(_staff[role])}@example.org"


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app's root URL; starts uvicorn in a subprocess unless SIM_E2E_BASE_URL is set."""
    external = os.environ.get("SIM_E2E_BASE_URL")
    if external:
        yield external.rstrip("/")
        return
    folder = tmp_path_factory.mktemp("e2e-app")
    db_url = f"sqlite:///{folder / 'e2e.db'}"
    _seed(db_url)
    port = _free_port()
    env = {**os.environ, "SIM_DATABASE_URL": db_url, "SIM_VOICE": "scripted",
           "SIM_SCORER": "offline", "SIM_RATE_LIMIT_PER_MINUTE": "10000",
           "SIM_LOG_LEVEL": "WARNING"}
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "sim.main:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    # a busy 2-core machine (several suites at once) can take well over a minute to start it
    start_s = float(os.environ.get("SIM_E2E_START_TIMEOUT", "240"))
    deadline = time.monotonic() + start_s
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail("the app exited at start-up:\n"
                            + (folder / "server.log").read_text()[-3000:])
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the app did not answer /healthz within {start_s:.0f} s:\n"
                            + (folder / "server.log").read_text()[-3000:])
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class ConsoleLog:
    """Console errors and uncaught page errors seen by one page."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []  # HTTP responses >= 400, for diagnostics

    def attach(self, page: Page) -> None:
        def on_console(msg: object) -> None:
            if msg.type == "error":  # type: ignore[attr-defined]
                self.errors.append(msg.text)  # type: ignore[attr-defined]

        page.on("console", on_console)
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.request.method} {r.url}")
                if r.status >= 400 else None)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def page(browser: Browser, base_url: str, console: ConsoleLog) -> Iterator[Page]:
    """A fresh context (own cookies) at laptop size, with the app's CSP in force."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    context.set_default_timeout(20_000)
    pg = context.new_page()
    console.attach(pg)
    yield pg
    context.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


class App:
    """Steps every flow shares, written the way a trainee does them (keyboard where possible)."""

    def __init__(self, page: Page, base_url: str, console: ConsoleLog) -> None:
        self.page = page
        self.base_url = base_url
        self.console = console
        # Our own server has a fresh account per test; an external one only the demo trainee.
        external = bool(os.environ.get("SIM_E2E_BASE_URL"))
        self.email = TRAINEE_EMAIL if external else f"e2e-{next(_accounts)}@example.org"

    def sign_in(self) -> None:
        pg = self.page
        pg.goto(f"{self.base_url}/")
        pg.get_by_label("Email").fill(self.email)
        pg.get_by_label("Password").fill(TRAINEE_PASSWORD)
        pg.get_by_label("Password").press("Enter")
        try:
            pg.locator("article.persona").first.wait_for()
        except Exception as exc:
            raise AssertionError(f"sign-in did not reach the library (at {pg.url}): "
                                 f"{pg.locator('main').inner_text()[:500]}; "
                                 f"console: {self.console.errors}; "
                                 f"failed: {self.console.failed}") from exc

    def sign_in_as(self, email: str, landing: str) -> None:
        """Signs in as someone else (a fresh context per test) and waits for `landing`, a
        selector on the role's home page."""
        pg = self.page
        pg.goto(f"{self.base_url}/#/login")
        pg.get_by_label("Email").fill(email)
        pg.get_by_label("Password").fill(TRAINEE_PASSWORD)
        pg.get_by_label("Password").press("Enter")
        try:
            pg.locator(landing).first.wait_for()
        except Exception as exc:
            raise AssertionError(f"sign-in as {email} did not reach {landing} (at {pg.url}): "
                                 f"{pg.locator('main').inner_text()[:500]}; "
                                 f"console: {self.console.errors}; "
                                 f"failed: {self.console.failed}") from exc

    def start(self, mode: str = "coach", index: int = 0) -> str:
        """Starts the index-th persona in the library in `mode`; returns the session id."""
        pg = self.page
        pg.goto(f"{self.base_url}/#/library")
        pg.locator("article.persona").first.wait_for()
        pg.locator(f"#mode-{mode}").check()
        pg.locator("article.persona").nth(index).get_by_role("button", name="Start session").click()
        pg.locator("#reply").wait_for()
        return str(pg.url.rsplit("/", 1)[-1])

    def send(self, text: str) -> None:
        """Types a reply, presses Enter, and waits until the client's reply has finished."""
        pg = self.page
        before = pg.locator("#transcript .msg-client").count()
        pg.locator("#reply").fill(text)
        pg.locator("#reply").press("Enter")
        pg.locator("#send:not([disabled])").wait_for()
        pg.locator("#transcript .msg-client").nth(before).wait_for()


@pytest.fixture
def app(page: Page, base_url: str, console: ConsoleLog) -> App:
    return App(page, base_url, console)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core pinned in tests/e2e/package.json (npm ci; make system-deps runs it)."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run `npm ci` in tests/e2e (make system-deps does)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def staff() -> Callable[[str], str]:
    """staff("instructor") / staff("admin"): a fresh account of that role for this test."""
    return staff_email


@pytest.fixture
def other_app(browser: Browser, base_url: str) -> Iterator[App]:
    """A second person in their own browser context (own cookies), e.g. the trainee whose
    session an instructor reviews, or an invitee opening their link."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    context.set_default_timeout(20_000)
    log = ConsoleLog()
    pg = context.new_page()
    log.attach(pg)
    yield App(pg, base_url, log)
    context.close()
