"""Layouts: the geometry of a format, declared in `layouts/<name>/layout.toml`.

The code knows kinds of geometry, not sizes:

- `sheet`: a fixed number of sides (pages), each divided left to right into
  panels. A flat leaflet has one panel per side; a folded leaflet has
  panels that meet at folds (the fold positions are the panel boundaries;
  the fold type is a name for people and marks, not for code).
- `booklet`: fixed pages at the front and back (covers), one slot each,
  and a flowing slot in between that takes as many pages as it needs; the
  page count is padded to a multiple (4 for saddle stitching) and the
  pages are imposed two up on printer sheets.

A new size or fold is a new folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _
from ..vi import decimal


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
    label: str = ""  # what print deliverables call it (layout.toml); press/words.py has the defaults

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
class Finishing:
    """What happens to a large-format print after it is printed: hems and grommets (mm)."""

    hem: float = 0.0  # folded back and sewn or welded on every edge
    grommet_spacing: float = 0.0  # at most this far apart; 0 = no grommets
    grommet_inset: float = 0.0  # grommet centres this far inside the trim
    grommet_diameter: float = 0.0
    grommet_edges: tuple[str, ...] = ("top", "bottom", "left", "right")
    stand: float = 0.0  # a standee's bottom that goes into the stand's base: hidden, kept free of text

    @property
    def keep_clear(self) -> float:
        """How far inside the trim nothing of the design's text may go."""
        grommets = self.grommet_inset + self.grommet_diameter / 2 if self.grommet_spacing else 0.0
        return max(self.hem, grommets)


# Viewing distance -> image resolution at final size (PRINT-SPEC §4).
PPI_BY_DISTANCE = ((2.0, 150.0), (6.0, 80.0), (8.0, 60.0), (14.0, 40.0), (float("inf"), 25.0))
OFFSET_PPI = 300.0
# Smallest legible type: about 2.8 mm of capital height per metre of viewing
# distance (1 inch per 30 feet, the usual minimum), Noto's capitals being
# 0.714 em: 2.8 / 0.714 mm of font size per metre = 11.1 pt per metre.
PT_PER_METRE = 2.8 / 0.714 * 72 / 25.4
PDF_MAX_MM = 14400 / 72 * 25.4  # 5080 mm: the largest page side a PDF reader must accept


def ppi_for_distance(metres: float) -> float:
    for limit, ppi in PPI_BY_DISTANCE:
        if metres < limit:
            return ppi
    return PPI_BY_DISTANCE[-1][1]


@dataclass(frozen=True)
class Margins:
    """Page margins of a booklet's flowing pages, mm; inner is the spine side."""

    top: float
    bottom: float
    inner: float
    outer: float


@dataclass(frozen=True)
class Booklet:
    """What a booklet adds to a layout: fixed pages around a flowing slot."""

    front: tuple[str, ...]  # slots of the fixed pages at the start, in order
    back: tuple[str, ...]  # slots of the fixed pages at the end, in order
    flow: str  # the slot that flows
    multiple: int  # page count is padded to a multiple of this
    margins: Margins
    binding: str  # "saddle-stitch": imposed two up, with creep
    filler: str = "notes"  # what fills added pages: "blank", or a template in fillers/


MIN_FILL = 0.7  # a panel whose content takes less of its height is underfull (a warning)


@dataclass(frozen=True)
class Vertical:
    """How a fixed slot uses its panel's height: its alignment and the least share it should fill."""

    align: str = "top"
    min_fill: float = MIN_FILL  # 0: meant to be short, never underfull


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
    sides: tuple[Side, ...]  # fixed pages: every side of a sheet, the covers of a booklet
    marks: Marks
    template: str  # Jinja template name, relative to layouts/
    stylesheets: tuple[str, ...]  # project-relative paths
    min_type_pt: float
    shrink: dict[str, float]  # slot -> smallest body size (pt) it may shrink to, to fit
    booklet: Booklet | None = None
    viewing_distance: float | None = None  # metres
    target_ppi: float = OFFSET_PPI  # image resolution at final size
    finishing: Finishing = Finishing()
    scale: int = 1  # the file is laid out at 1:scale (pages over 5.08 m)
    reading: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (label, panels side by side) per view
    vertical: dict[str, Vertical] = field(default_factory=dict)  # fixed slot -> align, min_fill
    fold_keep_out: float = 0.0  # no text this close to a fold, either side (mm)
    fold_wrap: float = 0.0  # a colour area ending at a fold runs this far past it (mm)
    qr_module_mm: float = 0.5  # smallest QR module (layout.toml [qr] module_mm)
    qr_slots: tuple[tuple[str, dict], ...] = ()  # (slot, qr block options): a QR code unless the piece says

    @property
    def large_format(self) -> bool:
        return self.viewing_distance is not None

    def reading_views(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """How a reader meets a sheet: views of panels side by side (declared, or each side)."""
        if self.reading:
            return self.reading
        views = [(_("front cover"), (p.slot,)) for p in self.panels if p.role == "front-cover"]
        views += [(side.name, tuple(p.slot for p in side.panels)) for side in self.sides]
        return tuple(views)

    @property
    def scale_label(self) -> str:
        return f"1:{self.scale}" if self.scale != 1 else ""

    def grommets(self) -> list[tuple[float, float]]:
        """Grommet centres, mm from the trim's top-left corner, along the declared edges."""
        f = self.finishing
        if not f.grommet_spacing:
            return []
        points = set()
        w, h, i = self.width, self.height, f.grommet_inset
        for edge in f.grommet_edges:
            length = w if edge in ("top", "bottom") else h
            span = length - 2 * i
            count = max(1, -(-span // f.grommet_spacing)) + 1  # gaps no longer than the spacing
            for n in range(int(count)):
                t = i + span * n / (count - 1)
                x, y = {"top": (t, i), "bottom": (t, h - i), "left": (i, t), "right": (w - i, t)}[edge]
                points.add((round(x, 3), round(y, 3)))
        return sorted(points)

    @property
    def pages(self) -> int | None:
        """Pages of a fixed layout; None when the content decides (a booklet)."""
        return None if self.booklet else len(self.sides)

    @property
    def front_sides(self) -> tuple[Side, ...]:
        return self.sides[: len(self.booklet.front)] if self.booklet else self.sides

    @property
    def back_sides(self) -> tuple[Side, ...]:
        return self.sides[len(self.booklet.front):] if self.booklet else ()

    @property
    def outputs(self) -> tuple[str, ...]:
        """Kinds of output file a piece in this layout makes."""
        if self.booklet and self.booklet.binding == "saddle-stitch":
            return ("print", "imposed")
        return ("print",)

    @property
    def panels(self) -> tuple[Panel, ...]:
        return tuple(p for side in self.sides for p in side.panels)

    @property
    def slots(self) -> tuple[str, ...]:
        flow = (self.booklet.flow,) if self.booklet else ()
        return tuple(p.slot for p in self.panels) + flow

    @property
    def required_slots(self) -> tuple[str, ...]:
        flow = (self.booklet.flow,) if self.booklet else ()
        return tuple(p.slot for p in self.panels if p.required) + flow

    @property
    def folded(self) -> bool:
        return self.fold != "none"

    def folds(self, side_index: int) -> tuple[float, ...]:
        """Fold positions (mm from the left trim edge) on a fixed side; none when flat."""
        if not self.folded or self.booklet or side_index >= len(self.sides):
            return ()
        return self.sides[side_index].boundaries

    @property
    def media_margin(self) -> float:
        """Distance from trim to the MediaBox edge: marks and slug fit in it."""
        return self.marks.offset + self.marks.length + self.marks.slug

    @property
    def trim_label(self) -> str:
        return f"{decimal(self.width)} × {decimal(self.height)} mm"
