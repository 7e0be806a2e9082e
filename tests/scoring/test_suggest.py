"""Suggested replies: read 200 of them as a supervisor would, mechanically.

They must never paste the client's words into a frame, must be grammatical sentences, must not
lean on one frame, must offer two different openings, and after a risk cue must ask about safety
and never hand the decision back ("it's your decision")."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest

from scoring.suggest import (
    Entry,
    candidates,
    client_move,
    load_library,
    pick_two,
    suggest_alternatives,
)
from scoring.suggest.situation import CLIENT_MOVES, PROBLEMS
from scoring.types import Alternative, Code, ScoringContext

# client lines of every kind (written for this test) and what the trainee's reply did
CLIENT_LINES = [
    "*stares at the floor*",
    "Dunno.",
    "Sometimes I think everyone would be better off without me.",
    "He hits me when he's been drinking, but only sometimes.",
    "I've been cutting myself again, just on my arm.",
    "You don't even know me, so stop pretending you do.",
    "Are you going to tell my mum what I say in here?",
    "Okay, yes, I'll do all of it, every day, whatever you think.",
    "Haha, well, at least the hangovers keep me humble, right?",
    "Statistically most people who drink like me never have a problem.",
    "In our family we don't talk to outsiders about these things.",
    "It's not a big deal, everyone at work drinks on Fridays.",
    "Part of me wants to stop, but it's the only thing that helps me sleep.",
    "I'm so tired all the time and I miss her every single day.",
    "What would you do if you were me?",
    "My manager changed the rota again this week.",
]
CODE_SETS = [
    {Code.CONFRONT}, {Code.PERSUADE, Code.QUESTION_CLOSED}, {Code.CONFRONT, Code.HOSTILITY},
    {Code.MINIMIZING}, {Code.UNKEEPABLE_PROMISE}, {Code.QUESTION_CLOSED},
]
REPLIES = ["You need to stop this.", "Have you tried going to bed earlier?", "Grow up.",
           "At least you have a job.", "I promise nothing leaves this room.",
           "Let's talk about your weekend instead."]
SAFETY = re.compile(r"suicid|kill(?:ing)? yourself|end(?:ing)? (?:your|their) (?:own )?life"
                    r"|taking your (?:own )?life|stop existing|safe|self-harm|not (?:be )?alive"
                    r"|hurt(?:ing)? (?:yourself|themselves)"
                    r"|hurting you|harm", re.IGNORECASE)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def generated() -> list[tuple[str, list[Alternative]]]:
    out = []
    combos = itertools.product(CLIENT_LINES, zip(CODE_SETS, REPLIES, strict=True),
                               (False, True), (None, "contemplation"))
    for line, (codes, reply), rupture, stage in combos:
        ctx = ScoringContext(client_last=line, rupture=rupture, stage=stage)
        confronting = bool(codes & {Code.CONFRONT, Code.PERSUADE})
        alts = suggest_alternatives(reply, ctx, set(codes), confronting)
        if alts:
            out.append((line, alts))
    return out


def test_two_hundred_suggestions_read_like_a_supervisor_wrote_them() -> None:
    found = generated()
    assert len(found) >= 200
    frames: Counter[str] = Counter()
    for line, alts in found[::len(found) // 200][:200]:
        assert len(alts) == 2, line
        first = [" ".join(_words(a.text)[:3]) for a in alts]
        assert first[0] != first[1], alts
        client = _words(line)
        runs = {" ".join(client[i:i + 5]) for i in range(len(client) - 4)}
        for alt in alts:
            text = alt.text
            frames[" ".join(_words(text)[:2])] += 1
            mine = _words(text)
            assert not any(" ".join(mine[i:i + 5]) in runs for i in range(len(mine) - 4)), \
                f"pastes the client's words: {text!r} <- {line!r}"
            assert text[0].isupper() and text.rstrip()[-1] in ".?!", text
            assert "  " not in text and " ," not in text and " ." not in text, text
            assert not re.search(r"\b(\w+) \1\b", text, re.IGNORECASE), text
            assert not re.search(r"[{}<>_*]|\.\.\.", text), text
            assert text.count("(") == text.count(")") and text.count('"') % 2 == 0, text
            assert alt.why and alt.why[0].isupper() and alt.why.rstrip()[-1] == ".", alt.why
    top_frame, top_count = frames.most_common(1)[0]
    assert top_count <= 0.1 * sum(frames.values()), (top_frame, top_count)


def test_after_a_risk_cue_both_alternatives_ask_about_safety_and_hand_nothing_back() -> None:
    for line in CLIENT_LINES[2:5]:
        assert client_move(line) == "risk"
        for codes, reply in zip(CODE_SETS, REPLIES, strict=True):
            alts = suggest_alternatives(reply, ScoringContext(client_last=line), set(codes),
                                        Code.CONFRONT in codes)
            assert len(alts) == 2
            for alt in alts:
                assert SAFETY.search(alt.text), alt.text
                assert not re.search(r"your (?:decision|choice)|up to you", alt.text, re.I)


def test_a_risk_question_after_a_risk_cue_needs_no_suggestion() -> None:
    ctx = ScoringContext(client_last=CLIENT_LINES[2])
    assert suggest_alternatives("Are you thinking about suicide?", ctx,
                                {Code.QUESTION_CLOSED, Code.RISK_QUESTION}, False) == []


def test_a_good_reply_gets_no_suggestion() -> None:
    ctx = ScoringContext(client_last="It's not a big deal.")
    assert suggest_alternatives("You don't see it as a big deal.", ctx,
                                {Code.REFLECTION_SIMPLE}, False) == []


def test_rupture_without_repair_suggests_owning_the_misstep() -> None:
    ctx = ScoringContext(client_last="You sound just like my dad.", rupture=True)
    alts = suggest_alternatives("So what else is going on?", ctx, {Code.QUESTION_OPEN}, False)
    assert len(alts) == 2
    assert all(re.search(r"\bI\b|\bme\b|\bmy\b", a.text) for a in alts)


@pytest.mark.parametrize("move", CLIENT_MOVES)
@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_moment_has_two_different_suggestions(move: str, problem: str) -> None:
    pool = candidates(move, problem, None)
    chosen = pick_two(pool, "seed")
    assert len(chosen) == 2 and chosen[0].frame() != chosen[1].frame()


def test_library_keys_are_checked_with_file_and_entry(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "lib.yaml"
    bad.write_text("- client: silence\n  problem: sulking\n  text: Take your time here.\n"
                   "  why: It makes room.\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lib.yaml: entry 1: problem 'sulking'; allowed"):
        load_library(bad)
    assert all(isinstance(e, Entry) for e in load_library())
