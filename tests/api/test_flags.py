"""Safety review: abuse toward the client is flagged in the turn, the report and for
instructors (GET /api/flags); trainees cannot list flags."""

from __future__ import annotations


def test_abuse_is_flagged_for_instructors_and_in_the_report(api):
    sid = api.owner.start("silent-adolescent")["id"]
    api.owner.turn(sid, "Thanks for coming in today.")
    events = api.owner.turn(sid, "Shut up and stop whining, you're pathetic.")
    result = [e for e in events if e.get("type") == "result"][-1]["turn"]
    assert any(c["quantity"] == "flag" and c["move"] == "abuse" for c in result["changes"])
    assert result["state"]["rupture"] is True

    flags = api.instructor.get("/api/flags")
    assert flags.status_code == 200
    mine = [f for f in flags.json() if f["session_id"] == sid]
    assert len(mine) == 1 and mine[0]["kinds"] == ["abuse"] and mine[0]["turn_index"] == 2
    assert "pathetic" in mine[0]["reply"] and mine[0]["trainee"]
    assert api.owner.get("/api/flags").status_code == 403

    report = api.owner.get(f"/api/sessions/{sid}/report").json()
    assert [f["kind"] for f in report["flags"]] == ["abuse"]
    assert report["risk"] is None or report["risk"]["level"] == "harmed_by_other"


def test_a_session_without_flags_lists_nothing(api):
    sid = api.owner.start("silent-adolescent")["id"]
    api.owner.turn(sid, "What would you like to talk about?")
    flags = api.admin.get("/api/flags?limit=5").json()
    assert all(f["session_id"] != sid for f in flags)
    assert api.admin.get("/api/flags?limit=0").status_code == 422


def test_an_instructor_sees_only_the_flags_of_trainees_they_review(api, tools, monkeypatch):
    """The list follows the review scope (sim/studio/scope.py): an instructor whose scope leaves
    the owner out sees none of the owner's flags; an admin's own practice is never listed for
    an instructor."""
    from sqlmodel import false, select

    from sim.models import User
    from sim.studio import scope

    tools.seed_user(api.engine, "outsider@example.org", "instructor")
    outsider = tools.Actor(api.app).login("outsider@example.org")
    everyone = scope.visible_trainees
    monkeypatch.setattr(scope, "visible_trainees", lambda db, who: select(User.id).where(false())
                        if who.id == outsider.user["id"] else everyone(db, who))
    sid = api.owner.start("silent-adolescent")["id"]
    api.owner.turn(sid, "Shut up and stop whining, you're pathetic.")
    own = api.admin.start("silent-adolescent")["id"]
    api.admin.turn(own, "Shut up and stop whining, you're pathetic.")
    assert [f["session_id"] for f in api.instructor.get("/api/flags").json()] == [sid]
    assert outsider.get("/api/flags").json() == []
    assert {f["session_id"] for f in api.admin.get("/api/flags").json()} == {sid, own}
