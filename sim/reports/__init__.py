"""Session reports and transcript exports: pure functions over persisted session data.

The API fills SessionMeta and TurnRecord from its tables and calls these; no FastAPI or SQL here.
"""
