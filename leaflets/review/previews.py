"""Previews for reviewers: PNGs of every page, and of the piece as a reader meets it.

Previews are at screen resolution, cropped to the trim: every page, plus a
folded leaflet's views in the order its layout declares (cover, opened
panels…), a booklet's reader spreads (1, 2–3, 4–5, …, last), a banner whole
beside a person for scale.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from ..i18n import _
from ..layout.geometry import Layout

PREVIEW_WIDTH = 900  # px for an A4 page's width; banners are fitted in BANNER_BOX
BANNER_BOX = (1400, 520)
PERSON_M = 1.65  # the person drawn beside a banner for scale


@dataclass(frozen=True)
class Preview:
    """One preview image: what it shows (in the language of the moment) and where it was written
    (relative to dist/proof/)."""

    label: str
    file: str


def trimmed(page) -> tuple[list[float], tuple[float, float, float, float]]:
    """A pypdfium2 page's TrimBox, and the crop (from each MediaBox edge) that renders just it."""
    trim = [float(v) for v in page.get_trimbox()]
    media = [float(v) for v in page.get_mediabox()]
    return trim, (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])


def page_images(pdf: bytes, layout: Layout):
    """Every page of a print PDF, cropped to its trim, at screen resolution (PIL images)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    images = []
    for page in document:
        trim, crop = trimmed(page)
        width_pt = trim[2] - trim[0]
        if layout.large_format:
            scale = min(BANNER_BOX[0] / width_pt, BANNER_BOX[1] / (trim[3] - trim[1]))
        else:
            scale = PREVIEW_WIDTH * (layout.width / 210) / width_pt  # A4 width -> 900 px
            scale = min(scale, 1800 / width_pt)
        images.append(page.render(scale=scale, crop=crop).to_pil().convert("RGB"))
    document.close()
    return images


def _side_by_side(images, gap: int = 0, background=(255, 255, 255)):
    from PIL import Image

    width = sum(i.width for i in images) + gap * (len(images) - 1)
    height = max(i.height for i in images)
    sheet = Image.new("RGB", (width, height), background)
    x = 0
    for image in images:
        sheet.paste(image, (x, 0))
        x += image.width + gap
    return sheet


def reader_views(layout: Layout, pages) -> list[tuple[str, object]]:
    """The piece as a reader meets it: (label, image) in order."""
    if layout.large_format:
        return [(_("whole, beside a person 1.65 m tall"), with_person(layout, pages[0]))]
    if layout.booklet:
        views = [(_("page {number}").format(number=1), pages[0])]
        for left in range(1, len(pages) - 1, 2):
            views.append((_("pages {first}–{last}").format(first=left + 1, last=left + 2),
                          _side_by_side(pages[left:left + 2])))
        if len(pages) > 1:
            views.append((_("page {number}").format(number=len(pages)), pages[-1]))
        return views
    crops = {}
    for index, side in enumerate(layout.sides):
        image = pages[index]
        per_mm = image.width / layout.width
        for panel in side.panels:
            box = (round(panel.x * per_mm), 0, round((panel.x + panel.width) * per_mm), image.height)
            crops[panel.slot] = image.crop(box)
    return [(label, _side_by_side([crops[s] for s in panels])) for label, panels in layout.reading_views()]


def with_person(layout: Layout, image):
    """A banner scaled down whole, with a person and a 1 m bar drawn to the same scale."""
    from PIL import Image, ImageDraw

    per_mm = image.width / layout.width
    person_h = PERSON_M * 1000 * per_mm
    metre = 1000 * per_mm
    margin = 24
    left = margin * 2 + int(max(person_h * 0.3, metre))
    height = max(image.height, int(person_h)) + 56
    canvas = Image.new("RGB", (left + image.width + margin, height), (242, 242, 242))
    ground = height - 40
    canvas.paste(image, (left, ground - image.height))
    draw = ImageDraw.Draw(canvas)
    ink = (70, 70, 70)
    cx = margin + max(person_h * 0.15, metre / 2)
    head = person_h * 0.12
    draw.ellipse((cx - head / 2, ground - person_h, cx + head / 2, ground - person_h + head), fill=ink)
    top = ground - person_h + head * 1.1
    draw.rounded_rectangle((cx - person_h * 0.1, top, cx + person_h * 0.1, ground - person_h * 0.47),
                           radius=max(1, int(person_h * 0.04)), fill=ink)
    draw.rectangle((cx - person_h * 0.085, ground - person_h * 0.48, cx - person_h * 0.012, ground), fill=ink)
    draw.rectangle((cx + person_h * 0.012, ground - person_h * 0.48, cx + person_h * 0.085, ground), fill=ink)
    bar = (cx - metre / 2, ground + 18)
    draw.line((bar[0], bar[1], bar[0] + metre, bar[1]), fill=ink, width=3)
    for x in (bar[0], bar[0] + metre):
        draw.line((x, bar[1] - 6, x, bar[1] + 6), fill=ink, width=2)
    draw.text((bar[0] + metre / 2 - 8, bar[1] + 6), "1 m", fill=ink)
    return canvas


def previews(pdf: bytes, layout: Layout,
             folder: str) -> tuple[list[Preview], list[Preview], dict[str, bytes]]:
    """PNGs of every page and every reader view of a print PDF.

    Returns (page previews, views, files): the previews name their files as
    `<folder>/page-NN.png` and `<folder>/view-NN.png`; `files` maps those
    names to the PNG bytes.
    """
    pages = page_images(pdf, layout)
    page_previews, views, files = [], [], {}
    for number, image in enumerate(pages, start=1):
        name = f"{folder}/page-{number:02d}.png"
        files[name] = _png(image)
        page_previews.append(Preview(_("page {number}").format(number=number), name))
    for number, (label, image) in enumerate(reader_views(layout, pages), start=1):
        name = f"{folder}/view-{number:02d}.png"
        files[name] = _png(image)
        views.append(Preview(label, name))
    return page_previews, views, files


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
