"""Session reports and transcript exports: pure functions over persisted session data.

The API fills SessionMeta and TurnRecord from its tables and calls these; no FastAPI or SQL here.
"""

from sim.reports.inputs import SessionMeta, TurnRecord
from sim.reports.report import Report, build_report, objectives_met
from sim.reports.transcript import transcript_csv, transcript_json, transcript_markdown

__all__ = [
    "Report", "SessionMeta", "TurnRecord", "build_report", "objectives_met", "transcript_csv",
    "transcript_json", "transcript_markdown",
]
