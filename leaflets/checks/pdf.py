"""Preflight on a finished print file: page boxes, fonts, page count, forbidden objects."""

from __future__ import annotations

import io
from pathlib import Path

from ..i18n import msg
from ..layout.fonts import FontFace
from ..problems import Problem, error

PT_PER_MM = 72 / 25.4
BOX_TOLERANCE_MM = 0.05


def pdf_findings(pdf: bytes, source: Path, name: str, trim_mm: tuple[float, float], bleed_mm: float,
                 faces: tuple[FontFace, ...], pages: int | None = None, multiple: int = 1) -> list[Problem]:
    """Boxes, fonts, page count and forbidden objects of a finished print file."""
    import pikepdf

    from ..press.embedded_fonts import embedded_fonts, foreign_fonts

    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        count = len(document.pages)
        if pages is not None and count != pages:
            found.append(error(source, None, msg("{name}: {count} pages, the layout makes {pages}",
                                                 name=name, count=count, pages=pages), code="page-count"))
        if multiple > 1 and count % multiple:
            found.append(error(source, None, msg("{name}: {count} pages, not a multiple of {multiple}",
                                                 name=name, count=count, multiple=multiple),
                               code="page-count"))
        sizes = set()
        for index, page in enumerate(document.pages, start=1):
            obj = page.obj
            if "/TrimBox" not in obj or "/BleedBox" not in obj:
                found.append(error(source, None, msg("{name}: page {page} has no TrimBox or BleedBox",
                                                     name=name, page=index), code="page-boxes", page=index))
                continue
            trim = [float(v) / PT_PER_MM for v in obj.TrimBox]
            bleed = [float(v) / PT_PER_MM for v in obj.BleedBox]
            media = [float(v) / PT_PER_MM for v in obj.MediaBox]
            size = (round(trim[2] - trim[0], 2), round(trim[3] - trim[1], 2))
            sizes.add(size)
            if abs(size[0] - trim_mm[0]) > BOX_TOLERANCE_MM or abs(size[1] - trim_mm[1]) > BOX_TOLERANCE_MM:
                found.append(error(source, None, msg(
                    "{name}: page {page} trim {width:g}×{height:g} mm, the layout says "
                    "{want_width:g}×{want_height:g}", name=name, page=index, width=size[0], height=size[1],
                    want_width=trim_mm[0], want_height=trim_mm[1]), code="page-boxes", page=index))
            sides = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
            if any(abs(s - bleed_mm) > BOX_TOLERANCE_MM for s in sides):
                found.append(error(source, None, msg(
                    "{name}: page {page} bleed {sides} mm, the layout says {bleed:g}", name=name,
                    page=index, sides="/".join(f"{s:.1f}" for s in sides), bleed=bleed_mm),
                    code="page-boxes", page=index))
            if media[0] > bleed[0] or media[1] > bleed[1] or media[2] < bleed[2] or media[3] < bleed[3]:
                found.append(error(source, None, msg("{name}: page {page} MediaBox does not contain the "
                                                     "BleedBox", name=name, page=index),
                                   code="page-boxes", page=index))
            if "/Annots" in obj and len(obj.Annots):
                found.append(error(source, None, msg("{name}: page {page} has annotations (links?)",
                                                     name=name, page=index), code="pdf-extras", page=index))
        if len(sizes) > 1:
            found.append(error(source, None, msg("{name}: pages differ in size: {sizes}",
                                                 name=name, sizes=str(sorted(sizes))), code="page-boxes"))
        root = document.Root
        if "/AcroForm" in root:
            found.append(error(source, None, msg("{name}: has a form (AcroForm)", name=name),
                               code="pdf-extras"))
        if ("/Names" in root and "/JavaScript" in root.Names) or "/OpenAction" in root:
            found.append(error(source, None, msg("{name}: has scripts or an open action", name=name),
                               code="pdf-extras"))
        if document.is_encrypted:
            found.append(error(source, None, msg("{name}: is encrypted", name=name), code="pdf-extras"))
    unembedded = [f.name for f in embedded_fonts(pdf) if not f.embedded]
    foreign = [f for f in foreign_fonts(pdf, faces) if f not in unembedded]
    for font in unembedded:
        found.append(error(source, None, msg("{name}: font {font} is not embedded", name=name, font=font),
                           code="fonts"))
    for font in foreign:
        found.append(error(source, None, msg("{name}: font {font} is not one of fonts/", name=name,
                                             font=font), code="fonts"))
    return found
