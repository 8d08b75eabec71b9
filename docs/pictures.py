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


def picture(pdf: Path, out: Path) -> None:
    document = pypdfium2.PdfDocument(str(pdf))
    pages = [page.render(scale=DPI / 72).to_pil().convert("RGB") for page in document]
    width = sum(p.width for p in pages) + GAP * (len(pages) - 1)
    height = max(p.height for p in pages)
    sheet = Image.new("RGB", (width, height), (236, 236, 236))
    x = 0
    for page in pages:
        sheet.paste(page, (x, 0))
        x += page.width + GAP
    sheet.save(out, optimize=True)


def main() -> int:
    target = HERE / "img"
    target.mkdir(exist_ok=True)
    for pdf in sorted((ROOT / "dist" / "print").glob("*.pdf")):
        if ".imposed" in pdf.name:
            continue
        picture(pdf, target / f"{pdf.stem}.png")
        print(f"docs/img/{pdf.stem}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
