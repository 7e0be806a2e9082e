"""Running a version before trainees see it: the behaviour battery (sim/engine/battery.py, what
`sim personas check` runs) as chartable trajectories, and a test-drive session."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from sim.engine.battery import TRAINEES, run_battery
from sim.errors import Invalid
from sim.models import PracticeSession, SessionMode, User
from sim.personas import Persona
from sim.runtime import Runtime
from sim.studio.personas.models import PersonaVersion
from sim.studio.personas.service import not_valid


class BatteryPoint(BaseModel):
    turn: int
    resistance: float
    alliance: float
    stage: str
    rupture: bool


class BatteryRun(BaseModel):
    trainee: str
    replies: list[str]
    client_replies: list[str]
    points: list[BatteryPoint]


class BatteryReport(BaseModel):
    persona_id: str
    version: int
    ok: bool
    failures: list[str]
    scorer: str
    runs: list[BatteryRun]


def runnable(row: PersonaVersion) -> Persona:
    """The version as the engine runs it; an invalid draft cannot be run (422 with its issues)."""
    if row.data is None:
        raise Invalid(not_valid(row.version, row.issues).replace(
            "then publish", "then run it"), field="version")
    return Persona.model_validate(row.data)


def battery(row: PersonaVersion, scorer: Any) -> BatteryReport:
    """The three scripted trainees against this version (scripted voice, the app's scorer).
    Runs its own event loop, so call it from a worker thread (a sync route), not the loop."""
    persona = runnable(row)
    result = run_battery(persona, scorer)
    runs = []
    for name, run in result.trajectories.items():
        points = [BatteryPoint(turn=i, resistance=s.resistance, alliance=s.alliance,
                               stage=s.stage.value, rupture=s.rupture)
                  for i, s in enumerate(run.states)]
        runs.append(BatteryRun(trainee=name, replies=list(TRAINEES[name]),
                               client_replies=run.replies[1:],  # [0] is the opening line
                               points=points))
    return BatteryReport(persona_id=row.persona_id, version=row.version, ok=result.ok,
                         failures=result.failures, scorer=str(getattr(scorer, "name", "?")),
                         runs=runs)


def test_drive(db: Session, user: User, row: PersonaVersion, runtime: Runtime) -> PracticeSession:
    """A practice session on exactly this version (a draft too), owned by the instructor and
    marked as a test-drive: it never counts in progress or appears in session lists."""
    persona = runnable(row)
    state, line = runtime.runner(persona).opening()
    ps = PracticeSession(
        user_id=user.id or 0, persona_id=persona.id, persona_version=row.version,
        persona_title=f"{persona.title} (test drive, v{row.version})"[:200],
        mode=SessionMode.COACH, voice=runtime.voice_name[:40],
        model=runtime.model[:120] if runtime.model else None, scorer=runtime.scorer_name[:40],
        scorer_version=runtime.scorer_version[:40], scorer_settings=runtime.scorer_settings,
        opening_line=line, opening_state=state.model_dump(mode="json"), test_drive=True)
    db.add(ps)
    db.flush()
    return ps
