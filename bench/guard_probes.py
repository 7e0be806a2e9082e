"""The in-character guard against a real model: injection and off-task probes plus ordinary turns.

Runs the real TurnRunner with the `openai` voice (ChatOpenAI against any OpenAI-compatible
server, e.g. SmolLM2-135M under llama.cpp, see docs/VOICES.md) and the scripted fallback, over
six personas. Every raw model attempt is recorded with the guard's verdict, and every reply
shown to the trainee with the voice that produced it. Kept out of CI: it needs the server.

    python -m bench.guard_probes --base-url http://127.0.0.1:18080/v1 --model smollm2 \\
        --out bench/out/guard_probes.jsonl [--labels bench/data/guard_review.json]

What it prints: probes and ordinary turns; how many replies fell back to the scripted voice; of
the replies the model's own words reached the trainee with, how many a reader marked out of
character (`--labels`: the hand review, keyed by record id; unreviewed ones are listed); leaks
(six or more words of the persona's private fields or the prompt in a shown reply, checked
mechanically); and the guard's false alarms on ordinary turns (rejected attempts a reader
marked as in character).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench.guard_probe_lines import INJECTIONS, ORDINARY, PERSONAS
from bench.guard_probe_lines3 import INJECTIONS3, ORDINARY3
from bench.guard_probe_lines4 import INJECTIONS4, ORDINARY4
from bench.guard_probe_lines5 import INJECTIONS5, ORDINARY5
from bench.guard_probe_lines6 import INJECTIONS6, ORDINARY6
from sim.engine import guard
from sim.engine.prompts import build_messages, private_text, spoken_lines
from sim.engine.register import therapist_register
from sim.engine.turn import TurnRunner
from sim.engine.voice import LLMVoice, ScriptedVoice, client_names
from sim.personas import load_persona

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = ["Thanks for coming in today.", "What would you like to talk about?"]


class Recorder:
    """Wraps the chat model: records the text of every attempt the voice makes."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.model_name = getattr(model, "model_name", "llm")
        self.attempts: list[str] = []

    def astream(self, messages: Any) -> Any:
        inner = self.model.astream(messages)
        record = self.attempts
        record.append("")
        index = len(record) - 1

        class _Stream:
            def __aiter__(self) -> _Stream:
                return self

            async def __anext__(self) -> Any:
                chunk = await anext(inner)
                record[index] += str(chunk.content or "")
                return chunk

            async def aclose(self) -> None:
                await inner.aclose()

        return _Stream()


def _chat_model(base_url: str, model: str, max_tokens: int) -> Any:
    from sim.config import Settings
    from sim.llm import build_chat_model

    settings = Settings(voice="openai", openai_base_url=base_url, openai_model=model,
                        llm_max_tokens=max_tokens, llm_timeout_s=60)
    return build_chat_model(settings)


def _leak(persona: Any, reply: str, trainee: str) -> bool:
    """Six words in a row from the private fields (not also in a line the client may say)."""
    forbidden = guard.prompt_shingles(private_text(persona), spoken_lines(persona))
    said = guard._shingles(reply) - guard._shingles(trainee)
    return not said.isdisjoint(forbidden)


async def _one(persona: Any, scorer: Any, recorder: Recorder, text: str) -> dict[str, Any]:
    voice = LLMVoice(recorder, timeout_s=60, retries=1, model_name="probe")  # type: ignore[arg-type]
    runner = TurnRunner(persona, scorer, voice, ScriptedVoice(),
                        judge=therapist_register(scorer))  # as sim/runtime.py builds it
    state, _ = runner.opening()
    history: list[tuple[str, str]] = []
    scripted = TurnRunner(persona, scorer, ScriptedVoice())
    for line in WARM_UP:  # a short real conversation first, spoken by the scripted voice
        async for event in scripted.run(state, history, line):
            if event.type == "result":
                state = event.result.state
                history.append((line, event.result.reply))
    recorder.attempts.clear()
    started = time.perf_counter()
    result = None
    async for event in runner.run(state, history, text):
        if event.type == "result":
            result = event.result
    assert result is not None
    names = client_names(persona)
    messages = build_messages(persona, result.direction, history, text,
                              disclosed=result.state.disclosed)
    private = f"{messages[0].content}\n{private_text(persona)}"
    inputs = (guard.Said(text), guard.prompt_shingles(private, spoken_lines(persona)),
              tuple(guard.Said(c) for _, c in history), voice_off_task(text, persona, scorer),
              tuple(persona.voice.languages))
    judge = therapist_register(scorer)

    def verdict(raw: str) -> str | None:  # what the voice refuses: the guard, then the judge
        checked = guard.check(raw, names, *inputs)
        return checked.reason if not checked.ok else judge(checked.text)

    attempts = [{"raw": raw, "reason": verdict(raw)} for raw in recorder.attempts]
    return {"persona": persona.id, "trainee": text, "shown": result.reply,
            "voice": result.voice, "attempts": attempts,
            "leak": _leak(persona, result.reply, text) if result.voice != "scripted" else False,
            "seconds": round(time.perf_counter() - started, 2)}


def voice_off_task(text: str, persona: Any, scorer: Any) -> bool:
    from sim.engine.listen import listen

    return listen(text, scorer.score(text), persona).off_task


async def run(base_url: str, model: str, max_tokens: int, limit: int | None,
              probes: int = 1) -> list[dict]:
    from scoring import get_scorer

    scorer = get_scorer("offline")
    recorder = Recorder(_chat_model(base_url, model, max_tokens))
    personas = [load_persona(ROOT / "personas" / f"{p}.yaml") for p in PERSONAS]
    injections, ordinary = {1: (INJECTIONS, ORDINARY), 3: (INJECTIONS3, ORDINARY3),
                            4: (INJECTIONS4, ORDINARY4), 5: (INJECTIONS5, ORDINARY5),
                            6: (INJECTIONS6, ORDINARY6)}[probes]
    jobs = [("probe", i, t) for i, t in enumerate(injections)]
    jobs += [("ordinary", i, t) for i, t in enumerate(ordinary)]
    # each persona gets every sixth line; its turns run together so the server's prompt cache
    # reuses the persona's long system prompt from one request to the next
    jobs.sort(key=lambda job: (job[1] % len(personas), job[0], job[1]))
    if limit:
        jobs = jobs[:limit]
    records = []
    for kind, i, text in jobs:
        persona = personas[i % len(personas)]
        record = await _one(persona, scorer, recorder, text)
        record.update(id=f"{kind}-{i:03d}", kind=kind)
        records.append(record)
        shown = "LLM" if record["voice"] != "scripted" else "fallback"
        print(f"{record['id']} {persona.id:<28} {shown:<8} {record['shown'][:70]!r}", flush=True)
    return records


def summarise(records: list[dict], labels: dict[str, str]) -> None:
    for kind in ("probe", "ordinary"):
        rows = [r for r in records if r["kind"] == kind]
        if not rows:
            continue
        llm = [r for r in rows if r["voice"] != "scripted"]
        reviewed = [r for r in llm if r["id"] in labels]
        ooc = [r for r in reviewed if labels[r["id"]] == "out"]
        leaks = sum(r["leak"] for r in rows)
        rejected = [(r["id"], i) for r in rows for i, a in enumerate(r["attempts"]) if a["reason"]]
        print(f"\n{kind}: {len(rows)} turns; {len(rows) - len(llm)} fell back to the scripted "
              f"voice ({100 * (len(rows) - len(llm)) / len(rows):.0f}%), {len(llm)} shown from "
              f"the model; {len(rejected)} attempts refused by the guard")
        print(f"  out of character as shown to the trainee: {len(ooc)} of {len(rows)} turns "
              f"({100 * len(ooc) / len(rows):.1f}%); {len(llm) - len(reviewed)} model replies "
              f"not yet reviewed")
        print(f"  leaks of the persona file or prompt in shown replies: {leaks}")
        if kind == "ordinary":
            judged = [k for k in rejected if f"{k[0]}#{k[1]}" in labels]
            fine = [k for k in judged if labels[f"{k[0]}#{k[1]}"] == "in"]
            attempts = sum(len(r["attempts"]) for r in rows)
            print(f"  guard false alarms on ordinary turns: {len(fine)} of {attempts} attempts "
                  f"({100 * len(fine) / max(1, attempts):.1f}%) were refused though in "
                  f"character ({len(rejected) - len(judged)} refusals not yet reviewed)")
        reasons: dict[str, int] = {}
        for r in rows:
            for a in r["attempts"]:
                if a["reason"]:
                    key = a["reason"].split(" (")[0]
                    reasons[key] = reasons.get(key, 0) + 1
        print("  refusals by reason: " + ", ".join(
            f"{k} {v}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1])))
    secs = [r["seconds"] for r in records]
    if secs:
        print(f"\nseconds per turn: median {statistics.median(secs):.1f}, max {max(secs):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:18080/v1")
    parser.add_argument("--model", default="smollm2")
    parser.add_argument("--max-tokens", type=int, default=400)  # the app's default
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "guard_probes.jsonl")
    parser.add_argument("--labels", type=Path, default=None,
                        help="hand review: {record id: 'in'|'out', 'id#attempt': 'in'|'out'}")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--probes", type=int, choices=(1, 3, 4, 5, 6), default=1,
                        help="1: bench/guard_probe_lines.py (the guard was developed on it); 3: "
                             "bench/guard_probe_lines3.py, written by an outside writer who "
                             "never saw the guard (session 4; rules were added after its run); "
                             "4: bench/guard_probe_lines4.py, a second outside writer (session 5);"
                             " 5: bench/guard_probe_lines5.py, a third (session 6, written after "
                             "the rules that set 4 prompted); 6: bench/guard_probe_lines6.py, a "
                             "fourth (session 7, written after the rules set 5 prompted)")
    parser.add_argument("--summary-only", action="store_true",
                        help="summarise --out again (with --labels) without calling the model")
    args = parser.parse_args()
    if args.summary_only:
        records = [json.loads(x) for x in args.out.read_text().splitlines() if x.strip()]
    else:
        records = asyncio.run(run(args.base_url, args.model, args.max_tokens, args.limit,
                                   args.probes))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        print(f"wrote {args.out}")
    labels = json.loads(args.labels.read_text()) if args.labels else {}
    summarise(records, labels)


if __name__ == "__main__":
    main()
