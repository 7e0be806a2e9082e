"""Accuracy of the offline scorer, on replies it never saw, with bootstrap 95% CIs.

    python -m bench.scoring_accuracy [--variant combined|encoder|linear|all] [--boot 1000]
                                     [--json out.json] [--fp32 PATH]

1. The independent test set (scoring/data/testset: 680 replies by outside writers, frozen
   before modelling, labelled twice and adjudicated): kappa and F1 per dimension, the safety
   rows (warm replies called confrontation, hostility caught and never credited as validation,
   minimizing credited as validation, risk questions called confrontation), calibration
   (reliability and ECE), and whether a reply keeps its rating without its client line.
2. AnnoMI, cross-validated by transcript: the out-of-fold predictions that the build made
   (scoring/model/cv-annomi.npz; each transcript scored by models that never saw it), through
   the same decision rules as the production scorer.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.metrics import cohen_kappa_score, f1_score

from scoring.calibration import expected_calibration_error, reliability
from scoring.neural import MODEL_DIR
from scoring.offline import OfflineScorer, assemble
from scoring.training.corpus import Example, load_annomi_examples, load_testset
from scoring.types import Code, ReplyScore

Metric = Callable[[np.ndarray, np.ndarray], float]
TARGETS = {"validation": ("kappa", 0.70), "curiosity": ("kappa", 0.80),
           "confrontation": ("f1", 0.85), "process_comment": ("f1", 0.85)}
CLIENT_REACTS_AT = 0.7  # the default of SIM_CONFRONT_MIN_CONFIDENCE
ANNOMI_TARGETS = {"reflection present": 0.55, "open question": 0.65, "any question": 0.85}


def kappa(y: np.ndarray, p: np.ndarray) -> float:
    return float(cohen_kappa_score(y, p)) if len(set(y)) > 1 or len(set(p)) > 1 else 1.0


def f1(y: np.ndarray, p: np.ndarray) -> float:
    return float(f1_score(y, p, zero_division=0))


def rate(_: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean(p)) if len(p) else 0.0


def bootstrap(y: np.ndarray, p: np.ndarray, metric: Metric, n: int, seed: int = 0
              ) -> tuple[float, float]:
    """95% CI by resampling items."""
    if len(y) == 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    vals = [metric(y[idx], p[idx]) for idx in (rng.integers(0, len(y), len(y))
                                               for _ in range(n))]
    lo, hi = np.percentile(vals, [2.5, 97.5])
    return float(lo), float(hi)


def row(name: str, y: np.ndarray, p: np.ndarray, metric: Metric, kind: str, n_boot: int,
        target: tuple[str, float] | None = None) -> dict[str, object]:
    value = metric(y, p)
    lo, hi = bootstrap(y, p, metric, n_boot)
    met = None
    if target is not None:
        op, bound = target
        met = value >= bound if op == ">=" else value <= bound
    return {"row": name, "n": len(y), "positives": int(np.sum(y)), "metric": kind,
            "value": value, "ci": [lo, hi],
            "target": f"{target[0]} {target[1]:.2f}" if target else "", "met": met}


def has_code(ex: Example, code: str) -> bool:
    return bool(ex.labels.get(code))


def testset_rows(scorer: OfflineScorer, examples: list[Example], n_boot: int
                 ) -> tuple[list[dict[str, object]], dict[str, object]]:
    scores = scorer.score_many([(ex.reply, ex.context) for ex in examples])
    rows = []
    for dim, (kind, bound) in TARGETS.items():
        y = np.array([ex.labels[f"dim_{dim}"] for ex in examples], dtype=int)
        p = np.array([s.dimension(dim).present for s in scores], dtype=int)  # type: ignore[arg-type]
        rows.append(row(f"test: {dim}", y, p, kappa if kind == "kappa" else f1, kind, n_boot,
                        (">=", bound)))
    conf = np.array([s.confrontation.present for s in scores], dtype=int)
    # what the simulated client reacts to (sim/engine/moves.py: confident_confrontation)
    reacts = np.array([s.confrontation.present and not s.confrontation.unsure
                       and s.confrontation.probability >= CLIENT_REACTS_AT for s in scores],
                      dtype=int)
    val = np.array([s.validation.present for s in scores], dtype=int)
    warm = np.array([bool(ex.labels["dim_validation"]) and not ex.labels["dim_confrontation"]
                     and not any(has_code(ex, c) for c in ("minimizing", "persuade",
                                                             "unkeepable_promise"))
                     for ex in examples])
    hostile = np.array([has_code(ex, "hostility") for ex in examples])
    minimizing = np.array([has_code(ex, "minimizing") for ex in examples])
    risk = np.array([has_code(ex, "risk_question") for ex in examples])
    rows += [
        row("test: warm replies called confrontation", conf[warm] * 0, conf[warm], rate,
            "rate", n_boot, ("<=", 0.03)),
        row("test: warm replies the client reacts to as confrontation", reacts[warm] * 0,
            reacts[warm], rate, "rate", n_boot),
        row("test: hostile replies caught", conf[hostile] * 0 + 1, conf[hostile], rate,
            "rate", n_boot, (">=", 0.95)),
        row("test: hostile replies the client reacts to", reacts[hostile] * 0 + 1,
            reacts[hostile], rate, "rate", n_boot),
        row("test: hostile replies credited as validation", val[hostile] * 0, val[hostile],
            rate, "rate", n_boot, ("<=", 0.0)),
        row("test: minimizing credited as validation", val[minimizing] * 0, val[minimizing],
            rate, "rate", n_boot, ("<=", 0.05)),
        row("test: risk questions called confrontation", conf[risk] * 0, conf[risk], rate,
            "rate", n_boot, ("<=", 0.0)),
    ]
    for code in ("risk_question", "hostility", "minimizing", "unkeepable_promise", "affirm",
                 "reflection_complex", "persuade", "seeking_collaboration"):
        y = np.array([has_code(ex, code) for ex in examples], dtype=int)
        p = np.array([s.has(Code(code)) for s in scores], dtype=int)
        if y.sum() >= 5:
            rows.append(row(f"test: code {code}", y, p, f1, "f1", n_boot))
    return rows, {"calibration": calibration(scores, examples),
                  "context_invariance": invariance(scorer, examples, scores),
                  "by_voice": by_voice(scores, examples)}


def calibration(scores: list[ReplyScore], examples: list[Example]) -> dict[str, object]:
    out: dict[str, object] = {}
    for dim in TARGETS:
        y = np.array([ex.labels[f"dim_{dim}"] for ex in examples], dtype=float)
        p = np.array([s.dimension(dim).probability for s in scores])  # type: ignore[arg-type]
        unsure = np.array([s.dimension(dim).unsure for s in scores])  # type: ignore[arg-type]
        out[dim] = {"ece": expected_calibration_error(p, y), "table": reliability(p, y),
                    "unsure_share": float(unsure.mean())}
    return out


def invariance(scorer: OfflineScorer, examples: list[Example], with_ctx: list[ReplyScore]
               ) -> dict[str, float]:
    """Share of replies whose verdict on each dimension is the same without the client line."""
    bare = scorer.score_many([(ex.reply, "") for ex in examples])
    return {dim: float(np.mean([a.dimension(dim).present == b.dimension(dim).present  # type: ignore[arg-type]
                                for a, b in zip(with_ctx, bare, strict=True)]))
            for dim in TARGETS}


def by_voice(scores: list[ReplyScore], examples: list[Example]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for voice in sorted({ex.meta.get("voice", "") for ex in examples}):
        idx = [i for i, ex in enumerate(examples) if ex.meta.get("voice", "") == voice]
        agree = [np.mean([scores[i].dimension(d).present == bool(examples[i].labels[f"dim_{d}"])  # type: ignore[arg-type]
                          for d in TARGETS]) for i in idx]
        out[voice] = {"n": len(idx), "dimension_agreement": float(np.mean(agree))}
    return out


def annomi_rows(variant: str, n_boot: int) -> list[dict[str, object]]:
    """AnnoMI rows from the build's out-of-fold predictions (cross-validated by transcript)."""
    path = MODEL_DIR / "cv-annomi.npz"
    examples = load_annomi_examples()
    if not path.is_file() or not examples:
        print("AnnoMI or its out-of-fold predictions are missing: skipping the AnnoMI rows")
        return []
    meta = json.loads((MODEL_DIR / "encoder.json").read_text(encoding="utf-8"))
    heads = list(meta["heads"])
    table = meta["variants"][variant]
    with np.load(path) as z:
        parts = {"encoder": z["encoder"].astype(np.float64),
                 "linear": z["linear"].astype(np.float64)}
        groups = z["group"]
    if len(groups) != len(examples):
        print("cv-annomi.npz does not match the AnnoMI file (a quick build?): skipping")
        return []
    feats = {"encoder": [parts["encoder"]], "linear": [parts["linear"]],
             "combined": [parts["encoder"], parts["linear"]]}[variant]
    z_all = np.stack(feats, axis=-1)
    coef = np.array([table[h]["coef"] for h in heads])
    probs = 1 / (1 + np.exp(-((z_all * coef[None, :, :-1]).sum(-1) + coef[None, :, -1])))
    thresholds = {h: table[h]["threshold"] for h in heads}
    got: dict[str, list[int]] = {k: [] for k in ANNOMI_TARGETS}
    want: dict[str, list[int]] = {k: [] for k in ANNOMI_TARGETS}
    for ex, pr in zip(examples, probs, strict=True):
        p = dict(zip(heads, map(float, pr), strict=True))
        codes = assemble.decide_codes(p, thresholds)
        codes = assemble.reconcile(codes, assemble.decide_dimensions(p, thresholds, codes), p)
        got["reflection present"].append(int(bool(codes & assemble.REFLECTIONS)))
        got["open question"].append(int(Code.QUESTION_OPEN in codes))
        got["any question"].append(int(bool(codes & {Code.QUESTION_OPEN,
                                                     Code.QUESTION_CLOSED})))
        want["reflection present"].append(int(ex.labels["reflection"] or 0))
        want["open question"].append(int(ex.labels["question_open"] or 0))
        want["any question"].append(int(ex.labels["question"] or 0))
    return [row(f"AnnoMI CV: {k}", np.array(want[k]), np.array(got[k]), kappa, "kappa", n_boot,
                (">=", b)) for k, b in ANNOMI_TARGETS.items()]


def print_rows(rows: list[dict[str, object]]) -> None:
    print(f"{'row':52s} {'n':>5s} {'pos':>4s} {'metric':6s} {'value [95% CI]':24s} target")
    for r in rows:
        lo, hi = r["ci"]  # type: ignore[misc]
        met = "" if r["met"] is None else (" met" if r["met"] else " NOT MET")
        print(f"{r['row']:52s} {r['n']:5d} {r['positives']:4d} {r['metric']:6s} "
              f"{r['value']:.3f} [{lo:.3f}, {hi:.3f}]    {r['target']}{met}")


def fp32_dir(fp32: Path) -> Path:
    """A model folder whose encoder is the fp32 export (to measure what int8 costs)."""
    tmp = Path(tempfile.mkdtemp())
    for name in ("encoder.json", "tokenizer.json", "offline.npz"):
        shutil.copy(MODEL_DIR / name, tmp / name)
    shutil.copy(fp32, tmp / "encoder.onnx")
    return tmp


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variant", default=None, help="combined, encoder, linear or all")
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--fp32", type=Path, help="also score with this fp32 ONNX encoder")
    ap.add_argument("--testset", type=int, choices=(1, 2, 3, 4), default=1,
                    help="1: the session-3 set (680); 2, 3, 4: the session-5, -6 and -8 sets "
                         "(600 each) in styles no training writer was briefed on")
    args = ap.parse_args(argv)
    examples = load_testset(args.testset)
    default = OfflineScorer().variant
    variants = (["encoder", "linear", "combined"] if args.variant == "all"
                else [args.variant or default])
    report: dict[str, object] = {"test_items": len(examples), "default_variant": default,
                                 "testset": args.testset}
    for variant in variants:
        print(f"\n== variant {variant}{' (shipped)' if variant == default else ''}: "
              f"{len(examples)} independent test replies")
        rows, extra = testset_rows(OfflineScorer(variant=variant), examples, args.boot)
        rows += annomi_rows(variant, args.boot)
        print_rows(rows)
        cal = extra["calibration"]
        print("calibration (ECE; share shown as unsure): " + ", ".join(
            f"{d} {c['ece']:.3f} ({c['unsure_share']:.0%})" for d, c in cal.items()))  # type: ignore[attr-defined]
        print("same verdict without the client line: " + ", ".join(
            f"{d} {v:.1%}" for d, v in extra["context_invariance"].items()))  # type: ignore[attr-defined]
        report[variant] = {"rows": rows, **extra}
    if args.fp32:
        rows, _ = testset_rows(OfflineScorer(fp32_dir(args.fp32), variant=variants[-1]),
                               examples, args.boot)
        print("\n== the same with the fp32 encoder (to see what int8 costs)")
        print_rows(rows[:4])
        report["fp32"] = rows[:4]
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=float), encoding="utf-8")


if __name__ == "__main__":
    main()
