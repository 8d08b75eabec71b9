"""The words print deliverables use, in Vietnamese whatever the builder's language.

The slug on every page, the job ticket and the package README are read at
the print shop: they never carry a layout's English names ("outside",
"front", "notes"). A layout's own `label` for a side wins; these are the
words for the names the bundled layouts use, and the shop's own terms for
a booklet's covers (bìa 1 to bìa 4).
"""

from __future__ import annotations

from ..vi import decimal

SIDES = {"front": "mặt trước", "back": "mặt sau", "outside": "mặt ngoài", "inside": "mặt trong"}
# A booklet's fixed pages by slot: the cover is bìa 1, its inside bìa 2, the inside back bìa 3.
COVERS = {"cover": "bìa 1", "front-cover": "bìa 1", "inside-front": "bìa 2", "inside-cover": "bìa 2",
          "inside-back": "bìa 3", "back": "bìa 4", "back-cover": "bìa 4"}
FILLERS = {"notes": "ghi chú", "hotline": "đường dây nóng", "blank": "trắng"}
FOLDS = {"half": "Gấp đôi", "roll": "Gấp cuốn", "z": "Gấp zíc zắc", "gate": "Gấp cửa sổ",
         "double-parallel": "Gấp song song kép", "cross": "Gấp chữ thập"}


def side_label(side) -> str:
    """`mặt ngoài` for a side named outside; a layout's own label first; else `mặt <name>`."""
    return side.label or SIDES.get(side.name) or f"mặt {side.name}"


def page_word(slot: str) -> str:
    """A booklet's fixed page by its slot: `bìa 1` for the cover; else `trang <slot>`."""
    return COVERS.get(slot) or f"trang {slot}"


def filler_label(filler: str) -> str:
    """A page added to reach the booklet's multiple of four, by the layout's filler kind."""
    return "trang trắng" if filler == "blank" else f"trang thêm ({FILLERS.get(filler, filler)})"


def fold_label(fold: str) -> str:
    return FOLDS.get(fold, f"Gấp {fold}")


def mm(value: float) -> str:
    """A length as the shop reads it: 148,5 (decimal comma), 1.000 (thousands point)."""
    return decimal(value)


def copies(value: int) -> str:
    return f"{decimal(value)} bản"
