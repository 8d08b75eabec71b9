"""The palette: every colour, named once in `layouts/palette.toml`, as CSS custom properties.

Layout stylesheets say `var(--red)`, never a colour literal. Every colour
has its CMYK values (what the plates print, exactly) and an RGB value (for
screens); the build chooses: print files get `device-cmyk()`, an `--rgb`
build for screens gets the RGB.
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


COLOUR = {"rgb": f(str, required=True, check=_hex), "cmyk": f(list, required=True, check=_cmyk),
          "use": f(str, default="")}
PALETTE = {
    "colours": f(dict, required=True, open=True),
}


@dataclass(frozen=True)
class Colour:
    name: str
    rgb: str
    cmyk: tuple[float, float, float, float]  # percentages C, M, Y, K

    def css(self, space: str) -> str:
        if space == "cmyk":
            c, m, y, k = (v / 100 for v in self.cmyk)
            return f"device-cmyk({c:g} {m:g} {y:g} {k:g})"
        return self.rgb


@dataclass(frozen=True)
class Palette:
    colours: tuple[Colour, ...]
    path: Path

    def css(self, space: str = "cmyk") -> str:
        """The colours as custom properties, in "cmyk" (print) or "rgb" (screens)."""
        props = "\n".join(f"  --{c.name}: {c.css(space)};" for c in self.colours)
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
            colours.append(Colour(name, entry.value["rgb"], tuple(entry.value["cmyk"])))
    if problems:
        raise ContentError(problems)
    return Palette(tuple(colours), path)
