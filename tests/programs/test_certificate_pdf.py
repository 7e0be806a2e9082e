"""The certificate PDF prints names and titles as written, in any script its font covers
(sim/programs/certificate.py). With the PDF core fonts, everything outside Latin-1 came out as
'?': "Nguyễn Thị Hương" as "Nguy?n Th? H??ng"."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from sim.programs.certificate import missing_glyphs, render
from sim.programs.records import Certificate

NAMES = ["Nguyễn Thị Hương", "Łukasz Żółkiewski", "Σοφία Παπαδοπούλου", "Олена Коваленко",
         "Søren Ørsted-Œuvray", "Ayşe Güneş", "Nino Beridze ნინო ბერიძე", "Dvořák Čížková"]


def _cert(name: str, **extra: str) -> Certificate:
    return Certificate(code="ABCD-EFGH-JKLM", assignment_id=1, program_id=1, user_id=1,
                       record_ids=[1], trainee_name=name,
                       activity=extra.get("activity", "Silent adolescent (exam)"),
                       program_title=extra.get("program", "MI Foundations"), hours=1.5,
                       completed_on=datetime(2026, 11, 30, tzinfo=UTC),
                       approval_statement=extra.get("approval", "Approved for 1.5 CE hours."))


@pytest.mark.parametrize("name", NAMES)
def test_a_name_in_its_own_script_prints_as_written(name):
    assert missing_glyphs(name) == ""
    text = PdfReader(io.BytesIO(render(_cert(name), "https://sim.example.org/#/verify/X")))
    assert name in text.pages[0].extract_text()


def test_titles_and_the_approval_statement_keep_their_letters():
    cert = _cert("Ana", activity="Entrevista motivacional: «resistencia»",
                 program="Formação contínua — Ψυχοθεραπεία",
                 approval="Genehmigt für 1,5 Fortbildungspunkte (Ärztekammer).")
    text = PdfReader(io.BytesIO(render(cert, "https://x.example/v"))).pages[0].extract_text()
    for part in ("«resistencia»", "Formação contínua — Ψυχοθεραπεία", "Ärztekammer"):
        assert part in text, part
    assert "?" not in text.replace("Verify at", "")


def test_characters_the_font_lacks_are_named_in_the_log(caplog):
    assert missing_glyphs("王秀英 Wang") == "王秀英"
    with caplog.at_level(logging.WARNING, logger="sim.programs.certificate"):
        pdf = render(_cert("王秀英 Wang"), "https://x.example/v")
    assert pdf.startswith(b"%PDF")
    ours = [r for r in caplog.records if r.name == "sim.programs.certificate"]
    assert [r.characters for r in ours] == ["王秀英"]  # type: ignore[attr-defined]
