"""The shipped model and the data it came from: the test set is frozen and never trained on,
every label pass is complete, and run time needs neither PyTorch nor scikit-learn."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from scoring.heads import HEADS
from scoring.neural import MODEL_DIR
from scoring.training.corpus import (
    TESTSET,
    VOICES,
    load_first_set,
    load_testset,
    load_voices,
    read_jsonl,
)

FROZEN = "42ee594cff904ccd258c58afd029b24445c0861f81c6311805f8032d835c568c"


def test_the_test_set_is_the_frozen_one() -> None:
    assert hashlib.sha256((TESTSET / "items.jsonl").read_bytes()).hexdigest() == FROZEN
    assert len(load_testset()) == 680


def test_no_test_reply_is_in_the_training_data() -> None:
    """Independent writers sometimes type the same stock line ("Okay.", "Take your time."); any
    longer reply shared with the training data would mean the set is not independent."""
    train = {ex.reply.lower().strip() for ex in [*load_first_set(), *load_voices()]}
    shared = [ex.reply for ex in load_testset() if ex.reply.lower().strip() in train]
    assert len(shared) <= 7
    assert all(len(r.split()) <= 8 for r in shared), shared


def test_writers_of_the_test_set_wrote_no_training_item() -> None:
    train_writers = {str(r["writer"]) for r in read_jsonl(VOICES / "items.jsonl")}
    test_writers = {str(r["writer"]) for r in read_jsonl(TESTSET / "items.jsonl")}
    assert train_writers and test_writers and not train_writers & test_writers


def test_every_item_has_a_final_rating_and_labels_are_valid() -> None:
    for folder in (VOICES, TESTSET):
        ids = {str(r["id"]) for r in read_jsonl(folder / "items.jsonl")}
        labels = read_jsonl(folder / "labels.jsonl")
        assert {str(r["id"]) for r in labels} == ids
        for r in labels:
            assert all(r[d] in (0, 1, 2, 3) for d in
                       ("validation", "curiosity", "confrontation", "process_comment"))
    assert len(load_voices()) >= 4000


def test_shipped_model_files_and_metadata() -> None:
    meta = json.loads((MODEL_DIR / "encoder.json").read_text(encoding="utf-8"))
    assert meta["heads"] == list(HEADS)
    assert meta["test_set_used"] is False and meta["quick"] is False
    assert meta["trained_on"]["voices"] >= 4000
    for variant in ("encoder", "linear", "combined"):
        assert set(meta["variants"][variant]) == set(HEADS)
    assert (MODEL_DIR / "encoder.onnx").stat().st_size < 40_000_000


def test_runtime_needs_no_torch_sklearn_or_scipy() -> None:
    code = ("import sys, scoring; s = scoring.score_reply('What would help you most?', "
            "'I am stuck.'); assert s.curiosity.present; "
            "print(sorted(m for m in ('sklearn', 'scipy', 'torch', 'transformers') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"
