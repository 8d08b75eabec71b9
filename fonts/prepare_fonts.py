#!/usr/bin/env python3
"""Make the bundled Noto fonts give right text in PDFs. Run once after updating a font.

Upright Noto Sans 2.015 decomposes ẹ ị ọ ụ (and ḿ ǹ ṃ ṅ ṣ) into a base
letter plus a combining mark in its `ccmp` feature. WeasyPrint writes one
Unicode string per glyph into the PDF's ToUnicode map, so after that
decomposition the glyph "o" maps to nothing and the dot below maps to "ọ":
"gọi thoại" is extracted as "g ọi th ại" (seen with pdftotext and pdfium).
The precomposed glyphs are in the font and look the same, so this script
removes those Latin decompositions from the font's multiple-substitution
lookups, leaving every other feature as it was, and notes the change in the
font's version string. It changes files in place and is idempotent.

    python fonts/prepare_fonts.py            # all *.ttf beside this script
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

MARK = "leaflets: Latin ccmp decompositions removed"


def is_latin(code: int) -> bool:
    return code < 0x0250 or 0x1E00 <= code <= 0x1EFF


def latin_decompositions(font: TTFont) -> list[tuple[object, str]]:
    """(subtable, glyph) pairs where an encoded Latin letter is split into several glyphs."""
    if "GSUB" not in font:
        return []
    latin = {glyph for code, glyph in font.getBestCmap().items() if is_latin(code)}
    found = []
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for sub in lookup.SubTable:
            table = sub.ExtSubTable if lookup.LookupType == 7 else sub
            if type(table).__name__ != "MultipleSubst":
                continue
            for glyph, out in table.mapping.items():
                if glyph in latin and len(out) > 1:
                    found.append((table, glyph))
    return found


def prepare(path: Path) -> int:
    font = TTFont(path)
    found = latin_decompositions(font)
    if not found:
        return 0
    for table, glyph in found:
        del table.mapping[glyph]
    names = font["name"]
    for record in names.names:
        if record.nameID == 5 and MARK not in record.toUnicode():
            record.string = f"{record.toUnicode()}; {MARK}"
    font.save(path)
    return len(found)


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    for path in sorted(folder.glob("*.ttf")):
        print(f"{path.name}: removed {prepare(path)} decompositions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
