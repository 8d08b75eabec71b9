"""QR codes: what a ```qr block points at, and the code drawn as vector SVG.

- The text: `url:` as written; `field:` a value of the data (a web address;
  one written without a scheme, `sonnguyen.gov.vn/giamngheo`, gets
  `https://`); `tel:` a phone number of the data, as `tel:` and its digits
  (`1800 6868` → `tel:18006868`).
- The code: segno, error correction M (or Q), a quiet zone of 4 modules,
  drawn as one SVG path of module runs on a paper-coloured square, in the
  palette's `ink` and `paper`: separation (press/separate.py) maps those
  exactly to 0/0/0/100 and 0/0/0/0, so the code prints on the black plate
  alone.
- Its size: the layout's `qr.module_mm` (at least 0.4 mm, the smallest a
  phone reads in print); a layout read from afar (`viewing.distance_m`)
  makes the whole code at least a tenth of that distance wide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..content.fields import FieldError, value_of
from ..i18n import Msg, msg

QUIET = 4  # modules of quiet zone on every side (ISO/IEC 18004)
MIN_MODULE_MM = 0.4
DEFAULT_MODULE_MM = 0.5
LEVELS = ("M", "Q")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
KINDS = ("url", "field", "tel")


@dataclass(frozen=True)
class Code:
    """One QR code ready to place: what it encodes, how big, and its SVG."""

    text: str
    level: str  # error correction: M or Q
    matrix: tuple[tuple[bool, ...], ...]  # dark modules, row by row, without the quiet zone
    module_mm: float

    @property
    def modules(self) -> int:
        """The symbol's width in modules, without the quiet zone."""
        return len(self.matrix)

    @property
    def span(self) -> int:
        """The width in modules with the quiet zone on both sides."""
        return self.modules + 2 * QUIET

    @property
    def size_mm(self) -> float:
        return self.span * self.module_mm


def target(options: dict[str, Any], fields: dict[str, Any]) -> str:
    """The text a qr block encodes; FieldError (a message to show) when it cannot be had."""
    given = [kind for kind in KINDS if options.get(kind)]
    if len(given) != 1:
        raise FieldError(msg("a qr block needs exactly one of url:, field: or tel: (it has {given}), "
                             "e.g. field: site.agency.website", given=", ".join(given) or "none"))
    kind = given[0]
    written = str(options[kind]).strip()
    if kind == "url":
        return written
    name = written.removeprefix("{{").removesuffix("}}").strip()
    value = value_of(fields, name).strip()
    if kind == "tel":
        digits = re.sub(r"[^\d+]", "", value)
        if not re.fullmatch(r"\+?\d{3,15}", digits):
            raise FieldError(msg("tel: {name} is {value!r}, not a phone number", name=name, value=value))
        return "tel:" + digits
    return value if SCHEME.match(value) else "https://" + value


def module_size(module_mm: float, distance_m: float | None, modules: int) -> float:
    """The module size to draw: the layout's, or larger so the code is distance / 10 wide."""
    if distance_m:
        return max(module_mm, distance_m * 1000 / 10 / (modules + 2 * QUIET))
    return module_mm


def module_problem(value: float) -> Msg | None:
    if value < MIN_MODULE_MM:
        return msg("at least {least} mm: smaller modules do not scan reliably in print",
                   least=MIN_MODULE_MM)
    return None


def make(text: str, level: str, module_mm: float, distance_m: float | None = None) -> Code:
    import segno

    symbol = segno.make_qr(text, error=level.lower(), boost_error=False)
    matrix = tuple(tuple(bool(v) for v in row) for row in symbol.matrix)
    return Code(text, level, matrix, module_size(module_mm, distance_m, len(matrix)))


def svg(code: Code, ink: str, paper: str) -> Markup:
    """The code as inline SVG: a paper square (the quiet zone included) and one path of dark runs."""
    runs = []
    for y, row in enumerate(code.matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + QUIET} {y + QUIET}h{x - start}v1h{start - x}z")
            else:
                x += 1
    side = code.span
    size = f"{code.size_mm:.3f}mm"
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" width="{size}" height="{size}" '
        f'viewBox="0 0 {side} {side}" shape-rendering="crispEdges">'
        f'<rect width="{side}" height="{side}" fill="{paper}"/>'
        f'<path fill="{ink}" d="{"".join(runs)}"/></svg>')
