"""Every preflight check: its code, severity, what it finds and what to do.

Findings are `Problem`s with one of these codes. Some come from other stages
as they work (overflow, safe-zone, image-edge and type-size from
render/measure.py and render/shrink.py, image-resolution from
render/engine.py); the rest from this package: text.py (the sources),
glyphs.py and safezone.py (the laid-out pages) and pdf.py (the finished file). The
README's table is made from this list.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..problems import ERROR, WARNING


@dataclass(frozen=True)
class Check:
    code: str
    severity: str
    what: str
    fix: str


CHECKS = (
    Check("overflow", ERROR, "a slot's text does not fit its panel or page (or was dropped in layout)",
          "shorten the slot, move text to another slot, or use a layout with more room"),
    Check("safe-zone", ERROR,
          "any text, a slot's or the layout's own (slogan band, agency line, imprint, running head), "
          "inside the safe margin at the trim (hems and grommets included), within fold_keep_out of a "
          "fold, or in or near a standee's stand zone",
          "move it in the layout's CSS or template (padding, the band's padding, bottom:); the finding "
          "gives the page, the text, the distance and the limit"),
    Check("image-edge", ERROR, "an image runs past its panel's bleed or across a fold into the next panel",
          "make the image smaller, or put it in a panel that reaches the edge"),
    Check("underfull", WARNING, "a panel aligned top whose content takes less of its height than the "
          "layout's min_fill (70 % unless it says otherwise)",
          "add content, set align (center, bottom, spread) for the slot, or choose a smaller layout"),
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
          "use a larger original, or place the image smaller ({width=…} on the line before it)"),
    Check("not-nfc", WARNING, "text in decomposed form (NFD, from macOS and some keyboards)",
          "it is normalised when read; save the file as NFC to keep sources consistent"),
    Check("legacy-encoding", ERROR,
          "Vietnamese typed in an old font (TCVN3, VNI, VISCII) or UTF-8 read as Windows-1252, "
          "found word by word; the finding shows the repaired text",
          "run `python build.py text fix FILE` (the original is kept as FILE.bak); retype what it "
          "says it cannot repair"),
    Check("bad-character", ERROR,
          "a NUL or other control character, U+FFFD, or a bidirectional override in the text",
          "delete the character (it came with copied text)"),
    Check("placeholder", ERROR, "TODO, TBD, XXX, lorem ipsum or [[…]] left in the text",
          "write the real text"),
    Check("empty-slot", ERROR, "a slot with nothing in it", "write its content or remove the slot"),
    Check("data-expired", ERROR,
          "a programme or poverty standard period (“2021–2025”, “2021 - 2025”, its decree) named by a "
          "piece dated after it ended (extension included), or a standard block with no standard in force",
          "write the period in force on the piece's date, add it to content/data/, or set the piece's date"),
    Check("data-unconfirmed", WARNING,
          "a fact of the poverty standard shown before content/data/poverty.yaml confirms it "
          "(a decree's number, a threshold, the indicators)",
          "check it against the published decree, fill it in and list it under the period's confirmed"),
    Check("colour-space", ERROR, "RGB anywhere in a print file (an operator, a colour space, an image)",
          "report it: the build separates every colour to CMYK"),
    Check("overprint", ERROR,
          "100 % black text that knocks out, text in four-colour black, or white text set to overprint",
          "report it: the build sets black to overprint and white to knock out"),
    Check("ink-coverage", ERROR, "more ink (C+M+Y+K) than the paper takes, over any 1 mm square",
          "lighten the darkest colours or background under black text; check the paper in print:"),
    Check("print-details", ERROR, "a detail the job ticket needs is missing from print: in the front matter",
          "add it (quantity, paper, colours; licence for offset work)"),
    Check("sample-data", WARNING,
          "a print job made with data marked sample: true (invented names, addresses, phone numbers): "
          "the site data, the commune it is made for, a model household it shows",
          "replace it with the real data and delete its sample: true (the job ticket says so meanwhile)"),
    Check("page-boxes", ERROR, "TrimBox, BleedBox or MediaBox not as the layout declares, or pages differ",
          "a stylesheet changed the page size: page geometry belongs in layout.toml"),
    Check("fonts", ERROR, "a font not embedded, or not from fonts/",
          "report it: the build should prevent it"),
    Check("page-count", ERROR, "pages not as the layout declares (a multiple of 4 for saddle stitching)",
          "report it: the build pads booklets itself"),
    Check("pdf-extras", ERROR, "annotations, forms, scripts or encryption in a print file",
          "report it: the build removes them"),
    Check("qr-unreadable", ERROR,
          "a QR code that does not read back (zbarimg) from the print file as the text it stands for, "
          "or has modules under 0.4 mm",
          "keep its quiet zone clear and the code off pictures and folds; "
          "a larger qr.module_mm in the layout"),
)
