"""Balanced lines in display type, measured on the laid-out page.

WeasyPrint 70 has no `text-wrap: balance`: a heading that wraps fills its
first line and leaves the rest on a short last line ("CHUNG TAY VÌ NGƯỜI
NGHÈO KHÔNG ĐỂ AI / BỊ BỎ LẠI"). Here the display elements that compose put
`data-lb` on (layout/linebreaks.py: each word in a `<span class="w">`) are
read on the first layout of a piece; for each that runs over two lines or
more, the widths of its words give the narrowest measure at which it still
takes the same number of lines (the longest line of the best split, by
dynamic programming over the break points between words). The element is
then narrowed to that measure with padding on the side its text is aligned
to, so its box, background and border stay where they were and it keeps its
height: the layout of everything else is unchanged. WeasyPrint, filling
lines greedily at that measure, makes the same number of lines, as even as
the words allow. A manual line break (`<br>`) splits an element into parts
that are balanced each with its own count of lines.

A word that is wider than its line on its own (a long word in big type on
a narrow panel) has its syllables loosened again, so that it can break
rather than run out of its box.

The measuring layout is the image pass's where a piece has one, else a
skeleton of the piece (layout/linebreaks.py `skeleton`: the same page with
only the text of its display type), which costs a fraction of a full
layout; the piece itself is laid out and written once. `kept` checks the
balanced layout; if any element came out with another number of lines, the
piece is laid out again as composed.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from ..layout.linebreaks import loosen
from .tree import Box, pages

MARK = ' data-lb="'  # in composed HTML: there is display type to measure
TOLERANCE = 0.5  # CSS px added to the balanced measure, for rounding
WORTH = 1.0  # CSS px: narrowing by less than this changes nothing one can see


@dataclass(frozen=True)
class Narrowing:
    """One display element narrowed to balance its lines."""

    index: str  # its data-lb
    lines: int
    css: str


@dataclass(frozen=True)
class Plan:
    """What the first layout asks of the second: narrowed elements, loosened words."""

    narrowings: tuple[Narrowing, ...]
    loosened: frozenset[tuple[str, int]]  # (data-lb, position of the word among the element's words)

    def __bool__(self) -> bool:
        return bool(self.narrowings or self.loosened)


@dataclass
class _Word:
    x0: float
    x1: float
    line: int
    position: int | None  # among the element's `w` spans; None for a nobr span


def _elements(document) -> dict[str, list[Box]]:
    found: dict[str, list[Box]] = {}
    for page in pages(document):
        for box in page.walk():
            if box.is_block and (index := box.attr("data-lb")) is not None:
                found.setdefault(index, []).append(box)
    return found


def _words(element: Box) -> tuple[list[_Word], set[int]] | None:
    """The words of a block's lines and the lines that end in a manual break; None if not only words."""
    words: list[_Word] = []
    forced: set[int] = set()
    count = [0]

    def visit(box: Box, line: int) -> bool:
        for child in box.children():
            kind = child.kind
            if kind == "inline" and child.classes & {"w", "nobr"}:
                x0, _, x1, _ = child.margin_rect
                position = None
                if "w" in child.classes:
                    position = count[0]
                count[0] += sum(1 for b in child.walk() if b.kind == "inline" and "w" in b.classes)
                words.append(_Word(x0, x1, line, position))
            elif kind == "inline" and child.tag == "br":
                forced.add(line)
            elif kind == "inline":
                if not visit(child, line):
                    return False
            elif kind != "text" or child.text.strip():
                return False
        return True

    for number, line in enumerate(element.children()):
        if line.kind != "line" or not visit(line, number):
            return None
    return words, forced


def _balanced_width(words: list[_Word], forced: set[int], lines: int) -> float | None:
    """The narrowest measure at which each part keeps its number of lines; None if unknown."""
    spaces = [b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False)
              if a.line == b.line and b.x0 - a.x1 > 0.5]
    if not spaces:
        return None
    space = median(spaces)
    parts: list[list[_Word]] = [[]]
    for i, word in enumerate(words):
        parts[-1].append(word)
        if word.line in forced and (i + 1 == len(words) or words[i + 1].line != word.line):
            parts.append([])
    widest = 0.0
    for part in (p for p in parts if p):
        count = len({w.line for w in part})
        if count < 2:
            widest = max(widest, part[-1].x1 - part[0].x0)
            continue
        widest = max(widest, _min_max_line(part, space, count))
    return widest


def _min_max_line(part: list[_Word], space: float, count: int) -> float:
    """The least possible width of the longest line, setting `part` in exactly `count` lines."""
    widths = [w.x1 - w.x0 for w in part]
    # Between words on one line: the measured gap; a gap under half a pixel is no space,
    # and no break. Between lines: one space.
    glue, breakable = [], []
    for a, b in zip(part, part[1:], strict=False):
        gap = b.x0 - a.x1 if a.line == b.line else space
        glue.append(max(gap, 0.0))
        breakable.append(a.line != b.line or gap > 0.5)
    n = len(part)
    start = [0.0] * (n + 1)  # start[j]: width of words 0..j-1 with their glue
    for j in range(n):
        start[j + 1] = start[j] + widths[j] + (glue[j] if j < n - 1 else 0.0)

    def width(i: int, j: int) -> float:  # words i..j-1 on one line
        return start[j] - start[i] - (glue[j - 1] if j < n else 0.0)

    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for j in range(k, n + 1):
            for i in range(k - 1, j):
                if i and not breakable[i - 1]:
                    continue
                best[k][j] = min(best[k][j], max(best[k - 1][i], width(i, j)))
    return best[count][n]


def plan(document) -> Plan:
    """What to change so that every display element over two or more lines is balanced."""
    narrowings: list[Narrowing] = []
    loosened: set[tuple[str, int]] = set()
    for index, boxes in _elements(document).items():
        if len(boxes) != 1:
            continue  # split over two pages or columns: left as it is
        element = boxes[0]
        found = _words(element)
        if found is None:
            continue
        words, forced = found
        left, _, right, _ = element.content_rect
        measure = right - left
        too_wide = {w.position for w in words if w.x1 - w.x0 > measure + TOLERANCE and w.position is not None}
        if too_wide:
            loosened.update((index, p) for p in too_wide)
            continue
        lines = len({w.line for w in words})
        if lines < 2:
            continue
        target = _balanced_width(words, forced, lines)
        longest = max(max(w.x1 for w in words if w.line == n) - min(w.x0 for w in words if w.line == n)
                      for n in {w.line for w in words})
        if target is None or longest - target < WORTH:
            continue
        narrowings.append(Narrowing(index, len(element.children()), _css(element, index, measure,
                                                                           min(target + TOLERANCE, measure))))
    return Plan(tuple(narrowings), frozenset(loosened))


def _css(element: Box, index: str, measure: float, width: float) -> str:
    """A rule narrowing the element's content box to `width`, its outer box unchanged."""
    pad_left, pad_right = element.padding_x
    spare = measure - width
    align = element.text_align
    if align == "center":
        pad_left, pad_right = pad_left + spare / 2, pad_right + spare / 2
    elif align in ("right", "end"):
        pad_left += spare
    else:
        pad_right += spare
    return (f'[data-lb="{index}"] {{ box-sizing: content-box !important; width: {width:.3f}px !important; '
            f"padding-left: {pad_left:.3f}px !important; padding-right: {pad_right:.3f}px !important; }}")


def apply(html: str, balance: Plan) -> str:
    """`html` with the plan's rules in its head and its words loosened."""
    if balance.loosened:
        html = loosen(html, balance.loosened)
    if balance.narrowings:
        rules = "\n".join(n.css for n in balance.narrowings)
        html = html.replace("</head>", f"<style>\n{rules}\n</style>\n</head>", 1)
    return html


def kept(document, balance: Plan) -> bool:
    """Did the balanced layout keep every narrowed element's lines (and so its height)?"""
    elements = _elements(document)
    for narrowing in balance.narrowings:
        boxes = elements.get(narrowing.index, [])
        if len(boxes) != 1 or len(boxes[0].children()) != narrowing.lines:
            return False
    return True
