"""A hand-built persona and session whose every number is known, for the report tests.

Initial state: resistance 0.55, alliance 0.30, precontemplation. The branch:
  1. confrontation -> rupture, resistance 0.71 (base +0.12, identity-threat +0.04), client quiet
  2. failed turn (voice timed out): no score, no state
  3. process comment -> repair, resistance 0.60 (base -0.08, authority-mistrust -0.03)
  4. complex reflection + autonomy -> disclosure 'lost-job', resistance 0.46
     (base -0.05 and -0.05, identity-threat -0.04)
  5. open question -> stage moves to contemplation, resistance 0.41
     (base -0.03, fear-of-feeling -0.02)
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scoring.types import Code, CodeHit, DimensionScore, ReplyScore
from sim.engine.types import ClientState, StateChange
from sim.personas.schema import Persona, Stage
from sim.reports.inputs import SessionMeta, TurnRecord

LINES = ["Whatever.", "Sure, fine.", "I guess so."]


def persona_data() -> dict:
    return {
        "id": "marcus", "version": 2, "title": "Marcus, 52, sent by his GP",
        "summary": "Marcus was told to come.", "difficulty": "intermediate",
        "client": {"name": "Marcus Hale", "age": 52, "pronouns": "he/him",
                   "occupation": "Foreman", "setting": "GP practice",
                   "cultural_context": "Northern town", "presenting_concern": "Drinking",
                   "backstory": "Hidden."},
        "stage": "precontemplation",
        "drivers": [
            {"kind": "cognitive", "name": "identity-threat", "weight": 0.8, "detail": "Secret A"},
            {"kind": "relational", "name": "authority-mistrust", "weight": 0.6,
             "detail": "Secret B"},
            {"kind": "emotional", "name": "fear-of-feeling", "weight": 0.4, "detail": "Secret C"},
        ],
        "resistance": {
            "baseline": 0.55, "behaviours": ["silence"],
            "triggers": [{"move": "confront", "strength": 0.5, "drivers": ["identity-threat"],
                          "note": "n"}],
            "softeners": [{"move": "reflection_complex", "strength": 0.5,
                           "drivers": ["identity-threat"], "note": "n"}],
        },
        "disclosures": [{"id": "lost-job", "fact": "He lost his job after a panic attack.",
                         "line": "I lost the job.", "alliance_threshold": 0.5}],
        "voice": {"style": "terse", "opening_line": "I'm only here because my GP made me come.",
                  "lines": {k: LINES for k in ("guarded", "ruptured", "ambivalent",
                                               "opening_up")}},
        "objectives": [{"id": "repair", "description": "Repair any rupture",
                        "kind": "repair_rupture"}],
    }


def dim(present: bool) -> DimensionScore:
    return DimensionScore(present=present, probability=0.9 if present else 0.1,
                          level="medium" if present else "none", reason="test")


def make_score(reply: str, codes: list[Code], present: tuple[str, ...] = (),
               suggestion: str | None = None) -> ReplyScore:
    return ReplyScore(
        reply=reply,
        **{d: dim(d in present) for d in ("validation", "curiosity", "confrontation",
                                          "process_comment")},
        codes=[CodeHit(code=c, probability=0.8) for c in codes],
        suggestion=suggestion, engine="test", engine_version="0",
    )


def rchange(delta: float, move: str, driver: str | None = None) -> StateChange:
    return StateChange(quantity="resistance", delta=delta, move=move, driver=driver, reason="t")


def state(resistance: float, alliance: float, stage: Stage = Stage.PRECONTEMPLATION,
          **kw: object) -> ClientState:
    return ClientState(resistance=resistance, alliance=alliance, stage=stage, **kw)


@pytest.fixture(name="make_score")
def make_score_fixture():
    """make_score for test modules (conftest itself is not importable in importlib mode)."""
    return make_score


@pytest.fixture
def persona() -> Persona:
    return Persona.model_validate(persona_data())


@pytest.fixture
def meta() -> SessionMeta:
    return SessionMeta(
        id=7, persona_id="marcus", persona_version=2, persona_title="Marcus, 52, sent by his GP",
        mode="coach", voice="scripted", model=None, scorer="offline", scorer_version="1.0",
        trainee="Ada Trainee", created_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
        ended_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
        opening_line="I'm only here because my GP made me come.",
        initial_state=state(0.55, 0.30, active_drivers=["identity-threat"]),
    )


def _turn(index: int, text: str, **kw: object) -> TurnRecord:
    base: dict[str, object] = {"index": index, "id": 100 + index,
                               "parent_id": 100 + index - 1 if index > 1 else None,
                               "status": "complete", "trainee_text": text, "voice": "scripted",
                               "created_at": datetime(2026, 1, 5, 9, index, tzinfo=UTC)}
    base.update(kw)
    return TurnRecord.model_validate(base)


@pytest.fixture
def turns() -> list[TurnRecord]:
    t1 = "You need to admit you have a drinking problem."
    t3 = "I think I pushed too hard just now. What was that like for you?"
    t4 = ("It sounds like being here feels like being judged, and whatever happens next "
          "is your decision.")
    t5 = "What would you want to be different, if anything?"
    return [
        _turn(1, t1, client_text="...", score=make_score(t1, [Code.CONFRONT], ("confrontation",)),
              state=state(0.71, 0.22, rupture=True, ruptures=1),
              changes=[rchange(0.12, "confront"), rchange(0.04, "confront", "identity-threat"),
                       StateChange(quantity="rupture", delta=1, move="confront", reason="t")]),
        _turn(2, "Let me put that differently.", status="failed", error="voice timed out"),
        _turn(3, t3, client_text="It felt like being lectured again, honestly.",
              score=make_score(t3, [Code.PROCESS_COMMENT, Code.QUESTION_OPEN],
                               ("process_comment", "curiosity")),
              state=state(0.60, 0.38, ruptures=1, repairs=1),
              changes=[rchange(-0.08, "process_comment"),
                       rchange(-0.03, "process_comment", "authority-mistrust")]),
        _turn(4, t4, client_text="I lost the job after the panic attack. Nobody knows that.",
              score=make_score(t4, [Code.REFLECTION_COMPLEX, Code.EMPHASIZING_AUTONOMY],
                               ("validation",)),
              state=state(0.46, 0.52, ruptures=1, repairs=1, disclosed=["lost-job"]),
              changes=[rchange(-0.05, "reflection_complex"),
                       rchange(-0.04, "reflection_complex", "identity-threat"),
                       rchange(-0.05, "emphasizing_autonomy")]),
        _turn(5, t5, client_text="Maybe I'd sleep better. I don't know.",
              score=make_score(t5, [Code.QUESTION_OPEN], ("curiosity",)),
              state=state(0.41, 0.58, Stage.CONTEMPLATION, ruptures=1, repairs=1,
                          disclosed=["lost-job"]),
              changes=[rchange(-0.03, "question_open"),
                       rchange(-0.02, "question_open", "fear-of-feeling")]),
    ]
