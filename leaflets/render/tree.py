"""The laid-out pages: the one module that reads WeasyPrint's private layout tree.

The overflow, safe-zone, image-placement, glyph and type-size checks need to
know where WeasyPrint put every line, which font it used and in what colour.
WeasyPrint has no public API for that; its boxes are reached through each
page's `_page_box` and carry private attributes that may change between
releases. Everything that touches them is here, behind a small read-only
interface; nothing else in the package imports `weasyprint.formatting_structure`
or reads a box attribute. pyproject.toml pins the WeasyPrint version and
names this file; tests/test_tree.py exercises every function and property on
a rendered page, so an upgrade that changes the tree fails there first.

The interface:

- `pages(document)`: the root `Box` of every page of a rendered document.
- `Box`: one laid-out box, looking through absolute/float placeholders.
  Its `kind` ("page", "block", "line", "text", "image", "inline", "other"),
  the HTML element it came from (`tag`, `classes`, `attr()`, `source()`),
  where it is (`border_rect`, `content_rect`, `margin_rect`, all in CSS px
  from the page's trim corner; `padding_x`), whether it is absolutely
  positioned, its `text`, `text_align`, `font` and `colour`, for images the
  `drawn_size` (following object-fit), and `children()`, `walk()` and
  `leaves()` to go down.
- `Font` and `Colour`: plain values, no WeasyPrint or tinycss2 objects.

Coordinates are CSS px (96 per inch), as WeasyPrint lays out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

PT_PER_PX = 0.75  # 72 pt and 96 px to the inch


@cache
def _box_types():
    """WeasyPrint's box classes, imported when first needed (keeps `--help` fast)."""
    from weasyprint.formatting_structure import boxes

    return boxes


@dataclass(frozen=True)
class Font:
    """The font a text box asks for (the CSS computed values)."""

    families: tuple[str, ...]
    weight: int
    style: str  # "normal", "italic" or "oblique"
    size_pt: float


@dataclass(frozen=True)
class Colour:
    """A text colour: its CSS colour space and values, and its sRGB equivalent where known."""

    space: str  # "srgb", "device-cmyk", …
    values: tuple[float, ...]
    srgb: tuple[float, float, float] | None  # 0..1 each; None when it cannot be converted


class SourceElement:
    """An element of the HTML a box was laid out from: tag, classes, attributes, text."""

    __slots__ = ("_element",)

    def __init__(self, element):
        self._element = element

    def __eq__(self, other) -> bool:
        return isinstance(other, SourceElement) and other._element is self._element

    def __hash__(self) -> int:
        return id(self._element)

    @property
    def tag(self) -> str:
        return str(self._element.tag)

    @property
    def classes(self) -> set[str]:
        return set((self._element.get("class") or "").split())

    def attr(self, name: str) -> str | None:
        return self._element.get(name)

    def text(self) -> str:
        """All the text inside the element, as written in the HTML."""
        return "".join(self._element.itertext())

    def descendants(self) -> Iterator[SourceElement]:
        """The element itself and every element inside it, in document order."""
        for element in self._element.iter():
            yield SourceElement(element)


class Box:
    """A read-only view of one laid-out box."""

    __slots__ = ("_box",)

    def __init__(self, box):
        # An absolutely positioned or floated box sits in the tree behind a
        # placeholder; the view always shows the box itself.
        self._box = getattr(box, "_box", box)

    def __eq__(self, other) -> bool:
        return isinstance(other, Box) and other._box is self._box

    def __hash__(self) -> int:
        return id(self._box)

    def __repr__(self) -> str:
        return f"<Box {self.kind} {self.tag or ''} {sorted(self.classes)}>"

    # -- what it is -------------------------------------------------------------

    @property
    def kind(self) -> str:
        boxes = _box_types()
        box = self._box
        if isinstance(box, boxes.PageBox):
            return "page"
        if isinstance(box, boxes.LineBox):
            return "line"
        if isinstance(box, boxes.TextBox):
            return "text"
        if isinstance(box, boxes.ReplacedBox):
            return "image"
        if isinstance(box, boxes.BlockContainerBox):
            return "block"
        if isinstance(box, boxes.InlineBox):
            return "inline"
        return "other"

    @property
    def is_block(self) -> bool:
        """A block container (a div, p, li, table cell…), where slots and panels live."""
        return isinstance(self._box, _box_types().BlockContainerBox)

    @property
    def is_absolute(self) -> bool:
        return self._box.style["position"] == "absolute"

    # -- the HTML it came from ---------------------------------------------------

    def source(self) -> SourceElement | None:
        element = self._box.element
        return None if element is None else SourceElement(element)

    @property
    def tag(self) -> str | None:
        return getattr(self._box, "element_tag", None)

    @property
    def classes(self) -> set[str]:
        element = self._box.element
        return set() if element is None else set((element.get("class") or "").split())

    def attr(self, name: str) -> str | None:
        element = self._box.element
        return None if element is None else element.get(name)

    # -- where it is (CSS px) ------------------------------------------------------

    @property
    def border_rect(self) -> tuple[float, float, float, float]:
        box = self._box
        x, y = box.border_box_x(), box.border_box_y()
        return x, y, x + box.border_width(), y + box.border_height()

    @property
    def content_rect(self) -> tuple[float, float, float, float]:
        box = self._box
        x, y = box.content_box_x(), box.content_box_y()
        return x, y, x + box.width, y + box.height

    @property
    def margin_rect(self) -> tuple[float, float, float, float]:
        box = self._box
        x, y = box.position_x, box.position_y
        return x, y, x + box.margin_width(), y + box.margin_height()

    @property
    def margin_height(self) -> float:
        return self._box.margin_height()

    @property
    def padding_x(self) -> tuple[float, float]:
        """Left and right padding (CSS px)."""
        return self._box.padding_left, self._box.padding_right

    @property
    def text_align(self) -> str:
        """The computed text-align of a block's lines: "start", "left", "center", "justify", …"""
        return str(self._box.style["text_align_all"])

    @property
    def bottom_inset(self) -> float:
        """Padding and border below the content box."""
        return self._box.padding_bottom + self._box.border_bottom_width

    # -- what it shows -------------------------------------------------------------

    @property
    def text(self) -> str:
        """The text of a text box ('' for any other box)."""
        return getattr(self._box, "text", "") if self.kind == "text" else ""

    @property
    def font(self) -> Font:
        style = self._box.style
        return Font(tuple(str(f) for f in style["font_family"]), int(style["font_weight"]),
                    str(style["font_style"]), style["font_size"] * PT_PER_PX)

    @property
    def colour(self) -> Colour | None:
        return _colour(self._box.style["color"])

    @property
    def drawn_size(self) -> tuple[float, float]:
        """The size (CSS px) an image is drawn at inside its box, following object-fit."""
        box = self._box
        width, height = box.width, box.height
        intrinsic = box.replacement.get_intrinsic_size(1, box.style["font_size"])
        iw, ih = intrinsic[0], intrinsic[1]
        fit = box.style["object_fit"]
        if not iw or not ih or fit == "fill":
            return width, height
        if fit == "none":
            return iw, ih
        scale = (max if fit == "cover" else min)(width / iw, height / ih)
        if fit == "scale-down":
            scale = min(scale, 1.0)
        return iw * scale, ih * scale

    # -- going down ------------------------------------------------------------------

    def move_down(self, dy: float, page: Box) -> None:
        """Move the box and everything in it down by `dy` CSS px, on the laid-out `page` (as
        `position: relative` would: nothing else moves, no line changes). Backgrounds are
        placed when a page is laid out, so theirs are placed again where the boxes now are,
        with the images they already have."""
        from weasyprint.layout.background import layout_box_backgrounds

        images: dict = {}
        stack = [self._box]
        while stack:
            box = stack.pop()
            stack.extend(box.all_children())
            layers = box.background.layers if getattr(box, "background", None) else ()
            for (kind, value), layer in zip(box.style["background_image"], layers, strict=False):
                if kind == "url":
                    images[value] = layer.image
            for key, attribute in (("border_image_source", "border_image"),
                                   ("mask_border_source", "mask_border_image")):
                kind, value = box.style[key]
                if kind == "url" and getattr(box, attribute, None) is not None:
                    images[value] = getattr(box, attribute)
        self._box.translate(0, dy)
        layout_box_backgrounds(page._box, self._box, lambda url, orientation=None: images.get(url))

    def children(self) -> list[Box]:
        return [Box(child) for child in getattr(self._box, "children", ()) or ()]

    def walk(self) -> Iterator[Box]:
        """This box and every box under it, in tree order."""
        yield self
        for child in self.children():
            yield from child.walk()

    def leaves(self) -> Iterator[tuple[Box, Box]]:
        """(line, leaf) for every text fragment and image under this box.

        `line` is the line box the leaf sits on, or the leaf itself when it
        is not on a line (a block-level image).
        """
        yield from _leaves(self, None)


def _leaves(box: Box, line: Box | None) -> Iterator[tuple[Box, Box]]:
    kind = box.kind
    if kind == "line":
        line = box
    if kind in ("text", "image"):
        yield (line if line is not None else box), box
        return
    for child in box.children():
        yield from _leaves(child, line)


def _colour(color) -> Colour | None:
    space, values = getattr(color, "space", None), getattr(color, "coordinates", None)
    if values is None:
        return None
    values = tuple(float(v) for v in values)
    if space == "device-cmyk":
        c, m, y, k = values[:4]
        srgb = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    elif space == "srgb":
        srgb = values[:3]
    else:
        try:
            srgb = tuple(float(v) for v in color.to("srgb").coordinates[:3])
        except (NotImplementedError, ValueError, AttributeError):
            srgb = None
    return Colour(str(space), values, srgb)


def pages(document) -> list[Box]:
    """The root box of every page of a rendered WeasyPrint document, in order."""
    return [Box(page._page_box) for page in document.pages]
