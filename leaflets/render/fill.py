"""The fill meter and vertical balance of fixed slots, measured on the laid-out pages.

A fixed slot (a panel of a sheet, a booklet's cover page) offers the height
from its top down to the bottom of its panel's text area, or to the
layout's furniture placed below it (the imprint at the foot of a back
cover, the slogan band of a front cover), whichever comes first. Its
**fill** is the height its content takes (down to the lowest line, image or
block border) over that room. Both are measured on the layout as composed,
where every slot sits at the top of its room.

A slot aligned `center`, `bottom` or `spread` (layout/vertical.py) is
moved into its room: the slot shifted down by half or all of the spare
height, or its top-level blocks by shares of it (spread: the first stays at
the top, the last ends at the bottom). The move is made on the laid-out
page itself, before it is written (`move`): the boxes are translated, as
`position: relative` would place them, so nothing else moves, no line
changes and the piece is laid out once, aligned or not.

A slot aligned `top` (the default) whose fill is under its `min_fill` is
`underfull`: a warning with the room left in lines of its body text and in
mm. A slot aligned otherwise has chosen where its space goes and is only
measured.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..i18n import N_, Msg, msg
from ..problems import Problem, note, warning
from .measure import PX_PER_MM, panel_limits
from .tree import Box, pages

TOLERANCE_PX = 0.5
PT_TO_PX = 96 / 72
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
FILL_NOTE = N_("{piece}: fill of each panel: {slots}")


@dataclass(frozen=True)
class SlotFill:
    """How much of its room one fixed slot's content takes (CSS px)."""

    slot: str
    page: int  # 1-based
    top: float  # the slot's top
    used: float  # from its top to the bottom of its content
    room: float  # from its top to the bottom of the room it has
    line: float  # one line of its body text
    blocks: tuple[tuple[int, bool], ...] = ()  # (nth-child, is a heading) of each top-level block

    @property
    def share(self) -> float:
        return self.used / self.room if self.room > 0 else 1.0

    @property
    def spare(self) -> float:
        return max(0.0, self.room - self.used)


def _slot_box(panel: Box) -> Box | None:
    return next((b for b in panel.walk() if b != panel and b.is_block and "slot" in b.classes), None)


def _flowing(slot: Box) -> list[tuple[int, Box]]:
    """(nth-child, box) of the slot's top-level blocks that flow (not its end marker)."""
    own, found, index, last = slot.source(), [], 0, None
    for child in slot.children():
        element = child.source()
        if element is None or element == own or element == last:
            continue  # anonymous or pseudo boxes; a second box of the same element
        last = element
        index += 1
        if child.is_block and not child.is_absolute and "slot-end" not in child.classes:
            found.append((index, child))
    return found


def _blocks(slot: Box) -> tuple[tuple[int, bool], ...]:
    """(nth-child, is a heading) of the slot's top-level blocks that flow."""
    return tuple((index, child.tag in HEADINGS) for index, child in _flowing(slot))


def _line_height(slot: Box) -> float:
    """The most common height of the slot's lines: a line of its body text."""
    heights = Counter(round(b.margin_height * 2) / 2 for b in slot.walk() if b.kind == "line"
                      and b.margin_height > 0)
    if heights:
        return heights.most_common(1)[0][0]
    return slot.font.size_pt * PT_TO_PX * 1.45


def _bottom_of_content(slot: Box) -> float | None:
    bottoms = [b.border_rect[3] if b.is_block else b.margin_rect[3]
               for b in slot.walk() if b != slot and "slot-end" not in b.classes
               and (b.is_block or b.kind in ("line", "image"))]
    return max(bottoms) if bottoms else None


def _room_bottom(panel: Box, slot: Box, top: float, layout) -> float:
    bottom = panel.content_rect[3]
    limits = panel_limits(layout, panel.attr("data-slot"))
    if limits is not None:
        bottom = min(bottom, limits.text[3])
    if layout.finishing.stand:  # a standee's base hides its bottom; text keeps the safe margin
        # above it, and a millimetre more for the glyphs' descent below their line
        bottom = min(bottom, (layout.height - layout.finishing.stand - layout.safe - 1) * PX_PER_MM)
    inside = {el for el in slot.source().descendants()}
    x0, _, x1, _ = slot.border_rect
    for box in panel.walk():  # layout furniture below the slot: a foot, a band
        element = box.source()
        if box == panel or not box.is_block or not box.is_absolute or element is None \
                or element == panel.source() or element in inside:
            continue
        if slot.source() in element.descendants():  # a box that holds the slot (a banner's body)
            continue
        bx0, by0, bx1, _ = box.border_rect
        if by0 >= top - TOLERANCE_PX and bx1 > x0 and bx0 < x1:
            bottom = min(bottom, by0)
    return bottom


def measure(document, layout) -> list[SlotFill]:
    """The fill of every fixed slot the layout declares, on the page where its panel starts."""
    found: dict[str, SlotFill] = {}
    for index, page in enumerate(pages(document)):
        for panel in page.walk():
            name = panel.attr("data-slot") if panel.is_block and "panel" in panel.classes else None
            if name is None or name in found or name not in layout.vertical:
                continue
            slot = _slot_box(panel)
            if slot is None:
                continue
            top = slot.border_rect[1]
            bottom = _bottom_of_content(slot)
            used = 0.0 if bottom is None else max(0.0, bottom - top)
            room = max(0.0, _room_bottom(panel, slot, top, layout) - top)
            found[name] = SlotFill(name, index + 1, top, used, room, _line_height(slot), _blocks(slot))
    return list(found.values())


# -- vertical balance ------------------------------------------------------------------

def move(document, fills: list[SlotFill], layout, chosen: dict[str, str]) -> int:
    """Move each slot aligned center, bottom or spread into its room, on the laid-out pages
    (before they are written); the number of slots moved."""
    wanted: dict[str, dict[int, float] | float] = {}
    for fill in fills:
        align = chosen.get(fill.slot) or layout.vertical[fill.slot].align
        spare = fill.spare - TOLERANCE_PX
        if align == "top" or spare < 1.0 or fill.used <= 0:
            continue
        if align in ("center", "bottom"):
            wanted[fill.slot] = spare / 2 if align == "center" else spare
        elif align == "spread":
            wanted[fill.slot] = dict(_spread(fill.blocks, spare, fill.line))
    moved = 0
    for page in pages(document):
        for panel in page.walk():
            name = panel.attr("data-slot") if panel.is_block and "panel" in panel.classes else None
            slot = _slot_box(panel) if name in wanted else None
            if slot is None:
                continue
            how = wanted.pop(name)  # the page where the panel starts, as measured
            # By whole CSS px (0.26 mm): the text keeps the sub-pixel phase it was set at, and a
            # re-spread by a hair (an edit elsewhere in the panel) moves nothing at all.
            if isinstance(how, float):
                slot.move_down(float(round(how)), page)
            else:
                for index, child in _flowing(slot):
                    if index in how:
                        child.move_down(float(round(how[index])), page)
            moved += 1
    return moved


PARAGRAPH_GAP_LINES = 2  # without sections, paragraphs drift apart by at most this many lines


def _spread(blocks: tuple[tuple[int, bool], ...], spare: float,
            line: float = 0.0) -> list[tuple[int, float]]:
    """How far each block moves down: equal gaps before every section's heading (a heading
    after the first). Without sections, between blocks but never right under a heading, and
    at most PARAGRAPH_GAP_LINES lines each (paragraphs of one text far apart read as unrelated):
    what is left centres the text in its room."""
    opens = [i for i, (_, heading) in enumerate(blocks) if heading and i]
    gap = spare / len(opens) if opens else 0.0
    lead = 0.0
    if not opens:  # no sections: between blocks, never right under a heading
        opens = [i for i in range(1, len(blocks)) if not blocks[i - 1][1]]
        gap = spare / len(opens) if opens else 0.0
        if line > 0:
            gap = min(gap, PARAGRAPH_GAP_LINES * line)
        lead = (spare - gap * len(opens)) / 2
    moved, out = lead, []
    for i, (n, _) in enumerate(blocks):
        if i in opens:
            moved += gap
        if moved:
            out.append((n, moved))
    return out


# -- what the build says -----------------------------------------------------------------

def findings(piece, layout, fills: list[SlotFill], overflowing: set[str]) -> list[Problem]:
    """The fill of every fixed slot (one note) and an `underfull` warning for each top-aligned
    slot under its minimum."""
    if not fills:
        return []
    parts = {f"s{i}": msg("{slot} {percent} %", slot=f.slot, percent=round(100 * f.share),
                          page=f.page, used_mm=round(f.used / PX_PER_MM, 1),
                          room_mm=round(f.room / PX_PER_MM, 1),
                          minimum=round(100 * layout.vertical[f.slot].min_fill))
             for i, f in enumerate(fills)}
    listed = Msg(", ".join("{" + key + "}" for key in parts), **parts)
    found = [note(None, None, msg(FILL_NOTE, piece=piece.name, slots=listed))]
    for fill in fills:
        wanted = layout.vertical[fill.slot]
        align = piece.align.get(fill.slot) or wanted.align
        if fill.slot in overflowing or align != "top" or fill.share >= wanted.min_fill:
            continue
        slot = piece.slots.get(fill.slot)
        found.append(warning(piece.path, slot.line if slot else None, msg(
            "piece `{piece}`: slot {slot!r} uses only {percent} % of its panel's height (about "
            "{lines} line(s), {mm} mm, left empty; the layout asks for {minimum} %): add content, "
            "change its vertical alignment (align) or choose a smaller layout",
            piece=piece.name, slot=fill.slot, percent=round(100 * fill.share),
            lines=round(fill.spare / fill.line) if fill.line else 0,
            mm=round(fill.spare / PX_PER_MM), minimum=round(100 * wanted.min_fill)),
            code="underfull", page=fill.page, slot=fill.slot))
    return found


def fills_of(problems) -> list[dict]:
    """The numbers of the fill note among a piece's findings, slot by slot (for preflight.json
    and the review page)."""
    for problem in problems:
        template = problem.template or {}
        if template.get("text") != FILL_NOTE:
            continue
        slots = (template.get("values") or {}).get("slots") or {}
        out = []
        for part in (slots.get("values") or {}).values():
            values = part.get("values") if isinstance(part, dict) else None
            if isinstance(values, dict) and isinstance(values.get("percent"), int):
                out.append({k: values.get(k) for k in ("slot", "page", "percent", "used_mm", "room_mm",
                                                        "minimum")})
        return out
    return []
