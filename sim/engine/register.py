"""Does a model's reply read as the therapist's? The scorer that rates trainees knows the
therapist's moves; a client's reply it rates as a reflection, an affirmation, advice or
autonomy support ("That sounds exhausting.", "You should sleep more.", "You're doing great")
is the model speaking from the wrong chair. Small models do this often (SmolLM2-135M in
bench/guard_probes.py); word patterns miss most of it. Questions and pushback are a client's
own moves and are not judged here."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

THERAPIST_MOVES = frozenset({"reflection_simple", "reflection_complex", "affirm", "persuade",
                             "persuade_with_permission", "emphasizing_autonomy",
                             "seeking_collaboration"})
THRESHOLD = 0.85  # offline-4, with OTHER_MOVES_THRESHOLD: 32 of 1,048 persona lines (3.1%);
# a flagged line only means the scripted voice answers instead, while a therapist's line shown
# as the client's breaks the exercise, so the bar sits where SmolLM2's "That sounds
# exhausting." (0.85-0.86 with offline-4) is still caught
# a client's own lines read as reflections far more often than as advice or praise (offline-4:
# 34 of the 42 persona lines flagged at 0.8 were reflections), so the other moves are judged
# at a lower bar
OTHER_MOVES_THRESHOLD = 0.8
# a client talking about itself ("I like being needed") reads like a reflection to a scorer
# trained on therapists; the therapist's moves are about the other person, so only sentences
# without a first-person word are judged
FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|us|our)\b", re.I)
SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def therapist_register(scorer: Any, threshold: float = THRESHOLD,
                       others: float = OTHER_MOVES_THRESHOLD) -> Callable[[str], str | None]:
    """A judge for VoiceRequest.judge: the reason the text reads as a therapist's move, or
    None. Any scorer with `.score(text)` returning codes with probabilities will do."""

    judged: dict[str, list[Any]] = {}  # the voice judges the first words, then the whole reply

    def moves_in(sentence: str) -> list[Any]:
        if sentence not in judged:
            score = scorer.score(sentence)
            judged[sentence] = [c for c in getattr(score, "codes", None) or []
                                if (name := str(getattr(c.code, "value", c.code)))
                                in THERAPIST_MOVES and c.probability >= (
                                    threshold if name.startswith("reflection") else others)]
        return judged[sentence]

    def judge(text: str) -> str | None:
        hits = []
        for sentence in (m.group(0).strip() for m in SENTENCE.finditer(text)):
            if len(sentence) < 3 or FIRST_PERSON.search(sentence.replace("\u2019", "'")):
                continue
            hits += moves_in(sentence)
        if not hits:
            return None
        top = max(hits, key=lambda c: c.probability)
        return (f"spoke like the therapist ({getattr(top.code, 'value', top.code)}, "
                f"{top.probability:.2f})")

    return judge
