"""Layouts are data: a new format is a new folder; colours are named once."""

from __future__ import annotations

import re

import pikepdf
import pytest
from conftest import PRINT_DETAILS, REPO, build

from leaflets.layout.load import load_layout
from leaflets.layout.palette import load_palette
from leaflets.problems import ContentError

PT = 72 / 25.4

A5 = """
title = "Tờ rơi A5, in hai mặt"
kind = "sheet"

[page]
width = 148
height = 210
safe = 8

[[sides]]
name = "front"
panels = [{ slot = "front", width = 148 }]

[[sides]]
name = "back"
panels = [{ slot = "back", width = 148 }]
"""

A5_PIECE = f"""---
layout: leaflet-a5
title: "Tờ rơi A5 thử"
{PRINT_DETAILS}---
::: front
## Mặt trước
Hộ nghèo được hỗ trợ vay vốn ưu đãi.
:::
::: back
## Mặt sau
```contact
```
:::
"""


def test_a_new_format_is_a_new_folder_only(make_project):
    root = make_project({"layouts/leaflet-a5/layout.toml": A5,
                         "content/pieces/a5.md": A5_PIECE}, with_samples=False)
    _, results = build(root)
    result = results["a5"]
    assert result.status == "built", [p.format(root) for p in result.problems]
    with pikepdf.open(result.job.outputs[0].path) as pdf:
        assert len(pdf.pages) == 2
        trim = [float(v) for v in pdf.pages[0].obj.TrimBox]
        assert (trim[2] - trim[0]) / PT == pytest.approx(148, abs=0.01)
        assert (trim[3] - trim[1]) / PT == pytest.approx(210, abs=0.01)


@pytest.mark.parametrize("bad, message", [
    (A5.replace('{ slot = "front", width = 148 }', '{ slot = "front", width = 140 }'),
     "panel widths 140 = 140 mm, but the page is 148"),
    (A5.replace('kind = "sheet"', 'kind = "poster"'), "kind: 'poster' is not one of: sheet"),
    (A5.replace("safe = 8", "safe = -1"), "page.safe: must not be negative"),
], ids=["widths", "kind", "safe"])
def test_layout_errors_name_the_file_and_key(tmp_path, bad, message):
    folder = tmp_path / "layouts" / "leaflet-a5"
    folder.mkdir(parents=True)
    (folder / "layout.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_layout(tmp_path / "layouts", "leaflet-a5")
    text = " ".join(p.format(tmp_path) for p in caught.value.problems)
    assert "layouts/leaflet-a5/layout.toml:" in text
    assert message in text


def test_trifold_geometry_matches_print_spec():
    layout, _ = load_layout(REPO / "layouts", "trifold-a4")
    outside, inside = layout.sides
    assert [(p.slot, p.width) for p in outside.panels] == [("flap", 97), ("back", 100),
                                                           ("cover", 100)]
    assert [(p.slot, p.width) for p in inside.panels] == [("inside-1", 100), ("inside-2", 100),
                                                          ("inside-3", 97)]
    assert outside.boundaries == (97, 197)
    assert inside.boundaries == (100, 200)
    # folding: the outside's first fold lies behind the inside's second one
    assert layout.width - outside.boundaries[0] == inside.boundaries[1]


COLOUR_LITERAL = re.compile(
    r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|rgba|hsl|hsla|device-cmyk|cmyk)\(|"
    r":\s*(?:[^;{}]*\s)?(?:white|black|red|green|blue|yellow|gray|grey|orange|navy|maroon)\s*[;}]",
    re.I)


def test_no_colour_literal_outside_the_palette():
    offenders = []
    for path in (REPO / "layouts").rglob("*"):
        if path.suffix not in (".css", ".j2"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = re.sub(r"/\*.*?\*/", "", line)
            if COLOUR_LITERAL.search(code):
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not offenders, offenders


def test_colour_literal_check_can_fail():
    assert COLOUR_LITERAL.search("color: #fff;")
    assert COLOUR_LITERAL.search("background: rgb(1, 2, 3);")
    assert COLOUR_LITERAL.search("border: 1px solid black;")
    assert not COLOUR_LITERAL.search("color: var(--ink);")


def test_every_palette_colour_has_its_own_rgb_and_its_cmyk():
    palette = load_palette(REPO / "layouts" / "palette.toml")
    css = palette.css()
    assert "--red: #B3261E;" in css and "--ink: #231F20;" in css
    assert all(len(c.cmyk) == 4 for c in palette.colours)
    assert len({c.rgb.lower() for c in palette.colours}) == len(palette.colours)


def test_two_colours_with_one_rgb_are_refused(tmp_path):
    path = tmp_path / "palette.toml"
    path.write_text('[colours.a]\nrgb = "#B3261E"\ncmyk = [0, 90, 85, 25]\n'
                    '[colours.b]\nrgb = "#b3261e"\ncmyk = [0, 100, 100, 0]\n', encoding="utf-8")
    with pytest.raises(ContentError, match="same rgb as colours.a"):
        load_palette(path)


def test_a_colour_without_cmyk_values_is_refused(tmp_path):
    path = tmp_path / "palette.toml"
    path.write_text('[colours.red]\nrgb = "#B3261E"\n', encoding="utf-8")
    with pytest.raises(ContentError, match="colours.red.cmyk"):
        load_palette(path)
