"""The headline numbers of a session for lists and progress (cheap: read from stored turns)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import Session

from sim.models import PracticeSession, SessionPublic, SessionStatus, Turn, TurnStatus
from sim.personas import Persona
from sim.records import hidden, path_to, session_turns
from sim.routes.access import session_public
from sim.shared import Cache
from sim.studio.personas.catalog import PersonaCatalog

QUESTIONS = {"question_open", "question_closed"}
REFLECTIONS = {"reflection_simple", "reflection_complex"}


class Headline(BaseModel):
    turns: int
    final_resistance: float | None
    final_alliance: float | None
    reflection_to_question: float | None
    percent_complex_reflection: float | None
    objectives_met: int | None = None
    objectives_total: int | None = None
    replies_written: int = Field(0, description="Every reply stored, on any branch (rewound "
                                 "branches and failed turns included)")
    replies_off_branch: int = Field(0, description="Replies not on the kept branch")
    branches: int = Field(1, description="Lines of conversation (1 = never rewound)")
    ruptures_anywhere: int | None = Field(None, description="Rupture onsets on any branch")


class SessionSummary(SessionPublic):
    headline: Headline | None


def headline(ps: PracticeSession, turns: dict[int, Turn],
             objectives_total: int | None = None) -> Headline | None:
    """MITI-style counts over the active branch; null while exam feedback is held back."""
    if hidden(ps):
        return None
    done = [t for t in path_to(turns, ps.head_turn_id) if t.status == TurnStatus.COMPLETE]
    codes: list[str] = []
    for t in done:
        codes += [c.get("code", "") for c in (t.score or {}).get("codes", [])]
    q = sum(c in QUESTIONS for c in codes)
    r = sum(c in REFLECTIONS for c in codes)
    cr = sum(c == "reflection_complex" for c in codes)
    last: dict[str, Any] = done[-1].state or {} if done else ps.opening_state
    on_path = {t.id for t in path_to(turns, ps.head_turn_id)}
    parents = {t.parent_id for t in turns.values()}
    return Headline(
        replies_written=len(turns), replies_off_branch=len(turns) - len(on_path),
        branches=max(1, sum(1 for i in turns if i not in parents)),
        ruptures_anywhere=_onsets(ps, turns),
        turns=len(done),
        final_resistance=last.get("resistance"),
        final_alliance=last.get("alliance"),
        reflection_to_question=round(r / q, 2) if q else None,
        percent_complex_reflection=round(100 * cr / r, 1) if r else None,
        objectives_total=objectives_total,
    )


def _onsets(ps: PracticeSession, turns: dict[int, Turn]) -> int:
    """Turns (on any branch) where the client went into rupture."""
    count = 0
    for t in turns.values():
        if not (t.state or {}).get("rupture"):
            continue
        parent = turns.get(t.parent_id) if t.parent_id is not None else None
        before = (parent.state or {}) if parent is not None else ps.opening_state
        count += not before.get("rupture")
    return count


def summary(ps: PracticeSession, turns: dict[int, Turn],
            objectives_total: int | None = None, objectives_met: int | None = None
            ) -> SessionSummary:
    base = session_public(ps, turns)
    head = headline(ps, turns, objectives_total)
    if head is not None:
        head.objectives_met = objectives_met
    return SessionSummary(**base.model_dump(), headline=head)


def ended_key(ps: PracticeSession, persona: Persona | None) -> str | None:
    """The cache key of an ended session's summary: id, end time and persona version, so
    nothing stale can be served. None while the session is active (its summary changes)."""
    if ps.status != SessionStatus.ENDED or ps.ended_at is None:
        return None
    return f"ended:{ps.id}:{ps.ended_at.isoformat()}:{persona.version if persona else '-'}"


def session_summaries(db: Session, rows: list[PracticeSession], catalog: PersonaCatalog,
                      cache: Cache) -> list[SessionSummary]:
    """Headlines for lists; objectives met are checked once a session ended (the objective
    checks only, not the whole report). An ended session never changes (no turn, rewind or
    retry is accepted after the end), so its summary is made once and kept in the shared cache
    (per worker, or in Redis: sim/shared/): an instructor's list of 100 ended sessions otherwise
    read every turn of every session on every call (about 3 ms a session with 25 turns)."""
    pinned = {ps.id: catalog.pinned(db, ps.persona_id, ps.persona_version) for ps in rows}
    keys = {ps.id: ended_key(ps, pinned[ps.id]) for ps in rows}
    kept = cache.get_many([k for k in keys.values() if k], SessionSummary)
    out = []
    for ps in rows:
        key = keys[ps.id]
        found = kept.get(key) if key else None
        if found is None:  # shared copies: the routes only serialise summaries
            found = _session_summary(db, ps, pinned[ps.id])
            if key:
                cache.put(key, found)
        out.append(found)
    return out


def _session_summary(db: Session, ps: PracticeSession, persona: Persona | None) -> SessionSummary:
    turns = session_turns(db, ps.id or 0)
    met = None
    if persona is not None and ps.status == SessionStatus.ENDED:
        from sim.reports import objectives_met
        from sim.routes.reports import records

        meta, records_ = records(db, ps)
        met = objectives_met(persona, meta, records_)
    return summary(ps, turns, len(persona.objectives) if persona else None, met)
