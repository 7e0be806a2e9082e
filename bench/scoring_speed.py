"""Speed and memory of the default offline scorer, measured in-process.

    python -m bench.scoring_speed [--n 2000] [--single 500]

Prints model load time, single-reply latency (median, p95), batch throughput in one process
and on every core (scoring.batch, as `sim score --jsonl` runs), and memory (RSS after load and
peak). Replies come from the project's labelled sets with their client lines (never the test
set, which is not needed to time anything). The targets (issue 9): p95 <= 25 ms for one reply,
>= 300 replies/s in batch, load <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import time

from scoring.batch import BatchScorer
from scoring.offline.scorer import OfflineScorer
from scoring.training.corpus import load_first_set, load_voices
from scoring.types import ScoringContext


def rss_mb() -> float:
    with open("/proc/self/status", encoding="utf-8") as fh:
        line = next(ln for ln in fh if ln.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def machine() -> str:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")),
                       cpu)
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpu}, nproc {usable}, {platform.platform()}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Offline scorer speed")
    ap.add_argument("--n", type=int, default=2000, help="replies in the batch runs")
    ap.add_argument("--single", type=int, default=500, help="replies in the latency run")
    args = ap.parse_args(argv)
    base_rss = rss_mb()
    loads = []
    loaded_rss = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        scorer = OfflineScorer()
        loads.append(time.perf_counter() - t0)
        loaded_rss = loaded_rss or rss_mb()
    items = [(ex.reply, ex.context) for ex in [*load_voices(), *load_first_set()]]
    batch = [(items[i % len(items)][0], ScoringContext(client_last=items[i % len(items)][1]))
             for i in range(args.n)]
    scorer.score_many(batch[:64])  # warm-up
    lat = []
    for reply, ctx in batch[: args.single]:
        t1 = time.perf_counter()
        scorer.score(reply, ctx)
        lat.append((time.perf_counter() - t1) * 1000)
    lat.sort()
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    for i in range(0, len(batch), 64):
        scorer.score_many(batch[i:i + 64])
    one_proc = args.n / (time.perf_counter() - t0)
    cores = os.cpu_count() or 1
    with BatchScorer(workers=cores) as pooled:
        pooled.score(batch[:600])  # start the workers outside the timing
        t0 = time.perf_counter()
        pooled.score(batch)
        pooled_rate = args.n / (time.perf_counter() - t0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mean_chars = sum(len(r) for r, _ in batch) / len(batch)
    print(f"offline scorer {scorer.version} speed ({len(batch)} replies, mean "
          f"{mean_chars:.0f} chars, with client lines)")
    print(f"  model load:      first {loads[0] * 1000:.0f} ms, median "
          f"{statistics.median(loads) * 1000:.0f} ms             target <= 2000 ms")
    print(f"  single reply:    median {statistics.median(lat):.1f} ms, p95 "
          f"{lat[int(0.95 * len(lat)) - 1]:.1f} ms ({len(lat)} calls)   target p95 <= 25 ms")
    print(f"  batch, 1 proc:   {one_proc:6.0f} replies/s (batches of 64)")
    print(f"  batch, {cores} procs:  {pooled_rate:6.0f} replies/s (scoring.batch, "
          "`sim score --jsonl`)   target >= 300")
    print(f"  memory:          {loaded_rss - base_rss:.0f} MB added by one loaded scorer "
          f"(RSS {loaded_rss:.0f} MB), peak RSS {peak:.0f} MB")
    print(f"  load average:    {load_before:.2f} at the start of the batch runs")
    print(f"  machine:         {machine()}")


if __name__ == "__main__":
    main()
