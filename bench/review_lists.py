"""The review pages' API on a realistic amount of data: how long an instructor waits for the
session list (with and without the outcome filter), the trainee list, one session's review,
the agreement table and the export.

A SQLite file is built with the migrations and filled with `--trainees` trainees x `--sessions`
sessions x `--turns` turns (real scores and states: one scripted session is played through the
engine with the offline scorer and its turns are copied), and rating overrides on every turn of
`--rated` of the sessions. The app runs in-process (TestClient), signed in as an instructor.

Run: .venv/bin/python -m bench.review_lists [--trainees 50 --sessions 20 --turns 12 --rated 0.2]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.turn_overhead import REPLIES, print_machine
from scoring import get_scorer
from sim.engine.turn import TurnRunner
from sim.engine.voice import ScriptedVoice
from sim.personas import load_library

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-123"


async def played(turns: int) -> tuple[Any, dict[str, Any], str, list[dict[str, Any]]]:
    persona = load_library(ROOT / "personas")["silent-adolescent"]
    runner = TurnRunner(persona, get_scorer("offline"), ScriptedVoice())
    state, opening = runner.opening()
    history: list[tuple[str, str]] = []
    out = []
    for i in range(turns):
        text = REPLIES[i % len(REPLIES)]
        async for event in runner.run(state, history, text):
            if event.type == "result":
                state = event.result.state
                history.append((text, event.result.reply))
                out.append({"trainee_text": text, "client_text": event.result.reply,
                            "score": event.result.score.model_dump(mode="json"),
                            "state": state.model_dump(mode="json"),
                            "changes": [c.model_dump(mode="json") for c in event.result.changes]})
    first, _ = runner.opening()
    return persona, first.model_dump(mode="json"), opening, out


def seed(url: str, args: argparse.Namespace) -> None:
    from sqlalchemy import insert

    from sim.db import make_engine, session_scope, upgrade_database
    from sim.models import PracticeSession, Turn, UserCreate, utcnow
    from sim.routes.users import create_user
    from sim.studio.review.models import RatingOverride
    from sim.studio.review.records import ai_rating

    persona, opening_state, opening, turns = asyncio.run(played(args.turns))
    upgrade_database(url)
    engine = make_engine(url)
    rng = random.Random(1)
    with session_scope(engine) as db:
        teach = create_user(db, UserCreate(email="teach@example.org", display_name="Teach",
                                           password=PASSWORD, role="instructor"))  # type: ignore[arg-type]
        for t in range(args.trainees):
            user = create_user(db, UserCreate(email=f"t{t}@example.org", display_name=f"T {t}",
                                              password=PASSWORD, role="trainee"))  # type: ignore[arg-type]
            for s in range(args.sessions):
                ps = PracticeSession(
                    user_id=user.id or 0, persona_id=persona.id, persona_version=persona.version,
                    persona_title=persona.title, mode="coach", status="ended", voice="scripted",
                    scorer="offline", scorer_version="bench", opening_line=opening,
                    opening_state=opening_state, created_at=utcnow() - timedelta(hours=s),
                    ended_at=utcnow())
                db.add(ps)
                db.flush()
                parent = None
                for i, turn in enumerate(turns, 1):
                    row = Turn(session_id=ps.id or 0, parent_id=parent, index=i,
                               status="complete", completed_at=utcnow(), **turn)
                    db.add(row)
                    db.flush()
                    parent = row.id
                    if rng.random() < args.rated:
                        dims, codes = ai_rating(turn["score"])
                        db.execute(insert(RatingOverride).values(
                            turn_id=row.id, session_id=ps.id, reviewer_id=teach.id,
                            scorer_version="offline bench", ai_dimensions=dims, ai_codes=codes,
                            dimensions={d: (v["present"] if rng.random() < 0.85
                                            else not v["present"]) for d, v in dims.items()},
                            codes=codes, note=None, created_at=utcnow(), updated_at=utcnow()))
                ps.head_turn_id, ps.turn_count = parent, len(turns)
                db.add(ps)
    engine.dispose()


def timed(client: Any, path: str, repeat: int) -> tuple[float, float, int]:
    """Median and max milliseconds over `repeat` calls, and the response size."""
    times, size = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (path, r.status_code, r.text[:200])
        size = len(r.content)
    return statistics.median(times), max(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trainees", type=int, default=50)
    parser.add_argument("--sessions", type=int, default=20, help="per trainee")
    parser.add_argument("--turns", type=int, default=12, help="per session")
    parser.add_argument("--rated", type=float, default=0.2, help="share of turns rated")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print_machine()
    from fastapi.testclient import TestClient

    from sim.config import Settings
    from sim.main import create_app

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        t0 = time.perf_counter()
        seed(url, args)
        sessions = args.trainees * args.sessions
        print(f"seeded {args.trainees} trainees, {sessions} sessions, "
              f"{sessions * args.turns} turns in {time.perf_counter() - t0:.1f} s")
        app = create_app(Settings(database_url=url, log_level="WARNING"))
        with TestClient(app) as client:
            r = client.post("/api/auth/login", json={"email": "teach@example.org",
                                                     "password": PASSWORD})
            client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
            first = client.get("/api/review/sessions?limit=1").json()["items"][0]["id"]
            rated = client.get("/api/review/agreement").json()["overrides"]
            print(f"{rated} rating overrides; {args.repeat} calls per row\n")
            print(f"{'endpoint':58} {'median ms':>10} {'max ms':>8} {'bytes':>9}")
            for path in ("/api/review/sessions?limit=50",
                         "/api/review/sessions?limit=50&outcome=improved",
                         "/api/review/sessions?limit=50&user_id=3",
                         "/api/review/trainees",
                         f"/api/review/sessions/{first}",
                         "/api/review/agreement",
                         "/api/review/overrides.jsonl"):
                median, worst, size = timed(client, path, args.repeat)
                print(f"{path:58} {median:10.1f} {worst:8.1f} {size:9d}")


if __name__ == "__main__":
    main()
