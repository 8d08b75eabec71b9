"""Proof PDFs for reviewers: the print pages marked "BẢN NHÁP – KHÔNG IN".

A proof is the print file's pages with a diagonal watermark (light and
translucent, so the text under it stays readable), a proof slug above the
page (piece, revision, build date, content hash, git commit) and, for
banners, the grommets and hems the finisher will add and a standee's stand
zone, hatched. None of it ever
reaches dist/print/: the proof is made from the print file's bytes, never
the other way round.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from ..layout.geometry import Layout
from ..press.marks import PT_PER_MM
from ..press.pdfx import overlay

WATERMARK = "BẢN NHÁP – KHÔNG IN"


def _trim_boxes(pdf) -> list[list[float]]:
    return [[float(v) for v in page.obj.TrimBox] for page in pdf.pages]


def proof_pdf(print_pdf: bytes, layout: Layout, slug: str, bold: Path, regular: Path) -> bytes:
    """The print file with the watermark, the proof slug and (for banners) finishing marks."""
    import pikepdf
    from reportlab.pdfgen import canvas

    from ..press.marks import font_name

    document = pikepdf.open(io.BytesIO(print_pdf))
    heavy, light = font_name(bold), font_name(regular)
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pageCompression=1, invariant=1, initialFontName=light)
    for index, page in enumerate(document.pages):
        media = [float(v) for v in page.mediabox]
        x0, y0, x1, y1 = _trim_boxes(document)[index]
        c.setPageSize((media[2], media[3]))
        width, height = x1 - x0, y1 - y0
        angle = math.degrees(math.atan2(height, width))
        diagonal = math.hypot(width, height)
        size = diagonal * 0.72 / c.stringWidth(WATERMARK, heavy, 1)
        c.saveState()
        c.translate(x0 + width / 2, y0 + height / 2)
        c.rotate(angle)
        origin = (-c.stringWidth(WATERMARK, heavy, size) / 2, -size * 0.35)
        # A light halo first, then a dark-red outline over a grey fill, all translucent: on white
        # paper the outline shows, on a red or dark panel the halo does; the text stays readable.
        _watermark_text(c, heavy, size, origin, stroke=(1, 1, 1), stroke_alpha=0.45,
                        line=max(size / 22, 0.9), fill_alpha=0)
        _watermark_text(c, heavy, size, origin, stroke=(0.6, 0.02, 0.02), stroke_alpha=0.55,
                        line=max(size / 70, 0.3), fill_alpha=0.16)
        c.restoreState()
        # the proof slug above the page, where the print slug is not
        c.setFillColorRGB(0.85, 0.1, 0.1)
        c.setFont(light, 6)
        c.drawString(x0, min(y1 + (media[3] - y1) * 0.55, media[3] - 8), f"{WATERMARK} · {slug}")
        if layout.large_format or layout.finishing.stand:
            _finishing(c, layout, (x0, y0, x1, y1))
        c.showPage()
    c.save()
    stamps = pikepdf.open(io.BytesIO(buffer.getvalue()))
    for page, mark in zip(document.pages, stamps.pages, strict=True):
        overlay(document, page, mark, "/LeafletsProof")
    out = io.BytesIO()
    document.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def _watermark_text(c, font: str, size: float, origin: tuple[float, float], stroke: tuple,
                    stroke_alpha: float, line: float, fill_alpha: float) -> None:
    """The watermark's words once: outlined in `stroke`, filled grey at `fill_alpha` (0: no fill)."""
    c.setFillColorRGB(0.5, 0.5, 0.5)
    c.setFillAlpha(fill_alpha)
    c.setStrokeColorRGB(*stroke)
    c.setStrokeAlpha(stroke_alpha)
    c.setLineWidth(line)
    c.setLineJoin(1)
    text = c.beginText()
    text.setTextRenderMode(2 if fill_alpha else 1)  # fill then stroke, or stroke only
    text.setFont(font, size)
    text.setTextOrigin(*origin)
    text.textOut(WATERMARK)
    c.drawText(text)


def _finishing(c, layout: Layout, trim: tuple[float, float, float, float]) -> None:
    """Grommets (circles) and hems (dashed) of a large-format piece, at the file's scale."""
    x0, y0, x1, y1 = trim
    unit = PT_PER_MM / layout.scale  # pt in the file per real mm
    c.saveState()
    c.setStrokeColorRGB(0.9, 0.0, 0.6)
    c.setLineWidth(0.5)
    hem = layout.finishing.hem * unit
    if hem:
        c.setDash(4, 3)
        c.rect(x0 + hem, y0 + hem, x1 - x0 - 2 * hem, y1 - y0 - 2 * hem, stroke=1, fill=0)
        c.setDash()
    radius = layout.finishing.grommet_diameter / 2 * unit
    for gx, gy in layout.grommets():
        cx, cy = x0 + gx * unit, y1 - gy * unit
        c.circle(cx, cy, max(radius, 1.5), stroke=1, fill=0)
        c.line(cx - radius * 1.6, cy, cx + radius * 1.6, cy)
        c.line(cx, cy - radius * 1.6, cx, cy + radius * 1.6)
    c.restoreState()
    if layout.finishing.stand:
        _hatch(c, (x0, y0, x1, y0 + layout.finishing.stand * unit), max(20 * unit, 4.0))


def _hatch(c, box: tuple[float, float, float, float], step: float) -> None:
    """A standee's stand zone: outlined and hatched at 45°, hidden by the stand's base."""
    x0, y0, x1, y1 = box
    c.saveState()
    c.setStrokeColorRGB(0.9, 0.0, 0.6)
    c.setLineWidth(0.6)
    c.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
    clip = c.beginPath()
    clip.rect(x0, y0, x1 - x0, y1 - y0)
    c.clipPath(clip, stroke=0, fill=0)
    # magenta lines with a white core: seen on a red background and on paper alike
    for colour, width in (((0.9, 0.0, 0.6), 1.6), ((1.0, 1.0, 1.0), 0.6)):
        c.setStrokeColorRGB(*colour)
        c.setLineWidth(width)
        offset = -(y1 - y0)
        while offset < x1 - x0:
            c.line(x0 + offset, y0, x0 + offset + (y1 - y0), y1)
            offset += step
    c.restoreState()
