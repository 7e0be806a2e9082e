"""Transcript exports (JSON, CSV, Markdown) of one session branch.

Everything typed by the trainee or produced by the voice is data: the CSV guards against
spreadsheet formula injection, and the Markdown escapes every character that could become
markup or HTML, so opening an export never runs or renders someone's text.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re

from scoring.types import DIMENSIONS
from sim.reports.branches import RecordOverview, branch_of, overview
from sim.reports.inputs import SessionMeta, TurnRecord, sort_turns

FORMAT = "resistance-sim.transcript/1"

CSV_COLUMNS = (
    "index", "turn_id", "parent_id", "status", "created_at", "trainee_text", "client_text",
    *DIMENSIONS, "codes", "resistance", "alliance", "stage", "rupture", "voice",
    "fallback_notice", "error", "branch",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _record(meta: SessionMeta, turns: list[TurnRecord],
            all_turns: list[TurnRecord] | None) -> tuple[RecordOverview, list[TurnRecord]]:
    """The branch overview and the turns that are not on the kept branch, oldest first."""
    ordered = sort_turns(turns)
    every = all_turns if all_turns is not None else ordered
    kept = {t.id for t in ordered}
    record = overview(every, ordered[-1].id if ordered else None, meta.initial_state.rupture)
    return record, sorted((t for t in every if t.id not in kept), key=lambda t: t.id)


def transcript_json(meta: SessionMeta, turns: list[TurnRecord],
                    all_turns: list[TurnRecord] | None = None) -> str:
    """The full record (scores, states and reasons included) as pretty JSON; reloadable with
    SessionMeta.model_validate / TurnRecord.model_validate. `turns` is the kept branch;
    `other_turns` holds every other reply written (rewound branches, failed turns) and
    `record` lists every branch, so nothing the trainee wrote is missing from an export."""
    record, others = _record(meta, turns, all_turns)
    doc = {
        "format": FORMAT,
        "session": meta.model_dump(mode="json"),
        "turns": [t.model_dump(mode="json") for t in sort_turns(turns)],
        "other_turns": [t.model_dump(mode="json") for t in others],
        "record": record.model_dump(mode="json"),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def csv_cell(value: object) -> str:
    """A value as a CSV cell a spreadsheet will not evaluate: text starting with = + - @ (or a
    tab/CR) gets a leading single quote (OWASP's advice for CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.4f}"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def transcript_csv(meta: SessionMeta, turns: list[TurnRecord],
                   all_turns: list[TurnRecord] | None = None) -> str:
    """One row per turn (row 0 is the client's opening line with the starting state): the kept
    branch (branch 1) first, then every other reply written, with its branch number."""
    record, others = _record(meta, turns, all_turns)
    numbers = branch_of(record)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    start = meta.initial_state
    opening: dict[str, object] = {
        "index": 0, "status": "opening", "created_at": meta.created_at.isoformat(),
        "client_text": meta.opening_line, "resistance": start.resistance,
        "alliance": start.alliance, "stage": start.stage.value, "rupture": start.rupture,
        "voice": meta.voice,
    }
    writer.writerow([csv_cell(opening.get(col)) for col in CSV_COLUMNS])
    for turn in [*sort_turns(turns), *others]:
        row: dict[str, object] = {
            "branch": numbers.get(turn.id, 1),
            "index": turn.index, "turn_id": turn.id, "parent_id": turn.parent_id,
            "status": turn.status,
            "created_at": turn.created_at.isoformat() if turn.created_at else None,
            "trainee_text": turn.trainee_text, "client_text": turn.client_text,
            "voice": turn.voice, "fallback_notice": turn.fallback_notice, "error": turn.error,
        }
        if turn.score is not None:
            for dim in DIMENSIONS:
                row[dim] = turn.score.dimension(dim).present
            row["codes"] = ";".join(hit.code.value for hit in turn.score.codes)
        if turn.state is not None:
            row.update(resistance=turn.state.resistance, alliance=turn.state.alliance,
                       stage=turn.state.stage.value, rupture=turn.state.rupture)
        writer.writerow([csv_cell(row.get(col)) for col in CSV_COLUMNS])
    return buffer.getvalue()


# C0/C1 controls (not tab or newline) and the bidi embeddings, overrides, isolates and marks,
# which can reorder what a reader sees ("Trojan Source"); shown as <U+XXXX> instead
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                     "\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
# Markdown syntax that works anywhere in a line (CommonMark, GFM tables and strikethrough)
_INLINE = re.compile(r"([\\`*_\[\]|~])")
# ... and only at the start of a line: headings, list items, setext underlines (a quote's > is
# an entity by then)
_LINE_START = re.compile(r"^([#+=-]|\d{1,9}(?=[.)](?:\s|$)))")
_AUTOLINK = re.compile(r"(?<=[A-Za-z])(:)(?=//)|(?<=www)(\.)", re.IGNORECASE)


def plain(text: str) -> str:
    """The text with invisible or reordering controls replaced by a visible <U+XXXX>."""
    return _HIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def single_line(text: str) -> str:
    """For header fields and notices: line breaks become spaces, so a display name or a title
    cannot start a heading or a list of its own."""
    return _LINE_BREAKS.sub(" ", text)


def md_escape(text: str) -> str:
    """One line that CommonMark/GFM renders literally, escaping only what would be markup:
    emphasis, code, links, tables, raw HTML (& < > become entities) anywhere; headings, lists
    and quotes at the start; `http://` and `www.` so no link is made. 'court-ordered' and
    '3.5' stay as typed. Controls and bidi overrides are made visible (plain())."""
    escaped = _INLINE.sub(r"\\\1", plain(text))
    escaped = _AUTOLINK.sub(lambda m: "\\" + m.group(), escaped)
    escaped = html.escape(escaped, quote=False)
    body = escaped.lstrip()
    # "#" -> "\#"; "12. " -> "12\. " (the digits stay, the list marker's dot is escaped)
    body = _LINE_START.sub(lambda m: m.group() + "\\" if m.group().isdigit()
                           else "\\" + m.group(), body)
    # leading blanks would start an indented code block; as entities they are plain text
    lead = "".join(f"&#{ord(c)};" for c in escaped[: len(escaped) - len(escaped.lstrip())])
    return lead + body


def _quote(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(f"> {md_escape(line)}".rstrip() for line in lines)


def _figures(turn: TurnRecord) -> str:
    parts: list[str] = []
    if turn.score is not None:
        ticks = ", ".join(
            f"{dim.replace('_', ' ')} {'yes' if turn.score.dimension(dim).present else 'no'}"
            for dim in DIMENSIONS)
        codes = ", ".join(hit.code.value.replace("_", " ") for hit in turn.score.codes)
        parts.append(f"Ratings: {ticks}. Codes: {codes or 'none'}.")
    if turn.state is not None:
        s = turn.state
        parts.append(f"Client state: resistance {s.resistance:.2f}, alliance {s.alliance:.2f}, "
                     f"stage {s.stage.value}{', rupture' if s.rupture else ''}.")
    return " ".join(md_escape(p) for p in parts)


def transcript_markdown(meta: SessionMeta, turns: list[TurnRecord],
                        all_turns: list[TurnRecord] | None = None) -> str:
    """A readable transcript: a header of facts, then each exchange as quoted text, then every
    reply written off the kept branch (rewound branches, failed turns), branch by branch."""
    record, _ = _record(meta, turns, all_turns)
    model = f" ({meta.model})" if meta.model else ""
    ended = meta.ended_at.isoformat() if meta.ended_at else "not ended"
    facts = [
        ("Session", str(meta.id)),
        ("Persona", f"{meta.persona_id} v{meta.persona_version}"),
        ("Trainee", meta.trainee),
        ("Mode", meta.mode),
        ("Voice", meta.voice + model),
        ("Scorer", f"{meta.scorer} {meta.scorer_version}"),
        ("Started", meta.created_at.isoformat()),
        ("Ended", ended),
    ]
    out = [f"# Transcript: {md_escape(single_line(meta.persona_title))}", ""]
    out += [f"- **{label}:** {md_escape(single_line(value))}" for label, value in facts]
    out += [f"- **Replies written:** {record.replies_written} ({record.replies_on_kept_branch} "
            f"on the kept branch, {record.replies_off_kept_branch} elsewhere)"]
    out += ["", "## Opening", "", "**Client**", "", _quote(meta.opening_line), ""]
    out += _exchanges(sort_turns(turns), "##")
    off = [b for b in record.branches if not b.active]
    if off:
        by_id = {t.id: t for t in (all_turns or [])}
        out += ["## Other branches (kept in the record)", "",
                "Replies written on a branch that was left (a rewind) or that failed. They are "
                "not in the figures of the kept branch.", ""]
        for branch in off:
            rupt = "" if branch.ruptures is None else f", ruptures: {branch.ruptures}"
            out += [f"### Branch {branch.number} (leaves the kept branch at turn "
                    f"{branch.diverges_at}{rupt})", ""]
            own = [by_id[i] for i in branch.turn_ids[(branch.diverges_at or 1) - 1:] if i in by_id]
            out += _exchanges(own, "####")
    return "\n".join(out)


def _exchanges(turns: list[TurnRecord], level: str) -> list[str]:
    out: list[str] = []
    for turn in turns:
        out += [f"{level} Turn {turn.index}", "", "**Trainee**", "", _quote(turn.trainee_text), ""]
        if turn.status == "failed":
            reason = f": {md_escape(single_line(turn.error))}" if turn.error else ""
            out += [f"*This turn failed and was not scored{reason}*", ""]
        elif turn.status == "pending":
            out += ["*This turn was still in progress.*", ""]
        if turn.client_text:
            out += ["**Client**", "", _quote(turn.client_text), ""]
        if turn.fallback_notice:
            out += [f"*Notice: {md_escape(single_line(turn.fallback_notice))}*", ""]
        figures = _figures(turn)
        if figures:
            out += [figures, ""]
    return out
