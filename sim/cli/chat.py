"""`sim chat PERSONA`: terminal role-play with the simulated client.

Interactive by default (rich: the client's reply, the reply's score, a resistance/alliance
meter, an end-of-session summary). With `--replies FILE --json` it runs non-interactively from
a file of trainee replies (one per line) and prints the transcript as JSON, for tests, scripts
and instructors.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console

from sim.cli.common import resolve_persona
from sim.config import get_settings
from sim.engine.objectives import evaluate_objectives
from sim.engine.turn import TurnRunner, VoiceFailure
from sim.engine.types import ClientState, TurnResult
from sim.personas import Persona, PersonaError

QUIT = {"/quit", "/exit", "/q"}


def _meter(label: str, value: float, colour: str, width: int = 20) -> str:
    filled = round(value * width)
    return f"{label:<10} [{colour}]{'█' * filled}[/][dim]{'░' * (width - filled)}[/] {value:.2f}"


def _score_line(result: TurnResult) -> str:
    score = result.score
    codes = ", ".join(h.code.value for h in score.codes if h.probability >= 0.5) or "no codes"
    dims = " ".join(
        f"{name}={score.dimension(name).level}"
        for name in ("validation", "curiosity", "confrontation", "process_comment")
    )
    return f"[dim]score:[/] {codes} [dim]|[/] {dims}"


def _turn_json(trainee: str, result: TurnResult) -> dict[str, Any]:
    return {
        "trainee": trainee,
        "client": result.reply,
        "voice": result.voice,
        "fallback_notice": result.fallback_notice,
        "score": result.score.model_dump(mode="json"),
        "state": result.state.model_dump(mode="json", exclude={"used_lines"}),
        "changes": [c.model_dump(mode="json") for c in result.changes],
        "stance": result.direction.stance.value,
    }


def _summary(scores: list[Any]) -> dict[str, Any] | None:
    try:
        from scoring import summarize_session
    except ImportError:  # scoring without a session summary: the transcript still stands
        return None
    return summarize_session(scores).model_dump(mode="json")


class Session:
    """Drives a TurnRunner turn by turn and keeps the branch history."""

    def __init__(self, runner: TurnRunner, loop: asyncio.Runner) -> None:
        # One event loop for the whole session: the LLM client's connection pool is bound to
        # the loop it first ran on (a fresh asyncio.run per turn broke the second turn with
        # "Event loop is closed" against a real server).
        self.loop = loop
        self.runner = runner
        self.state, self.opening = runner.opening()
        self.states: list[ClientState] = [self.state]
        self.history: list[tuple[str, str]] = []
        self.results: list[TurnResult] = []

    async def turn(self, text: str, on_token: Any = None, on_notice: Any = None) -> TurnResult:
        result: TurnResult | None = None
        async for event in self.runner.run(self.state, self.history, text):
            if event.type == "token" and on_token:
                on_token(event.text)
            elif event.type == "notice" and on_notice:
                on_notice(event.message)
            elif event.type == "result":
                result = event.result
        assert result is not None  # the runner always ends with a result or raises
        self.state = result.state
        self.states.append(result.state)
        self.history.append((text, result.reply))
        self.results.append(result)
        return result

    def report(self) -> dict[str, Any]:
        scores = [r.score for r in self.results]
        persona = self.runner.persona
        return {
            "summary": _summary(scores),
            "objectives": evaluate_objectives(persona, self.states, scores),
        }


def _build_runner(persona: Persona, voice: str, base_url: str | None, model: str | None):
    from scoring import get_scorer
    from sim import llm

    settings = get_settings()
    update: dict[str, Any] = {"voice": voice}
    if base_url:
        update["openai_base_url"] = base_url
    if model:
        update["openai_model"] = model
    settings = settings.model_copy(update=update)
    main = llm.build_voice(settings)
    fallback = llm.build_fallback_voice() if voice != "scripted" else None
    return TurnRunner(persona, get_scorer(settings.scorer), main, fallback,
                      min_confidence=settings.confront_min_confidence)


def _batch(session: Session, replies: list[str], as_json: bool, console: Console) -> None:
    turns = []
    for text in replies:
        result = session.loop.run(session.turn(text))
        turns.append(_turn_json(text, result))
        if not as_json:
            console.print(f"[bold]you:[/] {text}\n[bold cyan]client:[/] {result.reply}")
            console.print(_score_line(result))
    persona = session.runner.persona
    payload = {
        "persona": persona.id,
        "version": persona.version,
        "voice": session.runner.voice.name,
        "opening": session.opening,
        "turns": turns,
        **session.report(),
    }
    if as_json:
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        _print_end(console, session)


def _print_end(console: Console, session: Session) -> None:
    report = session.report()
    state = session.state
    console.rule("end of session")
    console.print(_meter("resistance", state.resistance, "red"))
    console.print(_meter("alliance", state.alliance, "green"))
    console.print(
        f"stage {state.stage.value} | ruptures {state.ruptures} | repairs {state.repairs} | "
        f"disclosed {', '.join(state.disclosed) or 'nothing'}"
    )
    summary = report["summary"]
    if summary:
        console.print(
            f"replies {summary['n_replies']} | R:Q {summary['rq_ratio']} ({summary['rq_band']}) | "
            f"%CR {summary['pct_complex_reflections']} ({summary['pct_complex_band']}) | "
            f"MI-adherent {summary['mi_adherent']} | non-adherent {summary['mi_non_adherent']}"
        )
    for item in report["objectives"]:
        mark = "[green]✓[/]" if item["met"] else "[red]✗[/]"
        console.print(f"{mark} {item['description']} [dim]({item['detail']})[/]")


def _interactive(session: Session, console: Console) -> None:
    persona = session.runner.persona
    console.rule(f"{persona.title} ({persona.id} v{persona.version})")
    console.print(persona.summary)
    console.print(f"[dim]voice: {session.runner.voice.name}; type /quit to end[/]")
    console.print(f"\n[bold cyan]{persona.client.name}:[/] {session.opening}")
    while True:
        try:
            text = console.input("\n[bold]you:[/] ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if text in QUIT:
            break
        if not text:
            continue
        console.print(f"[bold cyan]{persona.client.name}:[/] ", end="")
        result = session.loop.run(
            session.turn(
                text,
                on_token=lambda t: console.print(t, end="", markup=False, highlight=False),
                on_notice=lambda m: console.print(f"\n[yellow]notice: {m}[/]\n", end=""),
            )
        )
        console.print()
        console.print(_score_line(result))
        if result.score.suggestion:
            console.print(f"[dim]try instead:[/] {result.score.suggestion}")
        console.print(_meter("resistance", result.state.resistance, "red"))
        console.print(_meter("alliance", result.state.alliance, "green"))
        flags = f"stance {result.direction.stance.value} | stage {result.state.stage.value}"
        console.print(f"[dim]{flags}{' | RUPTURE' if result.state.rupture else ''}[/]")
    _print_end(console, session)


def chat(
    persona: Annotated[str, typer.Argument(help="Persona id (from the personas folder) or path")],
    replies: Annotated[
        Path | None, typer.Option("--replies", help="File of trainee replies, one per line")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the transcript as JSON")] = False,
    voice: Annotated[
        Literal["scripted", "openai"] | None, typer.Option("--voice", help="Client voice")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="OpenAI-compatible server URL")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="Model name for --voice openai")
    ] = None,
    personas_dir: Annotated[Path | None, typer.Option("--dir", help="Personas folder")] = None,
) -> None:
    """Role-play with a simulated client in the terminal."""
    console = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    if as_json and replies is None:
        raise typer.BadParameter("--json needs --replies FILE (it runs non-interactively)")
    try:
        chosen = resolve_persona(persona, personas_dir or get_settings().personas_dir)
    except PersonaError as exc:
        for issue in exc.issues:
            err.print(str(issue), markup=False)
        raise typer.Exit(1) from None
    runner = _build_runner(chosen, voice or get_settings().voice, base_url, model)
    try:
        with asyncio.Runner() as loop:
            session = Session(runner, loop)
            if replies is not None:
                try:
                    lines = replies.read_text(encoding="utf-8").splitlines()
                except OSError as exc:
                    raise typer.BadParameter(f"cannot read --replies {replies}: {exc}") from exc
                _batch(session, [x.strip() for x in lines if x.strip()], as_json, console)
            else:
                _interactive(session, console)
    except VoiceFailure as exc:
        err.print(f"[red]the client's voice failed:[/] {exc}")
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    """Adds `sim chat` to the root app."""
    app.command("chat")(chat)
