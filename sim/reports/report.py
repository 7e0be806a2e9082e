"""The session report: scoring summary, state trajectory, turning points, why the client
resisted (by driver), objectives, and key moments with better alternatives.

`build_report` is pure: the API loads the rows into SessionMeta/TurnRecord and calls it; the
CLI and tests call it directly. Failed and pending turns are listed but never scored.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from scoring import SessionSummary, summarize_session
from sim.engine.types import ClientState
from sim.personas.schema import Persona
from sim.reports.branches import RecordOverview, overview
from sim.reports.inputs import SessionMeta, TurnRecord, UtcDatetime, sort_turns
from sim.reports.moments import KeyMoment, key_moments
from sim.reports.resistance import (
    DriverAttribution,
    Step,
    TrajectoryPoint,
    TurningPoint,
    resistance_by_driver,
    steps,
    trajectory,
    turning_points,
)
from sim.reports.safety import Flag, RiskSection, flags, risk_section


class ReportSession(BaseModel):
    """The session header as the report shows it (SessionPublic's fields plus the trainee)."""

    id: int
    persona_id: str
    persona_version: int
    persona_title: str
    mode: Literal["coach", "exam"]
    status: Literal["active", "ended"]
    voice: str
    model: str | None
    scorer: str
    scorer_version: str
    trainee: str
    created_at: UtcDatetime
    ended_at: UtcDatetime | None
    opening_line: str
    state: ClientState
    head_turn_id: int | None
    turn_count: int


class ObjectiveResult(BaseModel):
    id: str
    kind: str | None = None
    description: str
    met: bool
    detail: str


class UnscoredTurn(BaseModel):
    """A failed or unfinished turn: shown so the trainee's text is never lost, never scored."""

    turn_index: int
    turn_id: int
    status: Literal["pending", "failed"]
    trainee_text: str
    error: str | None


class Report(BaseModel):
    session: ReportSession
    summary: SessionSummary
    scored_turn_indices: list[int]
    trajectory: list[TrajectoryPoint]
    turning_points: list[TurningPoint]
    resistance_by_driver: list[DriverAttribution]
    objectives: list[ObjectiveResult]
    key_moments: list[KeyMoment]
    unscored_turns: list[UnscoredTurn]
    notes: list[str]
    record: RecordOverview | None = Field(
        default=None, description="Every reply written, branch by branch (rewinds and failed "
        "turns included); the figures above follow the kept branch only")
    risk: RiskSection | None = None
    flags: list[Flag] = []


def build_report(persona: Persona, meta: SessionMeta, turns: list[TurnRecord],
                 all_turns: list[TurnRecord] | None = None) -> Report:
    """The whole report for one branch of a session (`turns`: the path to the head turn);
    `all_turns` (every turn of the session) adds the record of every branch."""
    if persona.id != meta.persona_id:
        raise ValueError(
            f"persona {persona.id!r} does not match the session's persona {meta.persona_id!r}")
    ordered = sort_turns(turns)
    chain = steps(meta.initial_state, ordered)
    summary = summarize_session([s.turn.score for s in chain if s.turn.score is not None])
    indices = [s.turn.index for s in chain]
    flagged = [indices[m.turn] for m in summary.key_moments if 0 <= m.turn < len(indices)]
    points = trajectory(meta.initial_state, chain)
    ended = meta.ended_at is not None
    return Report(
        session=_session(meta, ordered, chain),
        summary=summary,
        scored_turn_indices=indices,
        trajectory=points,
        turning_points=turning_points(persona, chain),
        resistance_by_driver=resistance_by_driver(persona, chain, reveal_all=ended),
        objectives=_objectives(persona, meta, chain),
        key_moments=key_moments(persona, meta, chain, flagged),
        unscored_turns=[
            UnscoredTurn(turn_index=t.index, turn_id=t.id, status=t.status,
                         trainee_text=t.trainee_text, error=t.error)
            for t in ordered if not t.scored and t.status != "complete"
        ],
        notes=_notes(persona, meta, ordered, all_turns),
        record=overview(all_turns, ordered[-1].id if ordered else None,
                        meta.initial_state.rupture) if all_turns is not None else None,
        risk=risk_section(persona, chain, ended),
        flags=flags(chain),
    )


def objectives_met(persona: Persona, meta: SessionMeta, turns: list[TurnRecord]) -> int:
    """How many of the persona's objectives one branch met: the report's objectives section
    alone, for session lists that need only this count."""
    chain = steps(meta.initial_state, sort_turns(turns))
    return sum(o.met for o in _objectives(persona, meta, chain))


def _notes(persona: Persona, meta: SessionMeta, ordered: list[TurnRecord],
           all_turns: list[TurnRecord] | None = None) -> list[str]:
    """Caveats a reader needs to trust the figures: held-back feedback, a newer persona,
    replies written on other branches (they are in the record, not in the figures)."""
    notes: list[str] = []
    off = len(all_turns) - len(ordered) if all_turns is not None else 0
    if off > 0:
        notes.append(f"{off} other repl{'y' if off == 1 else 'ies'} written in this session "
                     "(an earlier branch or a failed turn) are kept in the record below; the "
                     "figures follow the kept branch.")
    held = sum(1 for t in ordered if t.status == "complete" and not t.scored)
    if held:
        notes.append(f"{held} completed turn(s) carry no score or state (feedback held back, "
                     "e.g. an exam still in progress); they are not in the figures.")
    if persona.version != meta.persona_version:
        notes.append(f"The session ran persona version {meta.persona_version}; drivers and "
                     f"objectives are read from version {persona.version}.")
    return notes


def _session(meta: SessionMeta, ordered: list[TurnRecord], chain: list[Step]) -> ReportSession:
    return ReportSession(
        id=meta.id, persona_id=meta.persona_id, persona_version=meta.persona_version,
        persona_title=meta.persona_title, mode=meta.mode,
        status="ended" if meta.ended_at else "active", voice=meta.voice, model=meta.model,
        scorer=meta.scorer, scorer_version=meta.scorer_version, trainee=meta.trainee,
        created_at=meta.created_at, ended_at=meta.ended_at, opening_line=meta.opening_line,
        state=chain[-1].after if chain else meta.initial_state,
        head_turn_id=ordered[-1].id if ordered else None, turn_count=len(ordered),
    )


def _objectives(persona: Persona, meta: SessionMeta, chain: list[Step]) -> list[ObjectiveResult]:
    """The engine's objective checks over this branch. States are renumbered with the turn
    index so "turn N" in a detail matches the transcript even after a failed turn."""
    from sim.engine.objectives import evaluate_objectives

    states = [meta.initial_state.model_copy(update={"turn": 0})]
    states += [s.after.model_copy(update={"turn": s.turn.index}) for s in chain]
    scores = [s.turn.score for s in chain if s.turn.score is not None]
    return [ObjectiveResult.model_validate(r) for r in evaluate_objectives(persona, states, scores)]
