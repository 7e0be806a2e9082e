"""Enrolment by CSV: every row is checked before anything is written, so a file with one bad
row imports nothing, and the error names the row (as a spreadsheet numbers it, the header
being row 1) and the field, what was wrong and what is allowed."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from sim.errors import Invalid
from sim.models import Role, User
from sim.programs.attempts import now
from sim.programs.models import Enrolment
from sim.programs.models_extra import Activation
from sim.security.policy import check_email

MAX_ROWS = 5000
COLUMNS = ("email", "display_name")
ACTIVATION_DAYS = 14


@dataclass
class Row:
    line: int
    email: str
    display_name: str


def parse(text: str) -> list[Row]:
    """The rows, or Invalid listing every problem (first one in `field`)."""
    if text.startswith("\ufeff"):
        text = text[1:]  # a spreadsheet's byte-order mark
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise Invalid("The CSV is empty; its first row must be the header email,display_name.",
                      field="csv") from None
    except csv.Error as exc:
        raise Invalid(f"Row 1: not readable as CSV ({exc}).", field="csv.row1") from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise Invalid(f"Row 1 (header): missing column(s) {', '.join(missing)}; the header must "
                      f"name email and display_name (found: {', '.join(header) or 'nothing'}).",
                      field="csv.row1")
    rows: list[Row] = []
    problems: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append((f"csv.row{number}", f"Row {number}: has {len(cells)} cells, the "
                                 f"header has {len(header)}; quote values that contain commas."))
                continue
            value = dict(zip(header, cells, strict=True))
            email, name = value["email"].strip(), value["display_name"].strip()
            try:
                email = check_email(email)
            except ValueError as exc:
                problems.append((f"csv.row{number}.email", f"Row {number}, field email: {exc}."))
            if not name or len(name) > 120 or "\x00" in name:
                problems.append((f"csv.row{number}.display_name",
                                 f"Row {number}, field display_name: must be 1-120 characters "
                                 f"(got {len(name)})."))
            if email in seen:
                problems.append((f"csv.row{number}.email", f"Row {number}, field email: "
                                 f"{email} already appears in row {seen[email]}."))
            seen.setdefault(email, number)
            rows.append(Row(number, email, name))
            if len(rows) > MAX_ROWS:
                raise Invalid(f"The CSV has more than {MAX_ROWS} rows; split it.", field="csv")
    except csv.Error as exc:
        problems.append((f"csv.row{reader.line_num}",
                         f"Row {reader.line_num}: not readable as CSV ({exc})."))
    if problems:
        shown = " ".join(p[1] for p in problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        raise Invalid(f"{len(problems)} problem(s); nothing was imported. {shown}{more}",
                      field=problems[0][0])
    if not rows:
        raise Invalid("The CSV has a header but no rows.", field="csv")
    return rows


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def enrol_rows(db: Session, cohort_id: int, rows: list[Row]) -> dict[str, object]:
    """Enrols every row (new accounts are trainees with an activation link, 14 days). Existing
    staff accounts are refused, so nobody is enrolled as a trainee by mistake."""
    emails = [r.email for r in rows]
    existing = {u.email: u for u in db.exec(select(User).where(User.email.in_(emails)))}  # type: ignore[attr-defined]
    for row in rows:
        user = existing.get(row.email)
        if user is not None and user.role != Role.TRAINEE:
            raise Invalid(f"Row {row.line}, field email: {row.email} is an {user.role} account; "
                          "only trainees are enrolled. Nothing was imported.",
                          field=f"csv.row{row.line}.email")
    created, enrolled, already = [], 0, 0
    for row in rows:
        user = existing.get(row.email)
        if user is None:
            user = User(email=row.email, display_name=row.display_name, role=Role.TRAINEE,
                        password_hash="!activation-pending")
            db.add(user)
            db.flush()
            token = secrets.token_urlsafe(24)
            db.add(Activation(token_hash=token_hash(token), user_id=user.id or 0,
                              expires_at=now() + timedelta(days=ACTIVATION_DAYS)))
            created.append({"row": row.line, "email": row.email,
                            "activation_path": f"/#/activate/{token}"})
        if db.get(Enrolment, (cohort_id, user.id)) is None:
            db.add(Enrolment(cohort_id=cohort_id, user_id=user.id or 0, via="csv"))
            enrolled += 1
        else:
            already += 1
    db.flush()
    return {"rows": len(rows), "enrolled": enrolled, "already_enrolled": already,
            "accounts_created": created}
