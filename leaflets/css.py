"""CSS generated from data: colours from the palette, page geometry from the layout.

Nothing here is a size or a colour: those live in `layouts/palette.toml` and
each `layout.toml`. Layout stylesheets use the custom properties and classes
generated here, so a trim, bleed or panel width is written once.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .layouts import Layout
from .problems import ContentError, error
from .schema import check, f, toml_lines
from .textio import read_text

HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def _hex(value: str) -> str | None:
    return None if HEX.match(value) else "write RGB as #RRGGBB"


def _cmyk(value: list) -> str | None:
    if len(value) == 4 and all(isinstance(v, (int, float)) and 0 <= v <= 100 for v in value):
        return None
    return "write CMYK as four percentages, e.g. [0, 100, 100, 0]"


COLOUR = {"rgb": f(str, required=True, check=_hex), "cmyk": f(list, default=None, check=_cmyk),
          "use": f(str, default="")}
PALETTE = {
    "space": f(str, default="rgb", choices=("rgb", "cmyk"),
               doc="which values the documents use"),
    "colours": f(dict, required=True, open=True),
}


@dataclass(frozen=True)
class Colour:
    name: str
    rgb: str
    cmyk: tuple[float, float, float, float] | None

    def css(self, space: str) -> str:
        if space == "cmyk" and self.cmyk is not None:
            c, m, y, k = (v / 100 for v in self.cmyk)
            return f"device-cmyk({c:g} {m:g} {y:g} {k:g})"
        return self.rgb


@dataclass(frozen=True)
class Palette:
    space: str
    colours: tuple[Colour, ...]
    path: Path

    def css(self) -> str:
        props = "\n".join(f"  --{c.name}: {c.css(self.space)};" for c in self.colours)
        return f":root {{\n{props}\n}}"


def load_palette(path: Path) -> Palette:
    text = read_text(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError([error(path, getattr(exc, "lineno", None), f"TOML: {exc}")]) from None
    lines = toml_lines(text)
    checked = check(raw, PALETTE, path, lines)
    problems = [p for p in checked.problems if p.is_error]
    colours = []
    for name, value in (checked.value.get("colours") or {}).items():
        where = lines.get(("colours", name)) or lines.get(("colours",))
        if not NAME.match(name):
            problems.append(error(path, where, f"colours.{name}: names are lower-case, digits, '-'"))
            continue
        entry = check(value, COLOUR, path, lines, ("colours", name))
        problems.extend(p for p in entry.problems if p.is_error)
        if not any(p.is_error for p in entry.problems):
            cmyk = entry.value["cmyk"]
            if checked.value["space"] == "cmyk" and cmyk is None:
                problems.append(error(path, where, f"colours.{name}: needs cmyk values "
                                                   "when space = \"cmyk\""))
            colours.append(Colour(name, entry.value["rgb"], tuple(cmyk) if cmyk else None))
    if problems:
        raise ContentError(problems)
    return Palette(checked.value["space"], tuple(colours), path)


def _mm(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") + "mm"


MARGIN_BOXES = (
    "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
    "right-top", "right-middle", "right-bottom", "bottom-right-corner", "bottom-right",
    "bottom-center", "bottom-left", "bottom-left-corner", "left-bottom", "left-middle", "left-top")


def _page_rules(layout: Layout) -> list[str]:
    w, h, b = layout.width, layout.height, layout.bleed
    size = f"size: {_mm(w)} {_mm(h)}; bleed: {_mm(b)}; marks: none;"
    if layout.booklet is None:
        return [f"@page {{ {size} margin: 0; }}"]
    m = layout.booklet.margins
    none = " ".join(f"@{box} {{ content: none; }}" for box in MARGIN_BOXES)
    return [
        f"@page {{ {size} margin: {_mm(m.top)} {_mm(m.outer)} {_mm(m.bottom)} {_mm(m.inner)}; }}",
        # page 1 is a right-hand page: its inner (spine) edge is on the left
        f"@page :right {{ margin-left: {_mm(m.inner)}; margin-right: {_mm(m.outer)}; }}",
        f"@page :left {{ margin-left: {_mm(m.outer)}; margin-right: {_mm(m.inner)}; }}",
        # covers and padding pages: the whole trim, no running heads or folios
        f"@page fixed {{ margin: 0; {none} }}",
        ".side { page: fixed; }",
        f":root {{ --margin-top: {_mm(m.top)}; --margin-bottom: {_mm(m.bottom)}; "
        f"--margin-inner: {_mm(m.inner)}; --margin-outer: {_mm(m.outer)}; }}",
    ]


def geometry_css(layout: Layout) -> str:
    """Page size, bleed, margins and panel boxes, all from the layout's geometry."""
    w, h, b, s = layout.width, layout.height, layout.bleed, layout.safe
    out = [
        *_page_rules(layout),
        ":root {",
        f"  --trim-width: {_mm(w)}; --trim-height: {_mm(h)};",
        f"  --bleed: {_mm(b)}; --safe: {_mm(s)};",
        "}",
        f".side {{ position: relative; width: {_mm(w)}; height: {_mm(h)}; "
        "margin: 0; break-after: page; }",
        ".side:last-child { break-after: auto; }",
        f".side-bg {{ position: absolute; left: {_mm(-b)}; top: {_mm(-b)}; "
        f"width: {_mm(w + 2 * b)}; height: {_mm(h + 2 * b)}; }}",
        f".panel {{ position: absolute; top: 0; height: {_mm(h)}; box-sizing: border-box; "
        "--pad: var(--safe); padding: var(--pad); }",
    ]
    for side in layout.sides:
        last = len(side.panels) - 1
        for i, panel in enumerate(side.panels):
            left_bleed = b if i == 0 else 0.0
            right_bleed = b if i == last else 0.0
            out.append(
                f".panel--{panel.slot} {{ left: {_mm(panel.x)}; width: {_mm(panel.width)}; "
                f"--bleed-left: {_mm(left_bleed)}; --bleed-right: {_mm(right_bleed)}; "
                f"--bleed-top: {_mm(b)}; --bleed-bottom: {_mm(b)}; }}")
            out.append(
                f".panel-bg--{panel.slot} {{ position: absolute; "
                f"left: {_mm(panel.x - left_bleed)}; top: {_mm(-b)}; "
                f"width: {_mm(panel.width + left_bleed + right_bleed)}; height: {_mm(h + 2 * b)}; }}")
    return "\n".join(out)
