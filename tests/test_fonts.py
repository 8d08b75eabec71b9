"""The bundled fonts cover Vietnamese and the minority orthographies, and are the only fonts used."""

from __future__ import annotations

import subprocess
import unicodedata

import pytest
from conftest import REPO, build
from fontTools.ttLib import TTFont

from leaflets.layout.fonts import cmap, load_fonts
from leaflets.press.embedded_fonts import embedded_fonts, foreign_fonts

VOWELS = "a ă â e ê i o ô ơ u ư y".split()
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # none, huyền, sắc, hỏi, ngã, nặng
MINORITY = "ĕ ĭ ŏ ŭ Ĕ Ŏ ê̆ ô̆ ơ̆ ư̆ Ê̆ Ô̆ Ơ̆ Ư̆ ƀ Ƀ č Č ñ ŋ ₫"  # PRINT-SPEC §5


def vietnamese_letters() -> list[str]:
    letters = []
    for vowel in VOWELS:
        for tone in TONES:
            for case in (vowel, vowel.upper()):
                letters.append(unicodedata.normalize("NFC", case + tone))
    return letters + ["đ", "Đ"]


FACES = load_fonts(REPO / "fonts")


def test_letter_list_is_complete():
    letters = vietnamese_letters()
    assert len(letters) == 12 * 6 * 2 + 2
    # every toned vowel has a precomposed code point: one character each
    assert all(len(letter) == 1 for letter in letters)
    assert "ỵ" in letters and "Ữ" in letters and "Ặ" in letters


@pytest.mark.parametrize("face", FACES, ids=lambda f: f.path.name)
def test_every_vietnamese_letter_has_a_glyph(face):
    mapped = cmap(face.path)
    missing = [c for c in vietnamese_letters() if ord(c) not in mapped]
    assert not missing, f"{face.path.name} lacks {missing}"


@pytest.mark.parametrize("face", FACES, ids=lambda f: f.path.name)
def test_minority_orthographies_have_glyphs(face):
    mapped = cmap(face.path)
    text = unicodedata.normalize("NFC", MINORITY.replace(" ", ""))
    missing = [f"U+{ord(c):04X}" for c in text if ord(c) not in mapped]
    assert not missing, f"{face.path.name} lacks {missing}"
    assert 0x0306 in mapped  # combining breve, for ê̆ ô̆ ơ̆ ư̆ â̆


@pytest.mark.parametrize("face", FACES, ids=lambda f: f.path.name)
def test_manifest_matches_the_font_files(face):
    with TTFont(face.path, lazy=True) as font:
        assert font["OS/2"].usWeightClass == face.weight
        italic = bool(font["OS/2"].fsSelection & 1)
        assert italic == (face.style == "italic")
        family = font["name"].getDebugName(16) or font["name"].getDebugName(1)
        assert family.startswith(face.family)


def test_every_font_file_is_listed_and_licensed():
    listed = {f.path.name for f in FACES}
    on_disk = {p.name for p in (REPO / "fonts").glob("*.ttf")}
    assert listed == on_disk
    licence = (REPO / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


@pytest.mark.parametrize("face", FACES, ids=lambda f: f.path.name)
def test_no_latin_decompositions_left(face):
    """prepare_fonts.py ran: no precomposed Latin letter is split into glyphs by GSUB."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("prepare_fonts", REPO / "fonts" / "prepare_fonts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with TTFont(face.path) as font:
        assert module.latin_decompositions(font) == []


def test_sample_pdfs_use_only_bundled_fonts(sample_build):
    _, _, results = sample_build
    for result in results.values():
        path = result.job.outputs[0].path
        fonts = embedded_fonts(path)
        assert fonts and all(f.embedded for f in fonts)
        assert foreign_fonts(path, FACES) == [], result.job.name
        # poppler agrees: every font it lists is embedded
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
        assert out and all(line.split()[-5] == "yes" for line in out if line.strip())


def test_a_foreign_font_is_recognised(tmp_path):
    """The check can fail: a PDF with a font that is not bundled is reported."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "helvetica.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(100, 100, "Helvetica is not bundled")
    c.save()
    assert foreign_fonts(path, FACES) == ["Helvetica"]


def test_no_system_font_reaches_the_pdf_through_fallback(make_project):
    """Characters the fonts lack (Javanese, CJK) must not pull in a machine font.

    The build refuses such a piece (missing-glyph); rendered anyway, its PDF
    still holds only bundled fonts, the missing characters drawn as boxes.
    """
    from leaflets.build.plan import plan
    from leaflets.project import Project
    from leaflets.render.engine import Renderer

    piece = (REPO / "content" / "pieces" / "to-roi-chuan-ngheo.md").read_text(encoding="utf-8")
    piece = piece.replace("::: back\n", "::: back\nꦗꦮ 漢字 ", 1)
    root = make_project({"content/pieces/to-roi-chuan-ngheo.md": piece})
    _, results = build(root, ["to-roi-chuan-ngheo"])
    assert results["to-roi-chuan-ngheo"].status == "failed"
    found = results["to-roi-chuan-ngheo"].problems
    assert {p.code for p in found if p.severity != "note"} == {"missing-glyph"}
    job = plan(Project.at(root), ["to-roi-chuan-ngheo"]).jobs[0]
    pdf = Renderer(Project.at(root)).render(job.composed).pdf
    path = root / "rendered.pdf"
    path.write_bytes(pdf)
    assert "漢字" in subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert foreign_fonts(path, FACES) == []
