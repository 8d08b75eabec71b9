"""What a print shop checks: boxes, sizes, marks, page count, text, panel positions."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from conftest import REPO

PT = 72 / 25.4
PDFCHECK = REPO.parent / "shared" / "tools" / "pdfcheck"

FORMATS = {
    # piece: (trim w, trim h, pages, a sentence from it)
    "to-roi-chuan-ngheo": (210, 297, 2, "Ngày vì người nghèo 17/10"),
    "to-gap-vi-nguoi-ngheo": (297, 210, 2, "Không để ai bị bỏ lại phía sau"),
}


def boxes(path: Path):
    with pikepdf.open(path) as pdf:
        return [{k: [float(v) for v in page.obj[k]] for k in ("/MediaBox", "/BleedBox", "/TrimBox")}
                for page in pdf.pages]


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out


@pytest.mark.parametrize("name", FORMATS)
def test_boxes_trim_bleed_and_room_for_marks(sample_build, name):
    root, _, results = sample_build
    width, height, pages, _ = FORMATS[name]
    found = boxes(results[name].job.outputs[0].path)
    assert len(found) == pages
    for page in found:
        t, b, m = page["/TrimBox"], page["/BleedBox"], page["/MediaBox"]
        assert (t[2] - t[0]) / PT == pytest.approx(width, abs=0.01)
        assert (t[3] - t[1]) / PT == pytest.approx(height, abs=0.01)
        # BleedBox = trim + 3 mm on every side
        for side in (t[0] - b[0], t[1] - b[1], b[2] - t[2], b[3] - t[3]):
            assert side / PT == pytest.approx(3, abs=0.01)
        # MediaBox larger than BleedBox, origin at 0,0, marks fit outside the bleed
        assert m[0] == 0 and m[1] == 0
        for side in (b[0] - m[0], b[1] - m[1], m[2] - b[2], m[3] - b[3]):
            assert side / PT >= 5


@pytest.mark.parametrize("name", FORMATS)
def test_text_is_extractable_as_nfc_vietnamese(sample_build, name):
    _, _, results = sample_build
    text = pdf_text(results[name].job.outputs[0].path)
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    assert FORMATS[name][3] in flat
    # pdftotext gives precomposed letters: no combining dot below or tone marks left over
    assert unicodedata.is_normalized("NFC", text)
    for word in ("nghèo", "người", "hỗ trợ"):
        assert word in flat


def test_letters_that_fonts_decompose_extract_correctly(make_project):
    """ẹ ị ọ ụ are split into base + mark by upright Noto Sans' ccmp unless prepare_fonts.py ran."""
    from conftest import build

    piece = (REPO / "content" / "pieces" / "to-roi-chuan-ngheo.md").read_text(encoding="utf-8")
    sentence = "Gọi điện thoại, bị bệnh, chịu khó, mọi người, cụ thể, kẹo"
    piece = piece.replace("::: back\n", f"::: back\n{sentence}\n\n", 1)
    root = make_project({"content/pieces/to-roi-chuan-ngheo.md": piece})
    _, results = build(root, ["to-roi-chuan-ngheo"])
    flat = " ".join(pdf_text(results["to-roi-chuan-ngheo"].job.outputs[0].path).split())
    assert sentence in flat


@pytest.mark.skipif(not PDFCHECK.is_file() or not shutil.which("pdfinfo"),
                    reason="the shop-side pdfcheck tool is not beside the project")
@pytest.mark.parametrize("name", FORMATS)
def test_pdfcheck_passes(sample_build, name):
    _, _, results = sample_build
    width, height, pages, sentence = FORMATS[name]
    done = subprocess.run([str(PDFCHECK), str(results[name].job.outputs[0].path),
                           "--trim", f"{width}x{height}", "--bleed", "3", "--marks",
                           "--pages", str(pages), "--text", sentence],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# --- tri-fold panels, checked in the PDF -------------------------------------

SLOT_SENTENCES = {}  # filled from the sample piece: the first words of each slot


def _slot_first_words(path: Path) -> dict[str, str]:
    """A few words of prose from each slot of a piece (the first paragraph line)."""
    import re

    words, current = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^::: ([a-z0-9-]+)\s*$", line):
            current = m.group(1)
            continue
        if line.strip() == ":::":
            current = None
            continue
        if current and current not in words and re.match(r"^[A-ZĐÀ-Ỹa-zđà-ỹ]", line) \
                and not line.startswith("!["):
            words[current] = " ".join(line.split()[:4])
    return words


def test_each_trifold_slot_sits_on_its_panel(sample_build):
    """Text of each slot is found inside its panel's rectangle, and only there."""
    from leaflets.layout.load import load_layout

    root, _, results = sample_build
    layout, _ = load_layout(root / "layouts", "trifold-a4")
    path = results["to-gap-vi-nguoi-ngheo"].job.outputs[0].path
    words = _slot_first_words(root / "content" / "pieces" / "to-gap-vi-nguoi-ngheo.md")
    assert set(words) >= {"flap", "inside-1", "inside-2"}
    trim = boxes(path)[0]["/TrimBox"]
    document = pypdfium2.PdfDocument(str(path))
    for index, side in enumerate(layout.sides):
        textpage = document[index].get_textpage()
        for panel in side.panels:
            if panel.slot not in words:
                continue
            left = trim[0] + panel.x * PT
            right = left + panel.width * PT
            inside = " ".join(textpage.get_text_bounded(left, trim[1], right, trim[3]).split())
            assert words[panel.slot] in inside, (panel.slot, words[panel.slot])
            for other in side.panels:
                if other is panel:
                    continue
                o_left = trim[0] + other.x * PT
                elsewhere = " ".join(textpage.get_text_bounded(
                    o_left, trim[1], o_left + other.width * PT, trim[3]).split())
                assert words[panel.slot] not in elsewhere


def test_trifold_panel_backgrounds_meet_at_the_folds(sample_build):
    """Pixels: the red cover wraps 1.5 mm past the outside's second fold (fold_wrap, so that a
    misfold shows no white sliver) and runs into the bleed."""
    root, _, results = sample_build
    path = results["to-gap-vi-nguoi-ngheo"].job.outputs[0].path
    trim = boxes(path)[0]["/TrimBox"]
    scale = 4  # 288 dpi: one pixel is 0.09 mm
    page = pypdfium2.PdfDocument(str(path))[0]
    image = page.render(scale=scale).to_pil().convert("RGB")
    height = image.height

    def px(x_mm: float) -> int:
        return round((trim[0] / PT + x_mm) * PT * scale)

    y = height // 2
    red = (0xB3, 0x26, 0x1E)

    def near(colour, want, tol=12):
        return all(abs(a - b) <= tol for a, b in zip(colour, want, strict=True))

    fold = 197  # outside: 97 | 100 | 100 -> the cover starts at 197 mm, its red at 195.5 mm
    assert near(image.getpixel((px(fold + 0.3), y)), red)
    assert near(image.getpixel((px(fold - 1.2), y)), red)
    assert not near(image.getpixel((px(fold - 1.8), y)), red)
    # the cover's red reaches the bleed edge (297 + 3 mm) and stops there
    assert near(image.getpixel((px(297 + 2.7), y)), red)
    assert not near(image.getpixel((px(297 + 3.3), y)), red)
