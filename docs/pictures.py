#!/usr/bin/env python3
"""Regenerate the README's pictures from the PDFs in dist/print/.

    python build.py && python docs/pictures.py

Each picture shows every page of a piece side by side, marks and slug
included, as the shop receives it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2
from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DPI = 42
GAP = 12


def picture(pdf: Path, out: Path, columns: int = 4, dpi: float = DPI, first: int | None = None) -> None:
    """Pages side by side, `columns` to a row."""
    document = pypdfium2.PdfDocument(str(pdf))
    count = len(document) if first is None else min(first, len(document))
    pages = [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(count)]
    columns = min(columns, len(pages))
    rows = (len(pages) + columns - 1) // columns
    cell_w, cell_h = max(p.width for p in pages), max(p.height for p in pages)
    sheet = Image.new("RGB", (columns * cell_w + GAP * (columns - 1), rows * cell_h + GAP * (rows - 1)),
                      (236, 236, 236))
    for i, page in enumerate(pages):
        sheet.paste(page, ((i % columns) * (cell_w + GAP), (i // columns) * (cell_h + GAP)))
    sheet.save(out, optimize=True)


# Large-format samples, shown together at one height in banners.png.
BANNERS = ("standee-vi-nguoi-ngheo.pdf", "bangron-thoat-ngheo.pdf", "pano-giam-ngheo-scale-1-10.pdf")


def banners(out: Path, height: int = 360) -> None:
    pages = []
    for name in BANNERS:
        path = ROOT / "dist" / "print" / name
        if path.is_file():
            page = pypdfium2.PdfDocument(str(path))[0]
            pages.append(page.render(scale=height / page.get_height()).to_pil().convert("RGB"))
    if not pages:
        return
    sheet = Image.new("RGB", (sum(p.width for p in pages) + 2 * GAP * (len(pages) - 1), height),
                      (236, 236, 236))
    x = 0
    for page in pages:
        sheet.paste(page, (x, 0))
        x += page.width + 2 * GAP
    sheet.save(out, optimize=True)
    print(f"docs/img/{out.name}")


def main() -> int:
    target = HERE / "img"
    target.mkdir(exist_ok=True)
    banners(target / "banners.png")
    for pdf in sorted((ROOT / "dist" / "print").glob("*.pdf")):
        if pdf.name in BANNERS:
            continue
        if pdf.name.endswith(".imposed.pdf"):
            # the first printer sheet, front and back
            picture(pdf, target / pdf.name.replace(".pdf", ".png"), columns=2, dpi=30, first=2)
        else:
            pages = len(pypdfium2.PdfDocument(str(pdf)))
            picture(pdf, target / f"{pdf.stem}.png", columns=8 if pages > 4 else 4,
                    dpi=22 if pages > 4 else DPI)
        print(f"docs/img/{pdf.name.replace('.pdf', '.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
