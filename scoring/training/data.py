"""Training items from AnnoMI (read in place, never copied) and the project's labelled set.

Every item carries a group: AnnoMI items are grouped by transcript, the project's items by
their authored group, so cross-validation and the held-out split never separate near-duplicates.
A label of None means "unknown for this source" and the item is left out of that head.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from scoring.types import Code

REPO = Path(__file__).resolve().parents[2]
LABELLED = REPO / "scoring" / "data" / "labelled.jsonl"
ANNOMI_DIRS = (REPO.parent / "shared" / "data" / "annomi", Path("/work/shared/data/annomi"))

HEADS: tuple[str, ...] = (
    "reflection", "reflection_complex", "question", "question_open", "giving_information",
    "confront", "persuade", "persuade_with_permission", "affirm", "seeking_collaboration",
    "emphasizing_autonomy", "process_comment", "confrontation",
)
OWN_ONLY = ("persuade_with_permission", "affirm", "seeking_collaboration", "emphasizing_autonomy")


@dataclass
class Item:
    reply: str
    context: str
    labels: dict[str, int | None]
    group: str
    source: str
    split: str = "train"
    weight: float = 1.0
    codes: list[str] = field(default_factory=list)
    quality: str = ""  # AnnoMI's mi_quality (high/low) of the transcript


def annomi_path() -> Path | None:
    """The AnnoMI full CSV if present (env SIM_ANNOMI_DIR overrides the default location)."""
    dirs = ([Path(os.environ["SIM_ANNOMI_DIR"])] if "SIM_ANNOMI_DIR" in os.environ else [])
    for d in (*dirs, *ANNOMI_DIRS):
        if (d / "AnnoMI-full-train.csv").is_file():
            return d / "AnnoMI-full-train.csv"
    return None


def load_annomi(path: Path | None = None) -> list[Item]:
    """Therapist utterances with the previous client utterance as context."""
    path = path or annomi_path()
    if path is None:
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows.sort(key=lambda r: (int(r["transcript_id"]), int(r["utterance_id"])))
    items: list[Item] = []
    last_client: dict[str, str] = {}
    for r in rows:
        tid = r["transcript_id"]
        if r["interlocutor"] == "client":
            last_client[tid] = r["utterance_text"]
            continue
        refl = r["reflection_exists"] == "True"
        ques = r["question_exists"] == "True"
        tin = r["therapist_input_subtype"]
        high = r["mi_quality"] == "high"
        labels: dict[str, int | None] = {h: None for h in HEADS}
        labels.update(
            reflection=int(refl),
            reflection_complex=int(r["reflection_subtype"] == "complex") if refl else None,
            question=int(ques),
            question_open=int(r["question_subtype"] == "open"),
            giving_information=int(tin == "information"),
            confront=0 if high and tin != "advice" else None,
            persuade=0 if high and tin != "advice" else None,
            confrontation=0 if high and tin != "advice" else None,
            process_comment=0,
        )
        items.append(Item(r["utterance_text"], last_client.get(tid, ""), labels,
                          f"annomi:{tid}", "annomi", weight=1.0, quality=r["mi_quality"]))
    return items


def own_labels(codes: list[str]) -> dict[str, int | None]:
    """Head labels from an exhaustive code list written for one reply."""
    cs = set(codes)
    valid = {c.value for c in Code}
    unknown = cs - valid
    if unknown:
        raise ValueError(f"unknown codes {sorted(unknown)}; allowed: {sorted(valid)}")
    refl = bool(cs & {"reflection_simple", "reflection_complex"})
    return {
        "reflection": int(refl),
        "reflection_complex": int("reflection_complex" in cs) if refl else None,
        "question": int(bool(cs & {"question_open", "question_closed"})),
        "question_open": int("question_open" in cs),
        "giving_information": int("giving_information" in cs),
        "confront": int("confront" in cs),
        "persuade": int("persuade" in cs),
        "persuade_with_permission": int("persuade_with_permission" in cs),
        "affirm": int("affirm" in cs),
        "seeking_collaboration": int("seeking_collaboration" in cs),
        "emphasizing_autonomy": int("emphasizing_autonomy" in cs),
        "process_comment": int("process_comment" in cs),
        "confrontation": int(bool(cs & {"confront", "persuade"})),
    }


def load_own(path: Path = LABELLED) -> list[Item]:
    """The project's own labelled replies (scoring/data/labelled.jsonl)."""
    items = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            try:
                labels = own_labels(rec["codes"])
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: {exc}") from exc
            items.append(Item(rec["reply"], rec.get("context", ""), labels, "own:" + rec["group"],
                              "own", rec["split"], 1.0, list(rec["codes"])))
    return items
