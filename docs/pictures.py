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


def review_page(out: Path) -> None:
    """A screenshot of dist/proof/index.html in Debian's chromium (skipped without it)."""
    import shutil
    import tempfile

    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    page = ROOT / "dist" / "proof" / "index.html"
    if not (chromium and driver_path and page.is_file()):
        return
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    with tempfile.TemporaryDirectory() as profile:
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--hide-scrollbars", "--window-size=1280,1400",
                     f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        try:
            driver.get(page.as_uri())
            driver.execute_script("document.getElementById('to-gap-vi-nguoi-ngheo').scrollIntoView()")
            driver.execute_async_script("""const done = arguments[arguments.length - 1];
                Promise.all(Array.from(document.images).map(i => i.complete ? 0 :
                  new Promise(ok => { i.onload = ok; i.onerror = ok; }))).then(done);""")
            driver.save_screenshot(str(out))
        finally:
            driver.quit()
    image = Image.open(out)
    image.resize((image.width * 3 // 4, image.height * 3 // 4)).save(out, optimize=True)
    print(f"docs/img/{out.name}")


def diff_page(out: Path) -> None:
    """The first changed page of the latest diff, if there is one."""
    pages = sorted((ROOT / "dist" / "proof" / "diff").glob("*/page-*.png"))
    if pages:
        image = Image.open(pages[0])
        image.resize((image.width * 2 // 3, image.height * 2 // 3)).save(out, optimize=True)
        print(f"docs/img/{out.name}")


def main() -> int:
    target = HERE / "img"
    target.mkdir(exist_ok=True)
    banners(target / "banners.png")
    review_page(target / "review-page.png")
    diff_page(target / "diff.png")
    shown = set()
    for pdf in sorted((ROOT / "dist" / "print").glob("*.pdf")):
        if pdf.name in BANNERS or pdf.name.endswith(".ticket.pdf"):
            continue
        # A piece made per commune or household: its first variant, under the piece's name.
        piece, _, variant = pdf.name.removesuffix(".pdf").partition("--")
        name = piece + (".imposed" if variant.endswith(".imposed") else "")
        if name in shown:
            continue
        shown.add(name)
        if pdf.name.endswith(".imposed.pdf"):
            # the first printer sheet, front and back
            picture(pdf, target / f"{name}.png", columns=2, dpi=30, first=2)
        else:
            pages = len(pypdfium2.PdfDocument(str(pdf)))
            picture(pdf, target / f"{name}.png", columns=8 if pages > 4 else 4,
                    dpi=22 if pages > 4 else DPI)
        print(f"docs/img/{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
