"""The wings' pure browser helpers, run in chromium through a dynamic import (the CSP allows
same-origin modules): menus and page permissions per role, the final codes of a verdict, the
verdict summary, and the links CSV of an import (quotes doubled)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def blank(page, base_url):
    page.goto(f"{base_url}/")
    page.get_by_label("Email").wait_for()
    return page


def test_menus_homes_and_permissions(blank):
    got = blank.evaluate("""async () => {
      const m = await import('/static/js/menu.js');
      const routes = (role) => m.menuFor(role).map((i) => i.route);
      return {
        trainee: routes('trainee'), instructor: routes('instructor'), admin: routes('admin'),
        unknown: routes('visitor'),
        homes: ['trainee', 'instructor', 'admin', 'visitor'].map(m.homeFor),
        allowed: [['users', 'admin'], ['users', 'instructor'], ['review', 'trainee'],
                  ['review', 'instructor'], ['library', 'trainee'], ['account', 'trainee']]
          .map(([r, role]) => m.allowed(r, role)),
        returnable: ['/review/3', '/users', '/invite/abc', '/login']
          .map((p) => m.RETURNABLE.test(p)),
      };
    }""")
    assert got["trainee"] == ["library", "progress", "assignments", "privacy", "account"]
    assert got["instructor"] == ["review", "agreement", "flags", "studio", "programs", "library",
                                 "progress", "account"]
    assert got["admin"] == ["users", "import", "programs", "lti", "review", "agreement", "flags",
                            "studio", "account"]
    assert got["unknown"] == got["trainee"]
    assert got["homes"] == ["library", "review", "users", "library"]
    assert got["allowed"] == [True, False, False, True, True, True]
    # a sign-in never returns to a one-time link (its token would sit in session storage)
    assert got["returnable"] == [True, True, False, False]


def test_final_codes_and_verdict_text(blank):
    got = blank.evaluate("""async () => {
      const r = await import('/static/js/studio/review-rating.js');
      return {
        keep: r.finalCodes(['question_open'], {}, []),
        drop: r.finalCodes(['question_open', 'affirm'], {affirm: 'absent'}, []),
        swap: r.finalCodes(['reflection_simple'], {reflection_simple: 'reflection_complex'},
                           ['affirm']),
        dedupe: r.finalCodes(['affirm', 'question_open'], {question_open: 'affirm'}, ['affirm']),
        view: r.aiView({validation: {present: true, level: 'high'},
                        curiosity: {present: false, level: 'none'},
                        codes: [{code: 'affirm'}, {code: 'affirm'}, {code: 'question_open'}]}),
        none: r.verdictText(null),
        agreed: r.verdictText({agreed_dimensions: {validation: true},
                               agreed_codes: {affirm: true}}),
        changed: r.verdictText({agreed_dimensions: {validation: false, curiosity: true},
                                agreed_codes: {affirm: false}}),
      };
    }""")
    assert got["keep"] == ["question_open"]
    assert got["drop"] == ["question_open"]
    assert got["swap"] == ["reflection_complex", "affirm"]
    assert got["dedupe"] == ["affirm"]
    assert got["view"]["dims"]["validation"] == {"present": True, "level": 3}
    assert got["view"]["dims"]["process_comment"] == {"present": False, "level": 0}
    assert got["view"]["codes"] == ["affirm", "question_open"]
    assert got["none"] == "Not rated yet"
    assert got["agreed"] == "Agrees with the AI"
    assert got["changed"] == "Changed: Validation, Affirm"


def test_links_csv_quotes_every_field(blank, base_url):
    text = blank.evaluate("""async () => {
      const m = await import('/static/js/admin/import.js');
      return m.linksCsv([{email: 'a@example.org', display_name: 'Ortiz, "Cy"', role: 'trainee',
                          link: '/#/invite/tok'}]);
    }""")
    assert text == ('email,display_name,role,link\r\n'
                    f'"a@example.org","Ortiz, ""Cy""","trainee","{base_url}/#/invite/tok"\r\n')
