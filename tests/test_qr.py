"""QR codes (```qr blocks, layout defaults): they decode, print in black alone, are big
enough, and preflight says so when one does not read back."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
from conftest import build
from PIL import Image

from leaflets.build.plan import plan
from leaflets.build.steps import renderer_for
from leaflets.checks.qr import placed_codes
from leaflets.layout import qr
from leaflets.project import Project

pytestmark = pytest.mark.skipif(shutil.which("zbarimg") is None, reason="needs zbar-tools")

PIECE = """---
layout: leaflet-a4
title: "Mã QR"
date: 2026-10-10
print:
  quantity: 100
  paper: "Couché 150 g/m²"
  licence: "Giấy phép xuất bản số 1/GP ngày 01 tháng 10 năm 2026"
---

::: front
Trang trước.
:::

::: back
Liên hệ đường dây nóng.

```qr
{body}
```
:::
"""
HOTLINE = "tel: site.agency.hotline\ncaption: Gọi đường dây nóng"
DPI = 300


def expected(composed) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'data-qr="([^"]*)"', composed.html)]


def zbar(png) -> list[str]:
    """The text of every QR code zbarimg reads in `png`."""
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line]


def test_sample_codes_decode_print_in_black_alone_and_are_large_enough(make_project, tmp_path):
    root = make_project(pieces=("to-roi-chuan-ngheo", "to-gap-vi-nguoi-ngheo"))
    the_plan, results = build(root)
    for job in the_plan.jobs:
        result = results[job.name]
        assert result.status == "built", [p.format(root) for p in result.problems]
        assert not [p for p in result.problems if p.code == "qr-unreadable"]
        wanted = expected(job.composed)
        # the leaflet's own block; the tri-fold's back panel gets the layout's default
        assert wanted == ["https://sonnguyen.gov.vn/giamngheo"], job.name
        pdf = job.outputs[0].path
        read = []
        for page in (1, 2):
            png = tmp_path / f"{job.name}-{page}"
            subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", "-f", str(page), "-l",
                            str(page), str(pdf), str(png)], check=True)
            read += zbar(f"{png}.png")
        assert sorted(read) == sorted(wanted)
        # Where the code is drawn (the layout tree), and its module size as laid out.
        rendered = renderer_for(the_plan).render(job.composed)
        [placed] = placed_codes(rendered)
        assert placed.module_mm >= 0.4
        # Pure K: Ghostscript's CMYK rendering of that page, cropped to the code.
        tiff = tmp_path / f"{job.name}.tif"
        subprocess.run(["gs", "-q", "-o", str(tiff), "-sDEVICE=tiff32nc", f"-r{DPI}",
                        f"-dFirstPage={placed.page}", f"-dLastPage={placed.page}", str(pdf)], check=True)
        layout = job.composed.layout
        offset = (layout.media_margin - layout.bleed) / 25.4 * DPI  # print page origin -> laid-out page
        x0, y0, x1, y1 = (round(offset + v / 96 * DPI) for v in placed.rect)
        region = Image.open(tiff).crop((x0 + 3, y0 + 3, x1 - 3, y1 - 3))
        c, m, y, k = (band.getextrema() for band in region.split())
        assert c == m == y == (0, 0), (job.name, c, m, y)
        assert k == (0, 255), k


def _tampered(text: str) -> str:
    return text + "x"


@pytest.mark.parametrize("how", ["other-text", "covered"])
def test_a_broken_code_is_an_error(make_project, monkeypatch, how):
    root = make_project({"content/pieces/ma-qr.md": PIECE.format(body=HOTLINE)}, with_samples=False)
    drawn = qr.svg

    def broken(code, ink, paper):
        if how == "other-text":  # the drawing encodes something else than data-qr says
            return drawn(qr.make(_tampered(code.text), code.level, code.module_mm), ink, paper)
        return drawn(code, ink, ink)  # covered: the quiet zone and modules all dark

    monkeypatch.setattr(qr, "svg", broken)
    _, results = build(root, ["ma-qr"])
    found = [p for p in results["ma-qr"].problems if p.code == "qr-unreadable"]
    assert len(found) == 1, [p.format(root) for p in results["ma-qr"].problems]
    assert found[0].is_error and found[0].page == 2
    assert "tel:18006868" in found[0].text
    assert found[0].line == PIECE.format(body=HOTLINE).splitlines().index("```qr") + 1
    assert results["ma-qr"].status == "failed"


def test_without_zbarimg_a_note_says_the_check_was_skipped(make_project, monkeypatch):
    root = make_project({"content/pieces/ma-qr.md": PIECE.format(body=HOTLINE)}, with_samples=False)
    monkeypatch.setattr("leaflets.checks.qr.shutil.which", lambda name: None)
    _, results = build(root, ["ma-qr"])
    notes = [p.text for p in results["ma-qr"].problems if "zbarimg" in p.text]
    assert results["ma-qr"].status == "built"
    assert notes and "not read back" in notes[0] and "zbar-tools" in notes[0]


def composed_html(root, name):
    the_plan = plan(Project.at(root), [name])
    job = the_plan.jobs[0]
    return job, [p.format(root) for p in job.problems if p.is_error]


def test_a_bad_field_name_is_an_error_naming_the_line(make_project):
    root = make_project({"content/pieces/ma-qr.md": PIECE.format(body="field: site.agency.websit")},
                        with_samples=False)
    _, errors = composed_html(root, "ma-qr")
    line = PIECE.format(body="").splitlines().index("```qr") + 1
    assert len(errors) == 1, errors
    assert f"content/pieces/ma-qr.md:{line}:" in errors[0]
    assert "site.agency.websit" in errors[0] and "site.agency.website" in errors[0]


@pytest.mark.parametrize("body, problem", [
    ("caption: x", "exactly one of url:, field: or tel:"),
    ("url: https://a.vn\ntel: site.agency.hotline", "exactly one of"),
    ("tel: site.agency.email", "not a phone number"),
    ("url: https://a.vn\nerror: H", "error"),
])
def test_other_bad_blocks(make_project, body, problem):
    root = make_project({"content/pieces/ma-qr.md": PIECE.format(body=body)}, with_samples=False)
    job, errors = composed_html(root, "ma-qr")
    assert errors and problem in errors[0], errors


def test_layout_default_and_what_the_piece_says(make_project):
    root = make_project(pieces=("to-gap-vi-nguoi-ngheo",))
    path = root / "content/pieces/to-gap-vi-nguoi-ngheo.md"
    text = path.read_text(encoding="utf-8")
    job, errors = composed_html(root, "to-gap-vi-nguoi-ngheo")
    assert not errors and expected(job.composed) == ["https://sonnguyen.gov.vn/giamngheo"]
    assert "Quét mã để xem trang tin giảm nghèo" in html.unescape(job.composed.html)
    # The piece's own code replaces the layout's; show: false removes it.
    path.write_text(text.replace("```contact\n```", "```qr\ntel: site.agency.hotline\n```"), encoding="utf-8")
    job, errors = composed_html(root, "to-gap-vi-nguoi-ngheo")
    assert not errors and expected(job.composed) == ["tel:18006868"]
    path.write_text(text.replace("```contact\n```", "```qr\nshow: false\n```"), encoding="utf-8")
    job, errors = composed_html(root, "to-gap-vi-nguoi-ngheo")
    assert not errors and expected(job.composed) == []


def test_module_size_below_the_print_minimum_is_refused_in_the_layout(make_project):
    root = make_project(pieces=("to-gap-vi-nguoi-ngheo",))
    toml = root / "layouts/trifold-a4/layout.toml"
    text = toml.read_text(encoding="utf-8").replace("module_mm = 0.5", "module_mm = 0.3")
    toml.write_text(text, encoding="utf-8")
    _, errors = composed_html(root, "to-gap-vi-nguoi-ngheo")
    line = text.splitlines().index("module_mm = 0.3") + 1
    assert any(f"layout.toml:{line}:" in e and "0.4 mm" in e for e in errors), errors


def test_code_is_vector_with_quiet_zone_and_level():
    code = qr.make("tel:18006868", "Q", 0.5)
    svg = str(qr.svg(code, "#231F20", "#FFFFFF"))
    assert code.span == code.modules + 8
    assert f'viewBox="0 0 {code.span} {code.span}"' in svg and "<path" in svg and "<image" not in svg
    assert f'width="{code.span * 0.5:.3f}mm"' in svg
    # A layout read from 2 m: the code is at least 200 mm wide.
    assert qr.make("tel:18006868", "M", 0.5, distance_m=2).size_mm >= 200 - 1e-6


def test_codes_are_read_where_they_are_drawn_without_the_whole_page(make_project, monkeypatch):
    # The part of the page around the codes reads them all: the whole page (slow: a zbarimg of
    # a 300 dpi A4) is only a fallback, so reading less can never make a finding.
    from leaflets.checks import qr as check

    calls = []
    real = check.decoded

    def recording(pdf, page, module_mm, scale, folder, around=None):
        calls.append(around is not None)
        return real(pdf, page, module_mm, scale, folder, around)

    monkeypatch.setattr(check, "decoded", recording)
    root = make_project(pieces=("to-roi-chuan-ngheo", "to-gap-vi-nguoi-ngheo"))
    _, results = build(root)
    assert all(r.status == "built" for r in results.values())
    assert calls == [True, True], calls
