"""Safe zones on the laid-out pages: where no glyph may be, whoever drew it.

Every line of text on a page is checked, a slot's and the layout's own
(agency line, title, slogan band, imprint, hotline, banner foot, running
heads and folios in the page margins) against three kinds of zone, all
declared in layout.toml:

- the safe margin inside the trim (`page.safe`), on every edge, which is
  also where hems and grommets are (load.py makes `safe` cover them);
- a strip each side of every fold (`fold_keep_out`, 3 mm by default on a
  folded layout): a line on a fold cracks and a misfold hides it;
- a standee's stand zone (`finishing.stand`): the bottom that goes into the
  stand's base is hidden, and what is above it keeps the safe margin from
  that visible edge, as from a trim.

A glyph's extent is its text box in WeasyPrint's layout tree (the font's
ascent and descent, so stacked Vietnamese marks are inside it), read
through render/tree.py. Text in the margin of a slot is also found by the
fit check (render/measure.py), and text of an over-full slot runs past its
panel: a slot the fit check reported is not reported again here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import N_, msg
from ..layout.compose import Composed
from ..problems import Problem, error
from ..render.tree import Box, pages

PX_PER_MM = 96 / 25.4
# A heading set tighter than the font's ascent and descent (1.36 em for Noto) pokes its text
# box a little past its line: a quarter millimetre of that is not an intrusion.
TOLERANCE_MM = 0.25
EDGES = {"top": N_("top edge"), "bottom": N_("bottom edge"), "left": N_("left edge"),
         "right": N_("right edge")}
MARGIN_PART = "@page"  # text of a page's margin boxes: running heads, folios


@dataclass(frozen=True)
class Intrusion:
    """Text of one part of a page that lies in a zone kept free of text (mm)."""

    page: int  # 0-based laid-out page
    slot: str | None  # None: the layout's own text
    part: str  # the class of the element it is in ("slogan", "imprint"), or MARGIN_PART
    kind: str  # "trim", "fold" or "stand"
    at: str  # the trim edge ("bottom"), or the fold's position ("197")
    distance: float  # from the edge, fold or stand zone; negative: that far across it
    limit: float
    text: str


def _part(box: Box, part: str) -> str:
    """The element a text is in, by its first class: layout decorations are named by class."""
    element = box.source()
    if element is not None and box.kind in ("block", "inline") and element.tag not in ("html", "body"):
        classes = sorted(element.classes - {"w", "nobr", "slot", "slot-end"})
        if classes and not any(c.startswith(("panel", "side", "role")) for c in classes):
            return (element.attr("class") or "").split()[0]
    return part


def _text_boxes(page: Box):
    """(slot, part, text box) for every text box with a glyph on the page."""

    def visit(box: Box, panel, slot, part):
        if box.is_block and box.attr("data-slot"):
            panel = box.attr("data-slot")  # a panel, or a booklet's flow
        if box.is_block and "slot" in box.classes:
            slot = panel  # inside the slot's content, not the panel's decorations
        part = _part(box, part)
        if box.kind == "text":
            if box.text.strip():
                yield slot, part, box
            return
        for child in box.children():
            yield from visit(child, panel, slot, part)

    for index, child in enumerate(page.children()):
        # the first child is the document; the others are the page's margin boxes
        yield from visit(child, None, None, "" if index == 0 else MARGIN_PART)


def intrusions(document, layout) -> list[Intrusion]:
    """Every text box in a zone kept free of text, worst first within each part of each page."""
    found: dict[tuple, Intrusion] = {}
    width, height, safe = layout.width, layout.height, layout.safe
    stand_top = height - layout.finishing.stand
    for index, page in enumerate(pages(document)):
        folds = layout.folds(index) if layout.fold_keep_out else ()
        for slot, part, box in _text_boxes(page):
            x0, y0, x1, y1 = (v / PX_PER_MM for v in box.border_rect)
            edge, distance = min((("left", x0), ("top", y0), ("right", width - x1),
                                  ("bottom", height - y1)), key=lambda e: e[1])
            checks = [("trim", edge, distance, safe)]
            checks += [("fold", f"{fold:g}", max(x0 - fold, fold - x1), layout.fold_keep_out)
                       for fold in folds]
            if layout.finishing.stand:
                checks.append(("stand", "", stand_top - y1, safe))
            for kind, at, distance, limit in checks:
                if distance >= limit - TOLERANCE_MM:
                    continue
                key = (index, slot, part, kind, at)
                known = found.get(key)
                text = " ".join(box.text.split())
                if known is None:
                    found[key] = Intrusion(index, slot, part, kind, at, distance, limit, text)
                else:
                    joined = f"{known.text} {text}" if len(known.text) < 60 else known.text
                    found[key] = Intrusion(index, slot, part, kind, at, min(distance, known.distance),
                                           limit, joined)
    return list(found.values())


def _where(intrusion: Intrusion):
    if intrusion.slot:
        return msg("slot {slot!r}", slot=intrusion.slot)
    if intrusion.part == MARGIN_PART:
        return msg("the page margin: running head or folio")
    if intrusion.part:
        return msg("the layout's {part}", part=intrusion.part)
    return msg("the layout")


def describe(intrusion: Intrusion, layout):
    """The finding's message: the page, the text, the distance and the limit, and what to do."""
    values = {"page": intrusion.page, "where": _where(intrusion), "limit": intrusion.limit,
              "words": intrusion.text if len(intrusion.text) <= 60 else intrusion.text[:59] + "…",
              "layout": layout.name}
    if intrusion.kind == "trim":
        return msg("page {page}: “{words}” ({where}) comes {distance:.1f} mm from the {edge} of the "
                   "trim, inside the {limit:g} mm safe margin of layout {layout!r} (page.safe): move it "
                   "inwards in the layout's CSS or template", distance=max(intrusion.distance, 0.0),
                   edge=msg(EDGES[intrusion.at]), **values)
    if intrusion.kind == "fold":
        return msg("page {page}: “{words}” ({where}) comes {distance:.1f} mm from the fold at {fold} mm, "
                   "inside the {limit:g} mm kept free each side of a fold in layout {layout!r} "
                   "(fold_keep_out): move it away from the fold in the layout's CSS",
                   distance=max(intrusion.distance, 0.0), fold=intrusion.at, **values)
    stand = layout.finishing.stand
    if intrusion.distance < 0:
        return msg("page {page}: “{words}” ({where}) reaches {depth:.1f} mm into the stand zone of layout "
                   "{layout!r} (the bottom {stand:g} mm goes into the stand's base, finishing.stand): "
                   "move it up at least {need:.1f} mm in the layout's CSS", depth=-intrusion.distance,
                   stand=stand, need=intrusion.limit - intrusion.distance, **values)
    return msg("page {page}: “{words}” ({where}) is {distance:.1f} mm above the stand zone of layout "
               "{layout!r} (the bottom {stand:g} mm goes into the stand's base), inside the {limit:g} mm "
               "safe margin above it: move it up in the layout's CSS", distance=intrusion.distance,
               stand=stand, **values)


def safe_zone_findings(composed: Composed, document, page_number: Callable[[int], int],
                       misfit: set[str] = frozenset()) -> list[Problem]:
    """An error for every part of a page with text in a zone kept free of text.

    `misfit`: slots the fit check already reported (overflowing, or in the safe margin):
    where their text went is said there, not again here.
    """
    piece, layout = composed.piece, composed.layout
    found = []
    for intrusion in sorted(intrusions(document, layout), key=lambda i: (i.page, i.distance)):
        page = page_number(intrusion.page)
        if intrusion.slot in misfit:
            continue
        shown = Intrusion(page, *(getattr(intrusion, f) for f in
                                  ("slot", "part", "kind", "at", "distance", "limit", "text")))
        slot = intrusion.slot
        line = piece.slots[slot].line if slot in piece.slots else piece.line_of("layout")
        found.append(error(piece.path, line, describe(shown, layout), code="safe-zone", page=page,
                           slot=slot))
    return found
