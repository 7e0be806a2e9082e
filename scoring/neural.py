"""The fine-tuned sentence encoder at run time: onnxruntime + tokenizers, no PyTorch.

`EncoderModel.logits` turns (reply, client line) pairs into raw logits, one column per head of
scoring/heads.py; the offline scorer calibrates them (scoring/offline/scorer.py). The files live
in scoring/model/: `encoder.onnx` (int8 weights), `tokenizer.json`, and `encoder.json` (head
names, calibration and thresholds per variant, training metadata), all written by
`python -m scoring.training.build`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "model"
MAX_LEN = 128


class EncoderModel:
    """One ONNX session, shared by every call; thread-safe for concurrent `run` calls."""

    def __init__(self, model_dir: Path = MODEL_DIR, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta_path = model_dir / "encoder.json"
        if not meta_path.is_file():
            raise FileNotFoundError(
                f"encoder model not found in {model_dir}; build it with "
                "`make train-scorer` (python -m scoring.training.build)")
        self.meta = json.loads(meta_path.read_text(encoding="utf-8"))
        self.heads: list[str] = list(self.meta["heads"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_LEN)
        self.tokenizer.enable_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or int(os.environ.get("SIM_SCORER_THREADS", "1"))
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model_dir / "encoder.onnx"), opts,
                                            providers=["CPUExecutionProvider"])

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unknown"))

    def logits(self, replies: Sequence[str], contexts: Sequence[str]) -> np.ndarray:
        """Raw logits (n x heads); the client line is the second segment when there is one."""
        if not replies:
            return np.zeros((0, len(self.heads)), dtype=np.float32)
        inputs: list[str | tuple[str, str]] = [
            (r, c) if c.strip() else r for r, c in zip(replies, contexts, strict=True)]
        enc = self.tokenizer.encode_batch(inputs)
        feed = {
            "input_ids": np.array([e.ids for e in enc], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64),
        }
        out: np.ndarray = self.session.run(["logits"], feed)[0]
        return out
