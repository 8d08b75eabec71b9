"""Measurements on the laid-out pages: does every slot fit its panel, is any type too small?

WeasyPrint never clips: an over-full absolutely placed panel is split onto
a page nobody designed, and over-full CSS columns run on to the side, past
the trim (PRINT-SPEC §6). So after rendering, every line and image of each
slot is compared with the text area of its panel (the panel's content box,
minus whatever the layout placed at its foot), and with the number of pages
the layout declares.

The boxes come from `tree.py`, the one module that reads WeasyPrint's
private layout tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_, Msg, msg
from .tree import Box, pages

PX_PER_MM = 96 / 25.4
TOLERANCE_PX = 0.5  # sub-pixel rounding in layout, not overflow


@dataclass(frozen=True)
class Overflow:
    """Content of one slot that lies outside the room its panel gives it."""

    slot: str
    page: int  # 1-based
    lines: int  # lines (and images) that do not fit
    text_mm: float  # their total height: how much to cut
    where: str  # "bottom", "right", "foot", "extra page"


def _panels(page: Box):
    """The panel boxes of a page (blocks with class "panel" and a slot name)."""
    for box in page.walk():
        if box.is_block and "panel" in box.classes and box.attr("data-slot") is not None:
            yield box


def find_overflows(document, layout, measuring: bool = False) -> tuple[list[Overflow], set[str]]:
    """Slots that leave their panel's text area, and slots whose end never made it onto their page.

    A slot whose end marker (`.slot-end`, added by compose) is not on its own
    page was cut by WeasyPrint's fragmentation: its size can only be measured
    by rendering again without fixed panel heights (`measuring=True`).
    """
    height_px = layout.height * PX_PER_MM
    found: list[Overflow] = []
    first: dict[str, int] = {}  # slot -> the page its panel starts on
    ends: dict[str, int] = {}  # slot -> the page its end marker is on
    for index, page in enumerate(pages(document)):
        for box in _panels(page):
            slot = box.attr("data-slot")
            first.setdefault(slot, index)
            if any("slot-end" in b.classes for b in box.walk() if b.is_block):
                ends.setdefault(slot, index)
            if measuring:
                bottom = box.border_rect[1] + height_px - box.bottom_inset
            else:
                bottom = box.content_rect[3]
            off_page = first[slot] != index
            found.extend(_panel_overflows(box, index + 1, off_page, bottom,
                                          panel_limits(layout, slot)))
    cut = {slot for slot, page in first.items() if ends.get(slot) != page}
    for slot, missing in lost_text(document).items():
        if slot not in cut and not any(o.slot == slot for o in found):
            found.append(Overflow(slot=slot, page=first.get(slot, 0) + 1, lines=0, text_mm=0.0,
                                  where=f"lost:{missing}"))
    return found, cut


def _letters(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def lost_text(document) -> dict[str, int]:
    """Slots whose laid-out text is shorter than their source: characters WeasyPrint dropped.

    A last line of defence: whatever the layout (flex, tables, columns), text
    that is in the HTML but not in the layout tree was silently lost.
    """
    source: dict[str, int] = {}
    laid: dict[str, int] = {}

    def visit(box: Box, slot):
        element = box.source()
        if element is not None and box.is_block and "slot" in element.classes:
            name = _slot_of(element)
            if name and name not in source:
                source[name] = _letters(element.text())
            slot = name or slot
        if box.kind == "text":
            if slot:
                laid[slot] = laid.get(slot, 0) + _letters(box.text)
            return
        for child in box.children():
            visit(child, slot)

    for page in pages(document):
        visit(page, None)
    return {slot: count - laid.get(slot, 0) for slot, count in source.items()
            if laid.get(slot, 0) < count}


def _slot_of(slot_element) -> str | None:
    """The slot name of a `.slot` element: from its end marker, which compose always adds."""
    for child in slot_element.descendants():
        if "slot-end" in child.classes:
            return child.attr("data-slot")
    return None


@dataclass(frozen=True)
class Limits:
    """Where a panel's content may go, in CSS px from the trim's top-left corner."""

    text: tuple[float, float, float, float]  # the panel inset by the safe margin at trim edges
    image: tuple[float, float, float, float]  # the panel, out to the bleed at trim edges


def panel_limits(layout, slot: str) -> Limits | None:
    for side in layout.sides:
        for panel in side.panels:
            if panel.slot != slot:
                continue
            x0, x1 = panel.x, panel.x + panel.width
            at_left, at_right = panel.x <= 1e-6, abs(x1 - layout.width) <= 1e-6
            s, b = layout.safe, layout.bleed
            text = (x0 + (s if at_left else 0), s, x1 - (s if at_right else 0), layout.height - s)
            image = (x0 - (b if at_left else 0), -b, x1 + (b if at_right else 0), layout.height + b)
            return Limits(tuple(v * PX_PER_MM for v in text), tuple(v * PX_PER_MM for v in image))
    return None


def _panel_overflows(panel: Box, page: int, off_page: bool, bottom: float,
                     limits: Limits | None) -> list[Overflow]:
    slot_name = panel.attr("data-slot")
    slot_boxes = [b for b in panel.walk() if b.is_block and "slot" in b.classes]
    if not slot_boxes:
        return []
    slot_elements = {el for b in slot_boxes for el in b.source().descendants()}
    panel_element = panel.source()
    # Layout furniture placed in the panel outside the slot (a foot with the
    # imprint, a band with the slogan): the slot's text must stay clear of it.
    obstacles = [b.border_rect for b in panel.walk()
                 if b != panel and b.is_block and b.is_absolute
                 and b.source() is not None and b.source() != panel_element
                 and not any(el in slot_elements for el in b.source().descendants())]
    left, top, right, _ = panel.content_rect
    if limits is not None:  # never closer to the trim than the safe margin
        left, top = max(left, limits.text[0]), max(top, limits.text[1])
        right, bottom = min(right, limits.text[2]), min(bottom, limits.text[3])
    bad_lines: dict[Box, float] = {}  # line -> its height
    where = "extra page" if off_page else ""
    for slot in slot_boxes:
        for line, leaf in slot.leaves():
            x0, y0, x1, y1 = leaf.margin_rect
            kind = ""
            if off_page:
                kind = "extra page"
            elif leaf.kind == "image":
                # pictures may run into the bleed, but not past it nor into the next panel
                if limits is not None:
                    ix0, iy0, ix1, iy1 = limits.image
                    kind = "image" if max(ix0 - x0, iy0 - y0, x1 - ix1, y1 - iy1) > TOLERANCE_PX else ""
            elif x1 - right > TOLERANCE_PX:
                kind = "right"
            elif y1 - bottom > TOLERANCE_PX:
                kind = "bottom"
            elif left - x0 > TOLERANCE_PX or top - y0 > TOLERANCE_PX:
                kind = "edge"
            elif any(x1 > ox0 and x0 < ox1 and y1 - oy0 > TOLERANCE_PX and y0 < oy1
                     for ox0, oy0, ox1, oy1 in obstacles):
                kind = "foot"
            if kind:
                bad_lines[line] = max(bad_lines.get(line, 0.0), line.margin_height)
                # an image carried off with over-full text is that text's overflow
                if not where or (where == "image" and kind != "image"):
                    where = kind
    if not bad_lines:
        return []
    return [Overflow(slot=slot_name, page=page, lines=len(bad_lines),
                     text_mm=sum(bad_lines.values()) / PX_PER_MM, where=where)]


def measuring_css(layout) -> str:
    """CSS that lets every panel grow and every page be tall enough not to break it."""
    return (f"<style>@page {{ size: {layout.width}mm {layout.height * 20}mm; }} "
            ".panel { height: auto !important; }</style>")


# Where the content of an over-full slot runs (Overflow.where).
PLACES = {
    "bottom": N_("past the bottom of its text area"),
    "right": N_("past the edge of its text area (an extra column)"),
    "foot": N_("into the layout's foot (imprint, band)"),
    "edge": N_("into the safe margin at the edge of its panel"),
    "image": N_("(an image) past its panel's edge or bleed"),
    "extra page": N_("onto a page the layout does not have"),
}


def describe(overflow: Overflow, layout_name: str) -> Msg:
    if overflow.where.startswith("lost:"):
        return msg("slot {slot!r} does not fit its panel in layout {layout!r} (page {page}): "
                   "{dropped} character(s) of it were dropped in layout; shorten it",
                   slot=overflow.slot, layout=layout_name, page=overflow.page,
                   dropped=int(overflow.where[5:]))
    return msg("slot {slot!r} does not fit its panel in layout {layout!r} (page {page}): {lines} line(s), "
               "about {text_mm:.1f} mm of text, run {place}; shorten it by that much or move some to "
               "another slot", slot=overflow.slot, layout=layout_name, page=overflow.page,
               lines=overflow.lines, text_mm=overflow.text_mm, place=msg(PLACES[overflow.where]))


@dataclass(frozen=True)
class SmallType:
    """Type set smaller than the layout allows, in one slot (or page furniture)."""

    slot: str | None
    page: int
    size_pt: float
    sample: str


def find_small_type(document, minimum_pt: float) -> list[SmallType]:
    """The smallest type below `minimum_pt` in each slot, with a few words of it."""
    smallest: dict[str | None, SmallType] = {}

    def visit(box: Box, slot, page):
        if box.is_block and box.attr("data-slot"):
            slot = box.attr("data-slot")
        if box.kind == "text" and box.text.strip():
            size = box.font.size_pt
            if size < minimum_pt - 0.05:
                known = smallest.get(slot)
                if known is None or size < known.size_pt:
                    smallest[slot] = SmallType(slot, page, size, " ".join(box.text.split())[:40])
            return
        for child in box.children():
            visit(child, slot, page)

    for index, page in enumerate(pages(document)):
        visit(page, None, index + 1)
    return list(smallest.values())
