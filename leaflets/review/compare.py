"""What changed between two versions of a piece: pages, regions and words.

Both versions are print PDFs; each page is rendered (cropped to its trim,
so the slug's date and revision do not count) and compared pixel by pixel.
A pixel counts as changed when a colour channel moves by more than a
tolerance, and a change counts only where enough changed pixels gather in
a small cell: anti-aliasing noise (edges shifted by a fraction of a pixel,
a different rasteriser) is neither. Neighbouring changed cells merge into
regions, drawn on the new page. The words of both versions are compared
too, so a reviewer sees "giảm → tăng" and not just a red box.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field

from ..i18n import _

TOLERANCE = 60  # of 255, on any channel, after softening
SOFTEN = 1.2  # px of Gaussian blur on both images: glyphs snapped a pixel apart are not a change
CELL = 6  # px
MIN_CHANGED = 5  # changed pixels a cell needs to count
GAP = 3  # cells: changes this close together are one region
DPI = 100


@dataclass
class PageChange:
    page: int  # 1-based, in the new version
    regions: list[tuple[int, int, int, int]]  # px boxes on the new page's image
    image: object = field(repr=False, default=None)  # PIL image with the regions drawn


@dataclass
class Diff:
    old_pages: int
    new_pages: int
    changes: list[PageChange]
    words: list[str]  # unified diff lines of the extracted words

    @property
    def unchanged(self) -> bool:
        return not self.changes and self.old_pages == self.new_pages and not self.words


def changed_regions(old, new, tolerance: int = TOLERANCE, cell: int = CELL,
                    min_changed: int = MIN_CHANGED) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) around the places where two page images really differ.

    A renderer snaps glyphs to whole pixels, so text moved by a twentieth of
    a point can land a pixel away; softening both images by about a pixel
    first makes that (and every other anti-aliasing difference) fall under
    the tolerance, while a changed word still differs by far more.
    """
    from PIL import Image, ImageChops, ImageFilter

    if old.size != new.size:
        old = old.resize(new.size, Image.Resampling.BILINEAR)
    old = old.convert("RGB").filter(ImageFilter.GaussianBlur(SOFTEN))
    new_soft = new.convert("RGB").filter(ImageFilter.GaussianBlur(SOFTEN))
    r, g, b = ImageChops.difference(old, new_soft).split()
    strongest = ImageChops.lighter(ImageChops.lighter(r, g), b)
    mask = strongest.point(lambda v: 255 if v > tolerance else 0)
    columns, rows = -(-new.width // cell), -(-new.height // cell)
    padded = Image.new("L", (columns * cell, rows * cell), 0)
    padded.paste(mask, (0, 0))
    # mean of each cell * cell*cell / 255 = changed pixels in it
    density = padded.resize((columns, rows), Image.Resampling.BOX)
    limit = min_changed * 255 / (cell * cell)
    hot = {(x, y) for y in range(rows) for x in range(columns) if density.getpixel((x, y)) >= limit}
    regions = []
    while hot:  # flood-fill cells no more than GAP apart into regions
        stack = [hot.pop()]
        xs, ys = [], []
        while stack:
            x, y = stack.pop()
            xs.append(x)
            ys.append(y)
            for dx in range(-GAP, GAP + 1):
                for dy in range(-GAP, GAP + 1):
                    neighbour = (x + dx, y + dy)
                    if neighbour in hot:
                        hot.remove(neighbour)
                        stack.append(neighbour)
        regions.append((min(xs) * cell, min(ys) * cell,
                        min((max(xs) + 1) * cell, new.width), min((max(ys) + 1) * cell, new.height)))
    return sorted(regions, key=lambda box: (box[1], box[0]))


def _pages(pdf: bytes):
    """(image cropped to trim, words) of every page."""
    import pypdfium2

    from .previews import trimmed

    document = pypdfium2.PdfDocument(pdf)
    out = []
    for page in document:
        trim, crop = trimmed(page)
        scale = min(DPI / 72, 2400 / (trim[2] - trim[0]))
        image = page.render(scale=scale, crop=crop).to_pil().convert("RGB")
        words = page.get_textpage().get_text_bounded(*trim).split()
        out.append((image, words))
    document.close()
    return out


def highlight(image, regions):
    from PIL import Image, ImageDraw

    tint = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(tint)
    for x0, y0, x1, y1 in regions:
        draw.rectangle((x0 - 3, y0 - 3, x1 + 3, y1 + 3), fill=(255, 40, 40, 50),
                       outline=(220, 0, 0, 255), width=3)
    return Image.alpha_composite(image.convert("RGBA"), tint).convert("RGB")


def compare(old_pdf: bytes, new_pdf: bytes) -> Diff:
    old, new = _pages(old_pdf), _pages(new_pdf)
    changes = []
    for index, (image, _words) in enumerate(new):
        if index >= len(old):
            box = (0, 0, image.width, image.height)
            changes.append(PageChange(index + 1, [box], highlight(image, [box])))
            continue
        regions = changed_regions(old[index][0], image)
        if regions:
            changes.append(PageChange(index + 1, regions, highlight(image, regions)))
    marker = _("[page {number}]")
    old_words = [w for i, (_image, words) in enumerate(old) for w in [marker.format(number=i + 1), *words]]
    new_words = [w for i, (_image, words) in enumerate(new) for w in [marker.format(number=i + 1), *words]]
    words = [line for line in difflib.unified_diff(old_words, new_words, _("before"), _("after"),
                                                   lineterm="", n=4)]
    return Diff(len(old), len(new), changes, words)


def changes_text(diff: Diff) -> str:
    """What changed, in one line of the current language: each kind of change a clause."""
    if diff.unchanged:
        return _("no changes")
    parts = []
    if diff.old_pages != diff.new_pages:
        parts.append(_("page count {old} → {new}").format(old=diff.old_pages, new=diff.new_pages))
    if diff.changes:
        pages = ", ".join(str(c.page) for c in diff.changes)
        regions = sum(len(c.regions) for c in diff.changes)
        parts.append(_("changed page(s) {pages} ({regions} region(s))").format(pages=pages, regions=regions))
    removed = sum(1 for line in diff.words if line.startswith("-") and not line.startswith("---"))
    added = sum(1 for line in diff.words if line.startswith("+") and not line.startswith("+++"))
    if removed or added:
        parts.append(_("words: {removed} removed, {added} added").format(removed=removed, added=added))
    return "; ".join(parts)


def summary(name: str, diff: Diff) -> str:
    """The piece and what changed in it, in one line."""
    return f"{name}: {changes_text(diff)}"


def png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
