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
        self.tokenizer.no_padding()  # each text runs alone (see logits)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or int(os.environ.get("SIM_SCORER_THREADS", "1"))
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model_dir / "encoder.onnx"), opts,
                                            providers=["CPUExecutionProvider"])

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unknown"))

    def logits(self, replies: Sequence[str], contexts: Sequence[str]) -> np.ndarray:
        """Raw logits (n x heads); the client line is the second segment when there is one.

        Each text runs alone: int8 dynamic quantization scales activations over the whole
        input tensor, so a text batched with others would score slightly differently from the
        same text alone, and a reply must get the same rating however it is scored."""
        out = np.zeros((len(replies), len(self.heads)), dtype=np.float32)
        inputs: list[str | tuple[str, str]] = [
            (r, c) if c.strip() else r for r, c in zip(replies, contexts, strict=True)]
        for i, enc in enumerate(self.tokenizer.encode_batch(inputs)):
            feed = {
                "input_ids": np.array([enc.ids], dtype=np.int64),
                "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
                "token_type_ids": np.array([enc.type_ids], dtype=np.int64),
            }
            out[i] = self.session.run(["logits"], feed)[0][0]
        return out
