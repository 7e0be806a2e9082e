"""A phone and a desktop in chromium: the coach's meter and a rupture in view while typing, a
one-row header, a progress table and a chart that fit and read (item 15); a library that is
compact, sortable, offers to continue, and keeps the coach/exam choice by the Start buttons
(16); labels, turning points, static delivery and module loading (17)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
JS = Path(__file__).resolve().parents[2] / "frontend" / "js"
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def in_view(page, selector: str) -> bool:
    return page.evaluate("""(sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""", selector)


def test_on_a_phone_the_meter_and_a_rupture_stay_in_view_while_typing(app, page, base_url):
    page.set_viewport_size(PHONE)
    app.sign_in()
    header = page.locator(".topbar").bounding_box()
    assert header and header["height"] <= 64, f"header is {header} tall (three rows before)"
    page.goto(f"{base_url}/#/library")
    page.locator("#mode-coach").check()
    page.locator('[data-start="silent-adolescent"]').click()
    page.locator("#reply").wait_for()
    app.send("You need to stop making excuses and just do what you are told.")
    page.locator("#reply").focus()
    page.locator("#composer").scroll_into_view_if_needed()
    assert in_view(page, "#reply")
    assert in_view(page, "#meter .meter-row"), "the meter must be on screen above the reply box"
    assert in_view(page, "#coach .rupture")
    coach = page.locator("#coach").bounding_box()
    composer = page.locator("#composer").bounding_box()
    assert coach and composer and coach["y"] < composer["y"]
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.get_by_role("button", name="End session and see report").click()
    page.locator("#r-curve-block svg.chart").wait_for()
    label_px = page.evaluate("""() => Math.min(...[...document.querySelectorAll(
      '#r-curve-block svg.chart .axis-label')].map((t) => t.getBoundingClientRect().height))""")
    assert label_px >= 10, f"chart labels are {label_px:.1f} px tall on a phone (about 5 before)"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.goto(f"{base_url}/#/progress")
    page.locator("#progress-table").wait_for()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    wrap = page.locator(".table-wrap")
    assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("role") == "region"


@pytest.mark.parametrize(("viewport", "most"), [
    ({"width": 1280, "height": 860}, 3000), (PHONE, 9000)], ids=["desktop", "phone"])
def test_the_library_is_compact(app, page, viewport, most):
    """Before: 7,300 px on a desktop (about 1,800 px a card), 23,700 px on a phone."""
    page.set_viewport_size(viewport)
    app.sign_in()
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height <= most, f"library is {height} px tall"
    cards = page.locator("article.persona")
    tallest = max(c.bounding_box()["height"] for c in cards.all())
    assert tallest <= 560, f"a card is {tallest} px tall"
    first = cards.first
    assert first.locator("dl.facts").is_hidden()  # the details fold out on demand
    first.locator("summary").click()
    assert first.locator("dl.facts").is_visible() and first.locator("ul.objectives li").count()


def test_the_mode_choice_stays_by_the_start_buttons(app, page):
    app.sign_in()
    choice = page.locator("#mode-choice").bounding_box()
    first = page.locator("article.persona").first.bounding_box()
    assert choice and first and 0 <= first["y"] - (choice["y"] + choice["height"]) <= 120
    page.locator("article.persona").last.scroll_into_view_if_needed()
    assert in_view(page, "#mode-choice"), "the choice scrolls along with the list"


def test_sort_and_continue_where_you_left_off(app, page, base_url):
    app.sign_in()
    page.get_by_label("Sort by").select_option("difficulty")
    order = ["introductory", "intermediate", "advanced"]
    shown = [c.locator(".chips li").first.inner_text().lower()
             for c in page.locator("article.persona").all()]
    assert [order.index(d) for d in shown] == sorted(order.index(d) for d in shown)
    assert page.locator("#continue").count() == 0  # nothing open yet
    sid = app.start("exam")
    app.send("What brings you here today?")
    page.goto(f"{base_url}/#/library")
    resume = page.locator(f'#continue [data-continue="{sid}"]')
    resume.wait_for()
    assert "Exam mode · 1 reply so far" in page.locator("#continue").inner_text()
    resume.click()
    page.wait_for_url(f"{base_url}/#/session/{sid}")
    page.locator("#transcript .msg-trainee").first.wait_for()


def test_tag_labels_and_stacked_turning_points(app, page):
    app.sign_in()
    options = page.locator("#filter-tag option").all_inner_texts()
    assert "ADHD suspected" in options and "CBT" in options
    assert not any(o in options for o in ("Adhd suspected", "Cbt"))
    boxes = page.evaluate("""async () => {
      const m = await import('/static/js/chart.js');
      const svg = m.lineChart({title: 't', series: [{name: 'r', cls: 's-resistance',
        points: [{x: 1, y: 0.5}, {x: 2, y: 0.7}, {x: 3, y: 0.4}]}],
        markers: [{x: 2, label: 'Rupture', kind: 'rupture'},
                  {x: 2, label: 'Repair', kind: 'repair'}]});
      document.querySelector('main').append(svg);
      return [...svg.querySelectorAll('.marker-label')].map((t) => {
        const r = t.getBoundingClientRect(); return [r.top, r.bottom]; });
    }""")
    (top1, bottom1), (top2, bottom2) = boxes
    assert bottom1 <= top2 or bottom2 <= top1, f"labels overlap: {boxes}"


def test_static_files_are_compressed_revalidated_and_preloaded(page, base_url):
    r = page.request.get(f"{base_url}/static/js/chat.js", headers={"accept-encoding": "gzip"})
    assert r.status == 200 and r.headers["content-encoding"] == "gzip"
    assert r.headers["cache-control"] == "no-cache" and r.headers["etag"]
    again = page.request.get(f"{base_url}/static/js/chat.js",
                             headers={"if-none-match": r.headers["etag"]})
    assert again.status == 304
    page.goto(f"{base_url}/")
    page.get_by_label("Email").wait_for()
    preloads = page.evaluate("""() => [...document.querySelectorAll('link[rel=modulepreload]')]
      .map((l) => new URL(l.href).pathname)""")
    fetched = set(page.evaluate("""() => performance.getEntriesByType('resource')
      .filter((e) => e.name.includes('/static/js/')).map((e) => new URL(e.name).pathname)"""))
    # every module the app loads is declared up front, so the browser asks for all of them at
    # once instead of discovering imports wave by wave
    assert fetched and fetched <= set(preloads), f"not preloaded: {fetched - set(preloads)}"
    # the wings' folders too, except the persona editor: the studio imports it on demand
    # (with its 1.8 MB of vendored CodeMirror and YAML) so no trainee's page loads it
    lazy = {"persona-editor.js", "persona-form.js", "persona-battery.js", "persona-history.js",
            "yaml-edit.js", "yaml-editor.js"}
    assert set(preloads) == {f"/static/js/{p.relative_to(JS).as_posix()}"
                             for p in JS.rglob("*.js") if p.name not in lazy}
    assert not fetched & {f"/static/js/studio/{name}" for name in lazy}
