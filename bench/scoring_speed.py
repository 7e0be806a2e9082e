"""Speed of the default offline scorer, measured in-process.

    python -m bench.scoring_speed [--n 5000]

Prints batch throughput (replies/s), single-reply latency (median, p95), model load time, peak
RSS memory and the machine. Replies come from AnnoMI (../shared/data/annomi, if present) with
their client context, else from the project's own labelled set.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import time

from scoring.batch import BatchScorer
from scoring.offline.model import DEFAULT_PATH
from scoring.offline.scorer import OfflineScorer
from scoring.training.data import load_annomi, load_own
from scoring.types import ScoringContext


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")),
                       cpu)
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"platform": platform.platform(), "python": platform.python_version(),
            "nproc": str(usable), "cpu": cpu}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Offline scorer speed")
    ap.add_argument("--n", type=int, default=5000, help="replies in the batch run")
    ap.add_argument("--single", type=int, default=2000, help="replies in the latency run")
    args = ap.parse_args(argv)

    loads = []
    for _ in range(5):
        t0 = time.perf_counter()
        scorer = OfflineScorer()
        loads.append(time.perf_counter() - t0)
    items = [(it.reply, it.context) for it in load_annomi()] or \
            [(it.reply, it.context) for it in load_own()]
    source = "AnnoMI therapist utterances" if len(items) > 1000 else "own labelled set"
    batch = [(items[i % len(items)][0], ScoringContext(client_last=items[i % len(items)][1]))
             for i in range(args.n)]
    scorer.score_many(batch[:200])  # warm-up
    load_before = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    scorer.score_many(batch)
    batch_s, batch_cpu = time.perf_counter() - t0, time.process_time() - c0
    cores = os.cpu_count() or 1
    with BatchScorer(workers=cores) as pooled:
        pooled.score(batch[:1000])  # start the workers outside the timing
        t0 = time.perf_counter()
        pooled.score(batch)
        pooled_s = time.perf_counter() - t0
    lat = []
    for reply, ctx in batch[: args.single]:
        t1 = time.perf_counter()
        scorer.score(reply, ctx)
        lat.append((time.perf_counter() - t1) * 1000)
    lat.sort()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mean_chars = sum(len(r) for r, _ in batch) / len(batch)

    print(f"offline scorer speed ({source}, mean reply {mean_chars:.0f} chars, "
          f"model {DEFAULT_PATH.stat().st_size / 1e6:.2f} MB)")
    print(f"  batch:          {args.n / batch_s:8.0f} replies/s wall, {args.n / batch_cpu:.0f} "
          f"replies/s per CPU second ({args.n} replies, one process)")
    print(f"  batch, {cores} procs: {args.n / pooled_s:8.0f} replies/s wall (scoring.batch, as "
          "`sim score --jsonl` runs)   target >= 2000")
    print(f"  single reply:   median {statistics.median(lat):.3f} ms, "
          f"p95 {lat[int(0.95 * len(lat)) - 1]:.3f} ms ({len(lat)} calls)   target median < 2 ms")
    print(f"  model load:     first {loads[0] * 1000:.0f} ms, median "
          f"{statistics.median(loads) * 1000:.0f} ms                     target < 1000 ms")
    print(f"  peak RSS:       {rss_mb:.0f} MB (whole process, incl. AnnoMI loading)")
    print(f"  load average:   {load_before:.2f} at the start of the batch (wall-clock figures "
          "drop when other work shares the cores; CPU-second figures do not)")
    m = machine()
    print(f"  machine:        {m['cpu']}, nproc {m['nproc']}, {m['platform']}, "
          f"Python {m['python']}")


if __name__ == "__main__":
    main()
