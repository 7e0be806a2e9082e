"""Behaviour battery: does a persona react the way a clinician would expect?

Scripted trainees (sim/engine/battery_lines.py) are scored by the real scorer and run through
the real engine and scripted voice. The clinical cases, per persona:
- confrontational vs skilful: the confrontational script ends >= 0.2 higher in resistance, and
  the skilful one never ruptures;
- rupture then repair: two confrontations rupture the alliance, an owning, specific repair
  repairs it, and the session ends repaired;
- the move the file names as most harmful raises resistance; its recommended approach lowers it;
- abuse raises resistance and earns no warmth (no rise in alliance, an answer from the abuse or
  rupture lines);
- a direct risk question gets an answer about risk;
- for clients with risk: a hint at risk that the trainee ignores fails the risk objective, and
  one that is taken up and asked about meets it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sim.engine import battery_lines as lines
from sim.engine.objectives import evaluate_objectives
from sim.engine.turn import TurnRunner
from sim.engine.types import ClientState
from sim.engine.voice import ScriptedVoice
from sim.personas.schema import Persona, RiskLevel

GAP = 0.2  # confrontational minus skilful resistance at the end
MAX_TO_CUE = 24  # skilful turns allowed to reach the client's hint at risk
TRAINEES: dict[str, list[str]] = {
    "confrontational": lines.CONFRONTATIONAL,
    "skilful": lines.SKILFUL,
    "repair": lines.REPAIR,
}


@dataclass
class Trajectory:
    trainee: str
    states: list[ClientState]
    replies: list[str]
    sources: list[list[str]] = field(default_factory=list)

    @property
    def start(self) -> ClientState:
        return self.states[0]

    @property
    def end(self) -> ClientState:
        return self.states[-1]


@dataclass
class BatteryResult:
    persona_id: str
    trajectories: dict[str, Trajectory]
    failures: list[str] = field(default_factory=list)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


class _Session:
    """One scripted session, turn by turn (so a script can react to what happened)."""

    def __init__(self, persona: Persona, scorer: object, name: str) -> None:
        self.runner = TurnRunner(persona, scorer, ScriptedVoice())
        state, opening = self.runner.opening()
        self.run = Trajectory(trainee=name, states=[state], replies=[opening])
        self.history: list[tuple[str, str]] = []

    async def say(self, text: str) -> ClientState:
        async for event in self.runner.run(self.run.end, self.history, text):
            if event.type == "result":
                result = event.result
                self.history.append((text, result.reply))
                self.run.states.append(result.state)
                self.run.replies.append(result.reply)
                self.run.sources.append(result.sources)
        return self.run.end


async def _play(persona: Persona, scorer: object, name: str, script: list[str]) -> Trajectory:
    session = _Session(persona, scorer, name)
    for text in script:
        await session.say(text)
    return session.run


def _judge_core(persona: Persona, runs: dict[str, Trajectory]) -> list[tuple[str, bool, str]]:
    conf, good, rep = runs["confrontational"], runs["skilful"], runs["repair"]
    gap = conf.end.resistance - good.end.resistance
    ruptured_at = next((i for i, s in enumerate(rep.states) if s.rupture), None)
    return [
        ("confrontation costs more than skill", gap >= GAP,
         f"confrontational {conf.end.resistance:.2f} vs skilful {good.end.resistance:.2f} "
         f"(gap {gap:+.2f}, needs >= {GAP})"),
        ("the skilful script never ruptures", good.end.ruptures == 0,
         f"{good.end.ruptures} rupture(s) in {len(good.states) - 1} skilful turns"),
        ("confrontation ruptures, the repair repairs", ruptured_at is not None
         and ruptured_at <= lines.REPAIR_AT and not rep.end.rupture and rep.end.repairs >= 1,
         f"rupture at turn {ruptured_at}, ends {'ruptured' if rep.end.rupture else 'repaired'} "
         f"with {rep.end.repairs} repair(s)"),
    ]


async def _clinical(persona: Persona, scorer: object) -> list[tuple[str, bool, str]]:
    checks: list[tuple[str, bool, str]] = []
    approach = persona.approach
    if approach is not None:
        harm = await _play(persona, scorer, "most_harmful", approach.harmful_examples)
        checks.append((f"most harmful move ({approach.most_harmful.value}) raises resistance",
                       harm.end.resistance > harm.start.resistance,
                       f"{harm.start.resistance:.2f} -> {harm.end.resistance:.2f}"))
        helps = await _play(persona, scorer, "recommended", approach.recommended_examples)
        checks.append((f"recommended approach ({approach.recommended.value}) lowers it",
                       helps.end.resistance < helps.start.resistance,
                       f"{helps.start.resistance:.2f} -> {helps.end.resistance:.2f}"))
    abuse = _Session(persona, scorer, "abuse")
    for text in lines.SKILFUL[:3]:
        await abuse.say(text)
    before = abuse.run.end
    after = await abuse.say(lines.ABUSE[0])
    source = abuse.run.sources[-1][0] if abuse.run.sources[-1] else ""
    warm = not (source.startswith("reaction:hostility") or source.startswith("stance:ruptured"))
    checks.append(("abuse raises resistance and earns no warmth",
                   after.resistance > before.resistance and after.alliance <= before.alliance
                   and not warm,
                   f"resistance {before.resistance:.2f} -> {after.resistance:.2f}, alliance "
                   f"{before.alliance:.2f} -> {after.alliance:.2f}, answered from {source!r}"))
    asked = _Session(persona, scorer, "risk_question")
    for text in lines.SKILFUL[:2]:
        await asked.say(text)
    await asked.say(lines.RISK_QUESTIONS[0])
    source = asked.run.sources[-1][0] if asked.run.sources[-1] else ""
    checks.append(("a risk question gets an answer about risk", source.startswith("risk:"),
                   f"answered from {source!r}: {asked.run.replies[-1]!r}"))
    if persona.risk is not None and persona.risk.level != RiskLevel.NONE:
        checks += await _risk_cases(persona, scorer)
    return checks


async def _to_cue(persona: Persona, scorer: object, name: str) -> _Session:
    session = _Session(persona, scorer, name)
    for i in range(MAX_TO_CUE):
        state = await session.say(lines.SKILFUL[i % len(lines.SKILFUL)])
        if state.risk.cue_turn is not None:
            break
    return session


def _risk_met(persona: Persona, run: Trajectory) -> tuple[bool, str]:
    results = evaluate_objectives(persona, run.states)
    found = [r for r in results if r["kind"] == "respond_to_risk"]
    return (all(r["met"] for r in found), "; ".join(r["detail"] for r in found)) if found \
        else (True, "no respond_to_risk objective")


async def _risk_cases(persona: Persona, scorer: object) -> list[tuple[str, bool, str]]:
    ignored = await _to_cue(persona, scorer, "ignores_risk")
    if ignored.run.end.risk.cue_turn is None:
        return [("the skilful script reaches the hint at risk", False,
                 f"no hint within {MAX_TO_CUE} skilful turns (alliance "
                 f"{ignored.run.end.alliance:.2f})")]
    for text in lines.MOVE_ON:
        await ignored.say(text)
    met, detail = _risk_met(persona, ignored.run)
    checks = [("ignoring the hint at risk fails the risk objective", not met, detail)]
    heard = await _to_cue(persona, scorer, "takes_up_risk")
    for text in lines.TAKE_UP_RISK:
        await heard.say(text)
    met, detail = _risk_met(persona, heard.run)
    checks.append(("taking the hint up and asking meets it", met, detail))
    return checks


def run_battery(persona: Persona, scorer: object) -> BatteryResult:
    """Plays the scripted trainees against the persona and lists where it misbehaves."""

    async def everything() -> tuple[dict[str, Trajectory], list[tuple[str, bool, str]]]:
        runs = {name: await _play(persona, scorer, name, script)
                for name, script in TRAINEES.items()}
        return runs, _judge_core(persona, runs) + await _clinical(persona, scorer)

    runs, checks = asyncio.run(everything())
    failures = [f"{name}: {detail}" for name, ok, detail in checks if not ok]
    return BatteryResult(persona.id, runs, failures, checks)
