"""The certificate PDF (fpdf2: pure Python, no system libraries; see docs/PROGRAMS.md) with a
QR code (segno) drawn as vector squares that opens the public verification page.

Text is set in DejaVu Sans, shipped in sim/programs/fonts/ (Bitstream Vera licence) and
embedded as a subset, so names in Latin scripts with any diacritics, Greek, Cyrillic, Armenian,
Georgian and Hebrew print as written; the PDF core fonts printed everything outside Latin-1 as
'?'. Scripts DejaVu Sans lacks (CJK, Indic, Thai) are logged when a certificate needs them."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

import segno
from fontTools.ttLib import TTFont
from fpdf import FPDF

from sim.programs.records import Certificate

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSans"
log = logging.getLogger("sim.programs.certificate")


@cache
def _covered() -> frozenset[int]:
    """The code points the regular face has glyphs for."""
    with TTFont(FONTS / "DejaVuSans.ttf", lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(text: str) -> str:
    """The characters of `text` the certificate font cannot draw (empty when all print)."""
    covered = _covered()
    return "".join(sorted({ch for ch in text if not ch.isspace() and ord(ch) not in covered}))


def _fonts(pdf: FPDF) -> None:
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_font(FAMILY, "I", str(FONTS / "DejaVuSans-Oblique.ttf"))


def _qr(pdf: FPDF, data: str, x: float, y: float, size: float) -> None:
    qr = segno.make(data, error="m")
    rows = list(qr.matrix_iter(scale=1, border=0))
    cell = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + c * cell, y + r * cell, cell, cell, style="F")


def render(cert: Certificate, verify_url: str) -> bytes:
    """A one-page A4 landscape certificate: name, activity, program, hours, date, approval
    statement, verification code and its QR code."""
    lacking = missing_glyphs(" ".join((cert.trainee_name, cert.activity, cert.program_title,
                                       cert.approval_statement or "")))
    if lacking:
        log.warning("certificate text has characters the font cannot draw",
                    extra={"code": cert.code, "characters": lacking})
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    _fonts(pdf)
    pdf.set_title(f"Certificate {cert.code}")
    pdf.set_author("Resistance practice room")
    pdf.set_creator("resistance-sim (fpdf2)")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(40, 70, 110)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_text_color(20, 30, 50)
    pdf.set_font(FAMILY, "B", 26)
    pdf.set_y(28)
    pdf.cell(0, 12, "Certificate of Completion", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 13)
    pdf.cell(0, 10, "This certifies that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 22)
    pdf.cell(0, 14, cert.trainee_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 13)
    pdf.cell(0, 9, "has completed the continuing-education activity", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 16)
    pdf.cell(0, 10, cert.activity, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 12)
    pdf.cell(0, 8, f"Program: {cert.program_title}", align="C", new_x="LMARGIN",
             new_y="NEXT")
    pdf.cell(0, 8, f"Credit hours: {cert.hours:g}    Date of completion: "
             f"{cert.completed_on:%Y-%m-%d}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(25, 128)
    pdf.set_font(FAMILY, "I", 10)
    pdf.multi_cell(190, 5.5, cert.approval_statement or "No approval statement.")
    pdf.set_xy(25, 172)
    pdf.set_font(FAMILY, "", 10)
    pdf.cell(190, 6, f"Verification code: {cert.code}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(25)
    pdf.cell(190, 6, f"Verify at: {verify_url}")
    _qr(pdf, verify_url, 232, 145, 42)
    return bytes(pdf.output())
