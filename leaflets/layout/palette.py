"""The palette: every colour, named once in `layouts/palette.toml`, as CSS custom properties.

Layout stylesheets say `var(--red)`, never a colour literal. Every colour
has an RGB value, which the documents are typeset with, and its CMYK values,
which print files carry exactly: the separation of a print file
(press/separate.py) maps each palette RGB to its declared CMYK. Typesetting
in RGB keeps all of WeasyPrint available (its gradients cannot take CMYK
colours); two palette colours may therefore not share an RGB value.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..content.schema import check, f, toml_lines
from ..content.textio import read_text
from ..i18n import Msg, msg
from ..problems import ContentError, error
from ..project import inside

HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def _hex(value: str) -> Msg | None:
    return None if HEX.match(value) else msg("write RGB as #RRGGBB")


def _cmyk(value: list) -> Msg | None:
    if len(value) == 4 and all(isinstance(v, (int, float)) and 0 <= v <= 100 for v in value):
        return None
    return msg("write CMYK as four percentages, e.g. [0, 100, 100, 0]")


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

    def css(self) -> str:
        return self.rgb


@dataclass(frozen=True)
class Palette:
    colours: tuple[Colour, ...]
    path: Path

    def css(self) -> str:
        """The colours as CSS custom properties."""
        props = "\n".join(f"  --{c.name}: {c.css()};" for c in self.colours)
        return f":root {{\n{props}\n}}"


def load_palette(path: Path) -> Palette:
    if not inside(path, path.parent.parent):
        raise ContentError([error(path, None, msg("{name} is a link to {target}, outside the project: "
                                                  "copy the file into layouts/",
                                                  name=path.name, target=str(path.resolve())))])
    text = read_text(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError([error(path, getattr(exc, "lineno", None),
                                  msg("TOML: {error}", error=str(exc)))]) from None
    lines = toml_lines(text)
    checked = check(raw, PALETTE, path, lines)
    problems = [p for p in checked.problems if p.is_error]
    colours = []
    for name, value in (checked.value.get("colours") or {}).items():
        where = lines.get(("colours", name)) or lines.get(("colours",))
        if not NAME.match(name):
            problems.append(error(path, where, msg("colours.{name}: names are lower-case, digits, '-'",
                                                   name=name)))
            continue
        entry = check(value, COLOUR, path, lines, ("colours", name))
        problems.extend(p for p in entry.problems if p.is_error)
        if not any(p.is_error for p in entry.problems):
            colours.append(Colour(name, entry.value["rgb"], tuple(entry.value["cmyk"])))
    seen: dict[str, str] = {}
    for colour in colours:
        other = seen.setdefault(colour.rgb.lower(), colour.name)
        if other != colour.name:
            problems.append(error(path, lines.get(("colours", colour.name)),
                                  msg("colours.{name}: same rgb as colours.{other}; each colour needs "
                                      "its own (print files find a colour's CMYK by its RGB)",
                                      name=colour.name, other=other)))
    if problems:
        raise ContentError(problems)
    return Palette(tuple(colours), path)
