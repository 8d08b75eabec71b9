"""Page geometry as CSS, generated from the layout: never a size retyped by hand.

Layout stylesheets use the custom properties and classes generated here
(`--trim-width`, `--bleed`, `.panel--<slot>`, …), so a trim, bleed or panel
width is written once, in layout.toml.
"""

from __future__ import annotations

from .geometry import Layout

_CSS_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 /._-%,()+")


def css_string(value: str) -> str:
    """`value` as a quoted CSS string, every other character escaped (`\\22 ` for a quote).

    File names and names from data files reach generated CSS only through
    this: a name can never end the string, the rule or the <style> element.
    """
    return '"' + "".join(c if c in _CSS_SAFE else f"\\{ord(c):x} " for c in value) + '"'


def _mm(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") + "mm"


MARGIN_BOXES = (
    "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
    "right-top", "right-middle", "right-bottom", "bottom-right-corner", "bottom-right",
    "bottom-center", "bottom-left", "bottom-left-corner", "left-bottom", "left-middle", "left-top")


def _page_rules(layout: Layout) -> list[str]:
    w, h, b = layout.width, layout.height, layout.bleed
    size = f"size: {_mm(w)} {_mm(h)}; bleed: {_mm(b)}; marks: none;"
    if layout.booklet is None:
        return [f"@page {{ {size} margin: 0; }}"]
    m = layout.booklet.margins
    none = " ".join(f"@{box} {{ content: none; }}" for box in MARGIN_BOXES)
    return [
        f"@page {{ {size} margin: {_mm(m.top)} {_mm(m.outer)} {_mm(m.bottom)} {_mm(m.inner)}; }}",
        # page 1 is a right-hand page: its inner (spine) edge is on the left
        f"@page :right {{ margin-left: {_mm(m.inner)}; margin-right: {_mm(m.outer)}; }}",
        f"@page :left {{ margin-left: {_mm(m.outer)}; margin-right: {_mm(m.inner)}; }}",
        # covers and padding pages: the whole trim, no running heads or folios
        f"@page fixed {{ margin: 0; {none} }}",
        ".side { page: fixed; }",
        f":root {{ --margin-top: {_mm(m.top)}; --margin-bottom: {_mm(m.bottom)}; "
        f"--margin-inner: {_mm(m.inner)}; --margin-outer: {_mm(m.outer)}; }}",
    ]


def geometry_css(layout: Layout) -> str:
    """Page size, bleed, margins and panel boxes, all from the layout's geometry."""
    w, h, b, s = layout.width, layout.height, layout.bleed, layout.safe
    out = [
        *_page_rules(layout),
        ":root {",
        f"  --trim-width: {_mm(w)}; --trim-height: {_mm(h)};",
        f"  --bleed: {_mm(b)}; --safe: {_mm(s)}; --stand: {_mm(layout.finishing.stand)};",
        "}",
        f".side {{ position: relative; width: {_mm(w)}; height: {_mm(h)}; "
        "margin: 0; break-after: page; }",
        ".side:last-child { break-after: auto; }",
        f".side-bg {{ position: absolute; left: {_mm(-b)}; top: {_mm(-b)}; "
        f"width: {_mm(w + 2 * b)}; height: {_mm(h + 2 * b)}; }}",
        f".panel {{ position: absolute; top: 0; height: {_mm(h)}; box-sizing: border-box; "
        "--pad: var(--safe); padding: var(--pad); }",
    ]
    for side in layout.sides:
        last = len(side.panels) - 1
        for i, panel in enumerate(side.panels):
            left_bleed = b if i == 0 else 0.0
            right_bleed = b if i == last else 0.0
            # how far a colour area reaches past the panel: the bleed at the trim, the wrap at a fold
            left_edge = left_bleed if i == 0 else layout.fold_wrap
            right_edge = right_bleed if i == last else layout.fold_wrap
            out.append(
                f".panel--{panel.slot} {{ left: {_mm(panel.x)}; width: {_mm(panel.width)}; "
                f"--bleed-left: {_mm(left_bleed)}; --bleed-right: {_mm(right_bleed)}; "
                f"--bleed-top: {_mm(b)}; --bleed-bottom: {_mm(b)}; "
                f"--edge-left: {_mm(left_edge)}; --edge-right: {_mm(right_edge)}; }}")
            out.append(
                f".panel-bg--{panel.slot} {{ position: absolute; "
                f"left: {_mm(panel.x - left_bleed)}; top: {_mm(-b)}; "
                f"width: {_mm(panel.width + left_bleed + right_bleed)}; height: {_mm(h + 2 * b)}; }}")
            if layout.fold_wrap and (left_edge != left_bleed or right_edge != right_bleed):
                out.append(_wrap_rule(panel.slot, left_edge - left_bleed, right_edge - right_bleed))
    return "\n".join(out)


def _wrap_rule(slot: str, left: float, right: float) -> str:
    """A panel's colour carried past its folds (layout.toml `fold_wrap`), under every panel's own
    background: it shows only where the panel beside it is uncoloured paper, so a misfold shows
    the colour instead of a white sliver, and two coloured panels still meet exactly at the fold."""
    return (f".panel-bg--{slot}::before {{ content: \"\"; position: absolute; z-index: -1; "
            f"top: 0; bottom: 0; left: {_mm(-left or 0.0)}; right: {_mm(-right or 0.0)}; "
            "background-color: inherit; background-image: inherit; }")
