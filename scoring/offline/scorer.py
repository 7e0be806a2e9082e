"""The default engine: features -> linear heads -> codes, dimensions, evidence, suggestion."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scoring.offline.evidence import Explainer
from scoring.offline.features import extract, extract_with_sentences, length_feature
from scoring.offline.model import DEFAULT_PATH, LinearModel
from scoring.offline.suggest import suggest_alternative
from scoring.text import prepare
from scoring.types import (
    Code,
    CodeHit,
    DimensionScore,
    Evidence,
    Level,
    ReplyScore,
    ScoringContext,
)

# code -> head whose probability it reports
CODE_HEAD: dict[Code, str] = {
    Code.QUESTION_OPEN: "question_open", Code.QUESTION_CLOSED: "question",
    Code.REFLECTION_SIMPLE: "reflection", Code.REFLECTION_COMPLEX: "reflection_complex",
    Code.AFFIRM: "affirm", Code.SEEKING_COLLABORATION: "seeking_collaboration",
    Code.EMPHASIZING_AUTONOMY: "emphasizing_autonomy",
    Code.GIVING_INFORMATION: "giving_information", Code.PERSUADE: "persuade",
    Code.PERSUADE_WITH_PERMISSION: "persuade_with_permission", Code.CONFRONT: "confront",
    Code.PROCESS_COMMENT: "process_comment",
}
DIMENSION_CODES: dict[str, tuple[Code, ...]] = {
    "validation": (Code.REFLECTION_SIMPLE, Code.REFLECTION_COMPLEX, Code.AFFIRM),
    "curiosity": (Code.QUESTION_OPEN, Code.SEEKING_COLLABORATION),
    "confrontation": (Code.CONFRONT, Code.PERSUADE),
    "process_comment": (Code.PROCESS_COMMENT,),
}
DIMENSION_HEADS: dict[str, tuple[str, ...]] = {
    "validation": ("reflection", "affirm"),
    "curiosity": ("question_open", "seeking_collaboration"),
    "confrontation": ("confrontation",),
    "process_comment": ("process_comment",),
}
# heads where one sentence is enough: scored per sentence too, the maximum wins
SENTENCE_MAX_HEADS = ("confrontation", "confront", "persuade", "process_comment", "affirm",
                      "emphasizing_autonomy", "seeking_collaboration", "persuade_with_permission")
REFLECTIONS = (Code.REFLECTION_SIMPLE, Code.REFLECTION_COMPLEX)
ABSENT_REASON = {
    "validation": "no reflection or affirmation found",
    "curiosity": "no open question or invitation to collaborate",
    "confrontation": "no arguing, pushing or labelling found",
    "process_comment": "no comment on the conversation itself",
}

def level_for(probability: float, present: bool) -> Level:
    """Level of a present dimension from its probability (absent is always 'none')."""
    if not present:
        return "none"
    return "high" if probability >= 0.85 else "medium" if probability >= 0.65 else "low"

class OfflineScorer:
    """Linear model over n-grams, cues and context; pure numpy at run time."""

    name = "offline"

    def __init__(self, model_path: Path | None = None, model: LinearModel | None = None) -> None:
        self.model = model if model is not None else LinearModel.load(model_path or DEFAULT_PATH)
        self.version = str(self.model.meta.get("version", "unknown"))

    def score_many(self, items: list[tuple[str, ScoringContext | None]]) -> list[ReplyScore]:
        return [self.score(reply, ctx) for reply, ctx in items]

    def probabilities(self, reply: str, client_last: str = "") -> dict[str, float]:
        """Raw head probabilities (for benchmarks and debugging)."""
        p = self.model.predict(f[0] for f in extract(reply, client_last))
        return dict(zip(self.model.heads, map(float, p), strict=True))

    def score(self, reply: str, context: ScoringContext | str | None = None) -> ReplyScore:
        ctx = ScoringContext(client_last=context) if isinstance(context, str) else context
        client_last = ctx.client_last if ctx else ""
        text, warnings = prepare(reply)
        if not text.strip():
            return self._empty(text, warnings)
        m = self.model
        feats, spans = extract_with_sentences(text, client_last, m.index)
        get = m.index.get
        ids = [get(f[0]) for f in feats]
        p = m.predict_indices(sorted({i for i in ids if i is not None}))
        explain = Explainer(text, feats, spans, m, ids)
        if len(spans) > 1:
            p = self._sentence_max(explain, p)
        hit = {h: bool(p[i] >= m.thresholds[i]) for i, h in enumerate(m.heads)}
        prob = {h: float(p[i]) for i, h in enumerate(m.heads)}
        present: set[Code] = set()
        if hit["question_open"]:
            present.add(Code.QUESTION_OPEN)
        elif hit["question"]:
            present.add(Code.QUESTION_CLOSED)
        if hit["reflection"]:
            present.add(Code.REFLECTION_COMPLEX if hit["reflection_complex"]
                        else Code.REFLECTION_SIMPLE)
        for code in (Code.AFFIRM, Code.SEEKING_COLLABORATION, Code.EMPHASIZING_AUTONOMY,
                     Code.GIVING_INFORMATION, Code.PERSUADE, Code.CONFRONT,
                     Code.PERSUADE_WITH_PERMISSION, Code.PROCESS_COMMENT):
            if hit[CODE_HEAD[code]]:
                present.add(code)
        if hit["confrontation"]:  # the combined head decides; the split heads name the code
            if not present & {Code.CONFRONT, Code.PERSUADE}:
                present.add(Code.CONFRONT if prob["confront"] >= prob["persuade"]
                            else Code.PERSUADE)
        else:
            present -= {Code.CONFRONT, Code.PERSUADE}
        if Code.PERSUADE in present and Code.PERSUADE_WITH_PERMISSION in present:
            weaker = (Code.PERSUADE if prob["persuade"] < prob["persuade_with_permission"]
                      else Code.PERSUADE_WITH_PERMISSION)
            present.discard(weaker)
        codes = []
        for code in sorted(present, key=lambda c: list(Code).index(c)):
            head = CODE_HEAD[code]
            ev, _ = explain.best_span((head,))
            pr = prob[head]
            if code == Code.REFLECTION_SIMPLE:
                pr = prob["reflection"] * (1 - prob["reflection_complex"])
            elif code == Code.QUESTION_CLOSED:
                pr = prob["question"] * (1 - prob["question_open"])
            codes.append(CodeHit(code=code, probability=round(min(max(pr, 0.0), 1.0), 4),
                                 evidence=ev))
        dims: dict[str, _Dim] = {}
        for dim, heads in DIMENSION_HEADS.items():
            on = any(c in present for c in DIMENSION_CODES[dim])
            d = _Dim(on, max(prob[h] for h in heads), None, ABSENT_REASON[dim])
            if on:
                used = [h for h in heads if h == "confrontation" or any(
                    CODE_HEAD[c] == h or (h == "reflection" and c in REFLECTIONS)
                    for c in present if c in DIMENSION_CODES[dim])]
                d.evidence, d.reason = explain.best_span(used or heads)
            dims[dim] = d
        conf, cur = dims["confrontation"], dims["curiosity"]
        if (conf.present and cur.present and cur.evidence == conf.evidence
                and Code.SEEKING_COLLABORATION not in present):
            cur.present, cur.evidence = False, None
            cur.probability = min(cur.probability, 1 - conf.probability)
            cur.reason = "the only question is itself a confrontation"
        val = dims["validation"]
        if (conf.present and val.present and val.evidence == conf.evidence
                and Code.AFFIRM not in present and conf.probability > val.probability):
            val.present, val.evidence = False, None
            val.reason = "the only reflection is itself a confrontation"
            present -= set(REFLECTIONS)
            codes = [h for h in codes if h.code not in REFLECTIONS]
        suggestion = None
        if conf.present:
            cue = next((f[0][4:] for f in feats if f[0].startswith("CUE:")), None)
            suggestion = suggest_alternative(text, client_last, cue)
        return ReplyScore(
            reply=text, validation=dims["validation"].score(), curiosity=cur.score(),
            confrontation=conf.score(), process_comment=dims["process_comment"].score(),
            codes=codes, suggestion=suggestion, engine=self.name, engine_version=self.version,
            warnings=warnings)

    def _sentence_max(self, explain: Explainer, p: np.ndarray) -> np.ndarray:
        """A reply confronts (or comments on the process) if any one sentence does, even when
        warm sentences around it outweigh it in the whole-reply sum."""
        cols = [self.model.head_index[h] for h in SENTENCE_MAX_HEADS]
        z = explain.sentence_logits(length_feature)[:, cols].max(axis=0)
        p = p.copy()
        p[cols] = np.maximum(p[cols], 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0))))
        return p

    def _empty(self, text: str, warnings: list[str]) -> ReplyScore:
        zero = DimensionScore(present=False, probability=0.0, level="none", reason="empty reply")
        return ReplyScore(reply=text, validation=zero, curiosity=zero, confrontation=zero,
                          process_comment=zero, engine=self.name, engine_version=self.version,
                          warnings=warnings)


@dataclass
class _Dim:
    """A dimension's rating while it is being assembled."""

    present: bool
    probability: float
    evidence: Evidence | None
    reason: str

    def score(self) -> DimensionScore:
        return DimensionScore(present=self.present, probability=round(self.probability, 4),
                              level=level_for(self.probability, self.present),
                              evidence=self.evidence, reason=self.reason)
