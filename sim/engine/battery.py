"""Behaviour battery: does a persona react the way the model of resistance says it should?

Three scripted trainees - confrontational, MI-consistent, and rupture-then-repair - each say
eight generic replies, scored by the real scorer and run through the real engine and scripted
voice. A persona fails when, e.g., MI-consistent replies do not end with lower resistance than
confrontational ones, or a process comment does not lower resistance after a rupture.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sim.engine.turn import TurnRunner
from sim.engine.types import ClientState
from sim.engine.voice import ScriptedVoice
from sim.personas.schema import Persona

CONFRONTATIONAL = [
    "You have to stop making excuses.",
    "You're just making excuses again.",
    "If you don't change, you're going to lose everything.",
    "You're being defensive, which proves my point.",
    "You're kidding yourself if you think this is fine.",
    "Honestly, you're just making excuses for yourself.",
    "You need to get serious and stop making excuses.",
    "You're fooling yourself if you think nothing needs to change.",
]
MI_CONSISTENT = [
    "What brings you here today, in your own words?",
    "It sounds like coming here wasn't entirely your choice, and you're not sure what to expect.",
    "You've kept going through a lot; that takes real strength.",
    "It's completely up to you what we focus on.",
    "Part of you wants things to stay as they are, and part of you is wondering whether "
    "something needs to change.",
    "What matters most to you about how this turns out?",
    "You're the expert on your own life, so I'd like to understand how you see it.",
    "What would be most useful to talk about?",
]
REPAIR_AT = 3  # index of the process comment in the repair trainee's replies
REPAIR = [
    "What brings you in today?",
    "You're just making excuses again.",
    "Honestly, you're just making excuses for yourself.",
    "I notice I've been pushing you, and you've gone quiet. Can we talk about what just "
    "happened between us?",
    "You felt lectured just now, and it made you want to shut down.",
    "It's your call where we go from here.",
    "What would be most useful to talk about?",
    "Part of you is wary of me, and part of you still came today.",
]
TRAINEES: dict[str, list[str]] = {
    "confrontational": CONFRONTATIONAL,
    "mi_consistent": MI_CONSISTENT,
    "repair": REPAIR,
}


@dataclass
class Trajectory:
    trainee: str
    states: list[ClientState]
    replies: list[str]

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

    @property
    def ok(self) -> bool:
        return not self.failures


async def _play(persona: Persona, scorer: object, replies: list[str]) -> Trajectory:
    runner = TurnRunner(persona, scorer, ScriptedVoice())
    state, _ = runner.opening()
    states, spoken = [state], []
    history: list[tuple[str, str]] = []
    for text in replies:
        async for event in runner.run(state, history, text):
            if event.type == "result":
                state = event.result.state
                spoken.append(event.result.reply)
                history.append((text, event.result.reply))
        states.append(state)
    return Trajectory(trainee="", states=states, replies=spoken)


def _judge(persona: Persona, runs: dict[str, Trajectory]) -> list[str]:
    failures = []
    conf, mi, rep = runs["confrontational"], runs["mi_consistent"], runs["repair"]
    if not mi.end.resistance < conf.end.resistance:
        failures.append(
            f"MI-consistent replies ended at resistance {mi.end.resistance:.2f}, not below "
            f"the confrontational {conf.end.resistance:.2f}"
        )
    baseline = persona.resistance.baseline
    if conf.end.ruptures == 0 and conf.end.resistance <= baseline:
        failures.append(
            f"confrontation caused no rupture and resistance ended at {conf.end.resistance:.2f}, "
            f"not above the baseline {baseline:.2f}"
        )
    before, after = rep.states[REPAIR_AT], rep.states[REPAIR_AT + 1]
    if not after.resistance < before.resistance:
        failures.append(
            f"the process comment did not lower resistance ({before.resistance:.2f} -> "
            f"{after.resistance:.2f})"
        )
    if before.rupture and (after.rupture or after.repairs <= before.repairs):
        failures.append("the process comment after the rupture did not repair it")
    if not any(s.ruptures for s in rep.states[: REPAIR_AT + 1]):
        failures.append("two confrontations caused no rupture, so the repair was not exercised")
    return failures


def run_battery(persona: Persona, scorer: object) -> BatteryResult:
    """Plays the three trainees against the persona and lists where it misbehaves."""

    async def all_runs() -> dict[str, Trajectory]:
        out = {}
        for name, replies in TRAINEES.items():
            run = await _play(persona, scorer, replies)
            run.trainee = name
            out[name] = run
        return out

    runs = asyncio.run(all_runs())
    return BatteryResult(persona.id, runs, _judge(persona, runs))
