"""The browser modules' pure helpers, run in chromium through a dynamic import (allowed by the
CSP: same origin): evidence segmentation, branch forks, library filters, NDJSON parsing."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def blank(page, base_url):
    """The app's page (its CSP in force), not signed in: the modules are static files."""
    page.goto(f"{base_url}/")
    page.get_by_label("Email").wait_for()
    return page


def test_evidence_segments_cover_the_text_and_mark_overlaps(blank):
    result = blank.evaluate("""async () => {
      const m = await import('/static/js/coach.js');
      const text = 'You feel stuck, and what would help?';
      return m.segments(text, [
        {start: 0, end: 14, tag: 'validation'},
        {start: 9, end: 36, tag: 'curiosity'},
        {start: 40, end: 90, tag: 'confrontation'},
        {start: 5, end: 5, tag: 'process_comment'},
      ]);
    }""")
    assert "".join(s["text"] for s in result) == "You feel stuck, and what would help?"
    tags = [(s["text"], s["tags"]) for s in result]
    assert tags == [
        ("You feel ", ["validation"]),
        ("stuck", ["validation", "curiosity"]),
        (", and what would help?", ["curiosity"]),
    ]


def test_highlighted_reply_is_text_nodes_only(blank):
    html = blank.evaluate("""async () => {
      const m = await import('/static/js/coach.js');
      const p = document.createElement('p');
      p.append(...m.highlighted('<b>hi</b> there', [{start: 0, end: 9, tag: 'validation'}]));
      return [p.innerHTML, p.textContent, p.querySelectorAll('b').length];
    }""")
    marked = '<mark class="ev ev-validation" title="Validation">&lt;b&gt;hi&lt;/b&gt;</mark>'
    assert html == [f"{marked} there", "<b>hi</b> there", 0]


def test_why_it_moved_drops_the_amount_the_badge_already_shows(blank):
    shown = blank.evaluate("""async () => {
      const m = await import('/static/js/coach.js');
      return [
        m.withoutAmount("confront hit 'identity_threat' (cognitive): +0.12 resistance"),
        m.withoutAmount("process comment repaired the rupture: -0.08 alliance"),
        m.withoutAmount("disclosed 'two-cups' (alliance 0.62 >= 0.6)"),
      ];
    }""")
    assert shown == [
        "confront hit 'identity_threat' (cognitive)",
        "process comment repaired the rupture",
        "disclosed 'two-cups' (alliance 0.62 >= 0.6)",
    ]


def test_fork_index_and_library_filters(blank):
    out = blank.evaluate("""async () => {
      const b = await import('/static/js/branches.js');
      const l = await import('/static/js/library.js');
      const p = {title: 'Dylan', summary: 'Sent by school', stage: 'precontemplation',
                 driver_kinds: ['relational'], difficulty: 'advanced', tags: ['adolescent'],
                 client: {presenting_concern: 'school refusal'}};
      return [b.forkIndex([1, 2, 3], [1, 2, 7, 8]), b.forkIndex([], [4]), b.forkIndex([5], [6]),
              l.matches(p, {}), l.matches(p, {stage: 'contemplation'}),
              l.matches(p, {driver: 'relational', difficulty: 'advanced', tag: 'adolescent'}),
              l.matches(p, {text: 'REFUSAL'}), l.matches(p, {tag: 'grief'})];
    }""")
    assert out == [2, 0, 0, True, False, True, True, False]


def test_stream_reader_splits_lines_across_chunks(blank, base_url):
    events = [{"type": "turn", "turn_id": 7, "branch_of": None},
              {"type": "token", "text": "Dunno "}, {"type": "token", "text": "— maybe. "},
              {"type": "result", "turn": {"id": 7}}]
    body = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events)
    blank.route("**/fake-stream", lambda route: route.fulfill(
        status=200, content_type="application/x-ndjson", body=body.encode()))
    seen = blank.evaluate("""async () => {
      const s = await import('/static/js/stream.js');
      const got = [];
      const last = await s.streamTurn('/fake-stream', {text: 'x'}, (e) => got.push(e));
      return [got, last];
    }""")
    assert seen[0] == events
    assert seen[1] == events[-1]


def test_stream_without_a_final_event_reports_a_cut(blank):
    blank.route("**/cut-stream", lambda route: route.fulfill(
        status=200, content_type="application/x-ndjson",
        body='{"type":"turn","turn_id":3}\n{"type":"token","text":"Wh'))
    last = blank.evaluate("""async () => {
      const s = await import('/static/js/stream.js');
      return s.streamTurn('/cut-stream', {}, () => {});
    }""")
    assert last["type"] == "error"
