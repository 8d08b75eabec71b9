"""Does every slot fit its panel? Measured on WeasyPrint's layout tree.

WeasyPrint never clips: an over-full absolutely placed panel is split onto
a page nobody designed, and over-full CSS columns run on to the side, past
the trim (PRINT-SPEC §6). So after rendering, every line and image of each
slot is compared with the text area of its panel (the panel's content box,
minus whatever the layout placed at its foot), and with the number of pages
the layout declares.

The layout tree is reached through each page's `_page_box`, a private
attribute of WeasyPrint; the version is pinned in pyproject.toml and
tests/test_fit.py covers it.
"""

from __future__ import annotations

from dataclasses import dataclass

PX_PER_MM = 96 / 25.4
TOLERANCE_PX = 0.5  # sub-pixel rounding in layout, not overflow


@dataclass(frozen=True)
class Overflow:
    """Content of one slot that lies outside the room its panel gives it."""

    slot: str
    page: int  # 1-based
    lines: int  # lines (and images) that do not fit
    text_mm: float  # their total height: how much to cut
    beyond_mm: float  # how far the furthest one reaches past the text area
    where: str  # "bottom", "right", "foot", "extra page"


def _classes(element) -> set[str]:
    if element is None:
        return set()
    return set((element.get("class") or "").split())


def _real(box):
    """The box behind an AbsolutePlaceholder (or the box itself)."""
    return getattr(box, "_box", box)


def _walk(box):
    """Every box under `box`, looking through absolute and float placeholders."""
    box = _real(box)
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _walk(child)


def _is_block(box) -> bool:
    from weasyprint.formatting_structure import boxes

    return isinstance(box, boxes.BlockContainerBox)


def _leaves(box):
    """(line box, leaf) for every text fragment and image under `box`."""
    from weasyprint.formatting_structure import boxes

    def visit(node, line):
        node = _real(node)
        if isinstance(node, boxes.LineBox):
            line = node
        if isinstance(node, (boxes.TextBox, boxes.ReplacedBox)):
            yield line if line is not None else node, node
            return
        for child in getattr(node, "children", ()) or ():
            yield from visit(child, line)

    yield from visit(box, None)


def _rect(box) -> tuple[float, float, float, float]:
    x, y = box.border_box_x(), box.border_box_y()
    return x, y, x + box.border_width(), y + box.border_height()


def _padding_bottom(box) -> float:
    return box.padding_bottom + box.border_bottom_width


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
    for index, page in enumerate(document.pages):
        for box in _walk(page._page_box):
            if not _is_block(box) or "panel" not in _classes(box.element):
                continue
            slot = box.element.get("data-slot")
            if slot is None:
                continue
            first.setdefault(slot, index)
            if any("slot-end" in _classes(b.element) for b in _walk(box) if _is_block(b)):
                ends.setdefault(slot, index)
            if measuring:
                bottom = box.border_box_y() + height_px - _padding_bottom(box)
            else:
                bottom = box.content_box_y() + box.height
            off_page = first[slot] != index
            found.extend(_panel_overflows(box, index + 1, off_page, bottom))
    cut = {slot for slot, page in first.items() if ends.get(slot) != page}
    return found, cut


def _panel_overflows(panel, page: int, off_page: bool, bottom: float) -> list[Overflow]:
    slot_name = panel.element.get("data-slot")
    slot_boxes = [b for b in _walk(panel) if _is_block(b) and "slot" in _classes(b.element)]
    if not slot_boxes:
        return []
    slot_elements = {el for b in slot_boxes for el in b.element.iter()}
    # Layout furniture placed in the panel outside the slot (a foot with the
    # imprint, a band with the slogan): the slot's text must stay clear of it.
    obstacles = [_rect(b) for b in _walk(panel)
                 if b is not panel and _is_block(b) and b.element not in slot_elements
                 and b.style["position"] == "absolute" and b.element is not panel.element]
    left = panel.content_box_x()
    top = panel.content_box_y()
    right = left + panel.width
    bad_lines: dict[int, tuple[float, float]] = {}  # id(line) -> (height, beyond)
    where = "extra page" if off_page else ""
    for slot in slot_boxes:
        for line, leaf in _leaves(slot):
            x0, y0 = leaf.position_x, leaf.position_y
            x1, y1 = x0 + leaf.margin_width(), y0 + leaf.margin_height()
            beyond, kind = 0.0, ""
            if off_page:
                beyond, kind = max(y1 - top, 0.0), "extra page"
            elif x1 - right > TOLERANCE_PX:
                beyond, kind = x1 - right, "right"
            elif y1 - bottom > TOLERANCE_PX:
                beyond, kind = y1 - bottom, "bottom"
            else:
                for ox0, oy0, ox1, oy1 in obstacles:
                    if x1 > ox0 and x0 < ox1 and y1 - oy0 > TOLERANCE_PX and y0 < oy1:
                        beyond, kind = y1 - oy0, "foot"
                        break
            if kind:
                height = line.margin_height()
                old = bad_lines.get(id(line), (0.0, 0.0))
                bad_lines[id(line)] = (max(old[0], height), max(old[1], beyond))
                where = where or kind
    if not bad_lines:
        return []
    return [Overflow(
        slot=slot_name, page=page, lines=len(bad_lines),
        text_mm=sum(h for h, _ in bad_lines.values()) / PX_PER_MM,
        beyond_mm=max(b for _, b in bad_lines.values()) / PX_PER_MM, where=where)]


def measuring_css(layout) -> str:
    """CSS that lets every panel grow and every page be tall enough not to break it."""
    return (f"<style>@page {{ size: {layout.width}mm {layout.height * 20}mm; }} "
            ".panel { height: auto !important; }</style>")


def describe(overflow: Overflow, layout_name: str) -> str:
    place = {
        "bottom": "past the bottom of its text area",
        "right": "past the edge of its text area (an extra column)",
        "foot": "into the layout's foot (imprint, band)",
        "extra page": "onto a page the layout does not have",
    }[overflow.where]
    return (f"slot {overflow.slot!r} does not fit its panel in layout {layout_name!r} "
            f"(page {overflow.page}): {overflow.lines} line(s), about {overflow.text_mm:.1f} mm "
            f"of text, run {place}; shorten it by that much or move some to another slot")
