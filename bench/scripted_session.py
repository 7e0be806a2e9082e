"""A scripted 40-turn session per persona (offline scorer + engine + scripted voice):
total and per-turn time, and a check that the client never repeated a reply.

Run: .venv/bin/python -m bench.scripted_session [--turns 40] [--persona ID]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from bench.turn_overhead import REPLIES, pct, print_machine
from scoring import get_scorer
from sim.engine.turn import TurnRunner
from sim.engine.voice import ScriptedVoice
from sim.personas import Persona, load_library

ROOT = Path(__file__).resolve().parent.parent


async def session(persona: Persona, scorer: object, turns: int) -> tuple[float, list[float], bool]:
    runner = TurnRunner(persona, scorer, ScriptedVoice())
    state, opening = runner.opening()
    history: list[tuple[str, str]] = []
    spoken, per_turn = [opening], []
    start = time.perf_counter()
    for i in range(turns):
        text = REPLIES[i % len(REPLIES)]
        t0 = time.perf_counter()
        async for event in runner.run(state, history, text):
            if event.type == "result":
                state = event.result.state
                history.append((text, event.result.reply))
                spoken.append(event.result.reply)
        per_turn.append((time.perf_counter() - t0) * 1000)
    total = (time.perf_counter() - start) * 1000
    return total, per_turn, len(set(spoken)) == len(spoken)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--persona", default=None, help="one persona id (default: all)")
    args = parser.parse_args()
    print_machine()
    library = load_library(ROOT / "personas")
    chosen = [library[args.persona]] if args.persona else list(library.values())
    scorer = get_scorer("offline")
    scorer.score("warm-up")
    all_turns: list[float] = []
    for persona in chosen:
        total, per_turn, unique = asyncio.run(session(persona, scorer, args.turns))
        all_turns.extend(per_turn)
        print(
            f"{persona.id:<30} {args.turns} turns: total {total:8.1f} ms | per turn median "
            f"{statistics.median(per_turn):6.2f} ms p95 {pct(per_turn, 0.95):6.2f} ms | "
            f"{'no repeated reply' if unique else 'REPEATED A REPLY'}"
        )
    print(
        f"all: {len(all_turns)} turns, per turn median {statistics.median(all_turns):.2f} ms, "
        f"p95 {pct(all_turns, 0.95):.2f} ms"
    )


if __name__ == "__main__":
    main()
