"""Layouts: the geometry of a format, declared in `layouts/<name>/layout.toml`.

The code knows kinds of geometry, not sizes. A `sheet` layout is a fixed
number of sides (pages), each divided left to right into panels; a flat
leaflet is a sheet whose sides have one panel each, a folded leaflet is a
sheet whose panels meet at folds. A new size or fold is a new folder.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .problems import ContentError, Problem, error
from .schema import Field, check, f, toml_lines
from .textio import nfc_tree, read_text

SLOT_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
FOLDS = ("none", "half", "roll", "z", "gate", "double-parallel", "cross")
KINDS = ("sheet",)
# Widths are declared in millimetres; a tenth of a micrometre is "equal".
EPSILON_MM = 1e-4


@dataclass(frozen=True)
class Panel:
    """A rectangle of one side that one slot fills; x is from the side's left trim edge."""

    slot: str
    role: str
    x: float
    width: float
    required: bool = True


@dataclass(frozen=True)
class Side:
    """One page of a sheet layout: the panels on it, left to right."""

    name: str
    panels: tuple[Panel, ...]

    @property
    def boundaries(self) -> tuple[float, ...]:
        """x positions (mm from the left trim edge) where panels meet."""
        return tuple(p.x for p in self.panels[1:])


@dataclass(frozen=True)
class Marks:
    """Printer's marks outside the bleed: how far from trim they start, how long they are."""

    offset: float  # from the trim edge; at least the bleed, so marks never enter it
    length: float
    slug: float  # room beyond the marks for the slug line


@dataclass(frozen=True)
class Layout:
    """A format's geometry and the files that draw it."""

    name: str
    title: str
    kind: str
    directory: Path
    width: float  # trim, mm
    height: float
    bleed: float
    safe: float
    fold: str
    sides: tuple[Side, ...]
    marks: Marks
    template: str  # Jinja template name, relative to layouts/
    stylesheets: tuple[str, ...]  # project-relative paths
    min_type_pt: float

    @property
    def pages(self) -> int:
        return len(self.sides)

    @property
    def panels(self) -> tuple[Panel, ...]:
        return tuple(p for side in self.sides for p in side.panels)

    @property
    def slots(self) -> tuple[str, ...]:
        return tuple(p.slot for p in self.panels)

    @property
    def required_slots(self) -> tuple[str, ...]:
        return tuple(p.slot for p in self.panels if p.required)

    @property
    def folded(self) -> bool:
        return self.fold != "none"

    @property
    def media_margin(self) -> float:
        """Distance from trim to the MediaBox edge: marks and slug fit in it."""
        return self.marks.offset + self.marks.length + self.marks.slug

    @property
    def trim_label(self) -> str:
        return f"{self.width:g}×{self.height:g} mm"


def _positive(value) -> str | None:
    return None if value > 0 else "must be greater than 0"


def _not_negative(value) -> str | None:
    return None if value >= 0 else "must not be negative"


def _slot_name(value) -> str | None:
    if SLOT_NAME.match(value):
        return None
    return "slot names are lower-case letters, digits and '-', starting with a letter"


PANEL = {
    "slot": f(str, required=True, check=_slot_name, doc="the slot this panel shows"),
    "width": f(float, required=True, check=_positive, doc="panel width in mm"),
    "role": f(str, default="", doc="what the panel is: front-cover, back-cover, flap, inside…"),
    "required": f(bool, default=True),
}
SIDE = {
    "name": f(str, required=True, doc="side name, e.g. front, back, outside, inside"),
    "panels": f(list, required=True, items=Field((dict,), schema=PANEL)),
}
LAYOUT = {
    "title": f(str, required=True, doc="a human name for the format"),
    "kind": f(str, required=True, choices=KINDS),
    "fold": f(str, default="none", choices=FOLDS),
    "template": f(str, default=None, doc="Jinja template in this folder"),
    "stylesheets": f(list, default=None, items=f(str)),
    "min_type_pt": f(float, default=6.0, check=_positive),
    "page": f(dict, required=True, schema={
        "width": f(float, required=True, check=_positive, doc="trim width in mm"),
        "height": f(float, required=True, check=_positive, doc="trim height in mm"),
        "bleed": f(float, default=3.0, check=_not_negative),
        "safe": f(float, default=5.0, check=_not_negative, doc="text keeps this far inside trim"),
    }),
    "marks": f(dict, schema={
        "offset": f(float, default=None, check=_not_negative),
        "length": f(float, default=5.0, check=_positive),
        "slug": f(float, default=5.0, check=_not_negative),
    }),
    "sides": f(list, required=True, items=Field((dict,), schema=SIDE)),
}


def layout_names(layouts_dir: Path) -> list[str]:
    """Folders under `layouts/` that hold a layout.toml (names starting with _ are shared parts)."""
    if not layouts_dir.is_dir():
        return []
    return sorted(p.parent.name for p in layouts_dir.glob("*/layout.toml")
                  if not p.parent.name.startswith("_"))


def load_layout(layouts_dir: Path, name: str) -> tuple[Layout, list[Problem]]:
    """Load and validate one layout; raise ContentError listing every error found."""
    directory = layouts_dir / name
    path = directory / "layout.toml"
    if not path.is_file():
        known = ", ".join(layout_names(layouts_dir)) or "none"
        raise ContentError([error(path, None, f"no layout named {name!r} (known: {known})")])
    text = read_text(path)
    try:
        raw = nfc_tree(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ContentError([error(path, line, f"TOML: {exc.msg if hasattr(exc, 'msg') else exc}")]) \
            from None
    lines = toml_lines(text)
    checked = check(raw, LAYOUT, path, lines)
    problems = list(checked.problems)
    if any(p.is_error for p in problems):
        raise ContentError(problems)
    v = checked.value
    page = v["page"]
    sides = []
    seen: set[str] = set()
    for i, side in enumerate(v["sides"]):
        x = 0.0
        panels = []
        for panel in side["panels"]:
            if panel["slot"] in seen:
                problems.append(error(path, lines.get(("sides", i)),
                                      f"sides[{i}]: slot {panel['slot']!r} appears twice"))
            seen.add(panel["slot"])
            panels.append(Panel(panel["slot"], panel["role"], x, panel["width"], panel["required"]))
            x += panel["width"]
        if not panels:
            problems.append(error(path, lines.get(("sides", i)), f"sides[{i}]: no panels"))
        elif abs(x - page["width"]) > EPSILON_MM:
            widths = " + ".join(f"{p.width:g}" for p in panels)
            problems.append(error(path, lines.get(("sides", i)),
                                  f"sides[{i}] ({side['name']}): panel widths {widths} = {x:g} mm, "
                                  f"but the page is {page['width']:g} mm wide"))
        sides.append(Side(side["name"], tuple(panels)))
    if not sides:
        problems.append(error(path, lines.get(("sides",)), "sides: a sheet layout needs at least one"))
    marks = v["marks"]
    offset = marks["offset"] if marks["offset"] is not None else page["bleed"]
    if offset < page["bleed"]:
        problems.append(error(path, lines.get(("marks", "offset")),
                              f"marks.offset: {offset:g} mm would draw marks inside the "
                              f"{page['bleed']:g} mm bleed"))
    template = v["template"] or ("template.html.j2" if (directory / "template.html.j2").is_file()
                                 else None)
    if template is None:
        template_name = f"_base/{v['kind']}.html.j2"
    else:
        if not (directory / template).is_file():
            problems.append(error(path, lines.get(("template",)), f"template: {template} not found"))
        template_name = f"{name}/{template}"
    if v["stylesheets"] is None:
        stylesheets = ("style.css",) if (directory / "style.css").is_file() else ()
    else:
        stylesheets = tuple(v["stylesheets"])
    for sheet in stylesheets:
        target = (directory / sheet).resolve()
        if not target.is_file():
            problems.append(error(path, lines.get(("stylesheets",)), f"stylesheets: {sheet} not found"))
        elif not target.is_relative_to(layouts_dir.resolve()):
            problems.append(error(path, lines.get(("stylesheets",)),
                                  f"stylesheets: {sheet} is outside the layouts folder"))
    if any(p.is_error for p in problems):
        raise ContentError(problems)
    layout = Layout(
        name=name, title=v["title"], kind=v["kind"], directory=directory,
        width=float(page["width"]), height=float(page["height"]),
        bleed=float(page["bleed"]), safe=float(page["safe"]), fold=v["fold"],
        sides=tuple(sides), marks=Marks(float(offset), float(marks["length"]), float(marks["slug"])),
        template=template_name,
        stylesheets=tuple(
            (directory / s).resolve().relative_to(layouts_dir.resolve().parent).as_posix()
            for s in stylesheets),
        min_type_pt=float(v["min_type_pt"]),
    )
    return layout, problems
