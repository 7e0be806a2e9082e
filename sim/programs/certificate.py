"""The certificate PDF (fpdf2: pure Python, no system libraries; see docs/PROGRAMS.md) with a
QR code (segno) drawn as vector squares that opens the public verification page."""

from __future__ import annotations

import segno
from fpdf import FPDF

from sim.programs.records import Certificate


def _latin(text: str) -> str:
    """The core PDF fonts are Latin-1; anything else is shown as '?' rather than failing."""
    return text.encode("latin-1", "replace").decode("latin-1")


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
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(_latin(f"Certificate {cert.code}"))
    pdf.set_author("Resistance practice room")
    pdf.set_creator("resistance-sim (fpdf2)")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(40, 70, 110)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_text_color(20, 30, 50)
    pdf.set_font("Helvetica", "B", 26)
    pdf.set_y(28)
    pdf.cell(0, 12, "Certificate of Completion", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 13)
    pdf.cell(0, 10, "This certifies that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 22)
    pdf.cell(0, 14, _latin(cert.trainee_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 13)
    pdf.cell(0, 9, "has completed the continuing-education activity", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin(cert.activity), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(0, 8, _latin(f"Program: {cert.program_title}"), align="C", new_x="LMARGIN",
             new_y="NEXT")
    pdf.cell(0, 8, f"Credit hours: {cert.hours:g}    Date of completion: "
             f"{cert.completed_on:%Y-%m-%d}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(25, 128)
    pdf.set_font("Helvetica", "I", 10)
    pdf.multi_cell(190, 5.5, _latin(cert.approval_statement or "No approval statement."))
    pdf.set_xy(25, 172)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(190, 6, f"Verification code: {cert.code}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(25)
    pdf.cell(190, 6, _latin(f"Verify at: {verify_url}"))
    _qr(pdf, verify_url, 232, 145, 42)
    return bytes(pdf.output())
