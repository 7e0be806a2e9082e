"""Keeps an LLM's output in character: the client speaks, never the therapist, narrator or AI.

A model that answers "As an AI..." or writes the therapist's next line breaks the exercise and
can leak the prompt; such output is refused (the voice retries, then falls back to scripted).
Refused: six or more words in a row from the instructions or the persona's private fields;
narration and third person; the assistant's or the therapist's register; talk of being a model
or character; obeying an off-task order (code, lists, games, a new role, repeated words); a
language the client does not speak; and any method detail of self-harm (sim/engine/guard_rules).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from sim.engine import guard_rules as rules
from sim.personas.coverage import METHOD_WORDS

OTHER_ROLES = r"therapist|counsell?or|trainee|assistant|ai|narrator|system|user|interviewer|doctor"
_OTHER_PREFIX = re.compile(rf"^\s*\**\s*(?:{OTHER_ROLES})\s*\**\s*:", re.IGNORECASE)
_OTHER_LINE = re.compile(rf"\n\s*\**\s*(?:{OTHER_ROLES})\s*\**\s*:", re.IGNORECASE)
_OUT_OF_CHARACTER = re.compile(
    r"\bas an ai\b|\blanguage model\b|\bi(?:'m| am) (?:just )?an? (?:ai|assistant|chatbot|bot)\b"
    r"|\bai assistant\b|\bopenai\b|\bsystem prompt\b|\bmy instructions\b|\bi cannot role-?play\b"
    r"|\bi can(?:no|')t continue (?:this|the) role\b|\bas your therapist\b"
    r"|\bthis (?:simulation|role-?play)\b|\brole-?play\b|\bin character\b|\bhow you talk\s*:"
    r"|\bprivate backstory\b",
    re.IGNORECASE,
)
# A short nonverbal cue (*glances at the clock above the door*) is part of how resistance shows;
# past ~60 characters it is narration. The shipped personas' own cues must pass (tested).
_LONG_DIRECTION = re.compile(r"\*[^*]{61,}\*|\([^)]{61,}\)|\[[^\]]{61,}\]")
# Small models echo the prompt's delimiters (seen with SmolLM2: a trailing "</therapist_reply>").
# A client never speaks in markup, so any tag is dropped from what the trainee sees.
_MARKUP_TAG = re.compile(r"<\s*/?\s*[A-Za-z_][\w:-]*\s*/?\s*>")


@dataclass(frozen=True)
class GuardResult:
    ok: bool
    text: str
    reason: str = ""
    raw: str = ""  # the text as checked, before cleaning


def strip_own_prefix(text: str, names: list[str]) -> str:
    """Removes a leading 'Client:' or '<name>:' the model sometimes writes before the line."""
    labels = "|".join(re.escape(n) for n in ["client", "patient", *names] if n)
    prefix = rf"^\s*\**\s*(?:{labels})\s*\**\s*:\s*\**\s*"
    return re.sub(prefix, "", text, count=1, flags=re.IGNORECASE)


_WORDS = re.compile(r"[a-z0-9']+")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
ECHO_MIN_WORDS = 6
ECHO_RATIO = 0.8
# A client may say a short stock phrase again ("I don't know about that."): only a longer
# reply said again word for word is the model looping (probe set 4: five of eleven false
# alarms were 6-7 word stock phrases).
REPEAT_MIN_WORDS = 8


class Said:
    """A text's words, prepared once: the guard compares every streamed chunk with the same
    trainee line and earlier replies, so they are tokenized and counted once per turn."""

    __slots__ = ("_sentences", "counts", "joined", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = _WORDS.findall(text.lower())
        self.joined = " ".join(self.words)
        self.counts = Counter(self.words)
        self._sentences: list[tuple[list[str], str, bool]] | None = None

    def sentences(self) -> list[tuple[list[str], str, bool]]:
        """(words, joined words, is a question) per sentence; worked out once, when first asked
        (only the trainee's line is split: the guard asks on every chunk of the reply)."""
        if self._sentences is None:
            self._sentences = []
            for sentence in _SENTENCE.findall(self.text):
                words = _WORDS.findall(sentence.lower())
                self._sentences.append((words, " ".join(words), sentence.rstrip().endswith("?")))
        return self._sentences


def echoes(reply: str | Said, other: str | Said) -> bool:
    """True when the reply is the other's words handed back (seen with SmolLM2: the therapist's
    line repeated verbatim as the client's answer). Short quotes inside a real answer pass."""
    said = reply if isinstance(reply, Said) else Said(reply)
    heard = other if isinstance(other, Said) else Said(other)
    a, b = len(said.words), len(heard.words)
    if a < ECHO_MIN_WORDS or not b:
        return False
    return _similar(said, heard, a, b)


def parrots(reply: str | Said, trainee: str | Said) -> bool:
    """The reply is the therapist's whole line said back, however short ("Take your time." ->
    "Take your time."), or opens with it ("Awesome, that's great progress! (...)"); seen with
    SmolLM2 on probe set 4. One-word lines ("Okay.") may be echoed."""
    said = reply if isinstance(reply, Said) else Said(reply)
    heard = trainee if isinstance(trainee, Said) else Said(trainee)
    if len(heard.words) < 2:
        return False
    if said.joined == heard.joined:
        return True
    if len(heard.words) >= 3 and said.joined.startswith(heard.joined + " "):
        return True
    # one of the therapist's sentences said back as the whole reply ("ok cool. anything else on
    # ur mind?" -> "Anything else on ur mind?"), or the therapist's question asked back inside
    # it ("... What got in the way?"): both seen with SmolLM2 on probe set 5
    for words, joined, question in heard.sentences():
        if len(words) >= 3 and said.joined == joined:
            return True
        if len(words) >= 5 and question and joined in said.joined:
            return True
    # the therapist's line cut down or reordered ("What's been helping you stay clean?" ->
    # "What's been helping you?"; "You don't have to have the right words." -> "You don't have
    # to."): nearly every word is the therapist's, and it is a question or opens the same way
    # (probe set 6)
    words = said.words
    if len(words) >= 4 and (said.text.rstrip().endswith("?") or words[:2] == heard.words[:2]):
        theirs = set(heard.words)
        if sum(w in theirs for w in words) >= PARROT_SHARE * len(words):
            return True
    return False


PARROT_SHARE = 0.85


def _similar(said: Said, heard: Said, a: int, b: int) -> bool:
    if said.joined in heard.joined:
        return True
    if b >= ECHO_MIN_WORDS and heard.joined in said.joined:
        return True  # "He comes in and says: <the therapist's line>" (seen with SmolLM2)
    # cheap upper bounds of difflib's ratio first (lengths, then shared words): the guard runs
    # on every streamed chunk, and the exact ratio is quadratic
    if 2 * min(a, b) / (a + b) < ECHO_RATIO:
        return False
    if 2 * sum((said.counts & heard.counts).values()) / (a + b) < ECHO_RATIO:
        return False
    return SequenceMatcher(None, said.words, heard.words, autojunk=False).ratio() >= ECHO_RATIO


LEAK_WORDS = 6
Shingles = frozenset[tuple[str, ...]]


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORDS.findall(text.lower())
    return {tuple(words[i : i + LEAK_WORDS]) for i in range(len(words) - LEAK_WORDS + 1)}


def prompt_shingles(prompt: str, spoken: list[str] | tuple[str, ...], private: str = ""
                    ) -> Shingles:
    """Six-word runs of the instructions that the client would never say: the prompt's runs
    minus those of the lines the client may speak (few-shot examples, disclosure lines).
    `private` (the persona's hidden notes, the same every turn) is worked out once per text."""
    runs = _shingles(prompt)
    if private:
        runs |= _private_shingles(private)
    return frozenset(runs - _spoken_shingles(tuple(spoken)))


@lru_cache(maxsize=64)
def _private_shingles(private: str) -> frozenset[tuple[str, ...]]:
    return frozenset(_shingles(private))


@lru_cache(maxsize=64)
def _spoken_shingles(spoken: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """A persona's speakable lines are the same every turn: their runs are worked out once."""
    allowed: set[tuple[str, ...]] = set()
    for line in spoken:
        allowed |= _shingles(line)
    return frozenset(allowed)


def cut_own_next_line(text: str, names: list[str]) -> str:
    """Drops a second '<name>:' line: the model has started writing a script of several turns
    (seen with SmolLM2), and only the first is this client's reply."""
    labels = "|".join(re.escape(n) for n in ["client", "patient", *names] if n)
    match = re.search(rf"\n\s*\**\s*(?:{labels})\s*\**\s*:", text, flags=re.IGNORECASE)
    return text[: match.start()] if match else text


def check(
    text: str,
    names: list[str],
    trainee: str | Said = "",
    forbidden: Shingles = frozenset(),
    earlier: tuple[str | Said, ...] = (),
    asked_off_task: bool = False,
    languages: tuple[str, ...] = ("en",),
) -> GuardResult:
    """Returns the cleaned text, or ok=False with why it is out of character. `earlier` are
    the client's previous replies in this session: a real client does not repeat one verbatim.
    `asked_off_task`: the therapist asked for something off-task, so agreeing is refused too."""
    cleaned = cut_own_next_line(strip_own_prefix(_MARKUP_TAG.sub("", text), names), names)
    said = Said(cleaned)
    if trainee and (echoes(said, trainee) or parrots(said, trainee)):
        return GuardResult(False, cleaned, "repeated the therapist's words", text)
    if len(said.words) >= REPEAT_MIN_WORDS and any(echoes(said, before) for before in earlier):
        return GuardResult(False, cleaned, "repeated an earlier reply word for word", text)
    if forbidden and not _shingles(cleaned).isdisjoint(forbidden):
        # seen with SmolLM2: the system prompt recited back as the client's reply
        return GuardResult(False, cleaned, "recited its instructions", text)
    if _OTHER_PREFIX.search(cleaned):
        return GuardResult(False, cleaned, "answered as another role", text)
    if _OTHER_LINE.search(cleaned):
        return GuardResult(False, cleaned, "wrote another speaker's line", text)
    match = _OUT_OF_CHARACTER.search(cleaned)
    if match:
        return GuardResult(False, cleaned, f"left character ({match.group(0)!r})", text)
    if _LONG_DIRECTION.search(cleaned):
        return GuardResult(False, cleaned, "long stage direction instead of speech", text)
    why = (rules.register(cleaned, names) or rules.shape(cleaned, names)
           or rules.off_task(cleaned, asked_off_task, names))
    if why:
        return GuardResult(False, cleaned, why, text)
    language = rules.language_of(cleaned)
    if language is not None and language not in languages:
        return GuardResult(False, cleaned, f"switched language ({language})", text)
    if METHOD_WORDS.search(cleaned):
        return GuardResult(False, cleaned, "gave a method detail", text)
    return GuardResult(True, cleaned, raw=text)


def held_back_from(text: str) -> int:
    """Where an unclosed bracket, asterisk or markup tag starts: text from there is not streamed
    yet, so a stage direction or tag is judged whole before any of it reaches the trainee."""
    cut = len(text)
    tag_at = text.rfind("<")
    if tag_at != -1 and ">" not in text[tag_at:]:
        cut = tag_at
    if text.count("*") % 2:
        cut = min(cut, text.rfind("*"))
    for opener, closer in (("(", ")"), ("[", "]")):
        at = text.rfind(opener)
        if at != -1 and closer not in text[at:]:
            cut = min(cut, at)
    return cut


def cap_reached(text: str, max_sentences: int, max_chars: int) -> bool:
    """True once the reply is long enough: one sentence of slack over the director's limit."""
    if len(text) >= max_chars:
        return True
    ends = re.findall(r"[.!?]+(?:\s|$)", text)
    return len(ends) > max_sentences
