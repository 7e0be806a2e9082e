"""Feature extraction shared by training and inference (so the two can never drift apart).

Every feature carries the character span of the reply it came from, so the scorer can point at
the sentence that carried a rating. Context features (span -1) describe how the reply relates to
the client's last line: reflections reuse the client's words, answers follow client questions.
"""

from __future__ import annotations

import re
from collections.abc import Container

from scoring.offline.cues import CUES


def words(text: str) -> frozenset[str]:
    """A word set from a whitespace-separated string (keeps long lists readable)."""
    return frozenset(text.split())


TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?|[?!]")
SENTENCE_RE = re.compile(r"[^.?!;\n]+(?:[.?!;]+|$)")

OPEN_OPENERS = words(
    "what how why when where who which whose tell describe explain"
)
CLOSED_OPENERS = words(
    "do does did is are was were can could would will have has had should shall may might "
    "am isn't aren't don't doesn't didn't won't wouldn't couldn't haven't hasn't"
)
IMPERATIVES = words(
    "stop start cut try go get take quit add listen call make put focus push stick drink eat "
    "don't think sign set just give leave admit accept face wake grow"
)
STOPWORDS = words(
    """a an the and or but so to of in on at for with about is are was were be been being am i
    me my mine you your yours he she it we they them their our us this that these those there
    here do does did have has had not no yes yeah okay ok um uh like just really very what how
    why when where who which can could would will should may might if then than too also well
    know think mean get got go going some any all it's i'm you're that's don't"""
)
_PRONOUN_SWAP = {"i": "you", "my": "your", "me": "you", "mine": "yours", "i'm": "you're",
                 "myself": "yourself", "i've": "you've", "i'd": "you'd", "i'll": "you'll"}


Feat = tuple[str, int, int]
"""(name, start, end): a feature and the reply span it came from (-1, -1 for whole-reply)."""


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased tokens with their character spans in the original text."""
    return [(m.group().lower(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def sentences(text: str) -> list[tuple[int, int]]:
    """Clause/sentence spans (start, end) with surrounding whitespace trimmed."""
    spans = []
    for m in SENTENCE_RE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start and any(ch.isalnum() for ch in text[start:end]):
            spans.append((start, end))
    return spans or ([(0, len(text))] if text.strip() else [])


def _content(words: list[str]) -> set[str]:
    return {_PRONOUN_SWAP.get(w, w) for w in words if w not in STOPWORDS and len(w) > 2}


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    return sum(value >= e for e in edges)


def length_feature(n_words: int) -> str:
    """The reply-length bucket feature name."""
    return f"LEN:{_bucket(n_words, (3, 6, 12, 25, 50))}"


def extract(reply: str, client_last: str = "") -> list[Feat]:
    """All features of one reply in context, each with the reply span it came from."""
    return extract_with_sentences(reply, client_last)[0]


def extract_with_sentences(reply: str, client_last: str = "",
                           known: Container[str] | None = None
                           ) -> tuple[list[Feat], list[tuple[int, int]]]:
    """extract() plus the sentence spans it used (so callers need not split again).

    With `known` (a model vocabulary), n-grams whose prefix is unknown are skipped: a bigram
    is never more frequent than its first word, nor a trigram than its first bigram, so they
    cannot be in a min-df vocabulary either. This only saves time; the result is the same.
    """
    toks = tokens(reply)
    words = [t for t in toks if t[0] not in ("?", "!")]
    ws = [t[0] for t in toks]
    starts = [t[1] for t in toks]
    ends = [t[2] for t in toks]
    uni = ["w:" + w for w in ws]
    n = len(ws)
    feats: list[Feat] = [("BIAS", -1, -1), *zip(uni, starts, ends, strict=True)]
    bi_at = [i for i in range(n - 1) if known is None or uni[i] in known]
    bis = ["b:" + ws[i] + " " + ws[i + 1] for i in bi_at]
    feats += [(b, starts[i], ends[i + 1]) for b, i in zip(bis, bi_at, strict=True)]
    feats += [("t:" + b[2:] + " " + ws[i + 2], starts[i], ends[i + 2])
              for b, i in zip(bis, bi_at, strict=True)
              if i + 2 < n and (known is None or b in known)]
    sents = sentences(reply)
    j, n_words = 0, len(words)
    for s_start, s_end in sents:
        while j < n_words and words[j][1] < s_start:
            j += 1
        k = j
        while k < n_words and words[k][1] < s_end:
            k += 1
        stoks = words[j:k]
        if not stoks:
            continue
        first = stoks[0][0]
        feats.append(("first:" + first, stoks[0][1], stoks[0][2]))
        if len(stoks) > 1:
            feats.append((f"first2:{first} {stoks[1][0]}", stoks[0][1], stoks[1][2]))
        is_q = reply[s_end - 1] == "?"
        if is_q:
            kind = ("open" if first in OPEN_OPENERS else
                    "closed" if first in CLOSED_OPENERS else "other")
            feats.append(("Q:" + kind, s_start, s_end))
            if any(w in OPEN_OPENERS for w, _, _ in stoks[:4]):
                feats.append(("Q:wh_early", s_start, s_end))
        elif first in OPEN_OPENERS or first in CLOSED_OPENERS:
            feats.append(("S:interrogative_noq", s_start, s_end))
        if first in IMPERATIVES:
            feats.append(("S:imperative", s_start, s_end))
        if first in ("you", "you're", "you've", "your", "sounds", "so", "it"):
            feats.append(("S:you_stmt" if first.startswith("you") else "S:frame_" + first,
                              s_start, s_end))
    stripped = reply.rstrip()
    if stripped.endswith("?"):
        feats.append(("END:q", len(stripped) - 1, len(stripped)))
    elif "?" in stripped:
        feats.append(("MID:q", -1, -1))
    feats.append((f"NSENT:{min(len(sents), 4)}", -1, -1))
    feats.append((length_feature(len(words)), -1, -1))
    for cue in CUES:
        for m in cue.pattern.finditer(reply):
            feats.append(("CUE:" + cue.name, m.start(), m.end()))
    feats.extend(_context_features(words, client_last))
    return feats, sents


def _context_features(words: list[tuple[str, int, int]], client_last: str) -> list[Feat]:
    if not client_last.strip():
        return [("CTX:none", -1, -1)]
    ctoks = [w for w, _, _ in tokens(client_last)]
    feats = [("CTX:yes", -1, -1)]
    if client_last.rstrip().endswith("?"):
        feats.append(("CTX:client_q", -1, -1))
    cwords = [w for w in ctoks if w not in ("?", "!")]
    feats.append((f"CTX:clen{_bucket(len(cwords), (3, 8, 20, 40))}", -1, -1))
    mine = _content([w for w, _, _ in words])
    theirs = _content(cwords)
    shared = mine & theirs
    if mine:
        ratio = len(shared) / len(mine)
        feats.append((f"OVL:{_bucket(ratio, (0.01, 0.15, 0.3, 0.5))}", -1, -1))
    feats.append((f"OVLN:{min(len(shared), 4)}", -1, -1))
    for w, s, e in words:
        if _PRONOUN_SWAP.get(w, w) in shared:
            feats.append(("SHARED", s, e))
    return feats
