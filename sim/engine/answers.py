"""Which of the persona's lines answer this turn: stance x move x topic.

A question about sleep is answered from the file's sleep lines (tersely while guarded, more
fully once trust allows, and declined while guarded or ruptured if sleep is an avoided topic);
praise gets the client's reaction to praise; a question about suicide gets an answer about
risk at the client's level of trust; contempt gets hurt or anger, never thanks. Each pool is
named ("topic:sleep:open") so the relevance bench can check the reply came from the right one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from scoring.types import Code
from sim.engine import lexicon as lx
from sim.engine.listen import Act, Heard
from sim.personas.schema import Persona, Stance, Topic

Pool = tuple[str, list[str]]
LEVELS = ("low_trust", "some_trust", "high_trust")
SAME_SIDE: dict[Stance, tuple[Stance, ...]] = {
    Stance.GUARDED: (Stance.GUARDED, Stance.RUPTURED),
    Stance.RUPTURED: (Stance.RUPTURED, Stance.GUARDED),
    Stance.AMBIVALENT: (Stance.AMBIVALENT, Stance.OPENING_UP),
    Stance.OPENING_UP: (Stance.OPENING_UP, Stance.AMBIVALENT),
}
CLOSED = (Stance.GUARDED, Stance.RUPTURED)
WARMTH = (Act.REFLECTION, Act.AFFIRM, Act.AUTONOMY, Act.COLLABORATION, Act.OTHER)


# A line that opens by echoing a question ("What would help? Honestly, knowing where this
# goes.") answers that question only: it is said when the trainee's question shares a word with
# the echo, never to another question or to a reflection.
_ECHO = re.compile(r"^\s*(?:\([^)]*\)\s*)?([A-Za-z][^.?!…]{0,60}?)(?:\?|\.\.\.|…)\s+\S"
                   # or one longer word said back as a sentence: "Denial. Right."
                   r"|^\s*([A-Za-z]{6,})\.\s+\S")
_ECHO_FILLER = frozenset(["honestly", "um", "uh", "well", "hmm", "hm", "okay", "ok", "yeah", "oh",
                          "ooh", "right", "sorry", "really", "seriously", "me", "now", "look",
                          "interesting", "negative", "exactly", "accepted", "anyway", "perhaps",
                          "sometimes", "alright", "thanks", "whatever", "course", "christ",
                          "absolutely", "definitely", "totally", "literally", "basically"])
_KEY_STOP = frozenset([
    "i", "you", "it", "a", "an", "the", "what", "how", "why", "so", "and", "me", "my", "your",
    "would", "could", "should", "can", "will", "do", "does", "is", "are", "was", "to", "of",
    "in", "on", "for", "that", "this", "be", "about", "there", "if", "i'm", "it's", "what's",
    "you're", "like", "s",
])


def _keys(text: str) -> set[str]:
    words = re.findall(r"[a-z']+", text.lower())
    return {w[:4] for w in words if w not in _KEY_STOP}


def _echo(line: str) -> tuple[str, list[str]] | None:
    """The opening a line says back ("What would help?", "Denial.") and its words, or None when
    it opens on nothing but fillers ("Honestly? ...")."""
    match = _ECHO.match(line)
    if not match:
        return None
    echo = match.group(1) or match.group(2)
    words = re.findall(r"[a-z']+", echo.lower())
    if not words or all(w in _ECHO_FILLER for w in words):
        return None
    return echo, words


@lru_cache(maxsize=4096)  # persona lines are few and fixed: read each once, not every turn
def echoed_question(line: str) -> frozenset[str] | None:
    """The words of the question a line opens by echoing, or None for a line that fits any
    question ("Honestly? I don't know." echoes nothing)."""
    found = _echo(line)
    return frozenset(_keys(found[0])) if found else None


def fits(line: str, asked: str) -> bool:
    """The line can be said now: it echoes no question, or the question the trainee asked."""
    echo = echoed_question(line)
    if echo is None:
        return True
    return bool(asked) and bool(echo & _keys(asked))


@lru_cache(maxsize=4096)
def echoed_word(line: str) -> frozenset[str] | None:
    """The word or two a line opens by saying back ("Denial. Right.", "Sabotaging? I...",
    "The log? Yeah."), or None. Longer openings are the client's own questions ("Can we not
    do the lateness thing?") and fit anywhere."""
    found = _echo(line)
    if found is None:
        return None
    echo, words = found
    content = [w for w in words if w not in ("the", "a", "an", "my")]
    if not content or len(content) > 2 or all(w in _ECHO_FILLER for w in content):
        return None
    return frozenset(_keys(echo))


def says_back(line: str, said: str) -> bool:
    """The line can be said now: it says back no word, or one the trainee said."""
    echo = echoed_word(line)
    return echo is None or bool(echo & _keys(said))


def _reaction(persona: Persona, code: Code | None) -> list[Pool]:
    if code is None:
        return []
    lines = list(persona.voice.reactions.get(code, []))
    return [(f"reaction:{code.value}", lines)] if lines else []


def stance_pools(persona: Persona, stance: Stance) -> list[Pool]:
    """The stance's own lines, then its neighbour on the same side (never from guarded to
    opening up: a guarded client does not volunteer what it says when trusting)."""
    return [(f"stance:{s.value}", persona.voice.lines.for_stance(s)) for s in SAME_SIDE[stance]]


def topic_pools(persona: Persona, topic: Topic | None, stance: Stance) -> list[Pool]:
    spec = persona.voice.topics.get(topic) if topic is not None else None
    if spec is None or topic is None:
        return []
    guarded = (f"topic:{topic.value}:guarded", list(spec.guarded))
    if stance in CLOSED:
        return [guarded]  # avoided topics: the guarded lines decline them
    return [(f"topic:{topic.value}:open", list(spec.open)), guarded]


def risk_pools(persona: Persona, trust: str) -> list[Pool]:
    """Answers at this trust, then less trusting ones, then more (never silence on risk)."""
    risk = persona.risk
    if risk is None:
        return []
    at = LEVELS.index(trust)
    order = [LEVELS[at], *reversed(LEVELS[:at]), *LEVELS[at + 1 :]]
    return [(f"risk:{level}", list(getattr(risk.answers, level))) for level in order]


def by_kind(pools: list[Pool], harm_by_others: bool | None) -> list[Pool]:
    """Risk answers of the kind asked about first (being hurt by someone, or the client's own
    thoughts), then the rest: a client asked about one may still answer with the other."""
    if harm_by_others is None:
        return pools
    first: list[Pool] = []
    rest: list[Pool] = []
    for source, lines in pools:
        if not source.startswith("risk:") or source == "risk:safety":
            first.append((source, lines))
            continue
        kind = [x for x in lines if bool(lx.ABOUT_OTHERS_HARM.search(x)) == harm_by_others]
        first.append((source, kind))
        rest.append((source, [x for x in lines if x not in kind]))
    return first + rest


def pools_for(persona: Persona, heard: Heard, stance: Stance, trust: str,
              repair: str | None) -> list[Pool]:
    """Pools to draw the reply's main line from, best first."""
    voice = persona.voice
    own = stance_pools(persona, stance)
    act = heard.act
    if act == Act.ABUSE:
        return [*_reaction(persona, Code.HOSTILITY), *stance_pools(persona, Stance.RUPTURED)]
    if act == Act.OFF_TASK:
        return [("odd_remark", list(voice.odd_remark)), *own]
    if act == Act.RISK_QUESTION:
        return [*by_kind(risk_pools(persona, trust), heard.harm_by_others), *own]
    if act == Act.SAFETY_PLAN:
        safety = list(persona.risk.safety) if persona.risk else []
        return [("risk:safety", safety),
                *by_kind(risk_pools(persona, trust), heard.harm_by_others), *own]
    if act == Act.REPAIR:
        # "I came on too strong, I'm sorry" is answered as an apology, not as an observation
        # about the client ("Ha. You caught that.")
        apology = [("apology_heard", list(voice.apology_heard))] if heard.owns >= 0.4 else []
        if repair == "repaired" or stance != Stance.RUPTURED:
            return [*apology, *_reaction(persona, Code.PROCESS_COMMENT), *own]
        partial = [("partial_repair", list(voice.partial_repair))] if repair == "partial" else []
        return [*partial, *own, *_reaction(persona, Code.PROCESS_COMMENT)]
    if act in (Act.CONFRONT, Act.BLAME):
        return [*_reaction(persona, Code.CONFRONT), *own]
    if act == Act.ADVICE:
        return [*_reaction(persona, heard.reaction), *_reaction(persona, Code.PERSUADE),
                *_reaction(persona, Code.GIVING_INFORMATION), *own]
    if act == Act.QUESTION:
        return [*topic_pools(persona, heard.topic, stance), *_reaction(persona, heard.reaction),
                *own]
    if stance == Stance.RUPTURED and act in WARMTH:
        return [*own, *_reaction(persona, heard.reaction)]
    if act == Act.OTHER:
        return [*topic_pools(persona, heard.topic, stance), *own]
    if act == Act.REFLECTION:
        other = (Code.REFLECTION_SIMPLE if heard.reaction == Code.REFLECTION_COMPLEX
                 else Code.REFLECTION_COMPLEX)
        return [*_reaction(persona, heard.reaction), *_reaction(persona, other), *own]
    if act == Act.COLLABORATION:
        return [*_reaction(persona, Code.SEEKING_COLLABORATION),
                *_reaction(persona, Code.QUESTION_OPEN), *own]
    return [*_reaction(persona, heard.reaction), *own]


def wide_pools(persona: Persona, stance: Stance) -> list[Pool]:
    """Everything this client could say in this stance, when the fitting pools are spent:
    the stance's side, short answers to questions, and the topics' lines for the stance
    (declines, for avoided topics while closed)."""
    voice = persona.voice
    pools = stance_pools(persona, stance)
    pools += _reaction(persona, Code.QUESTION_CLOSED) + _reaction(persona, Code.QUESTION_OPEN)
    if stance in CLOSED:  # pushback makes sense in any closed stance (README: any stance)
        for code in (Code.CONFRONT, Code.PERSUADE, Code.GIVING_INFORMATION):
            pools += _reaction(persona, code)
        pools.append(("partial_repair", list(voice.partial_repair)))
    else:
        for code in (Code.REFLECTION_SIMPLE, Code.REFLECTION_COMPLEX, Code.SEEKING_COLLABORATION,
                     Code.PROCESS_COMMENT):
            pools += _reaction(persona, code)
    part = "guarded" if stance in CLOSED else "open"
    for topic, spec in voice.topics.items():
        if stance in CLOSED or not spec.avoided:
            pools.append((f"topic:{topic.value}:{part}", list(getattr(spec, part))))
    return pools


def follow_up(persona: Persona, heard: Heard, stance: Stance) -> list[Pool]:
    """A second line after a short acknowledgement: a reflection about sleep gets "Yeah."
    and then something about sleep, once the client is not guarded."""
    if heard.act == Act.REFLECTION and heard.topic is not None and stance not in CLOSED:
        return topic_pools(persona, heard.topic, stance)[:1]
    return []
