"""Which fonts a PDF embeds, and whether each one is a bundled font.

Names are not proof: WeasyPrint names a font after Pango's description
("Noto-Sans-Heavy"), and a system copy of Noto Sans would carry the same
name. Subsets written by WeasyPrint (HarfBuzz) and reportlab both keep the
font's `name` and `head` tables, so a font is identified by its PostScript
name, its version string and its creation time-stamp.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from ..layout.fonts import FontFace

Fingerprint = tuple[str, str, int]


@dataclass(frozen=True)
class EmbeddedFont:
    name: str  # BaseFont as written in the PDF, subset prefix included
    embedded: bool
    fingerprint: Fingerprint | None


def fingerprint(font) -> Fingerprint | None:
    """(PostScript name, version string, head.created) of a fontTools TTFont."""
    if "name" not in font or "head" not in font:
        return None
    names = font["name"]
    return (names.getDebugName(6) or "", names.getDebugName(5) or "", int(font["head"].created))


def bundled_fingerprints(faces: tuple[FontFace, ...]) -> set[Fingerprint]:
    from fontTools.ttLib import TTFont

    found = set()
    for face in faces:
        with TTFont(face.path, lazy=True) as font:
            found.add(fingerprint(font))
    return found


def embedded_fonts(pdf: bytes | Path) -> list[EmbeddedFont]:
    """Every font descriptor in the PDF with what can be told of its origin."""
    import pikepdf
    from fontTools.ttLib import TTFont

    source = pikepdf.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    found = []
    with source:
        for obj in source.objects:
            if not isinstance(obj, pikepdf.Dictionary):
                continue
            if obj.get("/Type") == "/Font" and obj.get("/Subtype") in ("/Type1", "/TrueType") \
                    and "/FontDescriptor" not in obj:
                found.append(EmbeddedFont(str(obj.get("/BaseFont", "?"))[1:], False, None))
                continue
            if obj.get("/Type") != "/FontDescriptor":
                continue
            name = str(obj.get("/FontName", "/?"))[1:]
            program = obj.get("/FontFile2") or obj.get("/FontFile3") or obj.get("/FontFile")
            if program is None:
                found.append(EmbeddedFont(name, False, None))
                continue
            try:
                font = TTFont(io.BytesIO(program.read_bytes()))
                print_ = fingerprint(font)
            except Exception:  # not a TrueType program we can read: unknown origin
                print_ = None
            found.append(EmbeddedFont(name, True, print_))
    return found


def foreign_fonts(pdf: bytes | Path, faces: tuple[FontFace, ...]) -> list[str]:
    """Names of fonts in `pdf` that are not embedded or not from `fonts/`."""
    allowed = bundled_fingerprints(faces)
    return [f.name for f in embedded_fonts(pdf)
            if not f.embedded or f.fingerprint not in allowed]
