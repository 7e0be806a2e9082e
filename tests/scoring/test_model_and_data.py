"""The shipped model and the project's labelled set: integrity of the split, the model was
trained on this exact file without the held-out part, and run time needs numpy only."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import Counter, defaultdict

from scoring.offline.model import DEFAULT_PATH, LinearModel
from scoring.training.data import LABELLED, load_own, own_labels


def records() -> list[dict]:
    return [json.loads(x) for x in LABELLED.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_labelled_records_are_valid() -> None:
    recs = records()
    assert len(recs) >= 500
    ids = Counter(r["id"] for r in recs)
    assert max(ids.values()) == 1
    for r in recs:
        assert r["reply"].strip() and isinstance(r["context"], str)
        assert r["split"] in ("train", "heldout")
        own_labels(r["codes"])  # raises on unknown codes


def test_groups_never_straddle_the_split() -> None:
    splits: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, set[str]] = defaultdict(set)
    for r in records():
        splits[r["group"]].add(r["split"])
        texts[r["split"]].add(r["reply"].lower().strip())
    assert all(len(s) == 1 for s in splits.values())
    assert not texts["train"] & texts["heldout"]


def test_heldout_has_enough_of_what_it_measures() -> None:
    held = [it for it in load_own() if it.split == "heldout"]
    assert sum(it.labels["confrontation"] or 0 for it in held) >= 30
    assert sum(it.labels["process_comment"] or 0 for it in held) >= 20
    assert sum(1 - (it.labels["confrontation"] or 0) for it in held) >= 30


def test_shipped_model_matches_this_labelled_file() -> None:
    model = LinearModel.load()
    trained = model.meta["trained_on"]
    assert isinstance(trained, dict)
    assert trained["own_set_sha256_12"] == hashlib.sha256(LABELLED.read_bytes()).hexdigest()[:12]
    assert trained["own_train_items"] == sum(r["split"] == "train" for r in records())
    assert model.meta["heldout_excluded"] is True
    assert DEFAULT_PATH.stat().st_size < 3_000_000
    assert len(model.heads) == model.weights.shape[1] == len(model.thresholds)


def test_runtime_needs_no_sklearn_scipy_or_torch() -> None:
    code = ("import sys, scoring; s = scoring.score_reply('What would help?', 'I am stuck.'); "
            "assert s.curiosity.present; "
            "print(sorted(m for m in ('sklearn', 'scipy', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "[]"
