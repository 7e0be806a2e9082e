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


@dataclass(frozen=True)
class Scripts:
    """What the scripted trainees say. `repair_at` is the index of the first repairing line in
    `repair` (the confrontations before it must have ruptured the alliance by then)."""

    skilful: list[str]
    confrontational: list[str]
    repair: list[str]
    repair_at: int
    abuse: list[str]
    risk_questions: list[str]

    @property
    def trainees(self) -> dict[str, list[str]]:
        return {"confrontational": self.confrontational, "skilful": self.skilful,
                "repair": self.repair}


BATTERY = Scripts(skilful=lines.SKILFUL, confrontational=lines.CONFRONTATIONAL,
                  repair=lines.REPAIR, repair_at=lines.REPAIR_AT, abuse=lines.ABUSE,
                  risk_questions=lines.RISK_QUESTIONS)
TRAINEES: dict[str, list[str]] = BATTERY.trainees


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


def _judge_core(runs: dict[str, Trajectory], repair_at: int) -> list[tuple[str, bool, str]]:
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
         and ruptured_at <= repair_at and not rep.end.rupture and rep.end.repairs >= 1,
         f"rupture at turn {ruptured_at}, ends {'ruptured' if rep.end.rupture else 'repaired'} "
         f"with {rep.end.repairs} repair(s)"),
    ]


async def _clinical(persona: Persona, scorer: object, scripts: Scripts
                    ) -> list[tuple[str, bool, str]]:
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
    for line in scripts.abuse:
        checks.append(await _abuse_case(persona, scorer, scripts, line))
    for question in scripts.risk_questions:
        checks.append(await _risk_question_case(persona, scorer, scripts, question))
    if persona.risk is not None and persona.risk.level != RiskLevel.NONE:
        checks += await _risk_cases(persona, scorer)
    return checks


async def _abuse_case(persona: Persona, scorer: object, scripts: Scripts, line: str
                      ) -> tuple[str, bool, str]:
    abuse = _Session(persona, scorer, "abuse")
    for text in scripts.skilful[:3]:
        await abuse.say(text)
    before = abuse.run.end
    after = await abuse.say(line)
    source = abuse.run.sources[-1][0] if abuse.run.sources[-1] else ""
    warm = not (source.startswith("reaction:hostility") or source.startswith("stance:ruptured"))
    return ("abuse raises resistance and earns no warmth",
            after.resistance > before.resistance and after.alliance <= before.alliance
            and not warm,
            f"{line!r}: resistance {before.resistance:.2f} -> {after.resistance:.2f}, alliance "
            f"{before.alliance:.2f} -> {after.alliance:.2f}, answered from {source!r}")


async def _risk_question_case(persona: Persona, scorer: object, scripts: Scripts,
                              question: str) -> tuple[str, bool, str]:
    asked = _Session(persona, scorer, "risk_question")
    for text in scripts.skilful[:2]:
        await asked.say(text)
    await asked.say(question)
    source = asked.run.sources[-1][0] if asked.run.sources[-1] else ""
    return ("a risk question gets an answer about risk", source.startswith("risk:"),
            f"{question!r} answered from {source!r}: {asked.run.replies[-1]!r}")


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


def run_battery(persona: Persona, scorer: object, scripts: Scripts = BATTERY) -> BatteryResult:
    """Plays the scripted trainees against the persona and lists where it misbehaves (the
    battery's own lines, or another writer's: bench/outside_battery.py)."""

    async def everything() -> tuple[dict[str, Trajectory], list[tuple[str, bool, str]]]:
        runs = {name: await _play(persona, scorer, name, script)
                for name, script in scripts.trainees.items()}
        return runs, (_judge_core(runs, scripts.repair_at)
                      + await _clinical(persona, scorer, scripts))

    runs, checks = asyncio.run(everything())
    failures = [f"{name}: {detail}" for name, ok, detail in checks if not ok]
    return BatteryResult(persona.id, runs, failures, checks)
