"""Imposition of saddle-stitched booklets: pages two up on printer sheets, with creep.

For n pages (a multiple of 4) there are n/4 sheets; sheet k (from 1, the
outermost) prints pages [n-2k+2 | 2k-1] on its front and [2k | n-2k+1] on
its back (PRINT-SPEC §3; 8 pages: [8|1]/[2|7], [6|3]/[4|5]).

Each page is placed from WeasyPrint's own page (trim + bleed, nothing
cropped to content). Where the two pages meet at the spine there is no
bleed: each page is clipped at the spine; on the other three sides its
bleed stays.

Creep: a sheet nested inside others is pushed out at the fore-edge by about
one paper thickness per sheet around it. Total creep is thickness × (n/4 − 1);
the pages of sheet k are moved toward the spine by (k − 1) × thickness, so
the outermost sheet is not moved and the innermost by the total. A
thickness of 0 moves nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from ..i18n import msg
from ..layout.geometry import Layout
from ..problems import Problem, warning
from ..vi import decimal
from .marks import PT_PER_MM, MarkSheet, draw_marks
from .pdfx import overlay


@dataclass(frozen=True)
class SheetSide:
    sheet: int  # 1 = outermost
    side: str  # "front" | "back"
    left: int  # page numbers, 1-based
    right: int
    shift: float  # creep compensation toward the spine, mm


def saddle_stitch_order(pages: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Per sheet: ((front left, front right), (back left, back right)), page numbers from 1."""
    if pages <= 0 or pages % 4:
        raise ValueError(f"saddle stitching needs a multiple of 4 pages, not {pages}")
    return [((pages - 2 * k + 2, 2 * k - 1), (2 * k, pages - 2 * k + 1))
            for k in range(1, pages // 4 + 1)]


def total_creep(pages: int, thickness: float) -> float:
    return max(thickness, 0.0) * (pages / 4 - 1)


def creep_shifts(pages: int, thickness: float) -> list[float]:
    """How far (mm) each sheet's pages move toward the spine, outermost sheet first."""
    return [max(thickness, 0.0) * k for k in range(pages // 4)]


def plan_sheets(pages: int, thickness: float) -> list[SheetSide]:
    shifts = creep_shifts(pages, thickness)
    out = []
    for k, (front, back) in enumerate(saddle_stitch_order(pages)):
        out.append(SheetSide(k + 1, "front", front[0], front[1], shifts[k]))
        out.append(SheetSide(k + 1, "back", back[0], back[1], shifts[k]))
    return out


def impose(pages_pdf: bytes, layout: Layout, thickness: float, slug: str, font_path: Path) -> bytes:
    """Printer spreads from WeasyPrint's pages (trim + bleed each), with marks and creep."""
    import pikepdf

    source = pikepdf.open(io.BytesIO(pages_pdf))
    count = len(source.pages)
    out = pikepdf.new()
    w, h, b = layout.width, layout.height, layout.bleed
    m = layout.media_margin
    sheet_w, sheet_h = 2 * w + 2 * m, h + 2 * m
    forms = []
    for page in source.pages:
        form = page.as_form_xobject()
        # qpdf bounds the form by the TrimBox; the bleed must come along.
        form.BBox = pikepdf.Array([float(v) for v in page.mediabox])
        forms.append(out.copy_foreign(form))
    sides = plan_sheets(count, thickness)
    marks = []
    for plan in sides:
        page = out.add_blank_page(page_size=(sheet_w * PT_PER_MM, sheet_h * PT_PER_MM))
        operations = []
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary())
        for number, left in ((plan.left, True), (plan.right, False)):
            name = f"/LeafletsPage{number}"
            page.obj.Resources.XObject[name] = forms[number - 1]
            spine = m + w
            if left:  # clip: fore-edge, head and tail keep their bleed; none past the spine
                clip = (m - b, m - b, spine, m + h + b)
                x = m + plan.shift
            else:
                clip = (spine, m - b, m + 2 * w + b, m + h + b)
                x = spine - plan.shift
            x0, y0, x1, y1 = (v * PT_PER_MM for v in clip)
            operations.append(
                f"q {x0:.4f} {y0:.4f} {x1 - x0:.4f} {y1 - y0:.4f} re W n "
                f"1 0 0 1 {x * PT_PER_MM:.4f} {m * PT_PER_MM:.4f} cm {name} Do Q")
        page.contents_add(pikepdf.Stream(out, "\n".join(operations).encode()))
        trim = [m, m, m + 2 * w, m + h]
        page.obj.TrimBox = pikepdf.Array([v * PT_PER_MM for v in trim])
        page.obj.BleedBox = pikepdf.Array([(trim[0] - b) * PT_PER_MM, (trim[1] - b) * PT_PER_MM,
                                           (trim[2] + b) * PT_PER_MM, (trim[3] + b) * PT_PER_MM])
        marks.append(MarkSheet(
            media_width=sheet_w, media_height=sheet_h, trim=(m, m, m + 2 * w, m + h), bleed=b,
            offset=layout.marks.offset, length=layout.marks.length, folds=(w,),
            slug=(f"{slug} · tờ {plan.sheet}/{count // 4} "
                  f"{'mặt trước' if plan.side == 'front' else 'mặt sau'}"
                  f" · trang {plan.left} | {plan.right} · bù đẩy {decimal(plan.shift)} mm")))
    marks_pdf = pikepdf.open(io.BytesIO(draw_marks(marks, font_path)))
    for page, mark_page in zip(out.pages, marks_pdf.pages, strict=True):
        overlay(out, page, mark_page, "/LeafletsMarks")
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def paper_thickness(piece, site) -> tuple[float, list[Problem]]:
    """The piece's paper thickness (mm) for creep: front matter, else the paper table, else 0."""
    if piece.print.paper_thickness is not None:
        return piece.print.paper_thickness, []
    paper = site.papers.papers.get(piece.print.paper) if site.papers else None
    if paper is not None and paper.thickness is not None:
        return paper.thickness, []
    if piece.print.paper:
        said = msg("no thickness for paper {paper!r}: creep not applied; set print.paper_thickness (mm) "
                   "or add the paper to content/data/papers.yaml", paper=piece.print.paper)
    else:
        said = msg("no paper named, so no thickness: creep not applied; set print.paper_thickness (mm), "
                   "or name the paper (print.paper) and add it to content/data/papers.yaml")
    return 0.0, [warning(piece.path, piece.line_of("print") or piece.line_of("layout"), said)]
