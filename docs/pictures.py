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


def main() -> int:
    target = HERE / "img"
    target.mkdir(exist_ok=True)
    for pdf in sorted((ROOT / "dist" / "print").glob("*.pdf")):
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
