"""Plain-language pieces the report is written from: move names, driver labels, pronouns,
excerpts, and the fallback alternative reply when the scorer offered none.

Kept apart from the report logic so the wording can be reviewed (and tested) on its own.
"""

from __future__ import annotations

import re

from sim.personas.schema import DriverKind, Persona, Stage

MOVE_NOUNS: dict[str, str] = {
    "question_open": "open question",
    "question_closed": "closed question",
    "reflection_simple": "simple reflection",
    "reflection_complex": "complex reflection",
    "affirm": "affirmation",
    "seeking_collaboration": "invitation to collaborate",
    "emphasizing_autonomy": "nod to the client's autonomy",
    "giving_information": "piece of information",
    "persuade": "attempt to persuade",
    "persuade_with_permission": "advice offered with permission",
    "confront": "confrontation",
    "process_comment": "process comment",
    "owning_misstep": "acknowledgement of a misstep",
    "validation": "validation",
    "curiosity": "curious question",
    "confrontation": "confrontation",
}

# How a complex reflection can reach under the client's words, by the kind of driver in play.
_DEEPENING: dict[DriverKind | None, str] = {
    DriverKind.EMOTIONAL: "and there may be more feeling under that than is easy to show here",
    DriverKind.COGNITIVE: "and that way of seeing it has made sense of a lot for you",
    DriverKind.RELATIONAL: "and it's fair to wonder whether this room is any safer than others",
    DriverKind.NEUROBIOLOGICAL: "and even sitting here with it puts you on edge",
    None: "and that matters to you more than it might look from the outside",
}

# Open questions that leave the decision with the client, by stage of change.
_AUTONOMY_QUESTION: dict[Stage, str] = {
    Stage.PRECONTEMPLATION: "What, if anything, would you want to be different, and it's "
    "entirely your call?",
    Stage.CONTEMPLATION: "If you did decide to change something, what would make it worth it to "
    "you? It's your decision either way.",
    Stage.PREPARATION: "What first step, if any, feels right to you, in your own time?",
    Stage.ACTION: "What is helping so far, and what would you like to keep doing your way?",
    Stage.MAINTENANCE: "What would help you hold on to what you've built, in your own way?",
}

# When the client said almost nothing, reflect the silence itself, by driver kind.
_QUIET_REFLECTION: dict[DriverKind | None, str] = {
    DriverKind.EMOTIONAL: "Maybe saying more right now would mean feeling more than is "
    "comfortable here.",
    DriverKind.COGNITIVE: "Maybe there doesn't seem much point in explaining it all again.",
    DriverKind.RELATIONAL: "Maybe it isn't clear yet whether it's safe to say more to me.",
    DriverKind.NEUROBIOLOGICAL: "Maybe it's a lot just to be sitting here with this right now.",
    None: "Maybe there isn't much that feels worth saying yet.",
}

_SUBJECT_PRONOUNS = {"he", "she", "they", "ze", "xe", "ey", "fae"}


def move_noun(move: str) -> str:
    """'confront' -> 'confrontation'; unknown moves are de-slugged rather than refused."""
    return MOVE_NOUNS.get(move, move.replace("_", " "))


def driver_label(name: str) -> str:
    """A detail-free label for a driver slug: 'identity-threat' -> 'Identity threat'."""
    words = re.sub(r"[-_]+", " ", name).strip()
    return words[:1].upper() + words[1:]


def first_name(persona: Persona) -> str:
    """What the report calls the client: a quoted nickname ('Dariusz "Darek" K.') if any."""
    nickname = re.search(r'["\u201c]([^"\u201d]+)["\u201d]', persona.client.name)
    return nickname.group(1).strip() if nickname else persona.client.name.split()[0]


def subject_pronoun(persona: Persona) -> str:
    """'he/him' -> 'he'; falls back to the client's first name for anything else."""
    first = re.split(r"[/\s,]+", persona.client.pronouns.strip().lower())[0]
    return first if first in _SUBJECT_PRONOUNS else first_name(persona)


def excerpt(text: str, limit: int = 160) -> str:
    """The text cut at a word boundary, so long replies stay readable in tables."""
    clean = " ".join(text.split())
    if len(clean) <= limit:
        return clean
    cut = clean[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def fmt(value: float) -> str:
    return f"{value:.2f}"


_SWAP = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
    "i'm": "you're", "i've": "you've", "i'll": "you'll", "i'd": "you'd",
    "your": "my", "yours": "mine", "yourself": "myself",
    "you're": "I'm", "you've": "I've", "you'll": "I'll", "you'd": "I'd",
}
_OBJECT_AFTER = {"to", "with", "for", "at", "about", "from", "like", "than", "of", "by", "on"}
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def swap_person(text: str) -> str:
    """Turn the client's first person into the trainee's second person and back
    ("I don't trust you" -> "you don't trust me"), so a reflection can reuse their words."""
    text = text.replace("\u2019", "'")
    out: list[str] = []
    pos = 0
    prev = ""
    for match in _WORD.finditer(text):
        word = match.group(0)
        low = word.lower()
        if low == "you":
            after = text[match.end() :].lstrip(" ")
            ends_clause = not after or after[0] in ".,;:!?"
            new = "me" if prev in _OBJECT_AFTER or ends_clause else "I"
        elif low == "am" and prev == "i":
            new = "are"
        elif low == "are" and prev == "you":
            new = "am"
        elif low == "was" and prev == "i":
            new = "were"
        elif low == "were" and prev == "you":
            new = "was"
        else:
            new = _SWAP.get(low, word)
        out.append(text[pos : match.start()])
        out.append(new)
        pos = match.end()
        sep = text[match.end() : match.end() + 2]
        prev = "" if any(c in sep for c in ".,;:!?") else low
    out.append(text[pos:])
    return "".join(out)


def gist(line: str, max_words: int = 18) -> str | None:
    """The first sentence of the client's line in the trainee's voice, or None when the client
    said too little to reflect (silence, 'Fine.')."""
    first = re.split(r"(?<=[.!?])\s+", " ".join(line.split()), maxsplit=1)[0]
    words = _WORD.findall(first)
    if len(words) < 3:
        return None
    clipped = " ".join(first.split()[:max_words]).rstrip(" .!?,;:—-")
    swapped = swap_person(clipped)
    if not swapped.startswith("I ") and not swapped.startswith("I'"):
        swapped = swapped[:1].lower() + swapped[1:]
    return swapped


def fallback_alternative(
    previous_client_line: str, driver_kind: DriverKind | None, stage: Stage
) -> str:
    """A complex reflection of the client's previous line plus an autonomy-supporting open
    question: used when the scorer gave no suggestion for a reply that hurt."""
    said = gist(previous_client_line)
    if said is None:
        reflection = _QUIET_REFLECTION.get(driver_kind, _QUIET_REFLECTION[None])
    else:
        deepening = _DEEPENING.get(driver_kind, _DEEPENING[None])
        reflection = f"It sounds like {said}, {deepening}."
    return f"{reflection} {_AUTONOMY_QUESTION[stage]}"
