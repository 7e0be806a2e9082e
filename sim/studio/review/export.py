"""Rating overrides as training items for the scorer: one JSON object per line, in the format of
the codebook's labelling (scoring/CODEBOOK.md, "Labelling format") that
`python -m scoring.training.build --extra FILE.jsonl` loads (docs/REVIEW.md).

Dimension levels: the instructor says present or absent, not a level. Absent is 0; present keeps
the AI's level when the instructor agreed (at least 1), and is 2 (the codebook's middle level)
when the instructor corrected the AI.
"""

from __future__ import annotations

import json
from typing import Any

from scoring.types import DIMENSIONS

CORRECTED_LEVEL = 2


def dimension_level(ai: dict[str, Any], present: bool) -> int:
    """0-3 for one dimension from the AI's snapshot and the instructor's final verdict."""
    if not present:
        return 0
    if bool(ai.get("present")):
        return max(1, min(3, int(ai.get("level") or 0)))
    return CORRECTED_LEVEL


def training_record(override_id: int, context: str, reply: str,
                    ai_dimensions: dict[str, dict[str, Any]], dimensions: dict[str, bool],
                    codes: list[str], note: str | None) -> dict[str, Any]:
    """One line of the export (key order as the codebook writes it)."""
    record: dict[str, Any] = {"id": f"override-{override_id}", "context": context,
                              "reply": reply, "codes": list(codes)}
    for dim in DIMENSIONS:
        record[dim] = dimension_level(ai_dimensions.get(dim, {}), bool(dimensions.get(dim)))
    record["source"] = "instructor"
    record["note"] = note
    return record


def jsonl(records: list[dict[str, Any]]) -> str:
    """UTF-8 JSON lines (no ASCII escaping, so the file reads as the trainee wrote it)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
