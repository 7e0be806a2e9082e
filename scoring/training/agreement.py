"""Inter-labeller agreement and the adjudication queue for two labellings of the same items.

    python -m scoring.training.agreement ITEMS LABELS_A LABELS_B [--queue QUEUE.jsonl]
    python -m scoring.training.agreement merge PRIMARY SECOND ADJUDICATED -o FINAL.jsonl

Prints Cohen's kappa per dimension (present = level >= 1) and per code between the two
labellings, over the items both labelled; writes the items they disagree on (any dimension's
presence or any code) with both ratings side by side, for the adjudicator.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

DIMS = ("validation", "curiosity", "confrontation", "process_comment")


def load(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())
            if r}


def kappas(a: dict[str, dict], b: dict[str, dict]) -> dict[str, tuple[float, int, int]]:
    """name -> (kappa, n, positives in a)."""
    ids = sorted(set(a) & set(b))
    out: dict[str, tuple[float, int, int]] = {}
    for dim in DIMS:
        ya = [int(a[i][dim] >= 1) for i in ids]
        yb = [int(b[i][dim] >= 1) for i in ids]
        out[dim] = (float(cohen_kappa_score(ya, yb)), len(ids), sum(ya))
    codes = sorted({c for r in (*a.values(), *b.values()) for c in r["codes"]})
    for code in codes:
        ya = [int(code in a[i]["codes"]) for i in ids]
        yb = [int(code in b[i]["codes"]) for i in ids]
        if sum(ya) + sum(yb) >= 4:
            out["code:" + code] = (float(cohen_kappa_score(ya, yb)), len(ids), sum(ya))
    return out


def disagreements(a: dict[str, dict], b: dict[str, dict]) -> list[str]:
    return [i for i in sorted(set(a) & set(b))
            if any((a[i][d] >= 1) != (b[i][d] >= 1) for d in DIMS)
            or set(a[i]["codes"]) != set(b[i]["codes"])]


def merge(primary: dict[str, dict], second: dict[str, dict], adjudicated: dict[str, dict]
          ) -> list[dict]:
    """Final ratings: the adjudicator's where the labellers disagreed, the shared rating where
    they agreed, the primary labeller's where only one labelled the item."""
    out = []
    disputed = set(disagreements(primary, second))
    for i, rating in primary.items():
        final = adjudicated.get(i, rating)
        if i in disputed and i not in adjudicated:
            raise ValueError(f"{i}: the labellers disagree and no adjudication was given")
        rec = {"id": i, "codes": sorted(final["codes"])} | {d: int(final[d]) for d in DIMS}
        rec["labelled_by"] = ("adjudicated" if i in adjudicated else
                              "two labellers" if i in second else "one labeller")
        out.append(rec)
    return out


def main() -> None:
    import sys

    if len(sys.argv) > 1 and sys.argv[1] == "merge":
        mp = argparse.ArgumentParser(prog="agreement merge")
        mp.add_argument("primary", type=Path)
        mp.add_argument("second", type=Path)
        mp.add_argument("adjudicated", type=Path)
        mp.add_argument("-o", "--out", type=Path, required=True)
        margs = mp.parse_args(sys.argv[2:])
        rows = merge(load(margs.primary), load(margs.second), load(margs.adjudicated))
        margs.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                             encoding="utf-8")
        print(f"{len(rows)} final ratings -> {margs.out}")
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("items", type=Path)
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--queue", type=Path)
    args = ap.parse_args()
    a, b = load(args.a), load(args.b)
    for name, (k, n, pos) in kappas(a, b).items():
        print(f"{name:32s} kappa {k:6.3f}  (n={n}, positives in A={pos})")
    dis = disagreements(a, b)
    print(f"{len(dis)} of {len(set(a) & set(b))} items disagree somewhere")
    if args.queue:
        items = load(args.items)
        with args.queue.open("w", encoding="utf-8") as fh:
            for i in dis:
                strip = {k: v for k, v in a[i].items() if k != "id"}
                other = {k: v for k, v in b[i].items() if k != "id"}
                fh.write(json.dumps({"id": i, "context": items[i].get("context", ""),
                                     "reply": items[i]["reply"], "rating_1": strip,
                                     "rating_2": other}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
