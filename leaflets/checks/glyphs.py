"""Preflight on the laid-out pages: characters the chosen font lacks, small reversed type.

WeasyPrint draws a character no bundled font has as a box and still puts the
right character in the text layer (PRINT-SPEC §6), so the PDF's text cannot
tell; the check reads each text box's font request from the layout tree and
the bundled fonts' character maps.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..i18n import msg
from ..layout.compose import Composed
from ..layout.fonts import FontFace, cmap
from ..problems import Problem, error, warning
from ..render.tree import Box, Colour, pages

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


def _luminance(colour: Colour | None) -> float | None:
    """Relative lightness (0 black … 1 white) of a text colour."""
    if colour is None or colour.srgb is None:
        return None
    r, g, b = colour.srgb
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def layout_findings(composed: Composed, document, faces: tuple[FontFace, ...],
                    page_number=lambda index: index + 1) -> list[Problem]:
    """Missing glyphs, font fallbacks and small reversed type, from the laid-out pages.

    Only the faces the text asks for are read (their character maps, once per
    process); the others only when a character is missing from the one chosen.
    """
    piece = composed.piece
    missing: dict[tuple[str, FontFace | None, str | None], int] = {}
    reversed_small: dict[str | None, tuple[int, float, str]] = {}

    def visit(box: Box, slot, page):
        if box.is_block and box.attr("data-slot"):
            slot = box.attr("data-slot")
        if box.kind == "text":
            font = box.font
            face = choose_face(faces, font.families, font.weight, font.style)
            have = _cmap(face) if face else set()
            for char in set(box.text):
                if not _ignorable(char) and ord(char) not in have:
                    missing.setdefault((char, face, slot), page)
            size = font.size_pt
            light = _luminance(box.colour)
            if box.text.strip() and light is not None and light > 0.6 and size < 8 - 0.05:
                if slot not in reversed_small or size < reversed_small[slot][1]:
                    reversed_small[slot] = (page, size, " ".join(box.text.split())[:40])
            return
        for child in box.children():
            visit(child, slot, page)

    for index, page in enumerate(pages(document)):
        visit(page, None, page_number(index))
    found = []
    every = set().union(*(_cmap(f) for f in faces)) if faces and missing else set()
    for (char, face, slot), page in sorted(missing.items(), key=lambda kv: (kv[1], kv[0][0])):
        line = piece.slots[slot].line if slot in piece.slots else None
        values = {"code": ord(char), "name": unicodedata.name(char, "unnamed"), "char": char,
                  "where": _where(slot), "page": page}
        font = f"{face.family} {face.weight} {face.style}" if face else None
        if ord(char) in every:
            found.append(warning(piece.path, line, msg(
                "U+{code:04X} {name} (“{char}”) in {where} on page {page} is not in {font}: "
                "WeasyPrint takes it from another bundled font", font=font, **values) if face else msg(
                "U+{code:04X} {name} (“{char}”) in {where} on page {page} is in a font the layout does "
                "not ask for: WeasyPrint takes it from another bundled font", **values),
                code="font-fallback", page=page, slot=slot))
        else:
            found.append(error(piece.path, line, msg(
                "U+{code:04X} {name} (“{char}”) in {where} on page {page}: no bundled font has it "
                "({font} chosen), it would print as a box", font=font, **values) if face else msg(
                "U+{code:04X} {name} (“{char}”) in {where} on page {page}: no bundled font has it "
                "(no bundled font chosen), it would print as a box", **values),
                code="missing-glyph", page=page, slot=slot))
    for slot, (page, size, sample) in reversed_small.items():
        line = piece.slots[slot].line if slot in piece.slots else None
        found.append(warning(piece.path, line, msg(
            "reversed (light) type of {size:.1f} pt in {where} on page {page}, under 8 pt: “{sample}”",
            size=size, where=_where(slot), page=page, sample=sample),
            code="reversed-type", page=page, slot=slot))
    return found


def _where(slot: str | None):
    """Where on the page: a slot, or the layout's own furniture."""
    return msg("slot {slot!r}", slot=slot) if slot else msg("the layout")
