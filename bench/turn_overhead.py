"""Engine overhead per turn without an LLM: score + state + director + scripted voice + persisting
the turn (in-memory SQLite). Target: the engine's own part (listen, state, director, scripted
voice) under 2 ms median; the scorer's share is printed apart.

Run: .venv/bin/python -m bench.turn_overhead [--turns 400] [--persona silent-adolescent]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import statistics
import sys
import time
from pathlib import Path

from scoring import get_scorer
from sim.engine.director import direct
from sim.engine.listen import listen
from sim.engine.state import apply_score
from sim.engine.turn import TurnRunner, scoring_context
from sim.engine.voice import ScriptedVoice, VoiceRequest
from sim.personas import load_persona

ROOT = Path(__file__).resolve().parent.parent
REPLIES = [
    "What brings you in today?",
    "It sounds like coming here wasn't your idea, and you're not sure what to expect.",
    "Do you sleep well?",
    "You're just making excuses again.",
    "I notice I pushed you just now. Can we talk about what happened between us?",
    "It's completely up to you what we focus on.",
    "You've kept going through a lot; that takes real strength.",
    "What would be most useful to talk about?",
    "Part of you wants things to stay as they are, and part of you wonders.",
    "May I share something other people in your situation have found useful?",
]
SCHEMA = (
    "CREATE TABLE turn (id INTEGER PRIMARY KEY, session_id INT, idx INT, status TEXT, "
    "trainee_text TEXT, client_text TEXT, score TEXT, state TEXT, changes TEXT)"
)


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
    }


def print_machine() -> None:
    info = machine_info()
    print("machine: " + " | ".join(f"{k} {v}" for k, v in info.items()))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(persona_path: Path, turns: int, session_len: int) -> dict[str, list[float]]:
    persona = load_persona(persona_path)
    scorer = get_scorer("offline")
    runner = TurnRunner(persona, scorer, ScriptedVoice())
    voice = ScriptedVoice()
    db = sqlite3.connect(":memory:")
    db.execute(SCHEMA)
    timings: dict[str, list[float]] = {k: [] for k in (
        "total", "score", "engine (no scorer)", "listen+state+director", "voice")}
    done, session = 0, 0
    scorer.score(REPLIES[0])  # load the model outside the timed loop
    while done < turns:
        session += 1
        state, _ = runner.opening()
        history: list[tuple[str, str]] = []
        for i in range(min(session_len, turns - done)):
            text = REPLIES[(i + session) % len(REPLIES)]
            t0 = time.perf_counter()
            cur = db.execute(
                "INSERT INTO turn (session_id, idx, status, trainee_text) VALUES (?,?,?,?)",
                (session, i, "pending", text),
            )
            db.commit()
            result = None
            async for event in runner.run(state, history, text):
                if event.type == "result":
                    result = event.result
            assert result is not None
            db.execute(
                "UPDATE turn SET status=?, client_text=?, score=?, state=?, changes=? WHERE id=?",
                (
                    "complete",
                    result.reply,
                    result.score.model_dump_json(),
                    result.state.model_dump_json(),
                    json.dumps([c.model_dump(mode="json") for c in result.changes]),
                    cur.lastrowid,
                ),
            )
            db.commit()
            timings["total"].append((time.perf_counter() - t0) * 1000)
            # component breakdown on the same input (not part of the total above)
            t1 = time.perf_counter()
            score = scorer.score(text, scoring_context(persona, history))
            t2 = time.perf_counter()
            heard = listen(text, score, persona, rupture_text=state.rupture_text)
            new_state, changes = apply_score(persona, state, score, heard=heard)
            direction = direct(persona, new_state, score, changes, heard)
            t3 = time.perf_counter()
            request = VoiceRequest(persona, new_state, direction, history, text, heard=heard)
            _ = [t async for t in voice.stream(request)]
            t4 = time.perf_counter()
            timings["score"].append((t2 - t1) * 1000)
            timings["engine (no scorer)"].append((t4 - t2) * 1000)
            timings["listen+state+director"].append((t3 - t2) * 1000)
            timings["voice"].append((t4 - t3) * 1000)
            state = result.state
            history.append((text, result.reply))
            done += 1
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--session-length", type=int, default=40)
    parser.add_argument("--persona", default="silent-adolescent")
    args = parser.parse_args()
    path = Path(args.persona)
    if not path.exists():
        path = ROOT / "personas" / f"{args.persona}.yaml"
    print_machine()
    timings = asyncio.run(measure(path, args.turns, args.session_length))
    print(f"persona {path.stem}, {args.turns} turns in sessions of {args.session_length}")
    for name, values in timings.items():
        print(
            f"{name:>15}: median {statistics.median(values):6.3f} ms | "
            f"p95 {pct(values, 0.95):6.3f} ms | max {max(values):6.3f} ms"
        )
    median = statistics.median(timings["engine (no scorer)"])
    verdict = "PASS" if median < 2.0 else "FAIL"
    print(f"target: the engine's own overhead (listen, state, director, scripted voice; the "
          f"scorer is timed apart) median < 2 ms: {verdict} ({median:.3f} ms)")


if __name__ == "__main__":
    main()
