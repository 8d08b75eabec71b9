"""Pages added to a booklet's rendered PDF instead of laying the booklet out again.

A saddle-stitched booklet needs a multiple of 4 pages; the blank pages go
before its back cover pages. They are plain white pages of the booklet's
own size (no running head, no folio: what a blank part of the HTML would
have given), so the booklet is laid out once, not twice.
"""

from __future__ import annotations

import io


def insert_pages(pdf: bytes, at: int, count: int, filler: bytes | None = None) -> bytes:
    """`pdf` with `count` pages inserted before page index `at` (0-based): the pages of
    `filler` (laid out on their own, render/filler.py), or blank pages when it is None."""
    import pikepdf

    if filler is not None:
        with pikepdf.open(io.BytesIO(pdf)) as document, pikepdf.open(io.BytesIO(filler)) as extra:
            for index, page in enumerate(extra.pages[:count]):
                document.pages.insert(at + index, page)
            out = io.BytesIO()
            document.save(out, deterministic_id=True)
            return out.getvalue()
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
