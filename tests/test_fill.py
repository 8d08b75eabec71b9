"""The fill meter (how much of its panel's height a slot's content takes) and vertical balance."""

from __future__ import annotations

import json

import pytest
from conftest import PRINT_DETAILS, build, count_layouts, run_cli

from leaflets.build.plan import plan
from leaflets.build.steps import renderer_for
from leaflets.project import Project
from leaflets.render.fill import fills_of
from leaflets.render.shrink import render_fitting
from leaflets.render.tree import pages

MM = 96 / 25.4  # CSS px per mm
# A 100 × 100 mm card, 5 mm safe margin and padding: the slot has 90 mm of room.
# Every line of its text is 5 mm tall, paragraphs have no margins.
LAYOUT = """
title = "Thẻ thử"
kind = "sheet"
{extra}
[page]
width = 100
height = 100
safe = 5

[[sides]]
name = "front"
panels = [{{ slot = "main", width = 100{panel} }}]
"""
STYLE = "html { font-size: 10pt; line-height: 5mm; } p { margin: 0; }\n"


def _piece(lines: int, front: str = "") -> str:
    body = "\n\n".join(f"Dòng số {n}." for n in range(1, lines + 1))
    return f"---\nlayout: the\ntitle: \"Thẻ\"\n{front}{PRINT_DETAILS}---\n::: main\n{body}\n:::\n"


def _project(make_project, lines: int, front: str = "", extra: str = "", panel: str = ""):
    return make_project({"layouts/the/layout.toml": LAYOUT.format(extra=extra, panel=panel),
                         "layouts/the/style.css": STYLE,
                         "content/pieces/the.md": _piece(lines, front)}, with_samples=False)


def _underfull(result):
    return [p for p in result.problems if p.code == "underfull"]


def test_fill_is_measured_on_the_laid_out_page(make_project):
    root = _project(make_project, 9)  # 9 lines of 5 mm in 90 mm: half full
    _, results = build(root, ["the"])
    result = results["the"]
    assert result.status == "built", [p.format(root) for p in result.problems]
    [fill] = fills_of(result.problems)
    assert fill["slot"] == "main" and fill["page"] == 1
    assert fill["percent"] == pytest.approx(50, abs=1)
    assert fill["used_mm"] == pytest.approx(45, abs=0.5) and fill["room_mm"] == pytest.approx(90, abs=0.5)
    assert "the: fill of each panel: main 50 %" in [p.format(root) for p in result.problems][0] or \
        any("main 50 %" in p.format(root) for p in result.problems)
    report = json.loads((root / "dist" / "preflight.json").read_text(encoding="utf-8"))
    assert report["pieces"][0]["fill"][0]["percent"] == fill["percent"]


def test_underfull_under_the_minimum_with_the_room_left(make_project):
    root = _project(make_project, 9)
    _, results = build(root, ["the"])
    [found] = _underfull(results["the"])
    assert found.severity == "warning" and found.slot == "main" and found.page == 1
    assert found.line == 9  # the slot's opening line
    assert "slot 'main' uses only 50 % of its panel's height (about 9 line(s), 45 mm, left empty; " \
           "the layout asks for 70 %)" in found.message


def test_not_underfull_above_the_minimum(make_project):
    root = _project(make_project, 16)  # 80 of 90 mm
    _, results = build(root, ["the"])
    assert fills_of(results["the"].problems)[0]["percent"] == pytest.approx(89, abs=1)
    assert _underfull(results["the"]) == []


@pytest.mark.parametrize("extra, panel, underfull", [
    ("min_fill = 0.95\n", "", True),          # per layout
    ("", ", min_fill = 0.95", True),          # per panel
    ("[vertical]\nmain = { min_fill = 0 }\n", ", min_fill = 0.95", False),  # per slot: meant to be short
])
def test_the_minimum_is_layout_data(make_project, extra, panel, underfull):
    root = _project(make_project, 16, extra=extra, panel=panel)
    _, results = build(root, ["the"])
    assert bool(_underfull(results["the"])) is underfull


def _line_tops(root):
    """The top of every line of slot 'main', mm from the trim, after rendering as a build does."""
    the_plan = plan(Project.at(root), ["the"])
    [job] = the_plan.jobs
    _, rendered, problems = render_fitting(job.composed, the_plan.composer, renderer_for(the_plan))
    assert not [p for p in problems if p.is_error], problems
    return [box.margin_rect[1] / MM for box in pages(rendered.document)[0].walk() if box.kind == "line"]


@pytest.mark.parametrize("align, first, last", [
    ("top", 5.0, 45.0),
    ("center", 27.5, 67.5),      # 45 mm of spare room: half above
    ("bottom", 50.0, 90.0),
    ("spread", 5.0, 90.0),       # first line at the top, last one ends at the bottom
])
def test_align_moves_the_content(make_project, align, first, last):
    root = _project(make_project, 9, front=f"align: {{main: {align}}}\n")
    tops = _line_tops(root)
    assert len(tops) == 9
    assert tops[0] == pytest.approx(first, abs=0.4) and tops[-1] == pytest.approx(last, abs=0.4)
    if align == "spread":  # equal gaps, to the whole CSS px (0.26 mm) the blocks are moved by
        gaps = [b - a for a, b in zip(tops, tops[1:], strict=False)]
        assert max(gaps) - min(gaps) < 0.3


def test_spread_without_sections_keeps_paragraphs_near_and_centres_them(make_project):
    # 3 lines of 5 mm in 90 mm: 75 mm spare. Two gaps of 37.5 mm would scatter the text;
    # each gap is at most 2 lines (10 mm) and the rest (55 mm) centres the group.
    root = _project(make_project, 3, front="align: {main: spread}\n")
    tops = _line_tops(root)
    gaps = [b - a for a, b in zip(tops, tops[1:], strict=False)]
    assert gaps == [pytest.approx(15.0, abs=0.3)] * 2
    assert tops[0] == pytest.approx(5.0 + 27.5, abs=0.4)


def test_align_from_the_layout_and_not_underfull_when_aligned(make_project):
    root = _project(make_project, 9, panel=', align = "bottom"')
    assert _line_tops(root)[0] == pytest.approx(50.0, abs=0.4)
    _, results = build(root, ["the"])
    assert _underfull(results["the"]) == []  # aligned on purpose: measured, not warned
    assert fills_of(results["the"].problems)[0]["percent"] == pytest.approx(50, abs=1)


def test_spread_keeps_a_heading_with_its_text(make_project):
    root = _project(make_project, 0)
    text = _piece(0).replace("::: main\n", "::: main\n## Một\n\nDòng a.\n\n## Hai\n\nDòng b.\n", 1)
    text = text.replace("---\n::: main", "align: {main: spread}\n---\n::: main")
    (root / "content" / "pieces" / "the.md").write_text(text, encoding="utf-8")
    tops = _line_tops(root)
    assert len(tops) == 4
    assert tops[1] - tops[0] < 10 and tops[3] - tops[2] < 10  # each heading beside its line
    assert tops[2] - tops[1] > 40  # the spare room goes between the sections


@pytest.mark.parametrize("where", ["layout", "panel", "vertical", "piece"])
def test_an_unknown_align_value_is_an_error_with_its_line(make_project, where):
    extra = {"layout": 'align = "middle"\n', "vertical": '[vertical]\nmain = { align = "middle" }\n'}
    root = _project(make_project, 9, extra=extra.get(where, ""),
                    panel=', align = "middle"' if where == "panel" else "",
                    front="align: {main: middle}\n" if where == "piece" else "")
    done = run_cli(root, "preflight", "the")
    assert done.returncode == 1
    said = done.stdout + done.stderr
    if where == "piece":
        assert "content/pieces/the.md:4: align: slot 'main': 'middle' is not one of: " \
               "top, center, bottom, spread" in said, said
    else:
        line = next(n for n, text in enumerate(LAYOUT.format(extra=extra.get(where, ""),
                                                             panel="").splitlines(), 1)
                    if ("align" in text and where != "panel") or (where == "panel" and "slot" in text))
        assert f"layouts/the/layout.toml:{line}:" in said and "'middle'" in said, said
    assert "Traceback" not in said


def test_align_for_a_slot_the_layout_lacks(make_project):
    root = _project(make_project, 9, front="align: {inside-9: center}\n")
    done = run_cli(root, "preflight", "the")
    assert done.returncode == 1
    assert "content/pieces/the.md:4: align: 'inside-9' is not a panel of layout 'the'" in done.stdout + \
        done.stderr


def test_an_aligned_piece_is_laid_out_once(make_project, monkeypatch):
    # The heading is balanced from a skeleton (display type only); the piece is laid out once,
    # its aligned slot moved on the laid-out page, and that layout is what is written.
    calls = count_layouts(monkeypatch)
    root = _project(make_project, 0)
    heading = "## Chung tay vì người nghèo, không để ai bị bỏ lại phía sau trong năm nay\n\n"
    text = _piece(6, front="align: {main: bottom}\n").replace("::: main\n", "::: main\n" + heading, 1)
    (root / "content" / "pieces" / "the.md").write_text(text, encoding="utf-8")
    the_plan = plan(Project.at(root), ["the"])
    [job] = the_plan.jobs
    _, rendered, problems = render_fitting(job.composed, the_plan.composer, renderer_for(the_plan))
    assert not [p for p in problems if p.is_error], problems
    assert calls == ["skeleton", "layout"], calls
    assert "[data-lb=" in rendered.html  # balanced
    bottoms = [box.margin_rect[3] / MM for box in pages(rendered.document)[0].walk() if box.kind == "line"]
    assert max(bottoms) == pytest.approx(95.0, abs=0.4)  # the last line ends at the room's bottom
    [fill] = rendered.fills
    assert fill.top / MM == pytest.approx(5.0, abs=0.4)  # measured as composed, at the top


def test_the_box_that_holds_a_banners_slot_is_not_furniture_below_it(sample_build):
    # A banner's slot sits in an absolutely placed body (layouts/_base/banner.css): that box holds
    # the slot, it is not a foot under it, so the slot keeps its room (it used to measure 0 mm).
    _, _, results = sample_build
    [main] = fills_of(results["standee-vi-nguoi-ngheo"].problems)
    assert main["room_mm"] > 1000 and 50 < main["percent"] < 100, main


def test_a_moved_block_takes_its_background_with_it(make_project):
    # Backgrounds are placed when a page is laid out: a block moved afterwards (the callout at
    # the foot of the tri-fold's spread inside-1) has its background placed again, under it.
    root = make_project(pieces=("to-gap-vi-nguoi-ngheo",))
    the_plan = plan(Project.at(root), ["to-gap-vi-nguoi-ngheo"])
    [job] = the_plan.jobs
    _, rendered, _ = render_fitting(job.composed, the_plan.composer, renderer_for(the_plan))
    checked = 0
    for box in pages(rendered.document)[1].walk():
        background = getattr(box._box, "background", None)
        if "callout" not in box.classes or background is None or background.color.alpha == 0:
            continue
        _, y, _, height = background.layers[0].painting_area
        top = box.border_rect[1]
        assert y == pytest.approx(top, abs=0.5) and height == pytest.approx(box.border_rect[3] - top, abs=0.5)
        checked += 1
    assert checked
