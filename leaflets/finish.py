"""Finish: WeasyPrint's PDF becomes the file a print shop receives.

WeasyPrint writes each page as trim + bleed with MediaBox = BleedBox and no
room for marks (PRINT-SPEC §6). Here every page is moved onto a larger
MediaBox with its origin at 0,0; TrimBox and BleedBox are set from the
layout's geometry (not from what WeasyPrint wrote); crop and fold marks and
a slug line are drawn outside the bleed; annotations (links) are removed,
since a print file has no use for them.
"""

from __future__ import annotations

import io
from pathlib import Path

from .layouts import Layout
from .marks import PT_PER_MM, MarkSheet, draw_marks
from .problems import ContentError, error

SIZE_TOLERANCE_MM = 0.1


def _box(values) -> list[float]:
    return [float(v) for v in values]


def finish_print(pdf: bytes, layout: Layout, slug: str, labels: list[str],
                 font_path: Path, source: Path) -> bytes:
    """Return the print PDF: exact boxes, marks and slug outside the bleed."""
    import pikepdf

    document = pikepdf.open(io.BytesIO(pdf))
    b = layout.bleed
    margin = layout.media_margin  # trim edge to media edge
    media_w, media_h = layout.width + 2 * margin, layout.height + 2 * margin
    sheets = []
    for index, page in enumerate(document.pages):
        x0, y0, x1, y1 = _box(page.mediabox)
        width_mm, height_mm = (x1 - x0) / PT_PER_MM, (y1 - y0) / PT_PER_MM
        want_w, want_h = layout.width + 2 * b, layout.height + 2 * b
        if abs(width_mm - want_w) > SIZE_TOLERANCE_MM or abs(height_mm - want_h) > SIZE_TOLERANCE_MM:
            raise ContentError([error(source, None,
                                      f"page {index + 1} is {width_mm:.1f}×{height_mm:.1f} mm with "
                                      f"bleed, but layout {layout.name!r} makes {want_w:g}×{want_h:g}"
                                      " mm: a stylesheet overrides the @page size")])
        dx = (margin - b) * PT_PER_MM - x0
        dy = (margin - b) * PT_PER_MM - y0
        page.contents_add(f"q 1 0 0 1 {dx:.4f} {dy:.4f} cm\n".encode(), prepend=True)
        page.contents_add(b"\nQ\n")
        media = [0, 0, media_w * PT_PER_MM, media_h * PT_PER_MM]
        bleed = [(margin - b) * PT_PER_MM, (margin - b) * PT_PER_MM,
                 (margin + layout.width + b) * PT_PER_MM, (margin + layout.height + b) * PT_PER_MM]
        trim = [margin * PT_PER_MM, margin * PT_PER_MM,
                (margin + layout.width) * PT_PER_MM, (margin + layout.height) * PT_PER_MM]
        page.obj.MediaBox = pikepdf.Array(media)
        page.obj.CropBox = pikepdf.Array(media)
        page.obj.BleedBox = pikepdf.Array(bleed)
        page.obj.TrimBox = pikepdf.Array(trim)
        for key in ("/ArtBox", "/Annots"):
            if key in page.obj:
                del page.obj[key]
        info = labels[index] if index < len(labels) else f"page {index + 1}"
        folds = layout.folds(index)
        sheets.append(MarkSheet(
            media_width=media_w, media_height=media_h,
            trim=(margin, margin, margin + layout.width, margin + layout.height),
            bleed=b, offset=layout.marks.offset, length=layout.marks.length, folds=folds,
            slug=f"{slug} · {info} · {index + 1}/{len(document.pages)}"))
    marks = pikepdf.open(io.BytesIO(draw_marks(sheets, font_path)))
    for page, mark_page in zip(document.pages, marks.pages, strict=True):
        page.add_overlay(mark_page, pikepdf.Rectangle(*_box(page.mediabox)))
    out = io.BytesIO()
    document.save(out, deterministic_id=True, compress_streams=True,
                  object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
