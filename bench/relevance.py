"""Does the scripted client answer what was asked? (trainee line, scripted reply) pairs judged by
the rubric in docs/RELEVANCE.md.

Every line of bench/relevance_lines.py (246 lines, each labelled with what it asks for before
any run) is said to every persona, three ordinary turns into a session, through the real scorer,
engine and scripted voice. A reply is on topic when its main line comes from a bank that answers
the label (a question about sleep from the persona's sleep lines, praise from its reaction to
praise, a risk question from its risk answers, ...). The pairs are written out for reading.

    python -m bench.relevance [--persona ID] [--holdout 1|2|3|4] [--extra] [--out ...]
"""

from __future__ import annotations

import argparse
import asyncio
from collections import defaultdict
from pathlib import Path

from bench.relevance_extra import EXTRA
from bench.relevance_holdout import HOLDOUT
from bench.relevance_holdout2 import HOLDOUT2
from bench.relevance_holdout3 import HOLDOUT3
from bench.relevance_holdout4 import HOLDOUT4
from bench.relevance_lines import LINES
from scoring import get_scorer
from sim.engine.turn import TurnRunner
from sim.engine.voice import ScriptedVoice
from sim.personas import Persona, load_library
from sim.personas.schema import Topic

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = ["Thanks for coming in today.", "What would you like to talk about?",
           "It sounds like it's been a lot."]
TOPICS = {t.value for t in Topic}
ANSWERS: dict[str, tuple[str, ...]] = {
    "risk": ("risk:",),
    "safety": ("risk:",),
    "affirm": ("reaction:affirm",),
    "reflection": ("reaction:reflection_",),
    "autonomy": ("reaction:emphasizing_autonomy",),
    # pushing moves: the client answers the push, whichever of its pushback lines it uses
    "advice": ("reaction:persuade", "reaction:giving_information", "reaction:confront"),
    # an owning process comment ("I pushed too hard just now") is answered as an apology
    "process": ("reaction:process_comment", "partial_repair", "topic:therapist:",
                "apology_heard"),
    # a label of worth ("You're just lazy") may be heard as contempt: hurt or anger answers it
    "confront": ("reaction:confront", "stance:ruptured", "stance:guarded", "reaction:persuade",
                 "reaction:giving_information", "reaction:hostility"),
    "abuse": ("reaction:hostility", "stance:ruptured"),
    "open": ("reaction:question_open", "reaction:seeking_collaboration", "reaction:process_comment",
             "topic:", "stance:", "risk:"),
    "off_task": ("odd_remark",),
}
WARMTH = ("affirm", "reflection", "autonomy", "process")


def on_topic(label: str, source: str, stance: str) -> bool:
    """The rubric (docs/RELEVANCE.md) applied to the bank the reply's main line came from."""
    source = source.split("+")[0]
    kind, _, topic = label.partition(":")
    if kind in TOPICS:
        # a question about the therapist is a question about the relationship: the client's
        # answer to a process comment answers it too
        return source.startswith(f"topic:{kind}:") or (
            kind == "therapist" and source == "reaction:process_comment")
    if topic and source.startswith(f"topic:{topic}:"):
        return True
    if kind in WARMTH and stance == "ruptured" and source.startswith("stance:ruptured"):
        return True  # a ruptured client withdrawing from warmth answers it in kind
    return source.startswith(ANSWERS[kind])


async def pair(persona: Persona, scorer: object, text: str) -> tuple[str, str, str]:
    runner = TurnRunner(persona, scorer, ScriptedVoice())
    state, _ = runner.opening()
    history: list[tuple[str, str]] = []
    reply, source, stance = "", "", ""
    for line in [*WARM_UP, text]:
        async for event in runner.run(state, history, line):
            if event.type == "result":
                state = event.result.state
                history.append((line, event.result.reply))
                reply = event.result.reply
                source = event.result.sources[0] if event.result.sources else ""
                stance = event.result.direction.stance.value
    return reply, source, stance


async def run(personas: list[Persona], lines: list[tuple[str, str]]) -> list[dict[str, object]]:
    scorer = get_scorer("offline")
    rows = []
    for persona in personas:
        for text, label in lines:
            reply, source, stance = await pair(persona, scorer, text)
            rows.append({"persona": persona.id, "line": text, "label": label, "reply": reply,
                         "source": source, "stance": stance,
                         "ok": on_topic(label, source, stance)})
    return rows


def report(rows: list[dict[str, object]], out: Path, n_lines: int) -> None:
    total = len(rows)
    ok = sum(bool(r["ok"]) for r in rows)
    print(f"{ok} of {total} pairs on topic ({100 * ok / total:.1f}%), "
          f"{n_lines} lines x {total // n_lines} personas")
    for key in ("label", "persona"):
        groups: dict[str, list[bool]] = defaultdict(list)
        for r in rows:
            groups[str(r[key]).split(":")[0]].append(bool(r["ok"]))
        print(f"by {key}: " + ", ".join(f"{k} {100 * sum(v) / len(v):.0f}%"
                                         for k, v in sorted(groups.items())))
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Relevance pairs", "", f"{ok} of {total} on topic.", "",
             "| persona | label | trainee | client | bank | stance | on topic |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        cells = [str(r[k]).replace("|", "/") for k in ("persona", "label", "line", "reply",
                                                       "source", "stance")]
        lines.append("| " + " | ".join(cells) + f" | {'yes' if r['ok'] else 'NO'} |")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"pairs written to {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persona", default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "relevance.md")
    parser.add_argument("--holdout", type=int, choices=(0, 1, 2, 3, 4), default=0,
                        help="1 or 2: a held-out set (written after a round of tuning) instead "
                             "of the main set")
    parser.add_argument("--extra", action="store_true",
                        help="the extra set (bench/relevance_extra.py) instead of the others")
    args = parser.parse_args()
    library = load_library(ROOT / "personas")
    personas = [library[args.persona]] if args.persona else list(library.values())
    lines = EXTRA if args.extra else {0: LINES, 1: HOLDOUT, 2: HOLDOUT2, 3: HOLDOUT3,
                                          4: HOLDOUT4}[args.holdout]
    report(asyncio.run(run(personas, lines)), args.out, len(lines))


if __name__ == "__main__":
    main()
