"""PDF rendering with reportlab: a `Layout` in, the same bytes for the same layout out.

Deterministic: reportlab's invariant mode fixes the creation date and the file id, and
nothing else varies (fonts are registered once, tables laid out from the text alone), so
a replay or a retry gives a byte-identical file (same SHA-256). Text uses DejaVu Sans,
embedded (subset) so names in any script supported by it render (Vietnamese among them);
the font files and their licence are in `fonts/`.

Why reportlab (not fpdf2): half the layer (`bench.documents_pdf`: about 26 MB unzipped
with Pillow, fpdf2 about 45 MB with fontTools) and about 15 times faster per document,
because a registered font is reused by every document while fpdf2 parses it per file.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from services.documents.models.domain import PDF, Layout, Rendered, Section, Table

FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
MARGIN = 50.0
WIDTH, HEIGHT = A4
TEXT_WIDTH = WIDTH - 2 * MARGIN
BOTTOM = MARGIN + 30
LINE = 13.0
CELL_PAD = 6.0
HEADER_TEXT = "STX Climate Tech Solutions - SCTS counterparty portal"
AUTHOR = "STX Climate Tech Solutions"

_registered = False
_lock = Lock()


def register_fonts() -> None:
    global _registered
    with _lock:
        if not _registered:
            pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
            _registered = True


@dataclass
class _Page:
    canvas: Canvas
    footnote: str
    number: int = 1
    y: float = HEIGHT - MARGIN

    def start(self) -> None:
        self.canvas.setFont(REGULAR, 7.5)
        self.canvas.setFillGray(0.4)
        self.canvas.drawString(MARGIN, HEIGHT - MARGIN + 18, HEADER_TEXT)
        self.canvas.setFillGray(0)
        self.y = HEIGHT - MARGIN

    def finish(self) -> None:
        self.canvas.setFont(REGULAR, 7.5)
        self.canvas.setFillGray(0.4)
        for index, line in enumerate(simpleSplit(self.footnote, REGULAR, 7.5, TEXT_WIDTH - 60)):
            self.canvas.drawString(MARGIN, MARGIN - index * 9, line)
        self.canvas.drawRightString(WIDTH - MARGIN, MARGIN, f"Page {self.number}")
        self.canvas.setFillGray(0)

    def need(self, height: float) -> bool:
        """Start a new page if `height` does not fit; True when it did."""
        if self.y - height >= BOTTOM:
            return False
        self.finish()
        self.canvas.showPage()
        self.number += 1
        self.start()
        return True

    def text(self, value: str, font: str = REGULAR, size: float = 9.5) -> None:
        for line in simpleSplit(value, font, size, TEXT_WIDTH) or [""]:
            self.need(LINE)
            self.canvas.setFont(font, size)
            self.canvas.drawString(MARGIN, self.y, line)
            self.y -= LINE


def _widths(table: Table) -> list[float]:
    natural = [
        max(
            [pdfmetrics.stringWidth(c, BOLD, 8)]
            + [pdfmetrics.stringWidth(r[i], REGULAR, 8) for r in table.rows]
        )
        + CELL_PAD
        for i, c in enumerate(table.columns)
    ]
    total = sum(natural)
    if total <= TEXT_WIDTH:
        return natural
    fixed = sum(w for i, w in enumerate(natural) if i in table.numeric)
    flexible = [i for i in range(len(natural)) if i not in table.numeric]
    room = max(TEXT_WIDTH - fixed, 40.0 * len(flexible))
    share = sum(natural[i] for i in flexible) or 1.0
    return [w if i in table.numeric else room * w / share for i, w in enumerate(natural)]


def _row(page: _Page, cells: tuple[str, ...], widths: list[float], table: Table, font: str) -> None:
    wrapped = [
        simpleSplit(c, font, 8, w - CELL_PAD) or [""] for c, w in zip(cells, widths, strict=True)
    ]
    height = max(len(lines) for lines in wrapped) * 10.5 + 2
    if page.need(height):
        _row(page, table.columns, widths, table, BOLD)
    page.canvas.setFont(font, 8)
    x = MARGIN
    for index, (lines, width) in enumerate(zip(wrapped, widths, strict=True)):
        for n, line in enumerate(lines):
            y = page.y - n * 10.5
            if index in table.numeric:
                page.canvas.drawRightString(x + width - CELL_PAD, y, line)
            else:
                page.canvas.drawString(x, y, line)
        x += width
    page.y -= height


def _section(page: _Page, section: Section) -> None:
    page.need(LINE * 3)
    page.y -= 6
    page.text(section.heading, BOLD, 11)
    for line in section.lines:
        page.text(line)
    if section.table is not None:
        widths = _widths(section.table)
        _row(page, section.table.columns, widths, section.table, BOLD)
        for row in section.table.rows:
            _row(page, row, widths, section.table, REGULAR)


class ReportlabRenderer:
    def __init__(self) -> None:
        register_fonts()

    def render(self, layout: Layout) -> Rendered:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
        canvas.setTitle(layout.title)
        canvas.setAuthor(AUTHOR)
        canvas.setSubject(layout.subtitle)
        canvas.setCreator("SCTS counterparty portal")
        page = _Page(canvas, layout.footnote)
        page.start()
        page.text(layout.title, BOLD, 16)
        page.y -= 4
        page.text(layout.subtitle, REGULAR, 10)
        page.y -= 6
        for label, value in layout.facts:
            page.text(f"{label}: {value}")
        for section in layout.sections:
            _section(page, section)
        page.finish()
        canvas.save()
        content = buffer.getvalue()
        return Rendered(
            content=content, sha256=hashlib.sha256(content).hexdigest(), content_type=PDF
        )
