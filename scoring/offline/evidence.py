"""Evidence spans: which sentence of the reply carried a rating, and why, in one line.

A linear model's logit is a sum of feature weights, and every feature knows its span, so the
sentence whose features add the most weight for a head is the evidence for that head.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

import numpy as np

from scoring.offline.cues import CUE_REASON
from scoring.offline.features import STOPWORDS, Feat
from scoring.offline.model import LinearModel
from scoring.types import Evidence

GENERIC_REASON = {
    "reflection": "mirrors what the client said",
    "reflection_complex": "adds meaning beyond the client's words",
    "question": "asks the client a question",
    "question_open": "an open question that invites the client to elaborate",
    "giving_information": "offers information",
    "confront": "argues with or corrects the client",
    "confrontation": "argues with, pushes or labels the client",
    "persuade": "pushes the therapist's own view or advice",
    "persuade_with_permission": "offers a view after asking permission",
    "affirm": "affirms a strength or effort",
    "seeking_collaboration": "invites the client to shape the work",
    "emphasizing_autonomy": "emphasizes the client's choice",
    "process_comment": "comments on the conversation itself",
}
_FEATURE_REASON = {
    "END:q": "ends with a question mark",
    "Q:open": "an open question that invites the client to elaborate",
    "Q:closed": "a closed, yes/no question",
    "SHARED": "reuses the client's own words",
    "S:you_stmt": "a 'you ...' statement about the client",
}


class Explainer:
    """Per-reply attribution of head weights to sentences (built once, queried per head)."""

    def __init__(self, reply: str, feats: Sequence[Feat], spans: Sequence[tuple[int, int]],
                 model: LinearModel, ids: Sequence[int | None] | None = None) -> None:
        self.reply, self.spans, self.model = reply, list(spans), model
        starts = [s for s, _ in spans]
        seen: dict[tuple[str, int], int] = {}
        self.words_per_sentence = [0] * len(spans)
        self.global_names: list[str] = []
        if ids is None:
            get = model.index.get
            ids = [get(f[0]) for f in feats]
        for (name, start, _), i in zip(feats, ids, strict=True):
            if start < 0:
                self.global_names.append(name)
                continue
            k = bisect_right(starts, start) - 1
            if k < 0 or start >= spans[k][1]:
                continue
            if name[:2] == "w:" and name[2:] not in ("?", "!"):
                self.words_per_sentence[k] += 1
            if i is not None:
                seen.setdefault((name, k), i)
        self.names = [name for name, _ in seen]
        self.sent = np.array([k for _, k in seen], dtype=np.int64)
        self.rows = model.weights[list(seen.values())].astype(np.float32) if seen else \
            np.zeros((0, len(model.heads)), dtype=np.float32)
        self._memo: dict[tuple[str, ...], tuple[Evidence | None, str]] = {}
        self.parts = np.zeros((len(spans), len(model.heads)), dtype=np.float32)
        np.add.at(self.parts, self.sent, self.rows)

    def sentence_logits(self, length_feature: Callable[[int], str]) -> np.ndarray:
        """Approximate logits of each sentence scored on its own (sentences x heads): its span
        features, the reply's context features, and its own length and sentence count."""
        m = self.model
        parts = self.parts.copy()
        shared = [n for n in self.global_names if not n.startswith(("LEN:", "NSENT:"))]
        base = m.logits(m.indices([*shared, "NSENT:1"]))
        for k, n_words in enumerate(self.words_per_sentence):
            i = m.index.get(length_feature(n_words))
            if i is not None:
                parts[k] += m.weights[i]
        return parts + base

    def best_span(self, heads: Sequence[str]) -> tuple[Evidence | None, str]:
        """The sentence with the largest summed weight over `heads`, and the reason for it."""
        key = tuple(heads)
        if key not in self._memo:
            self._memo[key] = self._best_span(key)
        return self._memo[key]

    def _best_span(self, heads: Sequence[str]) -> tuple[Evidence | None, str]:
        if not self.spans or not len(self.sent):
            return None, GENERIC_REASON[heads[0]]
        cols = [self.model.head_index[h] for h in heads]
        w = self.rows[:, cols]
        best = int(np.argmax(self.parts[:, cols].max(axis=1)))
        s, e = self.spans[best]
        mine = np.flatnonzero(self.sent == best)
        wmax = w[mine].max(axis=1)
        weighted = [(float(wmax[j]), self.names[i]) for j, i in enumerate(mine)]
        return Evidence(start=s, end=e, text=self.reply[s:e]), _reason(weighted, heads[0])


def _reason(weighted: list[tuple[float, str]], head: str) -> str:
    """A cue's own reason if a cue helped; else the strongest phrase; else a generic line."""
    positive = sorted((w, n) for w, n in weighted if w > 0)[::-1]
    if not positive:
        return GENERIC_REASON[head]
    top = positive[0][0]
    for w, name in positive:
        if name.startswith("CUE:") and w >= 0.25 * top:
            return CUE_REASON[name[4:]]
    for w, name in positive[:8]:
        if name in _FEATURE_REASON and head not in ("confront", "persuade", "confrontation"):
            return _FEATURE_REASON[name]
        if (name.startswith(("b:", "t:")) and w >= 0.25 * top
                and any(t not in STOPWORDS for t in name[2:].split())):
            return f"{GENERIC_REASON[head]} ('{name[2:]}')"
    return GENERIC_REASON[head]
