"""A plain line diff between two versions, as data the page renders into an accessible table
(every line says in words whether it was added or removed; colour only repeats it)."""

from __future__ import annotations

from difflib import SequenceMatcher

from pydantic import BaseModel


class DiffLine(BaseModel):
    op: str  # "same" | "added" | "removed"
    old_line: int | None
    new_line: int | None
    text: str


class DiffHunk(BaseModel):
    old_start: int
    new_start: int
    lines: list[DiffLine]


class VersionDiff(BaseModel):
    persona_id: str
    old_version: int
    new_version: int
    added: int
    removed: int
    hunks: list[DiffHunk]


def line_diff(old: str, new: str, context: int = 3) -> tuple[list[DiffHunk], int, int]:
    """Hunks of changed lines with `context` unchanged lines around them, and the counts of
    added and removed lines."""
    a, b = old.splitlines(), new.splitlines()
    hunks: list[DiffHunk] = []
    added = removed = 0
    for group in SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        lines: list[DiffLine] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine(op="same", old_line=i + 1, new_line=j1 + k + 1, text=a[i])
                          for k, i in enumerate(range(i1, i2))]
                continue
            if tag in ("delete", "replace"):
                lines += [DiffLine(op="removed", old_line=i + 1, new_line=None, text=a[i])
                          for i in range(i1, i2)]
                removed += i2 - i1
            if tag in ("insert", "replace"):
                lines += [DiffLine(op="added", old_line=None, new_line=j + 1, text=b[j])
                          for j in range(j1, j2)]
                added += j2 - j1
        hunks.append(DiffHunk(old_start=group[0][1] + 1, new_start=group[0][3] + 1, lines=lines))
    return hunks, added, removed
