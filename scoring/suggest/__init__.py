"""Better replies a supervisor would suggest, from a curated library written for the project.

Each library entry is indexed by what the client just did (`client`), what went wrong in the
trainee's reply (`problem`) and optionally the stage of change; it carries a complete reply and
one line on why it works. Nothing from the client's line is pasted into a suggestion: the
client's line only chooses the entry. Two alternatives with different openings are offered.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from scoring.suggest.situation import CLIENT_MOVES, PROBLEMS, client_move, problems_of
from scoring.types import Alternative, Code, ScoringContext

LIBRARY = Path(__file__).resolve().parent / "library.yaml"
STAGES = ("precontemplation", "contemplation", "preparation", "action", "maintenance")


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    client: str
    problem: str
    text: str = Field(min_length=8)
    why: str = Field(min_length=8)
    stages: tuple[str, ...] = STAGES

    def frame(self) -> str:
        """The opening words, so that two suggestions never start alike."""
        return " ".join(self.text.lower().split()[:3])


def load_library(path: Path = LIBRARY) -> list[Entry]:
    """The library, checked: every key must be one the selector knows (file and entry named)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = []
    for n, item in enumerate(raw, 1):
        try:
            entry = Entry(**item)
        except Exception as exc:  # pydantic's message names the field
            raise ValueError(f"{path}: entry {n}: {exc}") from exc
        where = f"{path}: entry {n}"
        if entry.client not in (*CLIENT_MOVES, "any"):
            raise ValueError(f"{where}: client {entry.client!r}; allowed: {CLIENT_MOVES}")
        if entry.problem not in (*PROBLEMS, "any"):
            raise ValueError(f"{where}: problem {entry.problem!r}; allowed: {PROBLEMS}")
        if set(entry.stages) - set(STAGES):
            raise ValueError(f"{where}: stages {entry.stages}; allowed: {STAGES}")
        entries.append(entry)
    return entries


@lru_cache(maxsize=1)
def _library() -> tuple[Entry, ...]:
    return tuple(load_library())


def candidates(move: str, problem: str, stage: str | None,
               library: Iterable[Entry] | None = None) -> list[Entry]:
    """Entries for this moment, most specific first: (move, problem), (move, any),
    (any, problem), (any, any); entries for other stages are left out."""
    entries = list(library if library is not None else _library())
    order = [(move, problem), (move, "any"), ("any", problem), ("any", "any")]
    out: list[Entry] = []
    for c, p in order:
        for e in entries:
            if e.client == c and e.problem == p and (stage is None or stage in e.stages) \
                    and e not in out:
                out.append(e)
    return out


def pick_two(pool: list[Entry], seed: str) -> list[Entry]:
    """Two entries with different openings, rotating through the most specific pool by a
    stable hash of the reply, so that the same reply always gets the same suggestions."""
    if not pool:
        return []
    specific = [e for e in pool if e.client == pool[0].client and e.problem == pool[0].problem]
    start = zlib.crc32(seed.encode("utf-8")) % len(specific)
    ordered = specific[start:] + specific[:start] + [e for e in pool if e not in specific]
    chosen = [ordered[0]]
    for e in ordered[1:]:
        if e.frame() != chosen[0].frame() and e.text != chosen[0].text:
            chosen.append(e)
            break
    return chosen


def alternatives_for_moment(client_line: str, problem: str, stage: str | None, seed: str,
                            rupture: bool = False) -> list[Alternative]:
    """Two better replies for a moment the report singles out (a setback the scorer gave no
    suggestion for): the problem is named by the caller, e.g. "rupture" or "any"."""
    ctx = ScoringContext(client_last=client_line, rupture=rupture, stage=stage)
    move = client_move(client_line, ctx)
    if move == "risk":
        problem = "missed_risk"
    pool = candidates(move, problem if problem in PROBLEMS else "any", stage)
    return [Alternative(text=e.text, why=e.why) for e in pick_two(pool, seed)]


def suggest_alternatives(reply: str, context: ScoringContext | None, codes: set[Code],
                         confronting: bool) -> list[Alternative]:
    """Two better replies where this one hurt or missed the moment; none where it did not."""
    ctx = context or ScoringContext()
    found = problems_of(codes, confronting, ctx)
    if not found:
        return []
    move = client_move(ctx.client_last, ctx)
    pool = candidates(move, found[0], ctx.stage)
    return [Alternative(text=e.text, why=e.why) for e in pick_two(pool, reply)]
