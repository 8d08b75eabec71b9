"""Render a piece until it fits: measure, shrink what a layout lets shrink, pad booklets.

- Every slot must fit its panel (`measure.py` measures it on the layout tree).
- A layout may let a slot's type shrink, down to a declared body size
  (`[shrink]` in layout.toml): the largest size that fits is found by
  bisection over a few renders, and the build says what it did.
- A booklet's page count is made a multiple of 4 (or the layout's
  multiple) with the layout's filler pages before its back covers (filler.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import msg
from ..layout.compose import Composed, Composer
from ..problems import Problem, error, note
from . import fill
from .filler import fill_booklet
from .measure import Overflow, describe, find_overflows, find_small_type, measuring_css
from .tree import pages

SEARCH_STEPS = 6  # bisection steps: (1 - min/base) / 2**6, under 0.5 % of the size


@dataclass
class Fit:
    overflows: list[Overflow]
    cut: set[str]


def measure(composed: Composed, rendered, renderer) -> Fit:
    """Overflows of every slot; slots WeasyPrint cut are measured again with growing panels."""
    layout = composed.layout
    overflows, cut = find_overflows(rendered.document, layout)
    if cut:
        measured = renderer.render_html(
            rendered.html.replace("</head>", measuring_css(layout) + "</head>", 1),
            composed.piece.path, rendered.substitutes)
        again, _ = find_overflows(measured, layout, measuring=True)
        overflows = [o for o in overflows if o.slot not in cut] + [o for o in again if o.slot in cut]
    return Fit(overflows, cut)


def fit_problems(composed: Composed, rendered, fit: Fit) -> list[Problem]:
    """Errors for every slot that overflows its panel, and for pages the layout lacks."""
    piece, layout = composed.piece, composed.layout
    problems = []
    for overflow in fit.overflows:
        slot = piece.slots.get(overflow.slot)
        code = {"edge": "safe-zone", "image": "image-edge"}.get(overflow.where, "overflow")
        problems.append(error(piece.path, slot.line if slot else None,
                              describe(overflow, layout.name), code=code, page=overflow.page,
                              slot=overflow.slot))
    for small in find_small_type(rendered.document, layout.min_type_pt):
        slot = piece.slots.get(small.slot) if small.slot else None
        where = msg("slot {slot!r}", slot=small.slot) if small.slot else msg("the layout's page furniture")
        distance = msg(" (read from {distance:g} m)", distance=layout.viewing_distance) \
            if layout.viewing_distance else ""
        problems.append(error(piece.path, slot.line if slot else None,
                              msg("type of {size:.1f} pt in {where} on page {page}, smaller than the "
                                  "{minimum:g} pt layout {layout!r} allows{distance}: “{sample}”",
                                  size=small.size_pt, where=where, page=small.page,
                                  minimum=layout.min_type_pt, layout=layout.name, distance=distance,
                                  sample=small.sample),
                              code="type-size", page=small.page, slot=small.slot))
    wrong_count = layout.pages is not None and rendered.pages != layout.pages
    if not problems and (fit.cut or wrong_count):
        problems.append(error(piece.path, None,
                              msg("the content made {pages} pages but layout {layout!r} has {wanted}: "
                                  "shorten the longest slot", pages=rendered.pages, layout=layout.name,
                                  wanted=layout.pages),
                              code="overflow"))
    return problems


def _body_size_pt(rendered, slot: str) -> float | None:
    """The computed font size of a slot's content, from the layout tree."""
    for page in pages(rendered.document):
        for box in page.walk():
            if box.is_block and "panel" in box.classes and box.attr("data-slot") == slot:
                for inner in box.walk():
                    if inner.is_block and "slot" in inner.classes:
                        return inner.font.size_pt
    return None


def _shrink(composed: Composed, rendered, composer: Composer, renderer, slots: list[str]):
    """Scale each slot's type to the largest size (within its minimum) at which it fits.

    Returns (scales or None when even the minimum does not fit, (composed,
    rendered, fit) of the last attempt, base sizes in pt).
    """
    layout = composed.layout
    base = {s: size for s in slots if (size := _body_size_pt(rendered, s))}
    lowest = {s: min(1.0, layout.shrink[s] / base[s]) for s in base}

    def attempt(scales):
        trial = composer.compose(composed.piece, layout, composed.blank_pages, scales, composed.variant)
        done = renderer.render(trial)
        return trial, done, measure(trial, done, renderer)

    last = attempt(lowest)
    if ({o.slot for o in last[2].overflows} | last[2].cut) & set(lowest):
        return None, last, base
    low, high = dict(lowest), {s: 1.0 for s in lowest}
    for _ in range(SEARCH_STEPS):
        middle = {s: (low[s] + high[s]) / 2 for s in lowest}
        fit = attempt(middle)[2]
        bad = {o.slot for o in fit.overflows} | fit.cut
        for s in lowest:
            if s in bad:
                high[s] = middle[s]
            else:
                low[s] = middle[s]
    return low, attempt(low), base


def render_fitting(composed: Composed, composer: Composer, renderer):
    """Render `composed` until it fits; return (composed, rendered, findings).

    The findings include an error for every slot that still does not fit;
    the caller decides (the render is kept so that other checks can run).
    """
    piece, layout = composed.piece, composed.layout
    rendered = renderer.render(composed)
    notes = list(rendered.problems)
    fit = measure(composed, rendered, renderer)
    shrinkable = sorted({o.slot for o in fit.overflows} & set(layout.shrink))
    if shrinkable:
        scales, (composed, rendered, fit), base = _shrink(composed, rendered, composer, renderer,
                                                          shrinkable)
        for slot in shrinkable:
            if scales is None or slot not in scales:
                continue
            notes.append(note(piece.path, piece.slots[slot].line if slot in piece.slots else None,
                              msg("slot {slot!r} set at {size:.1f} pt instead of {base:.1f} pt to fit its "
                                  "panel (layout {layout!r} allows down to {minimum:g} pt)", slot=slot,
                                  size=base[slot] * scales[slot], base=base[slot], layout=layout.name,
                                  minimum=layout.shrink[slot])))
        if scales is None:
            notes.append(note(piece.path, None,
                              msg("shrinking type to the layout's minimum was not enough; "
                                  "measured at the minimum size:")))
    problems = fit_problems(composed, rendered, fit)
    notes += fill.findings(piece, layout, rendered.fills, {o.slot for o in fit.overflows} | fit.cut)
    if problems:
        return composed, rendered, notes + problems
    if layout.booklet:
        composed, rendered, padded = fill_booklet(composed, rendered, composer, renderer)
        notes.extend(padded)
    return composed, rendered, notes
