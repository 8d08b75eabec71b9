"""Reading `layouts/<name>/layout.toml`: its schema, checked with line numbers, into a Layout.

Every problem of a file is reported together (`file:line: key: message`);
geometry that cannot be printed (panels that do not add up to the page, a
page side over the PDF limit, marks inside the bleed) is refused here, so
the rest of the build can trust a `Layout`.
"""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

from ..content.pieces import BLOCKS
from ..content.schema import Field, check, f, toml_lines
from ..content.textio import nfc_tree, read_text
from ..i18n import N_, Msg, msg
from ..problems import ContentError, Problem, error
from ..project import outside_links
from . import vertical
from .geometry import (
    OFFSET_PPI,
    PDF_MAX_MM,
    PT_PER_METRE,
    Booklet,
    Finishing,
    Layout,
    Margins,
    Marks,
    Panel,
    Side,
    ppi_for_distance,
)
from .qr import DEFAULT_MODULE_MM, module_problem

QR_BLOCK = BLOCKS["qr"]

SLOT_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
LAYOUT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
FOLD_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
KINDS = ("sheet", "booklet")
# Widths are declared in millimetres; a tenth of a micrometre is "equal".
EPSILON_MM = 1e-4


# No layout has a side of 100 m or a margin of a kilometre: a larger number is
# a typo (or `inf`), refused before it reaches any arithmetic.
MAX_MM = 100_000.0


def _finite(value) -> Msg | None:
    if not math.isfinite(value) or abs(value) > MAX_MM:
        return msg("must be a real number of at most {limit:,.0f}", limit=MAX_MM)
    return None


def _positive(value) -> Msg | None:
    return _finite(value) or (None if value > 0 else msg("must be greater than 0"))


def _not_negative(value) -> Msg | None:
    return _finite(value) or (None if value >= 0 else msg("must not be negative"))


def _slot_name(value) -> Msg | None:
    if SLOT_NAME.match(value):
        return None
    return msg("slot names are lower-case letters, digits and '-', starting with a letter")


PANEL = {
    "slot": f(str, required=True, check=_slot_name, doc=N_("the slot this panel shows")),
    "width": f(float, required=True, check=_positive, doc=N_("panel width in mm")),
    "role": f(str, default="", doc=N_("what the panel is: front-cover, back-cover, flap, inside…")),
    "required": f(bool, default=True),
    **vertical.KEYS,
}
SIDE = {
    "name": f(str, required=True, doc=N_("side name, e.g. front, back, outside, inside")),
    "label": f(str, default="", doc=N_("what the slug and the job ticket call the side, in Vietnamese "
                                       "(default: mặt trước, mặt sau, mặt ngoài, mặt trong)")),
    "panels": f(list, required=True, items=Field((dict,), schema=PANEL)),
}
def _fold_name(value) -> Msg | None:
    return None if FOLD_NAME.match(value) else msg("a name such as none, half, roll, z, gate")


def _slot_list(value) -> Msg | None:
    bad = [v for v in value if not isinstance(v, str) or not SLOT_NAME.match(v)]
    return msg("not slot names: {names}", names=str(bad)) if bad else None


LAYOUT = {
    "title": f(str, required=True, doc=N_("a human name for the format")),
    "kind": f(str, required=True, choices=KINDS),
    **vertical.KEYS, "vertical": vertical.TABLE,
    "fold_keep_out": f(float, default=None, check=_not_negative,
                       doc=N_("no text this close to a fold, either side, mm (3 for folded layouts)")),
    "fold_wrap": f(float, default=None, check=_not_negative,
                   doc=N_("a colour area ending at a fold runs this far past it, mm (1.5 when folded)")),
    "fold": f(str, default="none", check=_fold_name,
              doc=N_("none for flat work; otherwise the fold's name (half, roll, z, gate, …)")),
    "template": f(str, default=None, doc=N_("Jinja template in this folder")),
    "stylesheets": f(list, default=None, items=f(str)),
    "min_type_pt": f(float, default=None, check=_positive,
                     doc=N_("default 6, or from the viewing distance")),
    "page": f(dict, required=True, schema={
        "width": f(float, required=True, check=_positive, doc=N_("trim width in mm")),
        "height": f(float, required=True, check=_positive, doc=N_("trim height in mm")),
        "bleed": f(float, default=3.0, check=_not_negative),
        "safe": f(float, default=5.0, check=_not_negative, doc=N_("text keeps this far inside trim")),
    }),
    "marks": f(dict, schema={
        "offset": f(float, default=None, check=_not_negative),
        "length": f(float, default=5.0, check=_positive),
        "slug": f(float, default=5.0, check=_not_negative),
    }),
    "scale": f(int, default=1, check=lambda n: None if 1 <= n <= 1000 else msg("1 to 1000"),
               doc=N_("lay the file out at 1:scale; needed when a page side passes 5080 mm")),
    "viewing": f(dict, schema={
        "distance_m": f(float, default=None, check=_positive, doc=N_("typical viewing distance")),
        "ppi": f(float, default=None, check=_positive, doc=N_("image resolution at final size")),
        "min_type_pt": f(float, default=None, check=_positive),
    }),
    "finishing": f(dict, schema={
        "hem": f(float, default=0.0, check=_not_negative),
        "grommet_spacing": f(float, default=0.0, check=_not_negative, doc=N_("mm, at most")),
        "grommet_inset": f(float, default=0.0, check=_not_negative),
        "grommet_diameter": f(float, default=0.0, check=_not_negative),
        "grommet_edges": f(list, default=["top", "bottom", "left", "right"],
                           check=lambda v: None if set(v) <= {"top", "bottom", "left", "right"}
                           else msg("edges are top, bottom, left, right")),
        "stand": f(float, default=0.0, check=_not_negative,
                   doc=N_("standee: the bottom this many mm goes into the stand's base")),
    }),
    "shrink": f(dict, default={}, open=True,
                doc=N_("slot = smallest body size in pt: the slot's type may shrink to fit")),
    "sides": f(list, items=Field((dict,), schema=SIDE), doc=N_("the sides of a sheet layout")),
    "reading": f(list, items=Field((dict,), schema={
        "label": f(str, required=True), "panels": f(list, required=True, check=_slot_list),
    }), doc=N_("how a reader meets a folded sheet: views of panels side by side, in order")),
    "booklet": f(dict, schema={
        "front": f(list, required=True, check=_slot_list, doc=N_("fixed pages at the start")),
        "back": f(list, required=True, check=_slot_list, doc=N_("fixed pages at the end")),
        "flow": f(str, required=True, check=_slot_name, doc=N_("the flowing slot")),
        "multiple": f(int, default=4, check=lambda n: None if 1 <= n <= 64 else msg("1 to 64")),
        "binding": f(str, default="saddle-stitch", choices=("saddle-stitch", "none")),
        "filler": f(str, default="notes", doc=N_(
            "what fills the pages added to reach the multiple: notes (ruled note pages), blank, "
            "or the name of a template in fillers/ (the layout's or _base's)")),
    }),
    "margins": f(dict, schema={
        key: f(float, default=None, check=_not_negative)
        for key in ("top", "bottom", "inner", "outer")
    }),
    "qr": f(dict, schema={
        "module_mm": f(float, default=DEFAULT_MODULE_MM, check=lambda v: _finite(v) or module_problem(v),
                       doc=N_("the smallest QR module, mm (at least 0.4)")),
        "slots": f(dict, default={}, open=True,
                   doc=N_("slot = a qr block's options: that slot gets a QR code unless the piece says")),
    }),
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
    if not LAYOUT_NAME.match(name) or not path.is_file():
        known = ", ".join(layout_names(layouts_dir))
        raise ContentError([error(path, None, msg("no layout named {name!r} (known: {known})",
                                                  name=name, known=known) if known else
                                  msg("no layout named {name!r} (known: none)", name=name))])
    # Nothing of a layout may come from outside the project (templates, CSS, images).
    outside = outside_links(directory, layouts_dir.parent) + outside_links(layouts_dir / "_base",
                                                                          layouts_dir.parent)
    if outside:
        raise ContentError(outside)
    text = read_text(path)
    try:
        raw = nfc_tree(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError([error(path, getattr(exc, "lineno", None),
                                  msg("TOML: {error}", error=str(exc)))]) from None
    lines = toml_lines(text)
    checked = check(raw, LAYOUT, path, lines)
    problems = list(checked.problems)
    if any(p.is_error for p in problems):
        raise ContentError(problems)
    v = checked.value
    page = v["page"]
    booklet = None
    if v["kind"] == "booklet":
        sides, booklet = _booklet_sides(v, path, lines, problems)
    else:
        sides = _sheet_sides(v, path, lines, problems)
    slots = [p.slot for side in sides for p in side.panels] + ([booklet.flow] if booklet else [])
    for slot, size in v["shrink"].items():
        if slot not in slots:
            problems.append(error(path, lines.get(("shrink", slot)) or lines.get(("shrink",)),
                                  msg("shrink: {slot!r} is not a slot of this layout", slot=slot)))
        elif not isinstance(size, (int, float)) or isinstance(size, bool) or _positive(size):
            problems.append(error(path, lines.get(("shrink", slot)),
                                  msg("shrink.{slot}: give the smallest body size in pt, e.g. 8.5",
                                      slot=slot)))
    viewing, finishing_raw = v["viewing"], v["finishing"]
    distance = viewing["distance_m"]
    target_ppi = viewing["ppi"] or (ppi_for_distance(distance) if distance else OFFSET_PPI)
    min_type = v["min_type_pt"] or viewing["min_type_pt"] or \
        (round(distance * PT_PER_METRE, 1) if distance else 6.0)
    finishing = Finishing(
        hem=finishing_raw["hem"], grommet_spacing=finishing_raw["grommet_spacing"],
        grommet_inset=finishing_raw["grommet_inset"],
        grommet_diameter=finishing_raw["grommet_diameter"],
        grommet_edges=tuple(finishing_raw["grommet_edges"]), stand=finishing_raw["stand"])
    if finishing.stand and finishing.stand + 2 * page["safe"] >= page["height"]:
        problems.append(error(path, lines.get(("finishing", "stand")),
                              msg("finishing.stand: {stand:g} mm leaves no room for text on a page "
                                  "{height:g} mm high", stand=finishing.stand, height=page["height"])))
    if finishing.keep_clear > page["safe"]:
        problems.append(error(path, lines.get(("page", "safe")) or lines.get(("page",)),
                              msg("page.safe: {safe:g} mm, but hems and grommets need "
                                  "{clear:g} mm kept free of text",
                                  safe=page["safe"], clear=finishing.keep_clear)))
    marks = v["marks"]
    offset = marks["offset"] if marks["offset"] is not None else page["bleed"]
    if offset < page["bleed"]:
        problems.append(error(path, lines.get(("marks", "offset")),
                              msg("marks.offset: {offset:g} mm would draw marks inside the "
                                  "{bleed:g} mm bleed", offset=offset, bleed=page["bleed"])))
    template = v["template"] or ("template.html.j2" if (directory / "template.html.j2").is_file()
                                 else None)
    if template is None:
        template_name = f"_base/{v['kind']}.html.j2"
    else:
        if not (directory / template).is_file():
            problems.append(error(path, lines.get(("template",)),
                                  msg("template: {template} not found", template=template)))
        template_name = f"{name}/{template}"
    if v["stylesheets"] is None:
        stylesheets = ("style.css",) if (directory / "style.css").is_file() else ()
    else:
        stylesheets = tuple(v["stylesheets"])
    for sheet in stylesheets:
        target = (directory / sheet).resolve()
        if not target.is_file():
            problems.append(error(path, lines.get(("stylesheets",)),
                                  msg("stylesheets: {sheet} not found", sheet=sheet)))
        elif not target.is_relative_to(layouts_dir.resolve()):
            problems.append(error(path, lines.get(("stylesheets",)),
                                  msg("stylesheets: {sheet} is outside the layouts folder", sheet=sheet)))
    scale = v["scale"]
    room = (offset - page["bleed"]) / scale + float(marks["length"]) + float(marks["slug"])
    for side_name, side in (("width", page["width"]), ("height", page["height"])):
        in_file = (side + 2 * page["bleed"]) / scale + 2 * room
        if in_file > PDF_MAX_MM:
            needed = -(-(side + 2 * page["bleed"]) // (PDF_MAX_MM - 2 * room))
            problems.append(error(path, lines.get(("page", side_name)) or lines.get(("page",)),
                                  msg("page.{side}: the page would be {size:,.0f} mm wide in the "
                                      "PDF, over the {limit:,.0f} mm limit: lay it out at a "
                                      "reduced scale (scale = {scale})", side=side_name, size=in_file,
                                      limit=PDF_MAX_MM, scale=max(10, int(needed)))))
    reading = tuple((view["label"], tuple(view["panels"])) for view in (v["reading"] or []))
    for label, panels in reading:
        unknown = [slot for slot in panels if slot not in slots]
        if unknown:
            problems.append(error(path, lines.get(("reading",)),
                                  msg("reading: view {label!r} names panels this layout lacks: {unknown}",
                                      label=label, unknown=str(unknown))))
    qr_slots = _qr_slots(v["qr"]["slots"], slots, path, lines, problems)
    fixed = vertical.settings(v, [p.slot for side in sides for p in side.panels], path, lines, problems)
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
        min_type_pt=float(min_type),
        shrink={k: float(x) for k, x in v["shrink"].items()},
        booklet=booklet,
        viewing_distance=distance,
        target_ppi=float(target_ppi),
        finishing=finishing,
        scale=scale,
        reading=reading,
        fold_keep_out=_fold_default(v["fold_keep_out"], v["fold"], 3.0),
        fold_wrap=_fold_default(v["fold_wrap"], v["fold"], 1.5),
        qr_module_mm=float(v["qr"]["module_mm"]),
        qr_slots=qr_slots,
        vertical=fixed,
    )
    return layout, problems


def _qr_slots(given: dict, slots: list[str], path: Path, lines: dict,
              problems: list[Problem]) -> tuple[tuple[str, dict], ...]:
    """[qr.slots]: each a slot of this layout with a qr block's options (content/pieces.py)."""
    out = []
    for slot, options in given.items():
        keys = ("qr", "slots", slot)
        if slot not in slots:
            problems.append(error(path, lines.get(keys) or lines.get(("qr", "slots")),
                                  msg("qr.slots: {slot!r} is not a slot of this layout", slot=slot)))
            continue
        checked = check(options, QR_BLOCK, path, lines, keys)
        problems.extend(checked.problems)
        out.append((slot, checked.value))
    return tuple(out)


def _fold_default(value, fold: str, folded: float) -> float:
    """A fold setting as declared, or its default: `folded` for a folded layout, 0 for flat work."""
    return float(value) if value is not None else (folded if fold != "none" else 0.0)


def _sheet_sides(v: dict, path: Path, lines: dict, problems: list[Problem]) -> list[Side]:
    page = v["page"]
    if not v["sides"]:
        problems.append(error(path, lines.get(("sides",)) or lines.get(("kind",)),
                              msg("sides: a sheet layout needs at least one [[sides]] table")))
        return []
    sides = []
    seen: set[str] = set()
    for i, side in enumerate(v["sides"]):
        x = 0.0
        panels = []
        for panel in side["panels"]:
            if panel["slot"] in seen:
                problems.append(error(path, lines.get(("sides", i)),
                                      msg("sides[{index}]: slot {slot!r} appears twice",
                                          index=i, slot=panel["slot"])))
            seen.add(panel["slot"])
            panels.append(Panel(panel["slot"], panel["role"], x, panel["width"], panel["required"]))
            x += panel["width"]
        if not panels:
            problems.append(error(path, lines.get(("sides", i)), msg("sides[{index}]: no panels", index=i)))
        elif abs(x - page["width"]) > EPSILON_MM:
            widths = " + ".join(f"{p.width:g}" for p in panels)
            problems.append(error(path, lines.get(("sides", i)),
                                  msg("sides[{index}] ({side}): panel widths {widths} = {total:g} mm, "
                                      "but the page is {width:g} mm wide", index=i, side=side["name"],
                                      widths=widths, total=x, width=page["width"])))
        sides.append(Side(side["name"], tuple(panels), side.get("label") or ""))
    return sides


def _booklet_sides(v: dict, path: Path, lines: dict,
                   problems: list[Problem]) -> tuple[list[Side], Booklet | None]:
    spec, margins = v["booklet"], v["margins"]
    if not spec or spec.get("flow") is None:
        problems.append(error(path, lines.get(("kind",)),
                              msg("a booklet layout needs a [booklet] table with front, back and flow")))
        return [], None
    if v["sides"]:
        problems.append(error(path, lines.get(("sides",)),
                              msg("sides: a booklet has [booklet] front/back pages, not [[sides]]")))
    missing = [k for k in ("top", "bottom", "inner", "outer") if margins.get(k) is None]
    if missing:
        problems.append(error(path, lines.get(("margins",)) or lines.get(("kind",)),
                              msg("margins: a booklet needs {keys} (mm)", keys=", ".join(missing))))
        return [], None
    names = [*spec["front"], *spec["back"], spec["flow"]]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        problems.append(error(path, lines.get(("booklet",)),
                              msg("booklet: slots used twice: {slots}", slots=str(twice))))
    filler = spec["filler"]
    if filler != "blank" and not any((folder / "fillers" / f"{filler}.html.j2").is_file()
                                     for folder in (path.parent, path.parent.parent / "_base")):
        problems.append(error(path, lines.get(("booklet", "filler")) or lines.get(("booklet",)),
                              msg("booklet: filler {name!r} is neither 'blank' nor a template "
                                  "fillers/{name}.html.j2 in the layout or in _base: name one "
                                  "that exists (notes: ruled note pages)", name=filler)))
    width = float(v["page"]["width"])
    fixed = [*spec["front"], *spec["back"]]
    roles = {slot: "inside-cover" for slot in fixed}
    if spec["back"]:
        roles[spec["back"][-1]] = "back-cover"
    if spec["front"]:
        roles[spec["front"][0]] = "front-cover"
    sides = [Side(slot, (Panel(slot, roles[slot], 0.0, width),)) for slot in fixed]
    booklet = Booklet(
        front=tuple(spec["front"]), back=tuple(spec["back"]), flow=spec["flow"],
        multiple=spec["multiple"], binding=spec["binding"], filler=filler,
        margins=Margins(**{k: float(margins[k]) for k in ("top", "bottom", "inner", "outer")}))
    return sides, booklet
