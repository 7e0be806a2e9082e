"""The shipped model and the data it came from: the test set is frozen and never trained on,
every label pass is complete, and run time needs neither PyTorch nor scikit-learn."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.heads import HEADS
from scoring.neural import MODEL_DIR
from scoring.training.corpus import (
    TESTSET,
    TESTSET2,
    TESTSET3,
    TESTSET4,
    VOICES,
    load_first_set,
    load_testset,
    load_voices,
    read_jsonl,
)

FROZEN = {1: "42ee594cff904ccd258c58afd029b24445c0861f81c6311805f8032d835c568c",
          2: "1992364a4a8d219500c96dfc9832625b52ab235db2ac9fcc5d416048b8feb53b",
          3: "16a44869f6c16236ada2ceba72897d8061ddbd90f820ddc722487d2fde9413b4",
          4: "754c946fc6f240901a77f3b0b10fd6bf0ff40a82f506a8055764cd269521b8fc"}
SIZE = {1: 680, 2: 600, 3: 600, 4: 600}
FOLDER = {1: TESTSET, 2: TESTSET2, 3: TESTSET3, 4: TESTSET4}
SETS = [1, 2, 3, 4]


@pytest.mark.parametrize("which", SETS)
def test_the_test_sets_are_the_frozen_ones(which: int) -> None:
    items = FOLDER[which] / "items.jsonl"
    assert hashlib.sha256(items.read_bytes()).hexdigest() == FROZEN[which]
    assert len(load_testset(which)) == SIZE[which]


@pytest.mark.parametrize("which", SETS)
def test_no_test_reply_is_in_the_training_data(which: int) -> None:
    """Independent writers sometimes type the same stock line ("Okay.", "Take your time."); any
    longer reply shared with the training data would mean the set is not independent."""
    train = {ex.reply.lower().strip() for ex in [*load_first_set(), *load_voices()]}
    shared = [ex.reply for ex in load_testset(which) if ex.reply.lower().strip() in train]
    assert len(shared) <= 15
    assert all(len(r.split()) <= 8 for r in shared), shared


@pytest.mark.parametrize("which", SETS)
def test_writers_of_the_test_sets_wrote_no_training_item(which: int) -> None:
    train_writers = {str(r["writer"]) for r in read_jsonl(VOICES / "items.jsonl")}
    test_writers = {str(r["writer"]) for r in read_jsonl(FOLDER[which] / "items.jsonl")}
    assert train_writers and test_writers and not train_writers & test_writers


@pytest.mark.parametrize("which", [2, 3, 4])
def test_the_later_test_sets_use_no_voice_a_training_writer_was_briefed_on(which: int) -> None:
    train_voices = {str(r["voice"]) for r in read_jsonl(VOICES / "items.jsonl")}
    test_voices = {str(r["voice"]) for r in read_jsonl(FOLDER[which] / "items.jsonl")}
    assert len(test_voices) == 12 and not train_voices & test_voices


@pytest.mark.parametrize("later", [3, 4])
def test_a_later_test_set_shares_no_voice_or_writer_with_the_earlier_ones(later: int) -> None:
    new = read_jsonl(FOLDER[later] / "items.jsonl")
    for which in range(1, later):
        other = read_jsonl(FOLDER[which] / "items.jsonl")
        assert not {str(r["voice"]) for r in new} & {str(r["voice"]) for r in other}
        assert not {str(r["writer"]) for r in new} & {str(r["writer"]) for r in other}


def test_every_item_has_a_final_rating_and_labels_are_valid() -> None:
    for folder in (VOICES, TESTSET, TESTSET2, TESTSET3, TESTSET4):
        ids = {str(r["id"]) for r in read_jsonl(folder / "items.jsonl")}
        labels = read_jsonl(folder / "labels.jsonl")
        assert {str(r["id"]) for r in labels} == ids
        for r in labels:
            assert all(r[d] in (0, 1, 2, 3) for d in
                       ("validation", "curiosity", "confrontation", "process_comment"))
    assert len(load_voices()) >= 9000


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
