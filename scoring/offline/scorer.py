"""The default engine: a fine-tuned sentence encoder and an n-gram model, calibrated together.

Three variants share one set of files (scoring/model/): `encoder` (the ONNX encoder alone),
`linear` (the n-gram + cue model alone) and `combined` (both logits through one calibration per
head). `encoder.json` names the variant that ships (the one that did best on the independent
test set; see scoring/MODEL_CARD.md). A reply with several sentences is also read sentence by
sentence by the n-gram model, to find the sentence that carries each rating.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from scoring.calibration import sigmoid
from scoring.neural import MODEL_DIR, EncoderModel
from scoring.offline import assemble
from scoring.offline.contempt import CONTEMPT_PROBABILITY, contempt_in
from scoring.offline.features import extract, sentences
from scoring.offline.model import LinearModel
from scoring.suggest import suggest_alternatives
from scoring.text import prepare
from scoring.types import DimensionScore, ReplyScore, ScoringContext

VARIANTS = ("encoder", "linear", "combined")
# Decisions use the whole reply's probabilities; each sentence's probabilities only locate the
# evidence. Letting one sentence decide ("one sentence is enough", the linear engine's rule)
# was measured on the independent test set with this model: warm replies called confrontation
# rose from 10% to 37% and confrontation F1 fell from 0.79 to 0.70 (sentence fragments are
# scored out of the calibration's range), so it is not used (scoring/MODEL_CARD.md).


class OfflineScorer:
    """Scores replies on this machine: no network, no PyTorch (onnxruntime and numpy)."""

    name = "offline"

    def __init__(self, model_dir: Path | None = None, variant: str | None = None,
                 threads: int | None = None) -> None:
        model_dir = model_dir or MODEL_DIR
        meta_path = model_dir / "encoder.json"
        if not meta_path.is_file():
            raise FileNotFoundError(f"scorer model not found in {model_dir}; build it with "
                                    "`make train-scorer`")
        self.meta = json.loads(meta_path.read_text(encoding="utf-8"))
        self.variant = variant or str(self.meta["default_variant"])
        if self.variant not in VARIANTS:
            raise ValueError(f"unknown scorer variant {self.variant!r}; allowed: {VARIANTS}")
        self.version = f"{self.meta['version']}-{self.variant}"
        self.heads: list[str] = list(self.meta["heads"])
        table = self.meta["variants"][self.variant]
        self.coef = np.array([table[h]["coef"] for h in self.heads], dtype=np.float64)
        self.thresholds = {h: float(table[h]["threshold"]) for h in self.heads}
        self.encoder = (EncoderModel(model_dir, threads=threads)
                        if self.variant != "linear" else None)
        self.linear = (LinearModel.load(model_dir / "offline.npz")
                       if self.variant != "encoder" else None)
        # sentences only locate the evidence: the cheap n-gram model reads them when it is
        # loaded, so a reply costs one encoder run however many sentences it has
        lin_table = self.meta["variants"]["linear"]
        self.sentence_coef = (np.array([lin_table[h]["coef"] for h in self.heads],
                                       dtype=np.float64) if self.linear is not None else None)

    def probabilities(self, replies: Sequence[str], contexts: Sequence[str]) -> np.ndarray:
        """Calibrated probability per head (n x heads) for whole texts."""
        parts = []
        if self.encoder is not None:
            parts.append(self.encoder.logits(replies, contexts).astype(np.float64))
        if self.linear is not None:
            parts.append(self._linear_logits(replies, contexts))
        return _calibrated(np.stack(parts, axis=-1), self.coef)

    def _linear_logits(self, replies: Sequence[str], contexts: Sequence[str]) -> np.ndarray:
        lin = self.linear
        assert lin is not None
        return np.array([lin.logits(lin.indices(f[0] for f in extract(r, c)))
                         for r, c in zip(replies, contexts, strict=True)],
                        dtype=np.float64).reshape(len(replies), len(self.heads))

    def sentence_probabilities(self, sentences_: Sequence[str], contexts: Sequence[str]
                               ) -> np.ndarray:
        """Probabilities that only locate evidence: the n-gram model when it is loaded."""
        if not sentences_:
            return np.zeros((0, len(self.heads)))
        if self.sentence_coef is None:  # the encoder-only variant
            return self.probabilities(sentences_, contexts)
        z = self._linear_logits(sentences_, contexts)[:, :, None]
        return _calibrated(z, self.sentence_coef)

    def score(self, reply: str, context: ScoringContext | str | None = None) -> ReplyScore:
        return self.score_many([(reply, context)])[0]

    def score_many(self, items: Sequence[tuple[str, ScoringContext | str | None]]
                   ) -> list[ReplyScore]:
        """Scores many replies in one encoder batch (whole replies and their sentences)."""
        prepared = []
        texts: list[str] = []
        ctxs: list[str] = []
        parts: list[str] = []
        part_ctxs: list[str] = []
        for reply, context in items:
            ctx = ScoringContext(client_last=context) if isinstance(context, str) else context
            ctx = ctx or ScoringContext()
            text, warnings = prepare(reply)
            spans = sentences(text) if text.strip() else []
            start, first_part = len(texts), len(parts)
            if text.strip():
                texts.append(text)
                ctxs.append(ctx.client_last)
                if len(spans) > 1:
                    parts += [text[s:e] for s, e in spans]
                    part_ctxs += [ctx.client_last] * len(spans)
            prepared.append((text, warnings, spans, ctx, start, first_part))
        probs = self.probabilities(texts, ctxs) if texts else np.zeros((0, len(self.heads)))
        part_probs = self.sentence_probabilities(parts, part_ctxs)
        out = []
        for text, warnings, spans, ctx, start, first_part in prepared:
            if not text.strip():
                out.append(self._empty(text, warnings))
                continue
            whole = dict(zip(self.heads, map(float, probs[start]), strict=True))
            per_sentence = ([dict(zip(self.heads, map(float, row), strict=True))
                             for row in part_probs[first_part:first_part + len(spans)]]
                            if len(spans) > 1 else [])
            out.append(self._assemble(text, warnings, spans, ctx, whole, per_sentence))
        return out

    def _assemble(self, text: str, warnings: list[str], spans: list[tuple[int, int]],
                  ctx: ScoringContext, p: dict[str, float],
                  per_sentence: list[dict[str, float]]) -> ReplyScore:
        if contempt_in(text):  # abuse in any idiom is hostility (scoring/offline/contempt.py)
            p = {**p, "hostility": max(p["hostility"], CONTEMPT_PROBABILITY)}
        codes = assemble.decide_codes(p, self.thresholds)
        dims = assemble.decide_dimensions(p, self.thresholds, codes)
        codes = assemble.reconcile(codes, dims, p)
        scores = {d: assemble.dimension_score(d, dims[d], p, codes, text, spans, per_sentence)
                  for d in dims}
        alternatives = suggest_alternatives(text, ctx, codes, scores["confrontation"].present)
        return ReplyScore(
            reply=text, validation=scores["validation"], curiosity=scores["curiosity"],
            confrontation=scores["confrontation"], process_comment=scores["process_comment"],
            codes=assemble.code_hits(codes, p, text, spans, per_sentence),
            suggestion=alternatives[0].text if alternatives else None,
            alternatives=alternatives, engine=self.name, engine_version=self.version,
            warnings=warnings)

    def _empty(self, text: str, warnings: list[str]) -> ReplyScore:
        zero = DimensionScore(present=False, probability=0.0, level="none", reason="empty reply")
        return ReplyScore(reply=text, validation=zero, curiosity=zero, confrontation=zero,
                          process_comment=zero, engine=self.name, engine_version=self.version,
                          warnings=warnings)


def _calibrated(z: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Platt scaling per head over k logits: z is n x heads x k, coef is heads x (k + 1)."""
    result: np.ndarray = sigmoid((z * coef[None, :, :-1]).sum(-1) + coef[None, :, -1])
    return result
