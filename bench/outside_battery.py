"""The behaviour battery spoken by outside writers: every persona against script sets that a
writer who never saw the engine, the battery's own lines or the scorer wrote (skilful,
confrontational, rupture-then-repair, abuse, risk questions; bench/data/outside_scripts*.json).

The checks are the battery's (sim/engine/battery.py): the confrontational script ends >= 0.2
above the skilful one, the skilful one never ruptures, the repair script ruptures by its third
line and ends repaired, each abusive line raises resistance and earns no warmth, each risk
question is answered about risk. It is the early warning for scripts we do not have.

Run: .venv/bin/python -m bench.outside_battery [--scripts FILE] [--persona ID]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from scoring import get_scorer
from sim.engine.battery import BATTERY, Scripts, run_battery
from sim.personas import load_library

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCRIPTS = ROOT / "bench" / "data" / "outside_scripts3.json"  # the held-out set
REPAIR_AT = 2  # the writers' brief: two confrontations, then the repair


def load_scripts(path: Path) -> list[tuple[str, Scripts]]:
    """The writer's sets, each named by its voice; a set missing a field is an error."""
    sets = []
    for i, raw in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        missing = [k for k in ("skilful", "confrontational", "repair", "abuse", "risk")
                   if not raw.get(k)]
        if missing:
            raise SystemExit(f"{path}: set {i} has no {', '.join(missing)}")
        sets.append((str(raw.get("voice") or f"set {i}"), Scripts(
            skilful=raw["skilful"], confrontational=raw["confrontational"],
            repair=raw["repair"], repair_at=REPAIR_AT, abuse=raw["abuse"],
            risk_questions=raw["risk"])))
    return sets


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scripts", type=Path, default=DEFAULT_SCRIPTS)
    ap.add_argument("--persona", help="one persona id (default: all)")
    ap.add_argument("--with-battery", action="store_true", help="also the battery's own lines")
    args = ap.parse_args(argv)
    scorer = get_scorer()
    library = load_library(ROOT / "personas")
    if args.persona:
        library = {args.persona: library[args.persona]}
    sets = load_scripts(args.scripts)
    if args.with_battery:
        sets.insert(0, ("battery", BATTERY))
    total, failed = Counter(), Counter()
    for name, scripts in sets:
        for pid, persona in library.items():
            for check, ok, detail in run_battery(persona, scorer, scripts).checks:
                total[check] += 1
                if not ok:
                    failed[check] += 1
                    print(f"FAIL [{name}] {pid}: {check}: {detail}")
    print(f"\n{len(sets)} script sets x {len(library)} personas")
    for check in total:
        print(f"{check:55s} {total[check] - failed[check]:4d}/{total[check]:<4d} passed")
    print(f"{'all checks':55s} {sum(total.values()) - sum(failed.values()):4d}/"
          f"{sum(total.values()):<4d} passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
