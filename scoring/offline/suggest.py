"""A kinder alternative where a reply confronts or persuades without permission.

The alternative turns the confrontation into a reflection of what the client said (their own
words, pronouns swapped, framed as a complex reflection) plus an open question that hands the
decision back to the client. It is a template, not a language model, so it is deterministic.
"""

from __future__ import annotations

import re

_SWAP = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
         "i'm": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll", "am": "are",
         "we": "you", "our": "your", "us": "you", "you": "I", "your": "my", "you're": "I'm"}
_WORD = re.compile(r"[A-Za-z']+|[^A-Za-z']+")
_FILLER = re.compile(r"^(?:well|so|yeah|yes|no|um+|uh+|look|i mean|honestly|ok(?:ay)?)[,.]?\s+",
                     re.IGNORECASE)
QUESTIONS = (
    "What would you want to be different, if anything?",
    "Where do you want to take this from here?",
    "What matters most to you about this right now?",
    "How do you see it?",
)


def swap_pronouns(text: str) -> str:
    """First person to second person, so the client's line can be reflected back."""
    out = []
    for tok in _WORD.findall(text):
        low = tok.lower()
        out.append(_SWAP.get(low, tok) if tok[0].isalpha() else tok)
    return "".join(out)


_SELF = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself|we|our|us)\b", re.IGNORECASE)


def _client_gist(client_last: str, limit: int = 14) -> str:
    """The client's first self-statement, pronouns swapped; empty when the line says nothing
    about the client (e.g. "That's well put." or a question back), which cannot be reflected."""
    sentences = re.split(r"(?<=[.!?])\s+", client_last.strip())
    first = next((s for s in sentences if _SELF.search(s)), "")
    first = re.sub(r"^[^A-Za-z]+", "", first)
    first = _FILLER.sub("", first).rstrip(".!?… ")
    if not first:
        return ""
    words = first.split()
    if len(words) > limit:
        first = " ".join(words[:limit]) + "..."
    return swap_pronouns(first)


_MINIMIZING = re.compile(r"\b(?:only|just|not that|don't really|hardly|barely|fine|"
                        r"not a big deal|no big deal|everyone (?:does|drinks|smokes|uses)|"
                        r"harmless|a couple|a few|"
                        r"not the one|not an?)\b", re.IGNORECASE)
_INTENT = re.compile(r"\b(?:i'm going|i am going|i'll|i will|i might|i want to|i'm thinking|"
                     r"i'd like to|i plan)\b", re.IGNORECASE)
_STRAIN = re.compile(r"\b(?:tired|hard|can't|cannot|stressed|exhausted|scared|worried|"
                     r"anxious|hurts?|pain|awful|alone|lost|hate|sick of|fed up)\b",
                     re.IGNORECASE)


def _reflection(gist: str, client_last: str) -> str:
    """A complex reflection: the client's words plus the meaning or feeling under them."""
    said = gist[0].lower() + gist[1:]
    if _MINIMIZING.search(client_last):
        return (f"It sounds like {said}, and from where you stand it isn't the problem "
                "other people make it out to be.")
    if _INTENT.search(client_last):
        return f"It sounds like {said}, and you have your own reasons for that."
    if _STRAIN.search(client_last):
        return f"It sounds like {said}, and that's a lot to carry."
    return f"It sounds like {said}, and you see it your own way."


def suggest_alternative(reply: str, client_last: str = "", cue: str | None = None) -> str:
    """A complex reflection of the client's last line plus an autonomy-supporting question."""
    seed = sum(map(ord, reply)) % len(QUESTIONS)
    question = QUESTIONS[seed]
    gist = _client_gist(client_last) if client_last.strip() else ""
    if gist:
        reflection = _reflection(gist, client_last)
    elif cue in ("label", "truth_claim", "certainty"):
        reflection = ("You don't see it the way others do, and being told what you are "
                      "doesn't help.")
    elif client_last.strip():
        reflection = ("Part of you may not be sure this is worth getting into right now, and "
                      "you'd rather come at it your own way.")
    else:
        reflection = "You have your own reasons for doing things the way you do."
    return f"{reflection} It's your decision. {question}"
