"""Saddle-stitched booklets: flowing pages, padding, imposition order, creep, bleed at the spine."""

from __future__ import annotations

import re

import pikepdf
import pypdfium2
import pytest
from conftest import REPO, build

from leaflets.press.impose import creep_shifts, saddle_stitch_order, total_creep

PT = 72 / 25.4


def booklet(chapters: int, thickness: float | None = 0.1, title: str = "Sổ tay thử") -> str:
    """A booklet whose every page shows PAGE-<n>: covers by their text, body pages by chapter."""
    pages = chapters + 4
    body = "\n\n".join(f"# PAGE-{i + 3}\n\nNội dung trang {i + 3}." for i in range(chapters))
    paper = f"\n  paper_thickness: {thickness}" if thickness is not None else ""
    return f"""---
layout: booklet-a5
title: "{title}"
print:
  quantity: 100
  paper: "Couché 120 g/m²"
  licence: "Giấy phép thử số 1/GP-STTTT"{paper}
---
::: cover
PAGE-1
:::
::: inside-front
PAGE-2
:::
::: body
{body}
:::
::: inside-back
PAGE-{pages - 1}
:::
::: back
PAGE-{pages}
:::
"""


def test_formula_matches_print_spec():
    assert saddle_stitch_order(8) == [((8, 1), (2, 7)), ((6, 3), (4, 5))]
    assert saddle_stitch_order(4) == [((4, 1), (2, 3))]
    with pytest.raises(ValueError):
        saddle_stitch_order(6)


def test_creep_numbers():
    assert creep_shifts(4, 0.1) == [0.0]
    assert creep_shifts(28, 0.1) == pytest.approx([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    assert total_creep(28, 0.1) == pytest.approx(0.6)
    assert creep_shifts(28, 0.0) == [0.0] * 7


def _halves(path, sheet_index):
    """Text of the left and right page of one imposed sheet side, read from the PDF."""
    with pikepdf.open(path) as pdf:
        trim = [float(v) for v in pdf.pages[sheet_index].obj.TrimBox]
    spine = (trim[0] + trim[2]) / 2
    page = pypdfium2.PdfDocument(str(path))[sheet_index]
    text = page.get_textpage()
    left = text.get_text_bounded(trim[0] - 3 * PT, trim[1], spine, trim[3])
    right = text.get_text_bounded(spine, trim[1], trim[2] + 3 * PT, trim[3])
    return left, right


def _page_number(text: str) -> int:
    found = set(re.findall(r"PAGE-(\d+)", text))
    assert len(found) == 1, text
    return int(found.pop())


@pytest.mark.parametrize("pages", [4, 8, 12, 28])
def test_imposed_order_read_from_the_pdf(make_project, pages):
    root = make_project({"content/pieces/bk.md": booklet(pages - 4)}, with_samples=False)
    _, results = build(root)
    result = results["bk"]
    assert result.status == "built", [p.format(root) for p in result.problems]
    paths = {o.kind: o.path for o in result.job.outputs}
    single, imposed = paths["print"], paths["imposed"]
    with pikepdf.open(single) as pdf:
        assert len(pdf.pages) == pages
    with pikepdf.open(imposed) as pdf:
        assert len(pdf.pages) == pages // 2  # a front and a back per sheet
    for k in range(1, pages // 4 + 1):
        front = tuple(_page_number(t) for t in _halves(imposed, 2 * (k - 1)))
        back = tuple(_page_number(t) for t in _halves(imposed, 2 * (k - 1) + 1))
        assert front == (pages - 2 * k + 2, 2 * k - 1)
        assert back == (2 * k, pages - 2 * k + 1)


def _heading_x(path, sheet_index, marker: str) -> float:
    page = pypdfium2.PdfDocument(str(path))[sheet_index]
    text = page.get_textpage()
    found = text.search(marker)
    hit = found.get_next()
    assert hit, marker
    index, _ = hit
    return text.get_charbox(index)[0]


def test_creep_moves_the_innermost_sheet_toward_the_spine(make_project):
    pages, thickness = 28, 0.1
    x = {}
    for t in (thickness, 0.0):
        root = make_project({"content/pieces/bk.md": booklet(pages - 4, t)}, with_samples=False,
                            name=f"t{t}")
        _, results = build(root)
        imposed = results["bk"].job.outputs[1].path
        # sheet 2 front is [26 | 3], sheet 7 (innermost) front is [16 | 13]: body pages whose
        # chapter heading sits at the same place on its page, so only creep moves it
        x[t] = {page: _heading_x(imposed, index, f"PAGE-{page}")
                for index, page in ((2, 26), (2, 3), (12, 16), (12, 13))}
    # with no thickness nothing moves: left pages line up, right pages line up
    assert x[0.0][16] == pytest.approx(x[0.0][26], abs=0.01)
    assert x[0.0][13] == pytest.approx(x[0.0][3], abs=0.01)
    # the innermost sheet moves by the total creep, thickness × (pages/4 − 1), toward the spine
    assert (x[thickness][16] - x[0.0][16]) / PT == pytest.approx(total_creep(pages, thickness), abs=0.01)
    assert (x[0.0][13] - x[thickness][13]) / PT == pytest.approx(0.6, abs=0.01)
    # sheet 2 by one thickness
    assert (x[thickness][26] - x[0.0][26]) / PT == pytest.approx(thickness, abs=0.01)


def test_bleed_survives_imposition_but_not_at_the_spine(make_project):
    root = make_project({"content/pieces/bk.md": booklet(4)}, with_samples=False)
    _, results = build(root)
    imposed = results["bk"].job.outputs[1].path
    with pikepdf.open(imposed) as pdf:
        trim = [float(v) for v in pdf.pages[0].obj.TrimBox]
        bleed = [float(v) for v in pdf.pages[0].obj.BleedBox]
    assert [round((t - b) / PT, 2) for t, b in zip(trim[:2], bleed[:2], strict=True)] == [3, 3]
    scale = 4
    image = pypdfium2.PdfDocument(str(imposed))[0].render(scale=scale).to_pil().convert("RGB")
    height = image.height

    def at(x_pt: float, y_pt: float):
        return image.getpixel((round(x_pt * scale), round(height - y_pt * scale)))

    red = (0xB3, 0x26, 0x1E)

    def near(c, want, tol=14):
        return all(abs(a - b) <= tol for a, b in zip(c, want, strict=True))

    middle_y = (trim[1] + trim[3]) / 2
    spine = (trim[0] + trim[2]) / 2
    # sheet 1 front is [back cover | front cover]: the red cover runs into the outer bleed…
    assert near(at(trim[2] + 2.5 * PT, middle_y), red)
    assert not near(at(trim[2] + 3.5 * PT, middle_y), red)
    # …and stops exactly at the spine: no bleed of the cover over the back cover
    assert near(at(spine + 0.3 * PT, middle_y), red)
    assert not near(at(spine - 0.3 * PT, middle_y), red)


def test_booklet_grows_pages_instead_of_overflowing(make_project):
    root = make_project({"content/pieces/bk.md": booklet(9)}, with_samples=False)
    _, results = build(root)
    result = results["bk"]
    assert result.status == "built"
    assert result.pages == 16  # 13 pages of content, filled (test_booklet_finish.py)
    said = " ".join(p.format(root) for p in result.problems)
    assert "added 3 page(s) of ruled “Ghi chú” note pages before the back cover (16 pages)" in said
    text = pypdfium2.PdfDocument(str(result.job.outputs[0].path))
    # the padding pages come before the inside back cover and the back cover
    assert "PAGE-12" in text[14].get_textpage().get_text_range()  # inside back cover
    assert "PAGE-13" in text[15].get_textpage().get_text_range()  # back cover
    assert "PAGE" not in text[12].get_textpage().get_text_range()
    assert "Ghi chú" in text[12].get_textpage().get_text_range()


def test_booklet_cover_overflow_is_an_error(make_project):
    text = booklet(4).replace("PAGE-1\n", "PAGE-1\n\n" + "Lời giới thiệu rất dài. " * 400 + "\n")
    root = make_project({"content/pieces/bk.md": text}, with_samples=False)
    _, results = build(root)
    result = results["bk"]
    assert result.status == "failed"
    assert any(re.search(r"slot 'cover' does not fit its panel in layout 'booklet-a5' \(page 1\)",
                         p.message) for p in result.problems), [p.message for p in result.problems]


def test_contents_lists_chapters_with_page_numbers(make_project):
    text = booklet(4).replace("::: body\n", "::: body\n```contents\ntitle: Mục lục\n```\n\n")
    root = make_project({"content/pieces/bk.md": text}, with_samples=False)
    _, results = build(root)
    document = pypdfium2.PdfDocument(str(results["bk"].job.outputs[0].path))
    contents = " ".join(document[2].get_textpage().get_text_range().split())
    assert "Mục lục" in contents
    # chapter PAGE-n (after the contents page it moved by one) is listed with its real page
    for chapter in range(3, 7):
        assert re.search(rf"PAGE-{chapter}\s*\.*\s*{chapter + 1}\b", contents), contents


def test_household_chapters_open_on_new_pages(make_project):
    text = booklet(2).replace("::: body\n", "::: body\n```households\nshow: chapter\n```\n\n")
    root = make_project({"content/pieces/bk.md": text})
    _, results = build(root, ["bk"])
    result = results["bk"]
    assert result.status == "built", [p.format(root) for p in result.problems]
    document = pypdfium2.PdfDocument(str(result.job.outputs[0].path))
    # a name's syllables are joined by no-break spaces (layout/linebreaks.py)
    texts = [document[i].get_textpage().get_text_range().replace("\u00a0", " ")
             for i in range(len(document))]
    starts = [i for i, text in enumerate(texts) if text.lstrip().startswith("Hộ ")]
    names = sorted(p.read_text(encoding="utf-8").split('name: "')[1].split('"')[0]
                   for p in (REPO / "content" / "households").glob("*.md"))
    for name in names:
        pages = [i for i in starts if name in texts[i]]
        assert pages, name
