"""Trains the default offline model and writes scoring/model/offline.npz.

    python -m scoring.training.train            # AnnoMI (if present) + own set, train split
    python -m scoring.training.train --no-annomi

The held-out split of scoring/data/labelled.jsonl is never used here, so bench figures on it
describe the shipped model on replies it never saw.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

from scoring.offline.model import DEFAULT_PATH
from scoring.training.data import LABELLED, load_annomi, load_own
from scoring.training.fit import fit_model

VERSION = "offline-1"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_PATH)
    ap.add_argument("--no-annomi", action="store_true", help="train on the own set only")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    annomi = [] if args.no_annomi else load_annomi()
    own = [it for it in load_own() if it.split == "train"]
    items = annomi + own
    digest = hashlib.sha256(LABELLED.read_bytes()).hexdigest()[:12]
    meta = {
        "version": VERSION,
        "trained_on": {"annomi_therapist_utterances": len(annomi),
                       "annomi_transcripts": len({it.group for it in annomi}),
                       "own_train_items": len(own), "own_set_sha256_12": digest},
        "heldout_excluded": True,
    }
    model = fit_model(items, meta=meta)
    model.save(args.out)
    size = args.out.stat().st_size / 1e6
    print(f"trained {len(model.heads)} heads on {len(items)} items "
          f"({len(annomi)} AnnoMI, {len(own)} own) -> {args.out} "
          f"[{len(model.vocab)} features, {size:.2f} MB, {time.perf_counter() - t0:.1f}s]")
    for head, thr in zip(model.heads, model.thresholds, strict=True):
        print(f"  {head:26s} threshold {thr:.3f}")


if __name__ == "__main__":
    main()
