"""What the client just did and what went wrong in the reply: the keys of the library.

The client's move is read from its last line with plain patterns (the scorer has no model of
client lines); the simulator can add what it knows (a rupture, an unanswered risk disclosure).
Order matters: a risk cue outranks everything else in the same line.
"""

from __future__ import annotations

import re

from scoring.types import Code, ScoringContext

CLIENT_MOVES: tuple[str, ...] = (
    "risk", "silence", "hostile_to_therapist", "mistrust", "compliance", "humour",
    "intellectualizing", "cultural", "sustain_talk", "ambivalence", "pain",
    "question_to_therapist", "general",
)
PROBLEMS: tuple[str, ...] = (
    "missed_risk", "hostility", "confront", "persuade", "minimizing", "unkeepable_promise",
    "rupture",
)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


RISK = _rx(
    r"\b(?:kill(?:ing)? myself|suicid\w*|end (?:it|my life|things)"
    r"|(?:not|wasn't|weren't) (?:be )?(?:here|around)"
    r"|better off without me|(?:don't|do not|never) want to wake up|not wake up|disappear"
    r"|no point (?:in )?(?:living|going on|anything)|(?:cut|cutting|hurt|hurting|burn|burning)"
    r" myself|self[- ]harm|want(?:ed)? to die|wish i (?:was|were) dead|be gone|gone for good"
    r"|(?:hits?|hitting|beats?|beat|hurts?|hurting|chokes?|threatens?) (?:me|us|my mum|my mom)"
    r"|(?:scared|afraid) (?:to go|of going) home|not safe at home)\b")
MOVES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("silence", _rx(r"^\W*(?:\.{2,}|…|\*[^*]*\*|\([^)]*\)|dunno|idk|fine|nothing|whatever|"
                    r"maybe|ok(?:ay)?|s'fine|no|yes|don't know|i don't know)\W*$")),
    ("hostile_to_therapist", _rx(
        r"\b(?:you don't (?:even )?know me|you (?:sound|are) (?:just )?like|this is (?:pointless|"
        r"a waste|stupid|useless)|waste of (?:time|my time)|what do you know|you people|"
        r"you're not listening|why should i tell you|you don't get it|you're judging me)\b")),
    ("mistrust", _rx(
        r"\b(?:(?:are you|you're) (?:gonna|going to) tell|does this go to|who (?:sees|reads)"
        r"|write (?:this|that|it) down|report (?:this|me)|confidential|between us|"
        r"last (?:therapist|counsellor|counselor|time)|can i trust)\b")),
    ("compliance", _rx(
        r"\b(?:i'll do (?:all of )?(?:it|that|whatever)|whatever you (?:think|say)|you're right,"
        r"|yes,? of course|sure,? i can do that|i'll try harder|sorry,? i'm (?:bad|useless))")),
    ("humour", _rx(r"\b(?:haha|lol|lmao|joke|kidding|ha,|comedy|funny)\b")),
    ("intellectualizing", _rx(
        r"\b(?:statistically|theoretically|research (?:says|shows)|the literature|"
        r"objectively|rationally|"
        r"from an? (?:evolutionary|logical|academic) (?:point|standpoint))")),
    ("cultural", _rx(
        r"\b(?:in (?:my|our) (?:family|culture|community|church|religion|country)|"
        r"we don't (?:talk|do) (?:about )?(?:this|that)|my (?:elders|ancestors)|god|allah|"
        r"prayer|pray|shame on (?:my|the) family|disrespect)\b")),
    ("sustain_talk", _rx(
        r"\b(?:not a (?:big )?(?:deal|problem)|i don't have a problem|everyone (?:does|drinks|"
        r"smokes)|i'm fine|i can stop (?:any ?time|whenever)|it's under control|"
        r"don't need (?:this|help|to be here)|only (?:a|at|on|when)|made me come|sent me)\b")),
    ("ambivalence", _rx(r"\b(?:part of me|i want to,? but|i know i should|on the other hand|"
                        r"i guess,? but|sometimes i think)\b")),
    ("pain", _rx(r"\b(?:tired|exhausted|hurts?|lonely|alone|scared|afraid|miss (?:him|her|them)|"
                 r"can't (?:sleep|cope|stop)|awful|hopeless|grief|crying|cried|numb)\b")),
)


def client_move(line: str, ctx: ScoringContext | None = None) -> str:
    """The client's move in its last line (one of CLIENT_MOVES)."""
    text = line.strip()
    if (ctx is not None and ctx.risk_disclosed) or RISK.search(text):
        return "risk"
    if not text:
        return "silence"
    for name, pattern in MOVES:
        if pattern.search(text):
            return name
    return "question_to_therapist" if text.endswith("?") else "general"


def problems_of(codes: set[Code], confronting: bool, ctx: ScoringContext) -> list[str]:
    """What went wrong in the reply, most serious first (empty when nothing did)."""
    found = []
    risk_moment = ctx.risk_disclosed or bool(RISK.search(ctx.client_last))
    if risk_moment and Code.RISK_QUESTION not in codes:
        found.append("missed_risk")
    if Code.HOSTILITY in codes:
        found.append("hostility")
    if confronting:
        found.append("confront" if Code.CONFRONT in codes or Code.PERSUADE not in codes
                     else "persuade")
    if Code.MINIMIZING in codes:
        found.append("minimizing")
    if Code.UNKEEPABLE_PROMISE in codes:
        found.append("unkeepable_promise")
    if ctx.rupture and Code.PROCESS_COMMENT not in codes and not found:
        found.append("rupture")
    return found
