"""Administrators: invite one person or many (CSV) by one-time link, list and withdraw
invitations. An invitation makes no account until the invitee sets their password."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response
from sqlmodel import Field, Session, SQLModel, col, select

from sim.admin import csvimport
from sim.admin.links import expiry, invite_public, new_token, pending_invite, status, user_names
from sim.admin.models import HOURS_MAX, Invite, InviteCreate, InviteLink, InvitePublic, LinkStatus
from sim.deps import AdminUser, IdPath, SessionDep
from sim.errors import Conflict, Invalid, NotFound, responses
from sim.models import Role, User, utcnow
from sim.security.sessions import find_user_by_email

router = APIRouter(prefix="/api/admin/invites", tags=["admin"])


def why_taken(db: Session, email: str) -> str | None:
    """Why this address cannot be invited, or None."""
    if find_user_by_email(db, email) is not None:
        return f"an account for {email} already exists"
    pending = pending_invite(db, email)
    if pending is not None:
        return (f"{email} already has a pending invitation (until "
                f"{pending.expires_at:%Y-%m-%d}); withdraw it first to invite again")
    return None


def make_invite(db: Session, admin: User, email: str, name: str, role: Role, hours: int
                ) -> tuple[Invite, str]:
    token, hashed = new_token()
    row = Invite(email=email, display_name=name, role=role, token_hash=hashed,
                 created_by=admin.id, expires_at=expiry(hours))
    db.add(row)
    return row, f"/#/invite/{token}"


@router.post("", status_code=201, response_model=InviteLink,
             responses=responses(401, 403, 409, 422))
def invite(body: InviteCreate, admin: AdminUser, db: SessionDep) -> InviteLink:
    """Invites one person; the link (shown once) lets them set their password and sign in."""
    why = why_taken(db, body.email)
    if why:
        raise Conflict(why[0].upper() + why[1:] + ".", field="email", code="email_taken")
    row, link = make_invite(db, admin, body.email, body.display_name, body.role,
                            body.expires_in_hours)
    db.flush()
    return InviteLink(invite=invite_public(row, {admin.id or 0: admin.display_name}), link=link)


@router.get("", response_model=list[InvitePublic], responses=responses(401, 403, 422))
def invites(_: AdminUser, db: SessionDep, state: LinkStatus | None = Query(
        default="pending", alias="status", description="pending (default), used, expired, "
        "revoked")) -> list[InvitePublic]:
    rows = [r for r in db.exec(select(Invite).order_by(col(Invite.id).desc()))
            if state is None or status(r) == state]
    names = user_names(db, {r.created_by for r in rows if r.created_by})
    return [invite_public(r, names) for r in rows]


@router.delete("/{invite_id}", status_code=204, responses=responses(401, 403, 404, 409, 422))
def revoke(invite_id: IdPath, _: AdminUser, db: SessionDep) -> Response:
    """Withdraws a pending invitation: its link stops working."""
    row = db.get(Invite, invite_id)
    if row is None:
        raise NotFound(f"No invitation {invite_id}.")
    if status(row) != "pending":
        raise Conflict(f"This invitation is {status(row)}; only a pending one can be withdrawn.",
                       code="not_pending")
    row.revoked_at = utcnow()
    db.add(row)
    return Response(status_code=204)


class CsvIn(SQLModel):
    csv: str = Field(max_length=2_000_000, description=(
        "UTF-8 CSV text; header row with email, display_name (or name) and optionally role"))
    expires_in_hours: int = Field(default=7 * 24, ge=1, le=HOURS_MAX)


class CsvProblem(SQLModel):
    row: int
    field: str
    message: str


class CsvCheck(SQLModel):
    valid: bool
    people: int
    errors: list[CsvProblem]


class CsvInvited(SQLModel):
    row: int
    email: str
    display_name: str
    role: Role
    link: str


class CsvImported(SQLModel):
    invited: list[CsvInvited]


@router.post("/import/check", response_model=CsvCheck, responses=responses(401, 403, 422))
def check_csv(body: CsvIn, _: AdminUser, db: SessionDep) -> CsvCheck:
    """Checks a CSV without inviting anyone: every problem with its row, field and what is
    allowed."""
    people, errors = csvimport.parse(body.csv, lambda e: why_taken(db, e))
    return CsvCheck(valid=not errors, people=len(people),
                    errors=[CsvProblem(row=e.row, field=e.field, message=e.message)
                            for e in errors])


@router.post("/import", status_code=201, response_model=CsvImported,
             responses=responses(401, 403, 422))
def import_csv(body: CsvIn, admin: AdminUser, db: SessionDep) -> CsvImported:
    """Invites everyone in the CSV in one transaction, or nobody: any bad row is a 422
    `csv_invalid` whose message lists every problem, one per line ("row N, field: ...")."""
    people, errors = csvimport.parse(body.csv, lambda e: why_taken(db, e))
    if errors:
        lines = "\n".join(e.line() for e in errors)
        raise Invalid(f"Nothing was imported: {len(errors)} problem(s) in the file.\n{lines}",
                      field="csv", code="csv_invalid")
    out = []
    for p in people:
        _, link = make_invite(db, admin, p.email, p.display_name, p.role, body.expires_in_hours)
        out.append(CsvInvited(row=p.row, email=p.email, display_name=p.display_name,
                              role=p.role, link=link))
    db.flush()
    return CsvImported(invited=out)
