"""Every timestamp the report and the exports give carries its time zone (UTC), on SQLite too,
whose driver hands stored timestamps back without one; the OpenAPI date-time format needs it."""

from __future__ import annotations

import csv
import io
from datetime import datetime


def _aware(value: str) -> bool:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).utcoffset() is not None


def test_report_and_exports_say_utc(api):
    sid = api.owner.start()["id"]
    api.owner.turn(sid, "What brings you here?")
    assert api.owner.post(f"/api/sessions/{sid}/end").status_code == 200
    report = api.owner.get(f"/api/sessions/{sid}/report").json()
    detail = api.owner.get(f"/api/sessions/{sid}").json()
    for value in (report["session"]["created_at"], report["session"]["ended_at"]):
        assert _aware(value), value
    assert report["session"]["created_at"] == detail["created_at"]  # same instant, same text
    doc = api.owner.get(f"/api/sessions/{sid}/transcript?format=json").json()
    stamps = [doc["session"]["created_at"], doc["session"]["ended_at"],
              *(t["created_at"] for t in doc["turns"])]
    assert all(_aware(v) for v in stamps), stamps
    rows = list(csv.DictReader(io.StringIO(
        api.owner.get(f"/api/sessions/{sid}/transcript?format=csv").text)))
    assert all(_aware(row["created_at"]) for row in rows), [r["created_at"] for r in rows]
    md = api.owner.get(f"/api/sessions/{sid}/transcript?format=md").text
    started = next(line for line in md.splitlines() if "Started" in line)
    assert "+00:00" in started, started
