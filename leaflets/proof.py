"""Proofs for reviewers: marked proof PDFs, page previews and reader views.

A proof is the print file's pages with a diagonal "BẢN NHÁP – KHÔNG IN"
watermark (light and translucent, so the text under it stays readable), a
proof slug above the page (piece, revision, build date, content hash, git
commit) and, for banners, the grommets and hems the finisher will add. None
of it ever reaches dist/print/: the proof is made from the print file's
bytes, never the other way round.

Previews are PNGs at screen resolution, cropped to the trim: every page,
plus the piece as a reader meets it: a folded leaflet's views in the order
its layout declares (cover, opened panels…), a booklet's reader spreads
(1, 2–3, 4–5, …, last), a banner whole beside a person for scale.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

from .layouts import Layout
from .marks import PT_PER_MM

WATERMARK = "BẢN NHÁP – KHÔNG IN"
PREVIEW_WIDTH = 900  # px for an A4 page's width; banners are fitted in BANNER_BOX
BANNER_BOX = (1400, 520)
PERSON_M = 1.65  # the person drawn beside a banner for scale


@dataclass(frozen=True)
class Preview:
    """One preview image: what it shows and where it was written (relative to dist/proof/)."""

    label: str
    file: str


def _trim_boxes(pdf) -> list[list[float]]:
    return [[float(v) for v in page.obj.TrimBox] for page in pdf.pages]


def proof_pdf(print_pdf: bytes, layout: Layout, slug: str, bold: Path, regular: Path) -> bytes:
    """The print file with the watermark, the proof slug and (for banners) finishing marks."""
    import pikepdf
    from reportlab.pdfgen import canvas

    from .marks import font_name

    document = pikepdf.open(io.BytesIO(print_pdf))
    heavy, light = font_name(bold), font_name(regular)
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pageCompression=1, invariant=1, initialFontName=light)
    for index, page in enumerate(document.pages):
        media = [float(v) for v in page.mediabox]
        x0, y0, x1, y1 = _trim_boxes(document)[index]
        c.setPageSize((media[2], media[3]))
        width, height = x1 - x0, y1 - y0
        angle = math.degrees(math.atan2(height, width))
        diagonal = math.hypot(width, height)
        size = diagonal * 0.72 / c.stringWidth(WATERMARK, heavy, 1)
        c.saveState()
        # grey fill and a red outline, both translucent: seen on white and on red, text readable
        c.setFillColorRGB(0.5, 0.5, 0.5)
        c.setFillAlpha(0.16)
        c.setStrokeColorRGB(0.85, 0.05, 0.05)
        c.setStrokeAlpha(0.4)
        c.setLineWidth(max(size / 70, 0.3))
        c.translate(x0 + width / 2, y0 + height / 2)
        c.rotate(angle)
        text = c.beginText()
        text.setTextRenderMode(2)  # fill, then stroke
        text.setFont(heavy, size)
        text.setTextOrigin(-c.stringWidth(WATERMARK, heavy, size) / 2, -size * 0.35)
        text.textOut(WATERMARK)
        c.drawText(text)
        c.restoreState()
        # the proof slug above the page, where the print slug is not
        c.setFillColorRGB(0.85, 0.1, 0.1)
        c.setFont(light, 6)
        c.drawString(x0, min(y1 + (media[3] - y1) * 0.55, media[3] - 8), f"{WATERMARK} · {slug}")
        if layout.large_format:
            _finishing(c, layout, (x0, y0, x1, y1))
        c.showPage()
    c.save()
    overlay = pikepdf.open(io.BytesIO(buffer.getvalue()))
    for page, mark in zip(document.pages, overlay.pages, strict=True):
        page.add_overlay(mark, pikepdf.Rectangle(*[float(v) for v in page.mediabox]))
    out = io.BytesIO()
    document.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def _finishing(c, layout: Layout, trim: tuple[float, float, float, float]) -> None:
    """Grommets (circles) and hems (dashed) of a large-format piece, at the file's scale."""
    x0, y0, x1, y1 = trim
    unit = PT_PER_MM / layout.scale  # pt in the file per real mm
    c.saveState()
    c.setStrokeColorRGB(0.9, 0.0, 0.6)
    c.setLineWidth(0.5)
    hem = layout.finishing.hem * unit
    if hem:
        c.setDash(4, 3)
        c.rect(x0 + hem, y0 + hem, x1 - x0 - 2 * hem, y1 - y0 - 2 * hem, stroke=1, fill=0)
        c.setDash()
    radius = layout.finishing.grommet_diameter / 2 * unit
    for gx, gy in layout.grommets():
        cx, cy = x0 + gx * unit, y1 - gy * unit
        c.circle(cx, cy, max(radius, 1.5), stroke=1, fill=0)
        c.line(cx - radius * 1.6, cy, cx + radius * 1.6, cy)
        c.line(cx, cy - radius * 1.6, cx, cy + radius * 1.6)
    c.restoreState()


# --- previews ---------------------------------------------------------------------------

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
        return [("toàn cảnh, bên một người cao 1,65 m", with_person(layout, pages[0]))]
    if layout.booklet:
        views = [("trang 1", pages[0])]
        for left in range(1, len(pages) - 1, 2):
            views.append((f"trang {left + 1}–{left + 2}", _side_by_side(pages[left:left + 2])))
        if len(pages) > 1:
            views.append((f"trang {len(pages)}", pages[-1]))
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


def write_previews(pdf: bytes, layout: Layout, folder: Path) -> tuple[list[Preview], list[Preview]]:
    """Write page-NN.png and view-NN.png into `folder`; return (pages, views) relative to its parent."""
    from .output import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    pages = page_images(pdf, layout)
    page_previews, views = [], []
    for number, image in enumerate(pages, start=1):
        name = f"page-{number:02d}.png"
        write_atomic(folder / name, _png(image))
        page_previews.append(Preview(f"trang {number}", f"{folder.name}/{name}"))
    for number, (label, image) in enumerate(reader_views(layout, pages), start=1):
        name = f"view-{number:02d}.png"
        write_atomic(folder / name, _png(image))
        views.append(Preview(label, f"{folder.name}/{name}"))
    return page_previews, views


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


# --- the review page --------------------------------------------------------------------

STATUS_LABELS = {"ok": "đạt", "warnings": "có cảnh báo", "errors": "có lỗi"}


def review_page(entries: list[dict], generated: str) -> str:
    """dist/proof/index.html from each piece's proof record (one static page, no script)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    pieces = [{**e, "status_label": STATUS_LABELS.get(e["status"], e["status"]),
               "views": [Preview(**v) for v in e["views"]],
               "page_previews": [Preview(**v) for v in e["page_previews"]]} for e in entries]
    return env.get_template("review.html.j2").render(pieces=pieces, generated=generated)
