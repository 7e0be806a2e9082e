"""Every reply ever written in a session, branch by branch: the record behind a report.

A report's figures follow one branch (the path to the head turn), but an attempt is judged on
everything the trainee wrote: a rewound branch with a rupture, a failed turn whose text was kept.
`overview` lists every branch (one per leaf of the turn tree) with its ruptures, so the report,
"My progress" and the exports can show them, clearly marked, beside the kept branch.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from sim.reports.inputs import TurnRecord


class BranchTurn(BaseModel):
    """One turn as the record shows it (feedback fields are null while an exam is live)."""

    turn_id: int
    index: int
    parent_id: int | None
    status: str
    trainee_text: str
    client_text: str | None
    resistance: float | None = None
    rupture: bool | None = None
    codes: list[str] = Field(default_factory=list)


class BranchRecord(BaseModel):
    """One line of conversation: the opening line down to one leaf of the turn tree."""

    number: int = Field(description="1 = the kept (active) branch, 2.. = the others, oldest first")
    active: bool
    head_turn_id: int
    turn_ids: list[int]
    diverges_at: int | None = Field(
        description="The turn index where this branch leaves the kept one (null: the kept one)")
    ruptures: int | None = Field(description="Rupture onsets on this branch; null while hidden")
    turns: list[BranchTurn]


class RecordOverview(BaseModel):
    """Everything written in the session, counted across all branches."""

    replies_written: int = Field(description="Every trainee reply stored, on any branch")
    replies_on_kept_branch: int
    replies_off_kept_branch: int
    failed_replies: int
    ruptures_anywhere: int | None = Field(
        description="Rupture onsets across all branches (each turn counted once); null while "
        "exam feedback is held back")
    branches: list[BranchRecord]


def _path(by_id: dict[int, TurnRecord], leaf: int) -> list[TurnRecord]:
    out: list[TurnRecord] = []
    seen: set[int] = set()
    current: int | None = leaf
    while current is not None and current in by_id and current not in seen:
        seen.add(current)
        out.append(by_id[current])
        current = by_id[current].parent_id
    return out[::-1]


def _onsets(by_id: dict[int, TurnRecord], opening_rupture: bool) -> set[int]:
    """Turns where the client went into rupture (the state before was not one)."""
    onsets = set()
    for turn in by_id.values():
        if turn.state is None or not turn.state.rupture:
            continue
        parent = by_id.get(turn.parent_id) if turn.parent_id is not None else None
        before = opening_rupture if parent is None else bool(parent.state and parent.state.rupture)
        if not before:
            onsets.add(turn.id)
    return onsets


def overview(all_turns: list[TurnRecord], head_turn_id: int | None,
             opening_rupture: bool = False) -> RecordOverview:
    """Every branch of the session, the kept one first, then the others oldest first."""
    by_id = {t.id: t for t in sorted(all_turns, key=lambda t: t.id)}
    parents = {t.parent_id for t in by_id.values()}
    leaves = [i for i in by_id if i not in parents]
    kept = [t.id for t in _path(by_id, head_turn_id)] if head_turn_id in by_id else []
    if head_turn_id in by_id and head_turn_id not in leaves:  # a head with children elsewhere
        leaves.append(head_turn_id)
    hidden = any(t.status == "complete" and t.state is None for t in by_id.values())
    onsets = _onsets(by_id, opening_rupture)
    ordered = sorted(leaves, key=lambda i: (i != head_turn_id, i))
    branches = []
    for number, leaf in enumerate(ordered, start=1):
        path = _path(by_id, leaf)
        ids = [t.id for t in path]
        shared = 0
        while shared < min(len(ids), len(kept)) and ids[shared] == kept[shared]:
            shared += 1
        branches.append(BranchRecord(
            number=number, active=leaf == head_turn_id, head_turn_id=leaf, turn_ids=ids,
            diverges_at=None if leaf == head_turn_id else shared + 1,
            ruptures=None if hidden else sum(i in onsets for i in ids),
            turns=[_turn(t) for t in path]))
    on_kept = len(kept)
    return RecordOverview(
        replies_written=len(by_id), replies_on_kept_branch=on_kept,
        replies_off_kept_branch=len(by_id) - on_kept,
        failed_replies=sum(t.status == "failed" for t in by_id.values()),
        ruptures_anywhere=None if hidden else len(onsets), branches=branches)


def _turn(t: TurnRecord) -> BranchTurn:
    return BranchTurn(
        turn_id=t.id, index=t.index, parent_id=t.parent_id, status=t.status,
        trainee_text=t.trainee_text, client_text=t.client_text,
        resistance=t.state.resistance if t.state else None,
        rupture=t.state.rupture if t.state else None,
        codes=[hit.code.value for hit in t.score.codes] if t.score else [])


def branch_of(record: RecordOverview) -> dict[int, int]:
    """turn id -> the number of the first branch (kept first) that contains it."""
    out: dict[int, int] = {}
    for branch in record.branches:
        for turn_id in branch.turn_ids:
            out.setdefault(turn_id, branch.number)
    return out
