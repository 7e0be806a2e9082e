"""Every labelled source as one list of examples over the shared heads (scoring/heads.py).

Sources:
- AnnoMI (read in place from ../shared/data/annomi, never copied): reflection and question
  heads, information giving; weak negatives for confrontation and process comments in
  high-quality transcripts. Grouped by transcript.
- The project's first set (scoring/data/labelled.jsonl): codes only, written by the team;
  dimensions follow from the codes by the codebook's rules.
- The many-voices set (scoring/data/voices/): replies written by writers in distinct voices,
  labelled by someone else against scoring/CODEBOOK.md, disagreements adjudicated.
- The independent test set (scoring/data/testset/) is loaded only by `load_testset` and is never
  part of `training_examples`.
A label of None means "unknown for this source": the example does not train that head.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from scoring.heads import HEADS, Labels, dimensions_from_codes, labels_from_codes
from scoring.heads import labels_from_rating as rating_labels

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "scoring" / "data"
LABELLED = DATA / "labelled.jsonl"
ANNOMI_DIRS = (REPO.parent / "shared" / "data" / "annomi", Path("/work/shared/data/annomi"))
VOICES = DATA / "voices"
TESTSET = DATA / "testset"
TESTSET2 = DATA / "testset2"
TESTSET3 = DATA / "testset3"
TESTSET4 = DATA / "testset4"


@dataclass
class Example:
    reply: str
    context: str
    labels: Labels
    group: str
    source: str
    meta: dict[str, str] = field(default_factory=dict)


def annomi_path() -> Path | None:
    """The AnnoMI full CSV if present (env SIM_ANNOMI_DIR overrides the default location)."""
    dirs = ([Path(os.environ["SIM_ANNOMI_DIR"])] if "SIM_ANNOMI_DIR" in os.environ else [])
    for d in (*dirs, *ANNOMI_DIRS):
        if (d / "AnnoMI-full-train.csv").is_file():
            return d / "AnnoMI-full-train.csv"
    return None


def _blank() -> Labels:
    return {h: None for h in HEADS}


def load_annomi_examples(path: Path | None = None) -> list[Example]:
    """Therapist utterances with the previous client utterance as context."""
    path = path or annomi_path()
    if path is None:
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh),
                      key=lambda r: (int(r["transcript_id"]), int(r["utterance_id"])))
    out: list[Example] = []
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
        negative = 0 if high and tin != "advice" else None
        labels = _blank()
        labels.update(
            reflection=int(refl),
            reflection_complex=int(r["reflection_subtype"] == "complex") if refl else None,
            question=int(ques), question_open=int(r["question_subtype"] == "open"),
            giving_information=int(tin == "information"), confront=negative,
            persuade=negative, hostility=negative, process_comment=0, dim_confrontation=negative,
            dim_process_comment=0,
        )
        if refl:
            labels["dim_validation"] = 1
        out.append(Example(r["utterance_text"], last_client.get(tid, ""), labels,
                           f"annomi:{tid}", "annomi", {"quality": r["mi_quality"]}))
    return out


def load_first_set(path: Path = LABELLED) -> list[Example]:
    """The project's first labelled set (both of its splits: the independent test set is the
    measure now)."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            try:
                labels = labels_from_codes(rec["codes"])
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: {exc}") from exc
            for dim, value in dimensions_from_codes(rec["codes"]).items():
                labels[f"dim_{dim}"] = value
            out.append(Example(rec["reply"], rec.get("context", ""), labels,
                               "own:" + rec["group"], "own"))
    return out


def read_jsonl(path: Path) -> list[dict[str, object]]:
    """JSON lines with the file and line named on a parse error."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
    return rows


def load_rated(items_path: Path, labels_path: Path, source: str) -> list[Example]:
    """Items (id, context, reply, writer, voice) joined with their final codebook ratings."""
    ratings = {str(r["id"]): r for r in read_jsonl(labels_path)}
    out = []
    for item in read_jsonl(items_path):
        rating = ratings.get(str(item["id"]))
        if rating is None:
            continue
        levels = {k: int(v) for k, v in rating.items()  # type: ignore[call-overload]
                  if k in ("validation", "curiosity", "confrontation", "process_comment")}
        labels = rating_labels(rating["codes"], levels)  # type: ignore[arg-type]
        out.append(Example(str(item["reply"]), str(item.get("context", "")), labels,
                           f"{source}:{item['writer']}", source,
                           {"id": str(item["id"]), "voice": str(item.get("voice", ""))}))
    return out


def load_overrides(path: Path) -> list[Example]:
    """Instructors' rating overrides exported from the review pages (docs/REVIEW.md): one JSON
    object per line with the reply, its client line, the final codes and the four levels."""
    out = []
    for n, rec in enumerate(read_jsonl(path), 1):
        try:
            levels = {d: int(rec[d]) for d in  # type: ignore[call-overload]
                      ("validation", "curiosity", "confrontation", "process_comment")}
            labels = rating_labels(rec["codes"], levels)  # type: ignore[arg-type]
            reply = str(rec["reply"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: record {n}: {exc}") from exc
        out.append(Example(reply, str(rec.get("context", "")), labels,
                           f"overrides:{rec.get('id', n)}", "overrides",
                           {"id": str(rec.get("id", n))}))
    return out


def load_voices() -> list[Example]:
    """The many-voices training set (empty until it has been labelled)."""
    items, labels = VOICES / "items.jsonl", VOICES / "labels.jsonl"
    return load_rated(items, labels, "voices") if labels.is_file() else []


def load_testset(which: int = 1) -> list[Example]:
    """A frozen independent test set (1: session 3; 2: session 5, 3: session 6 and 4: session
    8, each in styles no training writer was briefed on). Never train, tune or calibrate on
    any."""
    folder = {1: TESTSET, 2: TESTSET2, 3: TESTSET3, 4: TESTSET4}[which]
    return load_rated(folder / "items.jsonl", folder / "labels.jsonl", f"testset{which}"
                      if which > 1 else "testset")


def training_examples(annomi: bool = True, extra: tuple[Path, ...] = ()) -> list[Example]:
    """Everything the shipped model may learn from (plus exported instructor overrides)."""
    own = load_first_set() + load_voices()
    return ([*load_annomi_examples()] if annomi else []) + own + [
        ex for path in extra for ex in load_overrides(path)]
