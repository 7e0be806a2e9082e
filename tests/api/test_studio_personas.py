"""The persona studio through its API: drafts (valid or not) and publishing, the loader's own
messages, sessions pinned to the version they started on, the trainee library showing published
versions only, append-only history with diff and restore, export, battery and test-drive."""

from __future__ import annotations

import yaml
from sqlmodel import Session, select

from sim.engine.battery import run_battery
from sim.personas import PersonaError, parse_persona
from sim.studio.personas.models import PersonaVersion

BASE = "/api/studio/personas"


def new_persona(actor, pid="pinned-client", **extra):
    r = actor.post(BASE, json={"id": pid, **extra})
    assert r.status_code == 201, r.text
    return r.json()


def version(actor, pid, number):
    r = actor.get(f"{BASE}/{pid}/versions/{number}")
    assert r.status_code == 200, r.text
    return r.json()


def save(actor, pid, text, **extra):
    return actor.post(f"{BASE}/{pid}/versions", json={"yaml": text, **extra})


def publish(actor, pid, number):
    r = actor.post(f"{BASE}/{pid}/publish", json={"version": number})
    assert r.status_code == 200, r.text
    return r.json()


def marked(text: str, mark: str) -> str:
    """The same persona with every line the scripted voice can say tagged with `mark`."""
    data = yaml.safe_load(text)
    voice = data["voice"]
    voice["opening_line"] = f"{mark} {voice['opening_line']}"
    for stance, lines in voice["lines"].items():
        voice["lines"][stance] = [f"{mark} {line}" for line in lines]
    voice["reactions"] = {}
    for disclosure in data.get("disclosures", []):
        disclosure["line"] = f"{mark} {disclosure['line']}"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def test_blank_is_a_valid_draft_that_trainees_cannot_see(api):
    made = new_persona(api.instructor, "blank-one")
    assert made["head_version"] == 1 and made["head_state"] == "draft" and made["head_valid"]
    assert made["published_version"] is None and made["can_edit"] is True
    v1 = version(api.instructor, "blank-one", 1)
    assert v1["issues"] == [] and v1["data"]["id"] == "blank-one" and v1["data"]["version"] == 1
    assert "blank-one" not in {p["id"] for p in api.owner.get("/api/personas").json()}
    r = api.owner.post("/api/sessions", json={"persona_id": "blank-one"})
    assert r.status_code == 404 and r.json()["error"]["field"] == "persona_id"
    publish(api.instructor, "blank-one", 1)
    assert "blank-one" in {p["id"] for p in api.owner.get("/api/personas").json()}
    assert api.owner.start("blank-one")["persona_version"] == 2


def test_an_invalid_draft_saves_with_the_cli_messages_and_cannot_be_published(api, tmp_path):
    new_persona(api.instructor, "broken-client")
    good = version(api.instructor, "broken-client", 1)["yaml"]
    bad = good.replace("age: 30", "age: eleven").replace("difficulty: introductory",
                                                         "difficulty: impossible")
    r = save(api.instructor, "broken-client", bad, note="half done")
    assert r.status_code == 201, r.text
    saved = r.json()
    assert saved["version"] == 2 and saved["state"] == "draft" and saved["valid"] is False
    # kept as typed, except the version number the studio owns
    assert saved["yaml"] == bad.replace("version: 1", "version: 2")
    assert saved["note"] == "half done" and saved["data"] is None
    # the same lines `sim personas validate broken-client.yaml` prints for this text
    path = tmp_path / "broken-client.yaml"
    path.write_text(bad.replace("version: 1", "version: 2"), encoding="utf-8")
    try:
        parse_persona(path.read_text(), filename="broken-client.yaml", stem="broken-client")
    except PersonaError as exc:
        expected = [str(i) for i in exc.issues]
    assert [i["text"] for i in saved["issues"]] == expected
    assert any(":difficulty:" in t.replace(" ", "") and "impossible" in t for t in expected)
    assert any("client.age" in t for t in expected)
    # the live validator says the same without saving anything
    live = api.instructor.post("/api/studio/validate",
                               json={"yaml": bad, "persona_id": "broken-client"}).json()
    assert live["valid"] is False
    assert [i["field"] for i in live["issues"]] == [i["field"] for i in saved["issues"]]
    # publishing it is refused with every problem named; nothing changes
    r = api.instructor.post(f"{BASE}/broken-client/publish", json={"version": 2})
    assert r.status_code == 422
    message = r.json()["error"]["message"]
    assert all(t in message for t in expected), message
    after = api.instructor.get(f"{BASE}/broken-client").json()
    assert after["head_version"] == 2 and after["published_version"] is None
    # a YAML syntax error is a located issue too, and still saves
    r = save(api.instructor, "broken-client", "id: broken-client\ntitle: [unclosed\n")
    assert r.status_code == 201 and r.json()["issues"][0]["text"].startswith("broken-client.yaml:")


def test_sessions_are_pinned_to_the_version_they_started_on(api):
    new_persona(api.instructor, "pinned-client")
    text = version(api.instructor, "pinned-client", 1)["yaml"]
    assert save(api.instructor, "pinned-client", marked(text, "[one]")).status_code == 201
    first = publish(api.instructor, "pinned-client", 2)["version"]
    old = api.owner.start("pinned-client")
    assert old["persona_version"] == first and old["opening_line"].startswith("[one]")
    api.owner.turn(old["id"], "It sounds like being here was not your idea.")

    assert save(api.instructor, "pinned-client", marked(text, "[two]")).status_code == 201
    second = publish(api.instructor, "pinned-client", first + 1)["version"]
    assert second > first
    # the running session still plays the first version ...
    events = api.owner.turn(old["id"], "What would make this hour useful for you?")
    reply = events[-1]["turn"]["client_text"]
    assert events[-1]["type"] == "result" and reply.startswith("[one]"), reply
    detail = api.owner.get(f"/api/sessions/{old['id']}").json()
    assert detail["persona_version"] == first
    assert all(t["client_text"].startswith("[one]") for t in detail["turns"])
    report = api.owner.get(f"/api/sessions/{old['id']}/report")
    assert report.status_code == 200 and report.json()["session"]["persona_version"] == first
    # ... and a new one plays the second
    new = api.owner.start("pinned-client")
    assert new["persona_version"] == second and new["opening_line"].startswith("[two]")
    events = api.owner.turn(new["id"], "What would make this hour useful for you?")
    assert events[-1]["turn"]["client_text"].startswith("[two]")
    card = api.owner.get("/api/personas/pinned-client").json()
    assert card["version"] == second


def test_history_is_append_only_with_diff_restore_and_export(api):
    new_persona(api.instructor, "history-client")
    v1 = version(api.instructor, "history-client", 1)["yaml"]
    v2_text = v1.replace("name: Sam Example", "name: Alex Example")
    assert save(api.instructor, "history-client", v2_text, note="renamed").status_code == 201

    def rows():
        with Session(api.engine) as db:
            return [r.model_dump(warnings=False) for r in db.exec(select(PersonaVersion).where(
                PersonaVersion.persona_id == "history-client").order_by(PersonaVersion.version))]

    before = rows()
    publish(api.instructor, "history-client", 2)
    r = api.instructor.post(f"{BASE}/history-client/restore", json={"version": 1})
    assert r.status_code == 201
    restored = r.json()
    assert restored["version"] == 4 and restored["state"] == "draft" and restored["based_on"] == 1
    assert restored["note"] == "Restored from v1"
    assert restored["yaml"] == v1.replace("version: 1", "version: 4")
    after = rows()
    assert after[: len(before)] == before  # nothing written earlier changed
    assert [(r["version"], r["state"]) for r in after] == [
        (1, "draft"), (2, "draft"), (3, "published"), (4, "draft")]
    history = api.instructor.get(f"{BASE}/history-client").json()
    assert [v["version"] for v in history["versions"]] == [4, 3, 2, 1]
    assert history["published_version"] == 3 and history["head_version"] == 4

    diff = api.instructor.get(f"{BASE}/history-client/diff",
                              params={"from": 1, "to": 2}).json()
    assert (diff["added"], diff["removed"]) == (2, 2)  # the name, and the version number
    changed = {(line["op"], line["text"].strip())
               for h in diff["hunks"] for line in h["lines"] if line["op"] != "same"}
    assert changed == {("removed", "version: 1"), ("removed", "name: Sam Example"),
                       ("added", "version: 2"), ("added", "name: Alex Example")}
    same = [line for h in diff["hunks"] for line in h["lines"] if line["op"] == "same"]
    assert same and all(line["old_line"] and line["new_line"] for line in same)

    exported = api.instructor.get(f"{BASE}/history-client/export")
    assert exported.status_code == 200
    assert exported.headers["content-disposition"] == 'attachment; filename="history-client.yaml"'
    assert exported.text == version(api.instructor, "history-client", 3)["yaml"]
    assert parse_persona(exported.text, stem="history-client").version == 3


def test_saves_from_a_stale_version_are_refused_and_an_unchanged_save_adds_nothing(api):
    new_persona(api.instructor, "stale-client")
    text = version(api.instructor, "stale-client", 1)["yaml"]
    r = save(api.instructor, "stale-client", text, base_version=1)
    assert r.status_code == 200 and r.json()["version"] == 1  # same text: no new version
    assert save(api.instructor, "stale-client", text + "\n# more\n", base_version=1).status_code \
        == 201
    r = save(api.instructor, "stale-client", text + "\n# mine\n", base_version=1)
    assert r.status_code == 409 and r.json()["error"]["code"] == "stale_version"
    assert api.instructor.get(f"{BASE}/stale-client").json()["head_version"] == 2


def test_copy_takes_any_version_under_a_new_id(api):
    r = api.instructor.post(BASE, json={"id": "my-dylan", "source": "copy",
                                        "copy_of": "silent-adolescent"})
    assert r.status_code == 201, r.text
    copy = version(api.instructor, "my-dylan", 1)
    assert copy["valid"] and copy["data"]["id"] == "my-dylan"
    assert copy["data"]["client"]["name"] == "Dylan Mwangi" and copy["note"].startswith("Copy of")
    r = api.instructor.post(BASE, json={"id": "my-dylan"})
    assert r.status_code == 409 and r.json()["error"]["field"] == "id"
    r = api.instructor.post(BASE, json={"id": "Not A Slug"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "id"


def test_battery_and_test_drive(api):
    new_persona(api.instructor, "drive-client")
    r = api.instructor.post(f"{BASE}/drive-client/versions/1/battery")
    assert r.status_code == 200, r.text
    report = r.json()
    expected = run_battery(parse_persona(version(api.instructor, "drive-client", 1)["yaml"]),
                           api.app.state.runtime.scorer)
    assert report["ok"] == expected.ok and report["failures"] == expected.failures
    assert [run["trainee"] for run in report["runs"]] == ["confrontational", "skilful",
                                                         "repair"]
    for run in report["runs"]:
        states = expected.trajectories[run["trainee"]].states
        assert [p["resistance"] for p in run["points"]] == [s.resistance for s in states]
        assert len(run["replies"]) == len(run["client_replies"]) == len(states) - 1

    r = api.instructor.post(f"{BASE}/drive-client/versions/1/test-drive")
    assert r.status_code == 201
    sid = r.json()["session_id"]
    events = api.instructor.turn(sid, "What brings you here today?")
    assert events[-1]["type"] == "result"
    session = api.instructor.get(f"/api/sessions/{sid}").json()
    assert session["test_drive"] is True and session["persona_version"] == 1
    # not practice: in nobody's progress or session lists
    assert sid not in {s["id"] for s in api.instructor.get("/api/me/progress").json()}
    assert sid not in {s["id"] for s in api.admin.get("/api/sessions").json()}
    # an invalid draft cannot be driven or battery-checked, and says why
    save(api.instructor, "drive-client", "id: drive-client\n")
    for action in ("battery", "test-drive"):
        r = api.instructor.post(f"{BASE}/drive-client/versions/2/{action}")
        assert r.status_code == 422 and "required field is missing" in r.json()["error"]["message"]


def test_the_seed_import_is_idempotent(api, tools):
    from sim.config import REPO_ROOT
    from sim.personas import persona_files

    with Session(api.engine) as db:
        count = len(db.exec(select(PersonaVersion)).all())
    assert count == len(persona_files(REPO_ROOT / "personas")) == 12
    again = tools.Actor(api.app)  # another start-up of the app on the same database
    with Session(api.engine) as db:
        assert len(db.exec(select(PersonaVersion)).all()) == count
    again.close()
