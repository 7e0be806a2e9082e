"""Transcript exports: JSON round-trip, CSV quoting and formula guard, Markdown escaping."""

from __future__ import annotations

import csv
import html as html_lib
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from sim.reports.inputs import SessionMeta, TurnRecord
from sim.reports.transcript import (
    CSV_COLUMNS,
    csv_cell,
    md_escape,
    plain,
    transcript_csv,
    transcript_json,
    transcript_markdown,
)

XSS = "<img src=x onerror=alert(1)>"
NASTY = [
    "=HYPERLINK(\"http://evil\",\"click\")",
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
    "    four spaces\n\n```\ncode fence",
    'She said "no", then left;\nnew line, comma',
    XSS,
    "**bold** # not a heading\n# heading\n> quote\n1. list\n- item\n[link](javascript:alert(1))",
]


def _with_texts(turns: list[TurnRecord]) -> list[TurnRecord]:
    out = list(turns)
    for n, text in enumerate(NASTY):
        out[n % len(out)] = out[n % len(out)].model_copy(
            update={"trainee_text": text, "client_text": NASTY[-1 - n]})
        if n + 1 == len(out):
            break
    return out


def test_json_round_trip(meta, turns):
    doc = json.loads(transcript_json(meta, turns))
    assert doc["format"] == "resistance-sim.transcript/1"
    assert SessionMeta.model_validate(doc["session"]) == meta
    assert [TurnRecord.model_validate(t) for t in doc["turns"]] == turns


def test_json_keeps_failed_turn_text(meta, turns):
    doc = json.loads(transcript_json(meta, turns))
    failed = doc["turns"][1]
    assert failed["status"] == "failed" and failed["trainee_text"] == (
        "Let me put that differently.") and failed["score"] is None


def test_csv_rows_and_values(meta, turns):
    rows = list(csv.DictReader(io.StringIO(transcript_csv(meta, turns))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [r["index"] for r in rows] == ["0", "1", "2", "3", "4", "5"]
    opening, first, failed = rows[0], rows[1], rows[2]
    assert opening["status"] == "opening" and opening["client_text"] == meta.opening_line
    assert opening["resistance"] == "0.5500" and opening["stage"] == "precontemplation"
    assert first["confrontation"] == "1" and first["validation"] == "0"
    assert first["codes"] == "confront" and first["rupture"] == "1"
    assert first["resistance"] == "0.7100" and first["alliance"] == "0.2200"
    assert rows[3]["codes"] == "process_comment;question_open"
    assert rows[5]["stage"] == "contemplation"
    assert failed["status"] == "failed" and failed["error"] == "voice timed out"
    assert failed["confrontation"] == "" and failed["resistance"] == ""


@pytest.mark.parametrize("text", NASTY)
def test_csv_quoting_round_trip_and_formula_guard(meta, turns, text):
    turns[0] = turns[0].model_copy(update={"trainee_text": text, "client_text": text})
    row = list(csv.DictReader(io.StringIO(transcript_csv(meta, turns))))[1]
    dangerous = text.startswith(("=", "+", "-", "@", "\t", "\r"))
    expected = "'" + text if dangerous else text
    assert row["trainee_text"] == expected and row["client_text"] == expected


def test_csv_cell_rules():
    assert csv_cell(None) == "" and csv_cell(True) == "1" and csv_cell(0.5) == "0.5000"
    assert csv_cell("-1") == "'-1" and csv_cell("ok - fine") == "ok - fine"


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def test_markdown_escapes_xss_and_markup(meta, turns):
    turns = _with_texts(turns)
    meta = meta.model_copy(update={"persona_title": f"**Title** {XSS}", "trainee": "# Eve"})
    md = transcript_markdown(meta, turns)
    rendered = _html(md)
    assert "<img" not in rendered and "<a " not in rendered
    assert rendered.count("<strong>") == md.count("**") // 2  # only the labels we wrote
    assert "<h1>" in rendered and rendered.count("<h1>") == 1  # just the title heading
    assert "<ol>" not in rendered
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered  # shown as text
    assert "**bold**" in rendered and "# heading" in rendered


@pytest.mark.parametrize("text", NASTY)
def test_md_escape_renders_back_to_the_same_text(text):
    for line in text.split("\n"):
        html = _html(md_escape(line)).strip()
        if not line.strip():
            continue
        assert html.startswith("<p>") and html.endswith("</p>"), html
        assert html_lib.unescape(html[3:-4]) == line.rstrip()


def test_markdown_structure(meta, turns):
    md = transcript_markdown(meta, turns)
    assert md.startswith("# Transcript: Marcus, 52, sent by his GP\n")
    for n in range(1, 6):
        assert f"\n## Turn {n}\n" in md
    assert "*This turn failed and was not scored: voice timed out*" in md
    assert "Client state: resistance 0.71, alliance 0.22, stage precontemplation, " in md


def test_empty_session_exports(meta):
    assert json.loads(transcript_json(meta, []))["turns"] == []
    assert len(list(csv.reader(io.StringIO(transcript_csv(meta, []))))) == 2
    assert "## Opening" in transcript_markdown(meta, []) and "## Turn" not in (
        transcript_markdown(meta, []))


LINE = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
               | st.sampled_from("\t \u00a0\u2003"),
               min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(LINE)
def test_md_escape_property_any_line_is_plain_text(line):
    """Whatever one line holds, it renders as one paragraph showing exactly that text."""
    if not line.strip():
        return
    rendered = _html(md_escape(line)).strip()
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    inner = rendered[3:-4]
    assert "<" not in inner, rendered  # no tag of any kind inside the paragraph
    assert html_lib.unescape(inner) == plain(line).rstrip()


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_csv_property_any_text_round_trips(meta, turns, text):
    turns = [turns[0].model_copy(update={"trainee_text": text})]
    row = list(csv.DictReader(io.StringIO(transcript_csv(meta, turns), newline="")))[1]
    guarded = "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
    assert row["trainee_text"] == guarded


def test_markdown_does_not_escape_ordinary_text():
    """Before: every - . : ( ) ! was escaped ('court\\-ordered', 'Started: 2026\\-11\\-30')."""
    for text in ("A court-ordered referral (third one).", "It's 3.5 hours away!",
                 "Ratio: 1:2, maybe 50% = fine", "2026-11-30T03:38:32+00:00"):
        assert md_escape(text) == text
        assert html_lib.unescape(_html(md_escape(text)).strip()[3:-4]) == text
    assert md_escape("12. first") == "12\\. first" and md_escape("1.5 sessions") == "1.5 sessions"
    assert md_escape("see https://x.example") == "see https\\://x.example"


def test_markdown_shows_controls_and_bidi_overrides(meta, turns):
    """Control characters and bidi overrides would hide or reorder text in a viewer."""
    tricky = "I said \u202egnikool ton\u202c and \u2066x\u2069, then\x1b[2J\x07 left"
    turns = [turns[0].model_copy(update={"trainee_text": tricky})]
    md = transcript_markdown(meta, turns)
    for ch in "\u202e\u202c\u2066\u2069\x1b\x07":
        assert ch not in md
    assert "&lt;U+202E&gt;gnikool ton&lt;U+202C&gt;" in md
    assert "then&lt;U+001B&gt;\\[2J&lt;U+0007&gt; left" in md


def test_a_display_name_with_line_breaks_stays_on_its_line(meta):
    meta = meta.model_copy(update={"trainee": "Eve\n# Owned\r\n- item", "persona_title": "A\nB"})
    md = transcript_markdown(meta, [])
    assert "- **Trainee:** Eve # Owned - item\n" in md
    assert md.startswith("# Transcript: A B\n")
    rendered = _html(md)
    assert rendered.count("<h1>") == 1 and "<h1>Owned" not in rendered
