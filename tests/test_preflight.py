"""Preflight: each check trips on a fixture made to trip it, and stays quiet on the samples."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import unicodedata

import pikepdf
import pytest
from conftest import REPO, build, run_cli
from PIL import Image

from leaflets.checks.codes import CHECKS
from leaflets.checks.pdf import pdf_findings
from leaflets.checks.text import legacy_encoding
from leaflets.layout.fonts import cmap, load_fonts

FACES = load_fonts(REPO / "fonts")
LEAFLET = (REPO / "content" / "pieces" / "to-roi-chuan-ngheo.md").read_text(encoding="utf-8")
TRIFOLD = (REPO / "content" / "pieces" / "to-gap-vi-nguoi-ngheo.md").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def findings(root, name):
    _, results = build(root, [name])
    return results[name], [p for p in results[name].problems if p.code]


def codes(found) -> set[str]:
    return {p.code for p in found}


# --- passing: the sample print run is clean ----------------------------------------

def test_sample_run_preflights_clean(sample_build):
    root, _, results = sample_build
    for result in results.values():
        assert [p.format(root) for p in result.problems if p.code] == []
    report = json.loads((root / "dist" / "preflight.json").read_text(encoding="utf-8"))
    assert report["errors"] == 0 and report["warnings"] == 0
    assert {p["piece"] for p in report["pieces"]} == set(results)


def test_every_check_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for check in CHECKS:
        assert f"`{check.code}`" in readme, check.code


# --- content checks ------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Gi¶m nghÌo bÒn v÷ng", "TCVN3 (ABC, .VnTime)"),
    ("TiÕng ViÖt", "TCVN3 (ABC, .VnTime)"),
    ("Tieáng Vieät, Ngöôøi daân", "VNI (VNI-Times)"),
    ("Giáº£m nghÃ¨o bá»n vá»¯ng", "UTF-8 read as Windows-1252"),
    ("Giảm nghèo bền vững, hoà, thuý, khoẻ, ĕ ŏ ơ̆, ½ số hộ, VÕ Thị Sáu", None),
])
def test_legacy_encoding_signatures(text, expected):
    assert legacy_encoding(unicodedata.normalize("NFC", text)) == expected


def test_legacy_encoding_points_at_file_and_line(make_project):
    text = LEAFLET.replace("::: back\n", "::: back\nChÝnh s¸ch hç trî hé nghÌo.\n\n", 1)
    root = make_project({"content/pieces/to-roi-chuan-ngheo.md": text})
    result, found = findings(root, "to-roi-chuan-ngheo")
    assert result.status == "failed"
    assert [(p.code, p.line) for p in found if p.code == "legacy-encoding"] == \
        [("legacy-encoding", line_of(text, "ChÝnh"))]


def test_nfd_text_is_a_warning_with_its_line(make_project):
    nfd_line = unicodedata.normalize("NFD", "Hộ nghèo được hỗ trợ vay vốn.")
    text = LEAFLET.replace("::: back\n", f"::: back\n{nfd_line}\n\n", 1)
    root = make_project({"content/pieces/to-roi-chuan-ngheo.md": text})
    result, found = findings(root, "to-roi-chuan-ngheo")
    assert result.status == "built"
    assert [(p.code, p.severity, p.line) for p in found] == \
        [("not-nfc", "warning", line_of(text, nfd_line))]


@pytest.mark.parametrize("placeholder", ["TODO", "TBD", "XXX", "Lorem ipsum", "[[số điện thoại]]"])
def test_placeholders(make_project, placeholder):
    text = LEAFLET.replace("::: back\n", f"::: back\nGọi {placeholder} để biết thêm.\n\n", 1)
    root = make_project({"content/pieces/to-roi-chuan-ngheo.md": text})
    result, found = findings(root, "to-roi-chuan-ngheo")
    assert result.status == "failed"
    assert [(p.code, p.line) for p in found] == [("placeholder", line_of(text, f"Gọi {placeholder}"))]


def test_empty_slot(make_project):
    text = re.sub(r"::: flap\n.*?\n:::\n", "::: flap\n:::\n", TRIFOLD, count=1, flags=re.S)
    root = make_project({"content/pieces/to-gap-vi-nguoi-ngheo.md": text})
    result, found = findings(root, "to-gap-vi-nguoi-ngheo")
    assert result.status == "failed"
    assert [(p.code, p.slot, p.line) for p in found] == [("empty-slot", "flap", line_of(text, "::: flap"))]


def test_data_used_outside_its_validity_dates(make_project):
    # The sample names the 2022–2025 standard, in force through 2026 by its extension:
    # dated 2027, it is expired (more in test_poverty_standard.py).
    text = re.sub(r"^date: .*$", "date: 2027-03-01", LEAFLET, count=1, flags=re.M)
    root = make_project({"content/pieces/to-roi-chuan-ngheo.md": text})
    result, found = findings(root, "to-roi-chuan-ngheo")
    assert result.status == "failed"
    expired = [p for p in found if p.code == "data-expired"]
    assert [p.line for p in expired] == [line_of(text, "date: 2027")]
    assert "the poverty standard 2022–2025, valid 01/01/2022–31/12/2026 (extended from 31/12/2025)" \
        in expired[0].message
    assert "dated 01/03/2027" in expired[0].message
    assert "the standard in force then is 2027–2030" in expired[0].message


# --- layout-tree checks ----------------------------------------------------------------

def test_missing_glyph_names_character_font_slot_and_line(make_project):
    text = LEAFLET.replace("::: back\n", "::: back\nChữ Gia-va ꦗ ở đây.\n\n", 1)
    root = make_project({"content/pieces/to-roi-chuan-ngheo.md": text})
    result, found = findings(root, "to-roi-chuan-ngheo")
    assert result.status == "failed"
    assert [(p.code, p.slot, p.page, p.line) for p in found] == \
        [("missing-glyph", "back", 2, line_of(text, "::: back"))]
    assert "U+A997 JAVANESE LETTER JA" in found[0].message and "Noto Sans 400 normal" in found[0].message


def test_font_fallback_is_a_warning(make_project):
    sans = cmap(REPO / "fonts" / "NotoSans-Regular.ttf")
    serif = cmap(REPO / "fonts" / "NotoSerif-Regular.ttf")
    char = chr(min(c for c in sans - serif if unicodedata.category(chr(c)) == "Lo"))  # Devanagari A
    booklet = (REPO / "content" / "pieces" / "so-tay-giam-ngheo.md").read_text(encoding="utf-8")
    text = booklet.replace("::: body\n", f"::: body\n{char} trong thân bài.\n\n", 1)
    root = make_project({"content/pieces/so-tay-giam-ngheo.md": text})
    result, found = findings(root, "so-tay-giam-ngheo")
    assert result.status == "built"
    assert ("font-fallback", "warning") in {(p.code, p.severity) for p in found}
    assert any(f"U+{ord(char):04X}" in p.message and "Noto Serif" in p.message for p in found)


def test_reversed_type_under_8_pt(make_project):
    root = make_project()
    css = root / "layouts" / "_base" / "folded.css"
    css.write_text(css.read_text(encoding="utf-8") +
                   "\n.role--front-cover .agency-line { font-size: 7pt; }\n", encoding="utf-8")
    result, found = findings(root, "to-gap-vi-nguoi-ngheo")
    assert result.status == "built"
    assert [(p.code, p.slot, p.page) for p in found] == [("reversed-type", "cover", 1)]


def test_text_in_the_safe_zone(make_project):
    root = make_project()
    css = root / "layouts" / "trifold-a4" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.panel--flap { --pad: 2mm; }\n", encoding="utf-8")
    result, found = findings(root, "to-gap-vi-nguoi-ngheo")
    assert result.status == "failed"
    assert {(p.code, p.slot) for p in found} == {("safe-zone", "flap")}


def test_image_across_a_fold(make_project):
    text = TRIFOLD.replace("::: flap\n", "::: flap\n{.wide}\n![Ảnh](../images/cover-village.svg)\n\n", 1)
    root = make_project({"content/pieces/to-gap-vi-nguoi-ngheo.md": text})
    css = root / "layouts" / "trifold-a4" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") +
                   "\n.wide img { max-width: none; width: 120mm; height: 15mm; }\n", encoding="utf-8")
    result, found = findings(root, "to-gap-vi-nguoi-ngheo")
    assert result.status == "failed"
    assert {(p.code, p.slot) for p in found} == {("image-edge", "flap")}


# --- PDF checks ------------------------------------------------------------------------

def _sample_pdf(sample_build, name="to-roi-chuan-ngheo"):
    _, _, results = sample_build
    return results[name].job.outputs[0].path.read_bytes()


def _check(pdf: bytes, **kw):
    args = dict(trim_mm=(210, 297), bleed_mm=3, faces=FACES, pages=2)
    args.update(kw)
    return pdf_findings(pdf, REPO / "x.md", "x.pdf", **args)


def _edit(pdf: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        change(document)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def test_pdf_checks_pass_on_a_sample(sample_build):
    assert _check(_sample_pdf(sample_build)) == []


def test_pdf_boxes(sample_build):
    def shrink(document):
        box = [float(v) for v in document.pages[1].obj.TrimBox]
        document.pages[1].obj.TrimBox = pikepdf.Array([box[0], box[1], box[2] - 10, box[3]])
    found = _check(_edit(_sample_pdf(sample_build), shrink))
    assert "page-boxes" in codes(found) and {p.page for p in found if p.page} == {2}


def test_pdf_page_count(sample_build):
    def drop(document):
        del document.pages[1]
    assert codes(_check(_edit(_sample_pdf(sample_build), drop))) == {"page-count"}
    assert codes(_check(_sample_pdf(sample_build), pages=None, multiple=4)) == {"page-count"}


def test_pdf_annotations_forms_scripts_encryption(sample_build):
    def annotate(document):
        document.pages[0].obj.Annots = pikepdf.Array([document.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10]))])
        document.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array())
        document.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")
    found = _check(_edit(_sample_pdf(sample_build), annotate))
    assert [p.code for p in found] == ["pdf-extras"] * 3
    with pikepdf.open(io.BytesIO(_sample_pdf(sample_build))) as document:
        out = io.BytesIO()
        document.save(out, encryption=pikepdf.Encryption(owner="o", user=""))
    assert "pdf-extras" in codes(_check(out.getvalue()))


def test_pdf_fonts(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "helvetica.pdf"
    c = canvas.Canvas(str(path), pagesize=(216 * 72 / 25.4, 303 * 72 / 25.4))
    c.drawString(100, 100, "Helvetica")
    c.showPage()
    c.save()
    found = [p for p in _check(path.read_bytes(), pages=1) if p.code == "fonts"]
    assert [p.message for p in found] == ["x.pdf: font Helvetica is not embedded"]


# --- the deliberately broken sample ------------------------------------------------------

def test_broken_sample_gives_exactly_the_expected_findings(make_project):
    """Overflow, a missing glyph, a 72-ppi image and TCVN3 text, each at its file and line."""
    text = LEAFLET
    text = text.replace("::: front\n", "::: front\n![Ảnh nhỏ](../images/anh-72ppi.png)\n\n", 1)
    text = text.replace("::: back\n", "::: back\nChÝnh s¸ch hç trî hé nghÌo.\n\nChữ ꦗ lạ.\n\n", 1)
    overflow = "Hộ gia đình được rà soát hằng năm, có họp dân bình xét công khai. " * 60
    text = text.replace("## Ba mục tiêu chính", overflow + "\n\n## Ba mục tiêu chính", 1)
    root = make_project({"content/pieces/to-roi-chuan-ngheo.md": text})
    # 72 ppi across the 85 mm column: 241 px wide
    Image.new("RGB", (241, 160), (200, 120, 60)).save(root / "content" / "images" / "anh-72ppi.png")
    done = run_cli(root, "preflight", "to-roi-chuan-ngheo")
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if line.startswith("content/")]
    got = sorted((re.match(r"(\S+?:\d+): (?:warning: )?\[([a-z-]+)\]", line).groups()) for line in lines)
    where = "content/pieces/to-roi-chuan-ngheo.md"
    assert got == sorted([
        (f"{where}:{line_of(text, '![Ảnh nhỏ]')}", "image-resolution"),
        (f"{where}:{line_of(text, 'ChÝnh')}", "legacy-encoding"),
        (f"{where}:{line_of(text, '::: back')}", "missing-glyph"),
        (f"{where}:{line_of(text, '::: front')}", "overflow"),
    ]), done.stdout
    report = json.loads((root / "dist" / "preflight.json").read_text(encoding="utf-8"))
    assert sorted(f["code"] for f in report["pieces"][0]["findings"]) == \
        ["image-resolution", "legacy-encoding", "missing-glyph", "overflow"]
    assert not (root / "dist" / "print" / "to-roi-chuan-ngheo.pdf").exists()


def test_preflight_writes_no_print_file_and_reuses_the_build(make_project):
    root = make_project(pieces=("to-gap-vi-nguoi-ngheo", "so-tay-giam-ngheo"))
    first = run_cli(root, "preflight")
    assert first.returncode == 0, first.stdout + first.stderr
    assert not (root / "dist" / "print").exists()
    assert (root / "dist" / "preflight.json").is_file()
    assert run_cli(root).returncode == 0
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    timed = subprocess.run([sys.executable, "-X", "importtime", str(REPO / "build.py"), "--project",
                            str(root), "preflight"], capture_output=True, text=True, env=env)
    assert timed.returncode == 0
    # nothing changed since the build: its findings are reused, WeasyPrint is never imported
    assert "weasyprint" not in {line.split("|")[-1].strip() for line in timed.stderr.splitlines()}


def test_strict_makes_warnings_fail(make_project):
    nfd_line = unicodedata.normalize("NFD", "Hộ nghèo được hỗ trợ vay vốn.")
    text = LEAFLET.replace("::: back\n", f"::: back\n{nfd_line}\n\n", 1)
    root = make_project({"content/pieces/to-roi-chuan-ngheo.md": text})
    assert run_cli(root, "preflight", "to-roi-chuan-ngheo").returncode == 0
    assert run_cli(root, "preflight", "--strict", "to-roi-chuan-ngheo").returncode == 1
    strict_build = run_cli(root, "build", "--strict", "to-roi-chuan-ngheo")
    assert strict_build.returncode == 1
    assert not (root / "dist" / "print" / "to-roi-chuan-ngheo.pdf").exists()
