"""Folded work declared as data: bi-fold, Z-fold, a new fold with no Python; fold marks; shrink."""

from __future__ import annotations

import re

import pikepdf
import pypdfium2
import pytest
from conftest import PRINT_DETAILS, build

from leaflets.layout.load import load_layout

PT = 72 / 25.4


def piece_for(layout: str, slots: list[str], extra: str = "") -> str:
    body = "\n".join(f"::: {slot}\n## {slot.upper()}\nNội dung của ô {slot}.\n:::\n" for slot in slots)
    return f'---\nlayout: {layout}\ntitle: "Thử {layout}"\n{PRINT_DETAILS}{extra}---\n{body}'


FOLDED = {
    "bifold-a4": (297, 210, 2, ["back", "cover", "inside-left", "inside-right"], [(148.5,), (148.5,)]),
    "zfold-a4": (297, 210, 2, ["cover", "front-2", "front-3", "back", "back-2", "back-3"],
                 [(99, 198), (99, 198)]),
    "trifold-a4": (297, 210, 2, ["flap", "back", "cover", "inside-1", "inside-2", "inside-3"],
                   [(97, 197), (100, 200)]),
}


def dark(pixel) -> bool:
    return sum(pixel[:3]) < 3 * 160


def mark_pixels(image, trim, x_mm: float, above: bool, offset=3.0, length=5.0, scale=4) -> list:
    """Pixels along a vertical fold mark position, in the mark zone above or below the trim."""
    x = round((trim[0] + x_mm * PT) * scale)
    height = image.height
    out = []
    for step in range(1, 10):
        d = offset + length * step / 10
        y_pt = trim[3] + d * PT if above else trim[1] - d * PT
        out.append(image.getpixel((x, round(height - y_pt * scale))))
    return out


@pytest.mark.parametrize("name", FOLDED)
def test_folded_layout_builds_with_fold_marks_outside_the_bleed(make_project, name):
    width, height, pages, slots, folds = FOLDED[name]
    root = make_project({"content/pieces/thu.md": piece_for(name, slots)}, with_samples=False)
    _, results = build(root)
    result = results["thu"]
    assert result.status == "built", [p.format(root) for p in result.problems]
    path = result.job.outputs[0].path
    layout, _ = load_layout(root / "layouts", name)
    assert [side.boundaries for side in layout.sides] == folds
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == pages
        trim = [float(v) for v in pdf.pages[0].obj.TrimBox]
    assert (trim[2] - trim[0]) / PT == pytest.approx(width, abs=0.01)
    document = pypdfium2.PdfDocument(str(path))
    for index, side_folds in enumerate(folds):
        image = document[index].render(scale=4).to_pil().convert("RGB")
        for fold in side_folds:
            for above in (True, False):
                assert any(dark(p) for p in mark_pixels(image, trim, fold, above)), (index, fold)
        # and nothing where no fold is: halfway between the first fold and the left edge
        assert not any(dark(p) for p in mark_pixels(image, trim, side_folds[0] / 2, True))
    # each slot's text on its own panel
    for index, side in enumerate(layout.sides):
        text = document[index].get_textpage()
        for panel in side.panels:
            left = trim[0] + panel.x * PT
            inside = text.get_text_bounded(left, trim[1], left + panel.width * PT, trim[3])
            assert panel.slot.upper() in inside


GATE = """
title = "Tờ gấp cửa sổ A4 (gate fold), thử"
kind = "sheet"
fold = "gate"
stylesheets = ["../_base/folded.css"]

[page]
width = 297
height = 210

[[sides]]
name = "outside"
panels = [
  { slot = "left-door", width = 73.5, role = "inside" },
  { slot = "back", width = 150, role = "back-cover" },
  { slot = "right-door", width = 73.5, role = "front-cover" },
]

[[sides]]
name = "inside"
panels = [
  { slot = "inside-left", width = 74.25 },
  { slot = "inside-middle", width = 148.5 },
  { slot = "inside-right", width = 74.25 },
]
"""


def test_a_new_fold_needs_no_python(make_project):
    slots = ["left-door", "back", "right-door", "inside-left", "inside-middle", "inside-right"]
    root = make_project({"layouts/gate-a4/layout.toml": GATE,
                         "content/pieces/cua.md": piece_for("gate-a4", slots)}, with_samples=False)
    _, results = build(root)
    result = results["cua"]
    assert result.status == "built", [p.format(root) for p in result.problems]
    path = result.job.outputs[0].path
    with pikepdf.open(path) as pdf:
        trim = [float(v) for v in pdf.pages[1].obj.TrimBox]
    image = pypdfium2.PdfDocument(str(path))[1].render(scale=4).to_pil().convert("RGB")
    for fold in (74.25, 222.75):
        assert any(dark(p) for p in mark_pixels(image, trim, fold, True))


def test_flat_work_has_no_fold_marks(sample_build):
    _, _, results = sample_build
    path = results["to-roi-chuan-ngheo"].job.outputs[0].path
    with pikepdf.open(path) as pdf:
        trim = [float(v) for v in pdf.pages[0].obj.TrimBox]
    image = pypdfium2.PdfDocument(str(path))[0].render(scale=4).to_pil().convert("RGB")
    assert not any(dark(p) for p in mark_pixels(image, trim, 105, True))


LONG = "Hộ gia đình được rà soát hằng năm theo chuẩn nghèo đa chiều, có họp dân bình xét. " * 6


@pytest.mark.parametrize("name, slot", [("bifold-a4", "inside-left"), ("zfold-a4", "front-2")])
def test_overflow_of_a_folded_panel_is_an_error(make_project, name, slot):
    slots = FOLDED[name][3]
    text = piece_for(name, slots).replace(f"Nội dung của ô {slot}.", "\n\n".join([LONG] * 8))
    root = make_project({"content/pieces/thu.md": text}, with_samples=False)
    _, results = build(root)
    result = results["thu"]
    assert result.status == "failed"
    assert any(re.match(rf"slot '{slot}' does not fit its panel in layout '{name}' \(page \d\): "
                        r"\d+ line\(s\), about \d+\.\d mm of text", p.message)
               for p in result.problems), [p.message for p in result.problems]


def _with_shrink(root, minimum: float) -> None:
    toml = root / "layouts" / "zfold-a4" / "layout.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[page]", f"[shrink]\nfront-2 = {minimum}\n\n[page]"), encoding="utf-8")


def test_shrink_within_the_layouts_minimum_and_say_so(make_project):
    slots = FOLDED["zfold-a4"][3]
    text = piece_for("zfold-a4", slots).replace("Nội dung của ô front-2.", "\n\n".join([LONG] * 5))
    root = make_project({"content/pieces/thu.md": text}, with_samples=False)
    _, before = build(root)
    assert before["thu"].status == "failed"  # too long at the layout's size
    _with_shrink(root, 7.5)
    _, results = build(root)
    result = results["thu"]
    assert result.status == "built", [p.format(root) for p in result.problems]
    notes = [p.message for p in result.problems if p.severity == "note"]
    found = [re.match(r"slot 'front-2' set at (\d+\.\d) pt instead of (\d+\.\d) pt to fit its panel "
                      r"\(layout 'zfold-a4' allows down to 7.5 pt\)", n) for n in notes]
    found = [m for m in found if m]
    assert found, notes
    size, base = (float(v) for v in found[0].groups())
    assert 7.5 <= size < base
    # the type really is smaller in the PDF: the panel's body text is set below the base size
    textpage = pypdfium2.PdfDocument(str(result.job.outputs[0].path))[0].get_textpage()
    index = textpage.get_text_range().index("Hộ gia đình")
    assert textpage.get_charbox(index)  # present in the PDF


def test_shrink_that_cannot_fit_is_still_an_error(make_project):
    slots = FOLDED["zfold-a4"][3]
    text = piece_for("zfold-a4", slots).replace("Nội dung của ô front-2.", "\n\n".join([LONG] * 12))
    root = make_project({"content/pieces/thu.md": text}, with_samples=False)
    _with_shrink(root, 8.5)
    _, results = build(root)
    result = results["thu"]
    assert result.status == "failed"
    assert any("does not fit its panel" in p.message for p in result.problems)
    assert any("shrinking type to the layout's minimum was not enough" in p.message
               for p in result.problems)


def _panel_text(document, trim, layout, slot: str) -> str:
    """The words printed on one panel of a sheet, from the PDF."""
    for index, side in enumerate(layout.sides):
        for panel in side.panels:
            if panel.slot == slot:
                left = trim[0] + panel.x * PT
                return document[index].get_textpage().get_text_bounded(
                    left, trim[1], left + panel.width * PT, trim[3])
    raise AssertionError(slot)


def test_zfold_reading_views_follow_the_folds_and_the_steps_read_1_to_6(make_project):
    """Z-fold: the cover hinges on the first fold, so lifting it shows, left to right, the panel
    behind front-2 and the cover's own reverse; the sample's steps 1-6 read in that order."""
    from leaflets.review.previews import page_images, reader_views

    root = make_project(pieces=("to-gap-ra-soat",))
    _, results = build(root, variants=("xa-ia-hru",))
    result = next(iter(results.values()))
    assert result.status == "built", [p.format(root) for p in result.problems]
    layout, _ = load_layout(root / "layouts", "zfold-a4")
    front, back = layout.sides
    # The geometry: duplexed on the long edge, back panel i lies behind front panel n-1-i.
    behind = {f.slot: back.panels[len(front.panels) - 1 - i].slot for i, f in enumerate(front.panels)}
    assert behind == {"cover": "back-3", "front-2": "back-2", "front-3": "back"}
    hinge_side = [behind["front-2"], behind["cover"]]  # the cover lands to the right of front-2's back
    views = dict(layout.reading_views())
    labels = [label for label, _ in layout.reading_views()]
    assert labels[:2] == ["bìa trước", "mở bìa"] and views["bìa trước"] == ("cover",)
    assert list(views["mở bìa"]) == hinge_side
    assert [p.slot for p in back.panels] == list(views["mở hết, mặt sau"])
    assert [p.slot for p in front.panels] == list(views["mở hết, mặt trước"])

    # The steps, as a reader meets them view by view, read 1 to 6.
    path = result.job.outputs[0].path
    document = pypdfium2.PdfDocument(str(path))
    trim = [float(v) for v in document[0].get_trimbox()]
    steps: list[int] = []
    for _, panels in layout.reading_views():
        for slot in panels:
            for number in re.findall(r"^\s*([1-6]) \w", _panel_text(document, trim, layout, slot), re.M):
                if int(number) not in steps:
                    steps.append(int(number))
    assert steps == [1, 2, 3, 4, 5, 6]
    lifted = [_panel_text(document, trim, layout, slot).replace("\xa0", " ") for slot in views["mở bìa"]]
    assert "Các bước rà soát" in lifted[0] and "Công khai và công nhận" in lifted[1]

    # The preview of the lifted cover is those two panels side by side, not mirrored.
    pages = page_images(path.read_bytes(), layout)
    view = dict(reader_views(layout, pages))["mở bìa"]
    per_mm = pages[1].width / layout.width
    x = 0
    for slot in views["mở bìa"]:
        panel = next(p for p in back.panels if p.slot == slot)
        crop = pages[1].crop((round(panel.x * per_mm), 0, round((panel.x + panel.width) * per_mm),
                              pages[1].height))
        assert view.crop((x, 0, x + crop.width, view.height)).tobytes() == crop.tobytes(), slot
        x += crop.width
