"""Coverage of a persona file: does it give the scripted voice enough to answer what trainees ask?

A file can be valid (every field well-formed) and still leave the client with nothing to say
about sleep, no answer to a question about suicide, or a bank too small for a 60-turn session
without repeating itself. These gaps are reported like load errors - file, line, field, what is
missing - so an author fixes them in one pass; `sim personas validate` fails on them.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from scoring.types import Code
from sim.personas.loader import Loc, PersonaIssue, _field_path, _Marks, load_persona
from sim.personas.schema import Persona, RiskLevel, Topic

MIN_TOPIC_LINES = 2
MIN_REACTIONS = 3
MIN_RISK_ANSWERS = 2
MIN_BANK = 90  # distinct lines: a 60-turn session without a repeat, with room to choose
REACTION_MOVES: tuple[Code, ...] = (
    Code.CONFRONT, Code.PERSUADE, Code.GIVING_INFORMATION, Code.QUESTION_OPEN,
    Code.QUESTION_CLOSED, Code.REFLECTION_SIMPLE, Code.REFLECTION_COMPLEX, Code.AFFIRM,
    Code.EMPHASIZING_AUTONOMY, Code.PROCESS_COMMENT, Code.SEEKING_COLLABORATION,
    Code.HOSTILITY,
)
TOPIC_MEANING = {
    Topic.TYPICAL_DAY: "what a normal day looks like",
    Topic.WORK: "work, school or study",
    Topic.FAMILY: "family and the people at home",
    Topic.SLEEP: "sleep and nights",
    Topic.SUBSTANCES: "alcohol, drugs or medication",
    Topic.REFERRAL: "why they are here and who sent them",
    Topic.THERAPIST: "the therapist and this room",
    Topic.PAST_THERAPY: "therapy or counselling before",
}
# A client may say they thought about dying; they never say how. These words in a line are
# method details (or read as such) and are refused.
METHOD_WORDS = re.compile(
    r"\b(overdos\w*|hang(ed|ing)? (myself|himself|herself|themselves)|rope|noose|pills? to"
    r"|stockpil\w*|gun to|shoot (myself|himself|herself)|jump(ed|ing)? (off|from|in front)"
    r"|bridge|razor|blade|slit|wrists?|poison\w*|carbon monoxide|exhaust pipe|ledge"
    r"|train tracks?|lethal)\b",
    re.IGNORECASE,
)


def all_lines(persona: Persona) -> list[tuple[Loc, str]]:
    """Every line the client may speak, with where it is in the file."""
    v = persona.voice
    out: list[tuple[Loc, str]] = [(("voice", "opening_line"), v.opening_line)]
    for stance in ("guarded", "ruptured", "ambivalent", "opening_up"):
        out += [(("voice", "lines", stance, i), x) for i, x in enumerate(getattr(v.lines, stance))]
    for code, lines in v.reactions.items():
        out += [(("voice", "reactions", code.value, i), x) for i, x in enumerate(lines)]
    for topic, spec in v.topics.items():
        for part in ("guarded", "open"):
            out += [(("voice", "topics", topic.value, part, i), x)
                    for i, x in enumerate(getattr(spec, part))]
    out += [(("voice", "partial_repair", i), x) for i, x in enumerate(v.partial_repair)]
    out += [(("voice", "odd_remark", i), x) for i, x in enumerate(v.odd_remark)]
    out += [(("voice", "apology_heard", i), x) for i, x in enumerate(v.apology_heard)]
    out += [(("disclosures", i, "line"), d.line) for i, d in enumerate(persona.disclosures)]
    if persona.risk is not None:
        r = persona.risk
        out += [(("risk", "cues", i, "line"), c.line) for i, c in enumerate(r.cues)]
        for level in ("low_trust", "some_trust", "high_trust"):
            out += [(("risk", "answers", level, i), x)
                    for i, x in enumerate(getattr(r.answers, level))]
        out += [(("risk", "safety", i), x) for i, x in enumerate(r.safety)]
    return out


def _gaps(persona: Persona) -> list[tuple[Loc, str]]:
    """(where, what is missing) for one persona; empty when the file covers everything."""
    gaps: list[tuple[Loc, str]] = []
    v = persona.voice
    for topic in Topic:
        spec = v.topics.get(topic)
        if spec is None:
            gaps.append((("voice", "topics"), f"no answers about {topic.value!r} "
                         f"({TOPIC_MEANING[topic]}): add guarded and open lines"))
            continue
        for part in ("guarded", "open"):
            have = len(getattr(spec, part))
            if have < MIN_TOPIC_LINES:
                gaps.append((("voice", "topics", topic.value, part),
                             f"{have} line(s); at least {MIN_TOPIC_LINES} needed"))
    for code in REACTION_MOVES:
        have = len(v.reactions.get(code, []))
        if have < MIN_REACTIONS:
            what = "abuse or contempt from the trainee" if code == Code.HOSTILITY else code.value
            gaps.append((("voice", "reactions"), f"{have} line(s) answering {what} "
                         f"({code.value!r}); at least {MIN_REACTIONS} needed"))
    for field, need in (("partial_repair", 2), ("odd_remark", 2), ("apology_heard", 2)):
        have = len(getattr(v, field))
        if have < need:
            gaps.append((("voice", field), f"{have} line(s); at least {need} needed"))
    for i, driver in enumerate(persona.drivers):
        if not driver.felt:
            gaps.append((("drivers", i), f"driver {driver.name!r} has no 'felt' (the plain "
                         "words the coach panel shows once the trainee finds it)"))
    if persona.approach is None:
        gaps.append(((), "no 'approach' (the most harmful move and the recommended one, with "
                     "examples; the battery checks both)"))
    gaps += _risk_gaps(persona)
    lines = all_lines(persona)
    distinct = {" ".join(x.lower().split()) for _, x in lines}
    if len(distinct) < MIN_BANK:
        gaps.append((("voice",), f"{len(distinct)} distinct lines in the file; at least "
                     f"{MIN_BANK} are needed for a 60-turn session without a repeat"))
    counts = Counter(" ".join(x.lower().split()) for _, x in lines)
    for loc, line in lines:
        norm = " ".join(line.lower().split())
        if counts[norm] > 1 and len(norm) > 3:
            gaps.append((loc, f"line {line!r} appears {counts[norm]} times; make each distinct"))
            counts[norm] = 1  # report each duplicate once
        match = METHOD_WORDS.search(line)
        if match:
            gaps.append((loc, f"{match.group(0)!r} reads as a method detail; the client "
                         "never gives one"))
    return gaps


def _risk_gaps(persona: Persona) -> list[tuple[Loc, str]]:
    risk = persona.risk
    if risk is None:
        return [((), "no 'risk' (level, cues, answers to a direct question by trust, safety); "
                 "every client must answer a risk question, even with level none")]
    gaps: list[tuple[Loc, str]] = []
    for level in ("low_trust", "some_trust", "high_trust"):
        have = len(getattr(risk.answers, level))
        if have < MIN_RISK_ANSWERS:
            gaps.append((("risk", "answers", level),
                         f"{have} line(s); at least {MIN_RISK_ANSWERS} needed"))
    if risk.level != RiskLevel.NONE:
        if not risk.summary:
            gaps.append((("risk",), "no 'summary' for instructors"))
        if len(risk.safety) < 2:
            gaps.append((("risk", "safety"), f"{len(risk.safety)} line(s); at least 2 needed "
                         "(how the client answers safety planning)"))
        if not any(o.kind == "respond_to_risk" for o in persona.objectives):
            gaps.append((("objectives",), "risk level is "
                         f"{risk.level.value!r} but no objective has kind 'respond_to_risk'"))
    return gaps


def coverage_issues(path: str | Path, persona: Persona | None = None) -> list[PersonaIssue]:
    """Coverage gaps of one persona file, located by line and column like load errors."""
    path = Path(path)
    persona = persona or load_persona(path)
    text = path.read_text(encoding="utf-8")
    marks = _Marks(yaml.compose(text, Loader=yaml.SafeLoader))
    issues = []
    for loc, message in _gaps(persona):
        line, col = marks.find(loc) if loc else (1, 1)
        issues.append(PersonaIssue(str(path), line, col, _field_path(loc),
                                   f"missing coverage: {message}"))
    return sorted(issues, key=lambda i: (i.line, i.column))


def persona_gaps(persona: Persona) -> list[str]:
    """Coverage gaps without file positions (personas not loaded from a file)."""
    return [f"{_field_path(loc) or '<file>'}: {message}" for loc, message in _gaps(persona)]
