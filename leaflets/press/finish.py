"""Finish: WeasyPrint's PDF becomes the file a print shop receives.

WeasyPrint writes each page as trim + bleed with MediaBox = BleedBox and no
room for marks (PRINT-SPEC §6). Here every page is moved onto a larger
MediaBox with its origin at 0,0; TrimBox and BleedBox are set from the
layout's geometry (not from what WeasyPrint wrote); crop and fold marks and
a slug line are drawn outside the bleed; annotations (links) are removed,
since a print file has no use for them.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from ..i18n import msg
from ..layout.compose import Composed
from ..layout.geometry import Layout
from ..problems import ContentError, error
from ..vi import short_date
from .marks import PT_PER_MM, MarkSheet, draw_marks
from .pdfx import overlay
from .words import filler_label, page_word, side_label

MARKS = "/LeafletsMarks"

SIZE_TOLERANCE_MM = 0.1


def _box(values) -> list[float]:
    return [float(v) for v in values]


def finish_print(pdf: bytes, layout: Layout, slug: str, labels: list[str],
                 font_path: Path, source: Path) -> bytes:
    """Return the print PDF: exact boxes, marks and slug outside the bleed.

    A layout with `scale` > 1 (pages over 5.08 m) is designed at full size
    and scaled down here as a whole: trim and bleed shrink by the scale; the
    marks and slug keep their size so the file stays readable.
    """
    import pikepdf

    document = pikepdf.open(io.BytesIO(pdf))
    scale = layout.scale
    width, height, b = layout.width / scale, layout.height / scale, layout.bleed / scale
    offset = layout.marks.offset / scale
    margin = offset + layout.marks.length + layout.marks.slug  # trim edge to media edge
    media_w, media_h = width + 2 * margin, height + 2 * margin
    sheets = []
    for index, page in enumerate(document.pages):
        x0, y0, x1, y1 = _box(page.mediabox)
        width_mm, height_mm = (x1 - x0) / PT_PER_MM, (y1 - y0) / PT_PER_MM
        want_w, want_h = layout.width + 2 * layout.bleed, layout.height + 2 * layout.bleed
        if abs(width_mm - want_w) > SIZE_TOLERANCE_MM or abs(height_mm - want_h) > SIZE_TOLERANCE_MM:
            raise ContentError([error(source, None, msg(
                "page {page} is {width:.1f}×{height:.1f} mm with bleed, but layout {layout!r} makes "
                "{want_width:g}×{want_height:g} mm: a stylesheet overrides the @page size",
                page=index + 1, width=width_mm, height=height_mm, layout=layout.name,
                want_width=want_w, want_height=want_h))])
        dx = (margin - b) * PT_PER_MM - x0 / scale
        dy = (margin - b) * PT_PER_MM - y0 / scale
        page.contents_add(f"q {1 / scale:.6f} 0 0 {1 / scale:.6f} {dx:.4f} {dy:.4f} cm\n".encode(),
                          prepend=True)
        page.contents_add(b"\nQ\n")
        page.obj.MediaBox = pikepdf.Array([0, 0, media_w * PT_PER_MM, media_h * PT_PER_MM])
        page.obj.CropBox = page.obj.MediaBox
        page.obj.BleedBox = pikepdf.Array([v * PT_PER_MM for v in (
            margin - b, margin - b, margin + width + b, margin + height + b)])
        page.obj.TrimBox = pikepdf.Array([v * PT_PER_MM for v in (
            margin, margin, margin + width, margin + height)])
        for key in ("/ArtBox", "/Annots"):
            if key in page.obj:
                del page.obj[key]
        info = labels[index] if index < len(labels) else f"page {index + 1}"
        scale_note = f" · tỷ lệ {layout.scale_label}" if scale != 1 else ""
        sheets.append(MarkSheet(
            media_width=media_w, media_height=media_h,
            trim=(margin, margin, margin + width, margin + height),
            bleed=b, offset=offset, length=layout.marks.length,
            folds=tuple(f / scale for f in layout.folds(index)),
            slug=f"{slug}{scale_note} · {info} · {index + 1}/{len(document.pages)}"))
    marks = pikepdf.open(io.BytesIO(draw_marks(sheets, font_path)))
    for page, mark_page in zip(document.pages, marks.pages, strict=True):
        overlay(document, page, mark_page, MARKS)
    out = io.BytesIO()
    document.save(out, deterministic_id=True, compress_streams=True,
                  object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def print_slug(composed: Composed, day: dt.date) -> str:
    """The slug line's text common to every page: piece (and the commune or household a variant is
    for), revision, layout, trim, build date; Vietnamese, for the shop."""
    piece, layout = composed.piece, composed.layout
    name = piece.name
    if composed.variant:
        name = f"{piece.name}--{composed.variant.slug} ({composed.variant.title})"
    return (f"{name} · lần {piece.revision} · {layout.name} {layout.trim_label} "
            f"· {short_date(day)}")


def page_labels(layout: Layout, pages: int, blank_pages: int) -> list[str]:
    """What the slug calls each page: a side (mặt ngoài), a cover (bìa 1), 'trang N', a filler page."""
    if layout.booklet is None:
        return [side_label(side) for side in layout.sides]
    front, back = list(layout.booklet.front), list(layout.booklet.back)
    flowing = pages - len(front) - len(back) - blank_pages
    return [*map(page_word, front), *(f"trang {len(front) + i + 1}" for i in range(flowing)),
            *([filler_label(layout.booklet.filler)] * blank_pages), *map(page_word, back)]
