"""Accuracy of the offline scorer: Cohen's kappa and F1 per dimension with bootstrap 95% CIs.

    python -m bench.scoring_accuracy [--folds 5] [--boot 1000] [--json out.json]

- AnnoMI (read from ../shared/data/annomi if present): GroupKFold by transcript, never by
  utterance. Each fold retrains the whole model (vocabulary, weights, thresholds chosen by an
  inner CV on the training fold only) on the other transcripts plus the project's own train
  split, then scores the held-out transcripts through the production code path (OfflineScorer).
- Project set (scoring/data/labelled.jsonl): a model trained on AnnoMI + the train split scores
  the held-out split (whole item groups held out, so near-duplicates never straddle the split).
CIs are cluster bootstraps: transcripts (AnnoMI) or item groups (own set) are resampled.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.metrics import cohen_kappa_score, f1_score
from sklearn.model_selection import GroupKFold

from scoring.offline.scorer import OfflineScorer
from scoring.training.data import Item, load_annomi, load_own
from scoring.training.fit import fit_model
from scoring.types import Code, ReplyScore

Rule = Callable[[ReplyScore], bool]
ANNOMI_ROWS: dict[str, tuple[str, Rule, float]] = {
    # name: (label head, prediction rule, kappa target)
    "reflection present": ("reflection", lambda s: s.has(Code.REFLECTION_SIMPLE)
                           or s.has(Code.REFLECTION_COMPLEX), 0.60),
    "open question": ("question_open", lambda s: s.has(Code.QUESTION_OPEN), 0.65),
    "any question": ("question", lambda s: s.has(Code.QUESTION_OPEN)
                     or s.has(Code.QUESTION_CLOSED), 0.80),
    "validation (reflection or affirm)": ("reflection", lambda s: s.validation.present, 0.0),
    "curiosity (open question or collab.)": ("question_open", lambda s: s.curiosity.present, 0.0),
}
OWN_ROWS: dict[str, tuple[str, Rule, float]] = {
    "confrontation": ("confrontation", lambda s: s.confrontation.present, 0.75),
    "process comment": ("process_comment", lambda s: s.process_comment.present, 0.80),
    "validation": ("validation", lambda s: s.validation.present, 0.0),
    "curiosity (open question)": ("question_open", lambda s: s.has(Code.QUESTION_OPEN), 0.0),
    "affirm": ("affirm", lambda s: s.has(Code.AFFIRM), 0.0),
    "emphasizing autonomy": ("emphasizing_autonomy",
                             lambda s: s.has(Code.EMPHASIZING_AUTONOMY), 0.0),
    "persuade w/ permission": ("persuade_with_permission",
                               lambda s: s.has(Code.PERSUADE_WITH_PERMISSION), 0.0),
}


def label(item: Item, head: str) -> int | None:
    if head == "validation":
        if item.labels["reflection"] is None:
            return None
        return int(bool(item.labels["reflection"] or item.labels["affirm"]))
    return item.labels.get(head)


def cluster_bootstrap(y: np.ndarray, p: np.ndarray, groups: np.ndarray,
                      metric: Callable[[np.ndarray, np.ndarray], float], n: int,
                      seed: int = 0) -> tuple[float, float]:
    """95% CI of a metric when whole groups (transcripts / item groups) are resampled."""
    rng = np.random.default_rng(seed)
    uniq = np.unique(groups)
    members = {g: np.flatnonzero(groups == g) for g in uniq}
    vals = []
    for _ in range(n):
        pick = rng.choice(uniq, size=len(uniq), replace=True)
        idx = np.concatenate([members[g] for g in pick])
        if len(set(y[idx])) < 2:
            continue
        vals.append(metric(y[idx], p[idx]))
    lo, hi = np.percentile(vals, [2.5, 97.5])
    return float(lo), float(hi)


def _kappa(y: np.ndarray, p: np.ndarray) -> float:
    return float(cohen_kappa_score(y, p))


def _f1(y: np.ndarray, p: np.ndarray) -> float:
    return float(f1_score(y, p, zero_division=0))


def evaluate(name: str, y: Sequence[int], p: Sequence[int], groups: Sequence[str],
             target: float, target_metric: str, n_boot: int) -> dict[str, object]:
    ya, pa, ga = np.array(y), np.array(p), np.array(groups)
    k, f = _kappa(ya, pa), _f1(ya, pa)
    return {"row": name, "n": len(ya), "positives": int(ya.sum()), "kappa": k,
            "kappa_ci": cluster_bootstrap(ya, pa, ga, _kappa, n_boot), "f1": f,
            "f1_ci": cluster_bootstrap(ya, pa, ga, _f1, n_boot, seed=1),
            "target": f"{target_metric} >= {target:.2f}" if target else "",
            "met": (k if target_metric == "kappa" else f) >= target if target else None}


def annomi_cv(annomi: list[Item], own_train: list[Item], folds: int, n_boot: int
              ) -> list[dict[str, object]]:
    groups = np.array([it.group for it in annomi])
    preds: dict[str, list[int]] = {name: [] for name in ANNOMI_ROWS}
    ys: dict[str, list[int]] = {name: [] for name in ANNOMI_ROWS}
    gs: list[str] = []
    flagged: dict[str, list[int]] = {"high": [], "low": []}
    for k, (tr, te) in enumerate(GroupKFold(n_splits=folds).split(annomi, groups=groups), 1):
        t0 = time.perf_counter()
        model = fit_model([annomi[i] for i in tr] + own_train)
        scorer = OfflineScorer(model=model)
        for i in te:
            item = annomi[i]
            score = scorer.score(item.reply, item.context)
            for name, (head, rule, _) in ANNOMI_ROWS.items():
                ys[name].append(int(item.labels[head] or 0))
                preds[name].append(int(rule(score)))
            gs.append(item.group)
            flagged.setdefault(item.quality, []).append(int(score.confrontation.present))
        print(f"  fold {k}/{folds}: {len(te)} utterances, {time.perf_counter() - t0:.0f}s",
              flush=True)
    for quality, hits in flagged.items():
        if hits:
            print(f"  confrontation flagged in {100 * sum(hits) / len(hits):.1f}% of "
                  f"{len(hits)} utterances from {quality}-quality MI transcripts (unseen folds)")
    return [evaluate(f"AnnoMI: {name}", ys[name], preds[name], gs, target,
                     "kappa", n_boot) for name, (_, _, target) in ANNOMI_ROWS.items()]


def own_heldout(annomi: list[Item], own: list[Item], n_boot: int) -> list[dict[str, object]]:
    train = [it for it in own if it.split == "train"]
    held = [it for it in own if it.split == "heldout"]
    scorer = OfflineScorer(model=fit_model(annomi + train))
    scores = [scorer.score(it.reply, it.context) for it in held]
    rows = []
    for name, (head, rule, target) in OWN_ROWS.items():
        y = [label(it, head) or 0 for it in held]
        if sum(y) < 3:
            continue
        rows.append(evaluate(f"own held-out: {name}", y, [int(rule(s)) for s in scores],
                             [it.group for it in held], target, "f1", n_boot))
    return rows


def print_table(rows: list[dict[str, object]]) -> None:
    head = f"{'row':44s} {'n':>5s} {'pos':>4s}  {'kappa [95% CI]':22s} {'F1 [95% CI]':22s} target"
    print(head + "\n" + "-" * len(head))
    for r in rows:
        kl, kh = r["kappa_ci"]  # type: ignore[misc]
        fl, fh = r["f1_ci"]  # type: ignore[misc]
        met = "" if r["met"] is None else (" (met)" if r["met"] else " (NOT met)")
        print(f"{r['row']:44s} {r['n']:5d} {r['positives']:4d}  "
              f"{r['kappa']:.3f} [{kl:.3f}, {kh:.3f}]   {r['f1']:.3f} [{fl:.3f}, {fh:.3f}]   "
              f"{r['target']}{met}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Offline scorer accuracy (kappa, F1, 95% CIs)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--boot", type=int, default=1000, help="bootstrap resamples")
    ap.add_argument("--json", help="also write the rows as JSON to this path")
    ap.add_argument("--own-only", action="store_true", help="skip the AnnoMI cross-validation")
    args = ap.parse_args(argv)
    annomi = load_annomi()
    own = load_own()
    rows: list[dict[str, object]] = []
    if annomi and not args.own_only:
        print(f"AnnoMI: {len(annomi)} therapist utterances, "
              f"{len({it.group for it in annomi})} transcripts, {args.folds}-fold by transcript")
        rows += annomi_cv(annomi, [it for it in own if it.split == "train"], args.folds,
                          args.boot)
    elif not annomi:
        print("AnnoMI not found (../shared/data/annomi): skipping the AnnoMI rows")
    rows += own_heldout(annomi, own, args.boot)
    print()
    print_table(rows)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
