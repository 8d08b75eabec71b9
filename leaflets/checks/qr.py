"""QR codes read back from the finished print file (`qr-unreadable`).

Every code the composed page draws carries the text it must decode to
(`data-qr`, layout/qr.py). The pages that hold one are rendered from the
print PDF (pypdfium2) at about six pixels per module and read with zbarimg
(zbar-tools): first only the part of the page around the codes, then, if
that does not read them all, the whole page; a code that does not read, or
reads as something else, is an error naming its line and page. Modules drawn under 0.4 mm are an error too.
Without zbarimg the reading is skipped, with a note saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..i18n import msg
from ..layout.qr import MIN_MODULE_MM
from ..problems import Problem, error, note
from ..render.tree import PT_PER_PX, pages

CODE = "qr-unreadable"
PX_PER_MODULE = 6
MAX_PIXELS = 80_000_000  # a page rendered larger than this is read at a lower resolution
MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class Placed:
    """A QR code as laid out: its page in the print file, the text it stands for, its modules."""

    page: int
    text: str
    line: int | None
    module_mm: float  # as drawn (full size)
    rect: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # the drawn code on its page, CSS px


def placed_codes(rendered) -> list[Placed]:
    """Every QR code on the laid-out pages, with the module size it was drawn at."""
    found: dict = {}
    for index, page in enumerate(pages(rendered.document)):
        for box in page.walk():
            text = box.attr("data-qr")
            if text is None or box.kind != "block":
                continue
            modules = int(box.attr("data-qr-modules") or 0)
            images = [b for b in box.walk() if b.kind == "image"]
            rect = images[0].content_rect if images else (0.0, 0.0, 0.0, 0.0)
            width_px = rect[2] - rect[0]
            module = width_px * PT_PER_PX * MM_PER_PT / modules if modules else 0.0
            line = box.attr("data-qr-line")
            key = (index, box.source)
            found.setdefault(key, Placed(rendered.page_number(index), text,
                                         int(line) if line else None, module, rect))
    return list(found.values())


def decoded(pdf: bytes, page: int, module_mm: float, scale: int, folder: Path,
            around: tuple[float, float, float, float] | None = None) -> list[str]:
    """What zbarimg reads on one page of `pdf` (1-based), rendered to show `module_mm` modules:
    only the part `around` (CSS px of the laid-out page, which is the file's BleedBox) with a
    margin of a dozen modules, else the whole page."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        sheet = document[page - 1]
        width, height = sheet.get_size()  # pt
        crop = (0.0, 0.0, 0.0, 0.0)
        if around is not None:
            left, _, _, top = sheet.get_bleedbox()
            margin = 12 * module_mm / scale / MM_PER_PT
            x0, y0, x1, y1 = (v * PT_PER_PX for v in around)
            crop = (max(0.0, left + x0 - margin), max(0.0, top - y1 - margin),
                    max(0.0, width - (left + x1 + margin)), max(0.0, height - (top - y0 + margin)))
        shown = (width - crop[0] - crop[2]) * (height - crop[1] - crop[3])
        dpi = PX_PER_MODULE * 25.4 / max(module_mm / scale, 1e-3)
        pixels = shown * (dpi / 72) ** 2
        if pixels > MAX_PIXELS:
            dpi *= (MAX_PIXELS / pixels) ** 0.5
        image = sheet.render(scale=dpi / 72, grayscale=True, crop=crop).to_pil()
    finally:
        document.close()
    picture = folder / f"page-{page}.pgm"  # uncompressed: written at once
    image.save(picture)
    done = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(picture)],
                          capture_output=True, text=True, timeout=120)
    return [line for line in done.stdout.splitlines() if line]


def _around(codes: list[Placed]) -> tuple[float, float, float, float] | None:
    """The rectangle that holds every code of a page (CSS px), or None when one is not known."""
    if any(c.rect[2] <= c.rect[0] for c in codes):
        return None
    return (min(c.rect[0] for c in codes), min(c.rect[1] for c in codes),
            max(c.rect[2] for c in codes), max(c.rect[3] for c in codes))


def qr_findings(pdf: bytes, rendered, source: Path, file_name: str) -> list[Problem]:
    """Errors for QR codes too small to print or not reading back as what they stand for."""
    codes = placed_codes(rendered)
    if not codes:
        return []
    found = []
    for code in codes:
        if code.module_mm < MIN_MODULE_MM - 1e-3:
            found.append(error(source, code.line, msg(
                "QR code for {wanted!r} on page {page} is drawn with {size:.2f} mm modules, under the "
                "{least} mm a phone reads in print: set a larger qr.module_mm in the layout",
                wanted=code.text, page=code.page, size=code.module_mm, least=MIN_MODULE_MM),
                code=CODE, page=code.page))
    if shutil.which("zbarimg") is None:
        found.append(note(source, None, msg(
            "{count} QR code(s) in {file} not read back: zbarimg is not installed (install "
            "zbar-tools to check them)", count=len(codes), file=file_name)))
        return found
    scale = rendered.composed.layout.scale
    with tempfile.TemporaryDirectory(prefix="leaflets-qr-") as folder:
        for page in sorted({c.page for c in codes}):
            here = [c for c in codes if c.page == page]
            module = min(c.module_mm for c in here) or MIN_MODULE_MM
            # Where the codes are, first (fast); the whole page when that does not read them all,
            # so that reading less of the page can never make a finding.
            read = Counter(decoded(pdf, page, module, scale, Path(folder), _around(here)))
            if Counter(c.text for c in here) - read:
                read = Counter(decoded(pdf, page, module, scale, Path(folder)))
            for code in here:
                if read[code.text] > 0:
                    read[code.text] -= 1
                    continue
                others = ", ".join(repr(t) for t, n in read.items() if n > 0) or msg("nothing")
                found.append(error(source, code.line, msg(
                    "QR code on page {page} of {file} does not read back as {wanted!r} (read: {read}): "
                    "keep its quiet zone clear and the code off pictures and folds, or report it",
                    page=page, file=file_name, wanted=code.text, read=others), code=CODE, page=page))
    return found
