"""Printer's marks drawn with reportlab: crop marks, fold marks, the slug line.

Marks sit outside the bleed (WeasyPrint's own marks are drawn inside it and
under the content, PRINT-SPEC §6), in registration colour so they print on
every plate, with lines of 0.25 pt. The slug is set in a bundled font so the
file embeds nothing from outside `fonts/`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

PT_PER_MM = 72 / 25.4
LINE_PT = 0.25
SLUG_PT = 6.0


def mm(value: float) -> float:
    return value * PT_PER_MM


@dataclass(frozen=True)
class MarkSheet:
    """Where to draw marks on one page; all lengths in mm, origin at the media's lower left."""

    media_width: float
    media_height: float
    trim: tuple[float, float, float, float]  # left, bottom, right, top
    bleed: float
    offset: float  # crop marks start this far from trim
    length: float
    folds: tuple[float, ...] = ()  # x positions of vertical folds, from the trim's left edge
    slug: str = ""


_font_names: dict[str, str] = {}


def font_name(font_path: Path) -> str:
    """Register a bundled TTF with reportlab once per process; return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    key = str(font_path)
    if key not in _font_names:
        name = f"LeafletsSlug{len(_font_names)}"
        pdfmetrics.registerFont(TTFont(name, key))
        _font_names[key] = name
    return _font_names[key]


def _crop_marks(c, sheet: MarkSheet) -> None:
    left, bottom, right, top = sheet.trim
    near, far = sheet.offset, sheet.offset + sheet.length
    for x, sx in ((left, -1), (right, 1)):
        for y, sy in ((bottom, -1), (top, 1)):
            # horizontal mark level with the trim edge, vertical mark in line with it
            c.line(mm(x + sx * near), mm(y), mm(x + sx * far), mm(y))
            c.line(mm(x), mm(y + sy * near), mm(x), mm(y + sy * far))


def _fold_marks(c, sheet: MarkSheet) -> None:
    left, bottom, right, top = sheet.trim
    near, far = sheet.offset, sheet.offset + sheet.length
    c.setDash([mm(1), mm(0.8)])
    for fold in sheet.folds:
        x = left + fold
        c.line(mm(x), mm(top + near), mm(x), mm(top + far))
        c.line(mm(x), mm(bottom - near), mm(x), mm(bottom - far))
    c.setDash()


def draw_marks(sheets: list[MarkSheet], font_path: Path) -> bytes:
    """A PDF with one page per sheet holding only its marks, to overlay on the real pages."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    font = font_name(font_path)
    # The initial font must be a bundled one too, or reportlab declares an
    # unembedded Helvetica on every page.
    c = canvas.Canvas(buffer, pageCompression=1, invariant=1, initialFontName=font,
                      initialFontSize=SLUG_PT)
    for sheet in sheets:
        c.setPageSize((mm(sheet.media_width), mm(sheet.media_height)))
        c.setStrokeColorCMYK(1, 1, 1, 1)
        c.setFillColorCMYK(1, 1, 1, 1)
        c.setLineWidth(LINE_PT)
        _crop_marks(c, sheet)
        _fold_marks(c, sheet)
        if sheet.slug:
            left, bottom, _, _ = sheet.trim
            c.setFont(font, SLUG_PT)
            # Below the crop marks, clear of the bleed and of the fold marks' ends.
            baseline = max(bottom - sheet.offset - sheet.length - 2.5, 1.0)
            c.drawString(mm(left + 2), mm(baseline), sheet.slug)
        c.showPage()
    c.save()
    return buffer.getvalue()
