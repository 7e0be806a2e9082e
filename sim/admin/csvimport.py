"""Bulk invitations from a CSV file: parse and check every row, report every problem with its
row number, field and what is allowed, and hand back the rows only when all of them are good
(the caller then invites them in one transaction: nothing is ever half-imported).

Rows are numbered as a spreadsheet shows them: the header is row 1, the first person row 2.
The e-mail rule is the one account creation uses (sim/security/policy.py check_email).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from sim.models import Role
from sim.security.policy import check_email

MAX_ROWS = 500
COLUMNS = ("email", "display_name", "role")
ALIASES = {"name": "display_name", "display name": "display_name", "e-mail": "email",
           "mail": "email"}
ROLES = ", ".join(r.value for r in Role)


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def line(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"


@dataclass(frozen=True)
class Person:
    row: int
    email: str
    display_name: str
    role: Role


def parse(text: str, taken: Callable[[str], str | None]) -> tuple[list[Person], list[RowError]]:
    """The people in the file and every problem found. `taken(email)` says why an address
    cannot be invited (an account or a pending invitation exists) or returns None."""
    errors: list[RowError] = []
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        return [], [RowError(1, "file", "contains NUL characters; save the file as UTF-8 CSV")]
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        return [], [RowError(1, "file", f"is not readable as CSV ({exc}); save it as "
                                        "comma-separated values")]
    numbered = [(n, rec) for n, rec in enumerate(records, 1) if any(c.strip() for c in rec)]
    if not numbered:
        return [], [RowError(1, "header", "the file is empty; the first row must name the "
                                          "columns: email, display_name, role")]
    header_row, header = numbered[0]
    names = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    for col_no, name in enumerate(names, 1):
        if name not in COLUMNS:
            errors.append(RowError(header_row, "header",
                                   f"column {col_no} is {header[col_no - 1]!r}; allowed "
                                   "columns are email, display_name (or name), role"))
        elif names.index(name) != col_no - 1:
            errors.append(RowError(header_row, "header", f"column {name!r} appears twice"))
    for needed in ("email", "display_name"):
        if needed not in names:
            errors.append(RowError(header_row, "header", f"the {needed!r} column is missing; "
                                   "the columns are email, display_name and optionally role"))
    if errors:
        return [], errors
    body = numbered[1:]
    if not body:
        return [], [RowError(header_row, "file", "has a header but no people; add one row "
                                                 "per person under it")]
    if len(body) > MAX_ROWS:
        return [], [RowError(body[MAX_ROWS][0], "file", f"has {len(body)} people; at most "
                             f"{MAX_ROWS} per file (split it)")]
    people: list[Person] = []
    seen: dict[str, int] = {}
    for n, rec in body:
        if len(rec) != len(names):
            errors.append(RowError(n, "row", f"has {len(rec)} fields; the header has "
                                   f"{len(names)} ({', '.join(names)}); quote a value that "
                                   "contains a comma"))
            continue
        values = dict(zip(names, (v.strip() for v in rec), strict=True))
        person = _person(n, values, seen, taken, errors)
        if person is not None:
            people.append(person)
    return (people if not errors else []), errors


def _person(n: int, values: dict[str, str], seen: dict[str, int],
            taken: Callable[[str], str | None], errors: list[RowError]) -> Person | None:
    ok = True
    email = values["email"]
    try:
        email = check_email(email)
    except ValueError as exc:
        errors.append(RowError(n, "email", str(exc)))
        ok = False
    else:
        if email in seen:
            errors.append(RowError(n, "email", f"{email} is already on row {seen[email]}; "
                                   "each person once"))
            ok = False
        else:
            seen[email] = n
            why = taken(email)
            if why:
                errors.append(RowError(n, "email", why))
                ok = False
    name = values["display_name"]
    if not name:
        errors.append(RowError(n, "display_name", "is empty; give the name shown in the app "
                                                  "(1-120 characters)"))
        ok = False
    elif len(name) > 120:
        errors.append(RowError(n, "display_name", f"has {len(name)} characters; at most 120"))
        ok = False
    role_text = values.get("role", "").lower() or Role.TRAINEE.value
    if role_text not in {r.value for r in Role}:
        errors.append(RowError(n, "role", f"{values.get('role')!r} is not a role; allowed: "
                                          f"{ROLES} (empty means trainee)"))
        ok = False
    if not ok:
        return None
    return Person(n, email, name, Role(role_text))
