"""`sim score`: rate one reply, or a whole JSON-lines file from stdin, from the shell.

    sim score "It sounds like you're tired of being told what to do." --context "Everyone nags me."
    sim score --jsonl < replies.jsonl > scores.jsonl

JSON lines in: {"reply": "...", "context": "client line" | {"client_last": "...", "history":
[{"speaker": "client"|"therapist", "text": "..."}]}, "id": optional}. One JSON line out per
non-blank input line; a bad line yields {"line": n, "error": "..."} and the batch carries on.
The exit code is 1 if any line failed (after every line was processed).
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from pydantic import ValidationError

ENGINES = ("offline", "llm")


def build_scorer(engine: str | None) -> Any:
    """The engine named on the command line, else the SIM_SCORER setting."""
    from scoring import get_scorer
    from sim.config import get_settings

    settings = get_settings()
    name = engine or settings.scorer
    if name not in ENGINES:
        raise typer.BadParameter(f"unknown engine {name!r}; allowed: {', '.join(ENGINES)}",
                                 param_hint="--engine")
    if name == "llm":
        from sim.llm import build_chat_model

        judge = settings.model_copy(update={"openai_model": settings.judge_model
                                            or settings.openai_model})
        return get_scorer("llm", chat_model=build_chat_model(judge, streaming=False))
    return get_scorer("offline")


def parse_context(value: Any) -> Any:
    """A context given as a string (the client's last line), an object, or null."""
    from scoring.types import ScoringContext

    if value is None:
        return None
    if isinstance(value, str):
        return ScoringContext(client_last=value)
    if isinstance(value, dict):
        return ScoringContext.model_validate(value)
    raise ValueError("'context' must be a string, an object {client_last, history} or null, "
                     f"not {type(value).__name__}")


def score_record(score: Any) -> dict[str, Any]:
    """The JSON line written for one scored reply."""
    from scoring.types import DIMENSIONS

    out: dict[str, Any] = {d: int(score.dimension(d).present) for d in DIMENSIONS}
    out["probabilities"] = {d: score.dimension(d).probability for d in DIMENSIONS}
    out["levels"] = {d: score.dimension(d).level for d in DIMENSIONS}
    out["unsure"] = [d for d in DIMENSIONS if score.dimension(d).unsure]
    out["codes"] = [h.code.value for h in score.codes]
    out["evidence"] = {
        d: {**score.dimension(d).evidence.model_dump(), "reason": score.dimension(d).reason}
        for d in DIMENSIONS if score.dimension(d).evidence is not None
    }
    out["suggestion"] = score.suggestion
    out["alternatives"] = [a.model_dump() for a in score.alternatives]
    out["warnings"] = score.warnings
    out["engine"] = f"{score.engine}/{score.engine_version}"
    return out


BLOCK = 2048  # lines read, scored and written together in --jsonl mode


def _parse_line(n: int, raw: str) -> tuple[dict[str, Any], Any] | dict[str, Any]:
    """(the output record so far, (reply, context)) for a good line, or an error record."""
    try:
        rec = json.loads(raw)
        if not isinstance(rec, dict):
            raise ValueError(f"expected a JSON object, got {type(rec).__name__}")
        reply = rec.get("reply")
        if not isinstance(reply, str):
            raise ValueError("'reply' is required and must be a string")
        head: dict[str, Any] = {"line": n}
        if "id" in rec:
            head["id"] = rec["id"]
        return head, (reply, parse_context(rec.get("context")))
    except json.JSONDecodeError as exc:
        return {"line": n, "error": f"line {n}: invalid JSON ({exc.msg} at column {exc.colno})"}
    except (ValueError, ValidationError, TypeError) as exc:
        msg = str(exc).splitlines()[0] if isinstance(exc, ValidationError) else str(exc)
        return {"line": n, "error": f"line {n}: {msg}"}


def _score_block(scorer: Any, batch: Any, items: list[Any]) -> list[Any]:
    """Scores in worker processes when a BatchScorer is given; falls back to one reply at a
    time if the batch call fails, so one bad reply costs only its own line."""
    if batch is not None:
        try:
            return list(batch.score(items))
        except Exception:
            pass
    out: list[Any] = []
    for reply, ctx in items:
        try:
            out.append(scorer.score(reply, ctx))
        except Exception as exc:  # an engine failure must not end the batch
            out.append(exc)
    return out


def run_jsonl(scorer: Any, stdin: Any, stdout: Any, batch: Any = None) -> int:
    """Scores every line in input order; returns the number of failed lines."""
    failed = 0
    lines = ((n, raw) for n, raw in enumerate(stdin, 1) if raw.strip())
    while block := [line for _, line in zip(range(BLOCK), lines, strict=False)]:
        parsed = [_parse_line(n, raw) for n, raw in block]
        good = [p for p in parsed if isinstance(p, tuple)]
        scores = iter(_score_block(scorer, batch, [item for _, item in good]))
        for entry in parsed:
            if isinstance(entry, dict):
                record = entry
            else:
                record, score = entry[0], next(scores)
                if isinstance(score, Exception):
                    record = {"line": record["line"],
                              "error": f"line {record['line']}: scoring failed: {score}"}
                else:
                    record.update(score_record(score))
            failed += "error" in record
            stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        stdout.flush()
    return failed


def print_score(score: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from scoring.types import DIMENSIONS

    console = Console()
    table = Table(title="Reply score", show_lines=False)
    for col in ("dimension", "present", "level", "p", "evidence", "reason"):
        table.add_column(col, overflow="fold")
    for d in DIMENSIONS:
        ds = score.dimension(d)
        verdict = "unsure" if ds.unsure else ("yes" if ds.present else "no")
        table.add_row(d, verdict, ds.level, f"{ds.probability:.2f}",
                      ds.evidence.text if ds.evidence else "", ds.reason)
    console.print(table)
    codes = ", ".join(f"{h.code.value} ({h.probability:.2f})" for h in score.codes) or "none"
    console.print(f"[bold]codes:[/bold] {codes}", markup=True, highlight=False)
    for alt in score.alternatives:
        console.print(f"[bold]try instead:[/bold] {alt.text}", highlight=False)
        console.print(f"  [dim]why: {alt.why}[/dim]", highlight=False)
    for warning in score.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    console.print(f"[dim]engine {score.engine} {score.engine_version}[/dim]")


def register(app: typer.Typer) -> None:
    """Adds `sim score`."""

    @app.command("score")
    def score_cmd(
        reply: Annotated[str | None, typer.Argument(help="the trainee's reply")] = None,
        context: Annotated[str | None, typer.Option(help="the client's last line")] = None,
        engine: Annotated[str | None, typer.Option(
            help="offline | llm (default: the SIM_SCORER setting)")] = None,
        as_json: Annotated[bool, typer.Option(
            "--json", help="print the full score as JSON")] = False,
        jsonl: Annotated[bool, typer.Option(
            "--jsonl", help="read JSON lines from stdin, write one JSON line per input")] = False,
        workers: Annotated[int, typer.Option(
            min=0, help="--jsonl with the offline engine: processes (0 = one per core)")] = 0,
    ) -> None:
        """Rate a reply for validation, curiosity, confrontation and process comments."""
        if jsonl and reply is not None:
            raise typer.BadParameter("give either a REPLY argument or --jsonl, not both")
        if not jsonl and reply is None:
            raise typer.BadParameter("give the reply to score as an argument, or use --jsonl "
                                     "to read JSON lines from stdin", param_hint="REPLY")
        scorer = build_scorer(engine)
        if jsonl:
            if getattr(scorer, "name", "") == "offline" and workers != 1:
                from scoring.batch import BatchScorer

                with BatchScorer(workers or None) as batch:
                    failed = run_jsonl(scorer, sys.stdin, sys.stdout, batch)
            else:
                failed = run_jsonl(scorer, sys.stdin, sys.stdout)
            if failed:
                typer.echo(f"{failed} line(s) failed; see their 'error' objects", err=True)
                raise typer.Exit(1)
            return
        assert reply is not None
        result = scorer.score(reply, parse_context(context))
        if as_json:
            typer.echo(result.model_dump_json(indent=2))
        else:
            print_score(result)
