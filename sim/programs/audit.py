"""The audit log: who viewed or exported which record (append-only, see records.py)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from sim.models import User
from sim.programs.records import AuditEvent


def audit(db: Session, actor: User | None, action: str, object_type: str, object_id: Any,
          subject_user_id: int | None = None, detail: dict[str, Any] | None = None) -> None:
    db.add(AuditEvent(actor_id=actor.id if actor else None, action=action,
                      object_type=object_type, object_id=str(object_id)[:64],
                      subject_user_id=subject_user_id, detail=detail or {}))
