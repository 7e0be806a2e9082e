"""Every benchmark in turn, as `make bench` runs them (about 10 minutes on the 2-core VM).

Each one prints its own table and the machine it ran on; this only runs them in order, shows
the command before each, and exits non-zero if any of them failed.

    .venv/bin/python -m bench.run_all [--quick]

--quick skips the API load rows (50, 200 and 1,000 sessions), which take most of the time.
SIM_BENCH_POSTGRES_URL (and SIM_BENCH_REDIS_URL) add the 1,000-session row on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

RUNS: list[tuple[str, list[str], bool]] = [  # (title, arguments, part of --quick)
    ("scoring accuracy", ["-m", "bench.scoring_accuracy"], True),
    ("scoring speed", ["-m", "bench.scoring_speed"], True),
    ("engine overhead per turn", ["-m", "bench.turn_overhead"], True),
    ("a scripted session", ["-m", "bench.scripted_session"], True),
    ("review pages on 1,000 sessions", ["-m", "bench.review_lists"], True),
    ("API latency, 1 session, 300 ms LLM",
     ["bench/api_latency.py", "--latency", "0.3", "--levels", "1", "--duration", "30"], True),
    ("API latency, 1 session, 1.0 s LLM",
     ["bench/api_latency.py", "--latency", "1.0", "--levels", "1", "--duration", "30"], True),
    ("API latency, 50 and 200 sessions, 300 ms LLM, 10-20 s think time, 2 workers",
     ["bench/api_latency.py", "--latency", "0.3", "--levels", "50", "200", "--think", "15",
      "--workers", "2"], False),
    ("API latency, 50 and 200 sessions, 1.0 s LLM, 10-20 s think time, 2 workers",
     ["bench/api_latency.py", "--latency", "1.0", "--levels", "50", "200", "--think", "15",
      "--workers", "2"], False),
    ("API latency, 1,000 open sessions, 1.0 s LLM, 20-40 s think time, 2 workers, SQLite",
     ["bench/api_latency.py", "--latency", "1.0", "--levels", "1000", "--think", "30",
      "--workers", "2", "--duration", "120"], False),
]
if os.environ.get("SIM_BENCH_POSTGRES_URL"):  # a PostgreSQL server (and Redis) to bench on
    RUNS.append((
        "API latency, 1,000 open sessions, 1.0 s LLM, 20-40 s think time, 4 workers, PostgreSQL",
        ["bench/api_latency.py", "--latency", "1.0", "--levels", "1000", "--think", "30",
         "--workers", "4", "--duration", "120", "--postgres", os.environ["SIM_BENCH_POSTGRES_URL"],
         *(["--redis", os.environ["SIM_BENCH_REDIS_URL"]]
           if os.environ.get("SIM_BENCH_REDIS_URL") else [])], False))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="skip the 50/200-session API rows")
    args = ap.parse_args()
    failed = []
    for title, argv, quick in RUNS:
        if args.quick and not quick:
            continue
        print(f"\n=== {title}\n$ {Path(PY).name} {' '.join(argv)}", flush=True)
        start = time.perf_counter()
        code = subprocess.run([PY, *argv], cwd=ROOT).returncode
        print(f"(exit {code}, {time.perf_counter() - start:.0f} s)", flush=True)
        if code:
            failed.append(title)
    if failed:
        print("\nFAILED: " + "; ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
