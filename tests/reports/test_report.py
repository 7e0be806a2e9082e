"""build_report on the hand-built session (conftest), an empty session, and a session driven
through the real state engine with a real persona file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.types import Code
from sim.engine.state import apply_score, initial_state
from sim.personas.loader import load_persona
from sim.reports import Report, build_report, objectives_met
from sim.reports.inputs import SessionMeta, TurnRecord

PERSONAS = Path(__file__).resolve().parents[2] / "personas"


def test_sections_of_hand_built_session(persona, meta, turns):
    report = build_report(persona, meta, turns)
    s = report.session
    assert (s.status, s.head_turn_id, s.turn_count) == ("ended", 105, 5)
    assert s.state.resistance == 0.41 and s.trainee == "Ada Trainee"

    summary = report.summary
    assert summary.n_replies == 4  # the failed turn is not scored
    assert report.scored_turn_indices == [1, 3, 4, 5]
    assert summary.code_counts["confront"] == 1 and summary.code_counts["question_open"] == 2
    assert (summary.reflections, summary.complex_reflections, summary.questions) == (1, 1, 2)
    assert summary.rq_ratio == 0.5 and summary.rq_band == "below fair"
    assert summary.pct_complex_reflections == 100.0 and summary.pct_complex_band == "good"
    assert (summary.mi_adherent, summary.mi_non_adherent) == (1, 1)
    assert summary.dimension_counts == {"validation": 1, "curiosity": 2, "confrontation": 1,
                                        "process_comment": 1}
    assert all(len(v) == 4 for v in summary.trajectories.values())

    assert [(p.turn_index, p.resistance) for p in report.trajectory] == [
        (0, 0.55), (1, 0.71), (3, 0.60), (4, 0.46), (5, 0.41)]
    assert [(p.turn_index, p.kind) for p in report.turning_points] == [
        (1, "rupture"), (1, "biggest_rise"), (3, "repair"), (4, "disclosure"),
        (4, "biggest_fall"), (5, "stage_change")]
    assert sum(d.total_delta for d in report.resistance_by_driver) == pytest.approx(-0.14)
    assert report.resistance_by_driver[0].driver == "identity-threat"

    assert [(o.id, o.met) for o in report.objectives] == [("repair", True)]
    assert report.objectives[0].description == "Repair any rupture"
    # turn numbers in the detail are branch indexes (turn 2 failed, so the engine's own
    # state counter would say "turn 2" for the repair)
    assert report.objectives[0].detail == "rupture at turn 1 repaired at turn 3"

    assert [m.turn_index for m in report.key_moments] == [1, 3, 4, 5]
    assert report.key_moments[0].alternative  # a setback always comes with an alternative
    assert [(u.turn_index, u.status, u.trainee_text, u.error) for u in report.unscored_turns] == [
        (2, "failed", "Let me put that differently.", "voice timed out")]
    assert report.notes == []


def test_notes_for_held_back_feedback_and_newer_persona(persona, meta, turns):
    hidden = [t.model_copy(update={"score": None, "state": None, "changes": []})
              for t in turns]
    newer = persona.model_copy(update={"version": 3})
    report = build_report(newer, meta, hidden)
    assert report.summary.n_replies == 0 and len(report.trajectory) == 1
    assert report.notes == [
        "4 completed turn(s) carry no score or state (feedback held back, e.g. an exam still "
        "in progress); they are not in the figures.",
        "The session ran persona version 2; drivers and objectives are read from version 3."]


def test_report_json_round_trip(persona, meta, turns):
    report = build_report(persona, meta, turns)
    again = Report.model_validate(json.loads(report.model_dump_json()))
    assert again == report


def test_empty_session(persona, meta):
    meta = meta.model_copy(update={"ended_at": None})
    report = build_report(persona, meta, [])
    assert report.session.status == "active" and report.session.turn_count == 0
    assert report.session.head_turn_id is None and report.session.state == meta.initial_state
    assert report.summary.n_replies == 0 and report.summary.rq_ratio is None
    assert [(p.turn_index, p.resistance) for p in report.trajectory] == [(0, 0.55)]
    assert report.turning_points == [] and report.key_moments == []
    assert report.unscored_turns == []
    assert all(d.total_delta == 0 for d in report.resistance_by_driver)
    assert [o.id for o in report.objectives] == ["repair"]


def test_only_failed_turns(persona, meta, turns):
    report = build_report(persona, meta, [turns[1]])
    assert report.summary.n_replies == 0 and len(report.trajectory) == 1
    assert [u.turn_index for u in report.unscored_turns] == [2]


def test_turn_order_does_not_matter(persona, meta, turns):
    assert build_report(persona, meta, list(reversed(turns))) == build_report(persona, meta, turns)


def test_wrong_persona_is_refused(persona, meta, turns):
    with pytest.raises(ValueError, match="does not match the session's persona 'other'"):
        build_report(persona, meta.model_copy(update={"persona_id": "other"}), turns)


REAL_SESSION = [
    ("Let's be honest, you have a drinking problem and you need to admit it.", [Code.CONFRONT]),
    ("You should just stop drinking before the hearing.", [Code.PERSUADE]),
    ("I came on too strong there. What was that like for you?",
     [Code.PROCESS_COMMENT, Code.QUESTION_OPEN]),
    ("It sounds like being here feels like being judged as a man you are not.",
     [Code.REFLECTION_COMPLEX]),
    ("Whatever you decide about drinking is up to you.", [Code.EMPHASIZING_AUTONOMY]),
    ("What matters most to you about the weekends with your daughter?", [Code.QUESTION_OPEN]),
    ("You kept your word to yourself about not becoming your father; that took strength.",
     [Code.AFFIRM, Code.REFLECTION_COMPLEX]),
]


def test_real_engine_session_is_explained_consistently(make_score):
    """Drive the real state engine with a real persona; the report must account for every
    recorded resistance change and mirror every state the engine produced."""
    persona = load_persona(PERSONAS / "court-mandated-driver.yaml")
    start = initial_state(persona)
    meta = SessionMeta(
        id=1, persona_id=persona.id, persona_version=persona.version,
        persona_title=persona.title, mode="coach", voice="scripted", scorer="test",
        scorer_version="0", trainee="T", created_at="2026-01-01T00:00:00Z",
        ended_at="2026-01-01T01:00:00Z",  # ended: every driver is named
        opening_line=persona.voice.opening_line, initial_state=start)
    state, turns, all_changes = start, [], []
    for n, (text, codes) in enumerate(REAL_SESSION, start=1):
        present = ("confrontation",) if Code.CONFRONT in codes else ()
        score = make_score(text, codes, present)
        state, changes = apply_score(persona, state, score)
        all_changes += changes
        turns.append(TurnRecord(index=n, id=n, parent_id=n - 1 or None, status="complete",
                                trainee_text=text, client_text="Right.", score=score,
                                state=state, changes=changes))
    report = build_report(persona, meta, turns)

    assert [p.resistance for p in report.trajectory] == [start.resistance] + [
        t.state.resistance for t in turns]
    recorded = sum(c.delta for c in all_changes if c.quantity == "resistance")
    assert sum(d.total_delta for d in report.resistance_by_driver) == pytest.approx(recorded)
    for driver in persona.drivers:
        named = sum(c.delta for c in all_changes
                    if c.quantity == "resistance" and c.driver == driver.name)
        entry = next(d for d in report.resistance_by_driver if d.driver == driver.name)
        assert entry.total_delta == pytest.approx(named)
    ruptured = any(t.state.ruptures > 0 for t in turns)
    assert ruptured == any(p.kind == "rupture" for p in report.turning_points)
    first = report.key_moments[0]
    assert first.turn_index == 1 and first.kind == "setback"
    assert "Darek's identity threat" in first.what_it_did
    assert first.alternative and len(report.objectives) == len(persona.objectives)
    json.loads(report.model_dump_json())

    running = build_report(persona, meta.model_copy(update={"ended_at": None}), turns)
    known = set(turns[-1].state.known_drivers)
    names = {d.driver for d in running.resistance_by_driver}
    hidden = {d.name for d in persona.drivers} - known
    assert hidden and not (hidden & names), "undiscovered drivers are not named mid-session"
    pooled = next(d for d in running.resistance_by_driver if d.driver == "undiscovered")
    assert pooled.label == "Something the client has not shared yet"
    assert sum(d.total_delta for d in running.resistance_by_driver) == pytest.approx(recorded)


def test_objectives_met_alone_agrees_with_the_full_report(persona, meta, turns):
    met = sum(o.met for o in build_report(persona, meta, turns).objectives)
    assert objectives_met(persona, meta, turns) == met
    assert met == 1, "the fixture session ruptures and repairs, meeting its one objective"
    assert objectives_met(persona, meta, []) == 0
