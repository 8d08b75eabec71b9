"""Blank pages for a booklet, added to the rendered PDF instead of rendering it again.

A saddle-stitched booklet needs a multiple of 4 pages; the blank pages go
before its back cover pages. They are plain white pages of the booklet's
own size (no running head, no folio: what a blank part of the HTML would
have given), so the booklet is laid out once, not twice.
"""

from __future__ import annotations

import io


def insert_blank_pages(pdf: bytes, at: int, count: int) -> bytes:
    """`pdf` with `count` blank pages inserted before page index `at` (0-based)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        model = document.pages[max(0, at - 1)].obj
        for _ in range(count):
            page = pikepdf.Dictionary(Type=pikepdf.Name.Page, Resources=pikepdf.Dictionary(),
                                      Contents=document.make_stream(b""))
            for box in ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
                if box in model:
                    page[box] = pikepdf.Array([float(v) for v in model[box]])
            document.pages.insert(at, pikepdf.Page(page))
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
        return out.getvalue()
