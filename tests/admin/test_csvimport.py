"""CSV parsing on its own: aliases, quoting, blank lines, and that a file with any bad row gives
back no people at all."""

from __future__ import annotations

from sim.admin.csvimport import parse
from sim.models import Role


def nobody(_: str) -> None:
    return None


def test_aliases_quotes_blank_lines_and_default_role():
    people, errors = parse("E-mail, Display Name\r\n\r\n\"x@Example.org\",\"Doe, Jo\"\r\n",
                           nobody)
    assert errors == []
    assert [(p.row, p.email, p.display_name, p.role) for p in people] == [
        (3, "x@example.org", "Doe, Jo", Role.TRAINEE)]


def test_any_error_returns_no_people():
    people, errors = parse("email,name,role\na@example.org,A,admin\nb@example.org,B,chief\n",
                           nobody)
    assert people == [] and [(e.row, e.field) for e in errors] == [(3, "role")]
    assert errors[0].line().startswith("row 3, role: 'chief' is not a role")


def test_taken_addresses_are_reported_with_the_reason():
    people, errors = parse("email,name\na@example.org,A\n",
                           lambda e: f"an account for {e} already exists")
    assert people == [] and errors[0].message == "an account for a@example.org already exists"


def test_nul_and_long_names():
    assert parse("email,name\na@example.org,A\x00\n", nobody)[1][0].field == "file"
    _, errors = parse(f"email,name\na@example.org,{'n' * 121}\n", nobody)
    assert errors[0].field == "display_name" and "at most 120" in errors[0].message
