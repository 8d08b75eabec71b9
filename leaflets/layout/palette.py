"""The palette: every colour, named once in `layouts/palette.toml`, as CSS custom properties.

Layout stylesheets say `var(--red)`, never a colour literal; `space`
chooses whether the documents get the RGB or the CMYK values.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..content.schema import check, f, toml_lines
from ..content.textio import read_text
from ..problems import ContentError, error
from ..project import inside

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
    if not inside(path, path.parent.parent):
        raise ContentError([error(path, None, f"{path.name} is a link to {path.resolve()}, outside "
                                              "the project: copy the file into layouts/")])
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
