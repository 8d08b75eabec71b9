"""Preflight: the checks a print shop runs, done while the text is still in Markdown.

Findings are `Problem`s with a code. Some come from other stages as they
work (overflow, safe-zone, image-edge and type-size from fit.py,
image-resolution from render.py); this module adds the rest:

- from the content: text not NFC, legacy-encoded Vietnamese (TCVN3, VNI,
  UTF-8 read as Windows-1252), leftover placeholders, empty slots, site
  data used outside its validity dates;
- from the layout tree: characters the chosen font lacks, reversed type
  under 8 pt;
- from the PDF: page boxes, fonts, page count, annotations, forms,
  scripts and encryption.

`CHECKS` lists every code with its severity and what to do (the README's
table is made from the same list).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .compose import Composed
from .fonts import FontFace, cmap
from .problems import ERROR, WARNING, Problem, error, warning
from .vi import short_date


@dataclass(frozen=True)
class Check:
    code: str
    severity: str
    what: str
    fix: str


CHECKS = (
    Check("overflow", ERROR, "a slot's text does not fit its panel or page (or was dropped in layout)",
          "shorten the slot, move text to another slot, or use a layout with more room"),
    Check("safe-zone", ERROR, "text inside the safe margin at the trim (or a hem or grommet zone)",
          "the layout's padding is smaller than page.safe: fix the layout's CSS"),
    Check("image-edge", ERROR, "an image runs past its panel's bleed or across a fold into the next panel",
          "make the image smaller, or put it in a panel that reaches the edge"),
    Check("type-size", ERROR, "type smaller than the layout's minimum (6 pt; more for banners)",
          "use a larger size in the layout's CSS, or fewer words"),
    Check("reversed-type", WARNING, "light (reversed) type under 8 pt",
          "set reversed text at 8 pt or more, or dark on light"),
    Check("missing-glyph", ERROR, "a character no bundled font has: it would print as a box",
          "replace the character (or add a font that has it to fonts/)"),
    Check("font-fallback", WARNING, "a character the chosen font lacks, taken from another bundled font",
          "check it looks right, or choose a font that has it"),
    Check("image-resolution", WARNING,
          "image below the layout's resolution at its placed size (an error under half of it)",
          "use a larger original, or place the image smaller"),
    Check("not-nfc", WARNING, "text in decomposed form (NFD, from macOS and some keyboards)",
          "it is normalised when read; save the file as NFC to keep sources consistent"),
    Check("legacy-encoding", ERROR, "Vietnamese text in TCVN3, VNI or UTF-8 read as Windows-1252",
          "convert the text to Unicode (e.g. Unikey's converter) and paste it again"),
    Check("placeholder", ERROR, "TODO, TBD, XXX, lorem ipsum or [[…]] left in the text",
          "write the real text"),
    Check("empty-slot", ERROR, "a slot with nothing in it", "write its content or remove the slot"),
    Check("data-expired", ERROR,
          "a poverty standard or programme period used outside its validity dates",
          "update content/data/ to the standard in force, or set the piece's date"),
    Check("page-boxes", ERROR, "TrimBox, BleedBox or MediaBox not as the layout declares, or pages differ",
          "a stylesheet changed the page size: page geometry belongs in layout.toml"),
    Check("fonts", ERROR, "a font not embedded, or not from fonts/",
          "report it: the build should prevent it"),
    Check("page-count", ERROR, "pages not as the layout declares (a multiple of 4 for saddle stitching)",
          "report it: the build pads booklets itself"),
    Check("pdf-extras", ERROR, "annotations, forms, scripts or encryption in a print file",
          "report it: the build removes them"),
)

# --- content ----------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\bTODO\b|\bTBD\b|\bXXX\b|lorem ipsum|\[\[[^\]]*\]\]", re.IGNORECASE)
# Signatures of Vietnamese text in a legacy font encoding, pasted as Unicode
# (PRINT-SPEC §5). TCVN3 (ABC) puts its letters on Latin-1 code points that
# Unicode Vietnamese never uses ("Gi¶m nghÌo", "®" for đ), or capitals in the
# middle of a word ("TiÕng ViÖt"); VNI writes a base letter then a mark
# ("Tieáng Vieät", "Ngöôøi daân"); UTF-8 read as Windows-1252 gives "Giáº£m".
CP1252 = re.compile(r"Ã[\u0080-\u00bf¡-ÿ]|á[º»]|Æ[°¯]|Ä[‘\u0091]|â€")
TCVN3 = re.compile(r"(?<=\w)[µ¶·¸¹¨©®ª«¬\u00ad÷]|[µ¶·¸¹¨©®ª«¬÷](?=\w)"
                   r"|[a-zàáâãèéêìíòóôõùúýăđ][À-ÖØ-Þ]")
VNI = re.compile(r"[ae][áàåãäéèúüë]|[aeo]â|[aeiouy][ùøûïö]|[öø][a-zôøùï]|ñ[aeiou]")


def legacy_encoding(line: str) -> str | None:
    """The encoding a line of text seems to have been mangled by, or None."""
    if CP1252.search(line):
        return "UTF-8 read as Windows-1252"
    vni = len(VNI.findall(line))
    tcvn = len(TCVN3.findall(line))
    if vni and vni >= tcvn:
        return "VNI (VNI-Times)"
    if tcvn:
        return "TCVN3 (ABC, .VnTime)"
    return None


def _raw_lines(path: Path) -> list[str]:
    try:
        return path.read_bytes().decode("utf-8").removeprefix("\ufeff").splitlines()
    except (OSError, UnicodeDecodeError):  # reported by the loader already
        return []


def text_findings(path: Path) -> list[Problem]:
    """NFC, legacy encodings and placeholders in one source file (a piece or a household)."""
    found = []
    lines = _raw_lines(path)
    for number, line in enumerate(lines, start=1):
        if not unicodedata.is_normalized("NFC", line):
            found.append(warning(path, number, "text is not NFC (decomposed letters, e.g. from "
                                               "macOS); it was normalised when read", code="not-nfc"))
        nfc = unicodedata.normalize("NFC", line)
        suspect = legacy_encoding(nfc)
        if suspect:
            sample = " ".join(nfc.split())[:50]
            found.append(error(path, number, f"looks like {suspect} text pasted as Unicode: "
                                             f"“{sample}”; convert it to Unicode", code="legacy-encoding"))
        for match in PLACEHOLDER.finditer(nfc):
            found.append(error(path, number, f"placeholder left in the text: “{match.group()}”",
                               code="placeholder"))
    return found


def content_findings(composed: Composed, site, households, on: dt.date) -> list[Problem]:
    """Checks on a composed piece's sources: text, placeholders, empty slots, data dates."""
    piece = composed.piece
    found = text_findings(piece.path)
    for household in households:
        if household.path in composed.inputs:
            found.extend(text_findings(household.path))
    flow = composed.layout.booklet.flow if composed.layout.booklet else None
    for name, slot in piece.slots.items():
        if slot.is_empty and name != flow:  # a booklet of covers only has an empty body
            found.append(error(piece.path, slot.line, f"slot {name!r} is empty", code="empty-slot",
                               slot=name))
    found.extend(data_findings(composed, site, on))
    return found


def _datasets(site) -> list[tuple[str, dict]]:
    out = []
    programme = site.values.get("programme")
    if programme:
        out.append((f"the programme {programme.get('period', '')}".strip(), programme))
    standard = (site.values.get("poverty") or {}).get("standard")
    if standard:
        out.append((f"the poverty standard {standard.get('period', '')}".strip(), standard))
    return out


def data_findings(composed: Composed, site, on: dt.date) -> list[Problem]:
    """Dated site data the piece shows, checked against the piece's date (or today)."""
    piece = composed.piece
    text = re.sub(r"<[^>]+>", " ", composed.html)
    when = piece.date or on
    found = []
    for label, data in _datasets(site):
        start, end = data.get("valid_from"), data.get("valid_to")
        markers = [m for m in (data.get("period"), data.get("decree"), data.get("decision")) if m]
        if not (start and end) or not any(m in text for m in markers):
            continue
        if not start <= when <= end:
            dated = f"dated {short_date(when)}" if piece.date else f"built on {short_date(when)}"
            found.append(error(
                piece.path, piece.line_of("date") or piece.line_of("layout"),
                f"shows {label}, valid {short_date(start)}–{short_date(end)}, but the piece is "
                f"{dated}: update content/data/ or set the piece's date", code="data-expired"))
    return found


# --- layout tree ------------------------------------------------------------------

_cmaps: dict[Path, set[int]] = {}


def _cmap(face: FontFace) -> set[int]:
    if face.path not in _cmaps:
        _cmaps[face.path] = cmap(face.path)
    return _cmaps[face.path]


def choose_face(faces: tuple[FontFace, ...], families, weight: int, style: str) -> FontFace | None:
    """The bundled face CSS font matching would pick for a text box (family, style, weight)."""
    for family in families:
        candidates = [f for f in faces if f.family.casefold() == str(family).casefold()]
        if not candidates:
            continue
        wanted = "italic" if style in ("italic", "oblique") else "normal"
        styled = [f for f in candidates if f.style == wanted] or candidates
        return min(styled, key=lambda f: (abs(f.weight - weight), -f.weight))
    return None


def _ignorable(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def _luminance(color) -> float | None:
    """Relative lightness (0 black … 1 white) of a tinycss2 colour in sRGB or device CMYK."""
    space, values = getattr(color, "space", None), getattr(color, "coordinates", None)
    if values is None:
        return None
    if space == "device-cmyk":
        c, m, y, k = values[:4]
        r, g, b = (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    elif space == "srgb":
        r, g, b = values[:3]
    else:
        try:
            r, g, b = color.to("srgb").coordinates[:3]
        except (NotImplementedError, ValueError, AttributeError):
            return None
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def layout_findings(composed: Composed, document, faces: tuple[FontFace, ...]) -> list[Problem]:
    """Missing glyphs, font fallbacks and small reversed type, from WeasyPrint's boxes."""
    from weasyprint.formatting_structure import boxes

    from .fit import is_block, real_box

    piece = composed.piece
    every = set().union(*(_cmap(f) for f in faces)) if faces else set()
    missing: dict[tuple[str, FontFace | None, str | None], int] = {}
    reversed_small: dict[str | None, tuple[int, float, str]] = {}

    def visit(box, slot, page):
        box = real_box(box)
        element = box.element
        if element is not None and is_block(box) and element.get("data-slot"):
            slot = element.get("data-slot")
        if isinstance(box, boxes.TextBox):
            style = box.style
            face = choose_face(faces, style["font_family"], style["font_weight"], style["font_style"])
            have = _cmap(face) if face else set()
            for char in set(box.text):
                if not _ignorable(char) and ord(char) not in have:
                    missing.setdefault((char, face, slot), page)
            size = style["font_size"] * 0.75
            light = _luminance(style["color"])
            if box.text.strip() and light is not None and light > 0.6 and size < 8 - 0.05:
                if slot not in reversed_small or size < reversed_small[slot][1]:
                    reversed_small[slot] = (page, size, " ".join(box.text.split())[:40])
            return
        for child in getattr(box, "children", ()) or ():
            visit(child, slot, page)

    for index, page in enumerate(document.pages):
        visit(page._page_box, None, index + 1)
    found = []
    for (char, face, slot), page in sorted(missing.items(), key=lambda kv: (kv[1], kv[0][0])):
        line = piece.slots[slot].line if slot in piece.slots else None
        name = unicodedata.name(char, "unnamed")
        font = f"{face.family} {face.weight} {face.style}" if face else "no bundled font"
        where = f"slot {slot!r}" if slot else "the layout"
        if ord(char) in every:
            found.append(warning(piece.path, line, (
                f"U+{ord(char):04X} {name} (“{char}”) in {where} on page {page} is not in {font}: "
                "WeasyPrint takes it from another bundled font"), code="font-fallback", page=page,
                slot=slot))
        else:
            found.append(error(piece.path, line, (
                f"U+{ord(char):04X} {name} (“{char}”) in {where} on page {page}: no bundled font "
                f"has it ({font} chosen), it would print as a box"), code="missing-glyph", page=page,
                slot=slot))
    for slot, (page, size, sample) in reversed_small.items():
        line = piece.slots[slot].line if slot in piece.slots else None
        where = f"slot {slot!r}" if slot else "the layout"
        found.append(warning(piece.path, line, (
            f"reversed (light) type of {size:.1f} pt in {where} on page {page}, under 8 pt: "
            f"“{sample}”"), code="reversed-type", page=page, slot=slot))
    return found


# --- PDF --------------------------------------------------------------------------

PT_PER_MM = 72 / 25.4
BOX_TOLERANCE_MM = 0.05


def pdf_findings(pdf: bytes, source: Path, name: str, trim_mm: tuple[float, float], bleed_mm: float,
                 faces: tuple[FontFace, ...], pages: int | None = None, multiple: int = 1) -> list[Problem]:
    """Boxes, fonts, page count and forbidden objects of a finished print file."""
    import pikepdf

    from .pdffonts import embedded_fonts, foreign_fonts

    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        count = len(document.pages)
        if pages is not None and count != pages:
            found.append(error(source, None, f"{name}: {count} pages, the layout makes {pages}",
                               code="page-count"))
        if multiple > 1 and count % multiple:
            found.append(error(source, None, f"{name}: {count} pages, not a multiple of {multiple}",
                               code="page-count"))
        sizes = set()
        for index, page in enumerate(document.pages, start=1):
            obj = page.obj
            if "/TrimBox" not in obj or "/BleedBox" not in obj:
                found.append(error(source, None, f"{name}: page {index} has no TrimBox or BleedBox",
                                   code="page-boxes", page=index))
                continue
            trim = [float(v) / PT_PER_MM for v in obj.TrimBox]
            bleed = [float(v) / PT_PER_MM for v in obj.BleedBox]
            media = [float(v) / PT_PER_MM for v in obj.MediaBox]
            size = (round(trim[2] - trim[0], 2), round(trim[3] - trim[1], 2))
            sizes.add(size)
            if abs(size[0] - trim_mm[0]) > BOX_TOLERANCE_MM or abs(size[1] - trim_mm[1]) > BOX_TOLERANCE_MM:
                found.append(error(source, None, f"{name}: page {index} trim {size[0]:g}×{size[1]:g} mm, "
                                                 f"the layout says {trim_mm[0]:g}×{trim_mm[1]:g}",
                                   code="page-boxes", page=index))
            sides = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
            if any(abs(s - bleed_mm) > BOX_TOLERANCE_MM for s in sides):
                found.append(error(source, None, f"{name}: page {index} bleed "
                                                 f"{'/'.join(f'{s:.1f}' for s in sides)} mm, the layout "
                                                 f"says {bleed_mm:g}", code="page-boxes", page=index))
            if media[0] > bleed[0] or media[1] > bleed[1] or media[2] < bleed[2] or media[3] < bleed[3]:
                found.append(error(source, None, f"{name}: page {index} MediaBox does not contain the "
                                                 "BleedBox", code="page-boxes", page=index))
            if "/Annots" in obj and len(obj.Annots):
                found.append(error(source, None, f"{name}: page {index} has annotations (links?)",
                                   code="pdf-extras", page=index))
        if len(sizes) > 1:
            found.append(error(source, None, f"{name}: pages differ in size: {sorted(sizes)}",
                               code="page-boxes"))
        root = document.Root
        if "/AcroForm" in root:
            found.append(error(source, None, f"{name}: has a form (AcroForm)", code="pdf-extras"))
        if ("/Names" in root and "/JavaScript" in root.Names) or "/OpenAction" in root:
            found.append(error(source, None, f"{name}: has scripts or an open action", code="pdf-extras"))
        if document.is_encrypted:
            found.append(error(source, None, f"{name}: is encrypted", code="pdf-extras"))
    unembedded = [f.name for f in embedded_fonts(pdf) if not f.embedded]
    foreign = [f for f in foreign_fonts(pdf, faces) if f not in unembedded]
    for font in unembedded:
        found.append(error(source, None, f"{name}: font {font} is not embedded", code="fonts"))
    for font in foreign:
        found.append(error(source, None, f"{name}: font {font} is not one of fonts/", code="fonts"))
    return found
