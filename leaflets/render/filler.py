"""A booklet's page count made a multiple of 4: filler pages, and the choice said in a note.

A saddle-stitched booklet needs a multiple of 4 pages (or the layout's
`multiple`). When the body ends elsewhere, the pages missing go before the
back cover pages, filled as the layout's `[booklet] filler` says: `notes`
(ruled "Ghi chú" pages, the default), a template of its own in `fillers/`
(the layout's or `_base`'s: `hotline` repeats the hotline card), or `blank`
(said, never silent). The note names the other ways out: cutting about so
many lines of the body, or another filler.

The booklet is laid out once: the filler pages are laid out on their own
and put into its PDF (render/padding.py), like blank pages.
"""

from __future__ import annotations

import dataclasses

from ..i18n import msg
from ..layout.compose import Composed
from ..problems import Problem, error, note
from .padding import insert_pages
from .tree import pages

# Lays out only the pages added to reach the multiple (pages.html.j2: side--blank).
ONLY_FILLERS = "<style>body > *:not(.side--blank) { display: none !important; }</style>"
FILLER_NAMES = {"notes": msg("ruled “Ghi chú” note pages"), "blank": msg("blank pages")}


def lines_beyond(rendered, layout, over: int) -> int:
    """Lines of the flowing slot on its last `over` pages: what a cut would have to remove."""
    laid_out = pages(rendered.document)
    last_flow = len(laid_out) - len(layout.booklet.back)
    first = max(len(layout.booklet.front), last_flow - over)
    count = 0
    for page in laid_out[first:last_flow]:
        count += len({id(line) for line, leaf in page.leaves()
                      if leaf.kind != "text" or leaf.text.strip()})
    return count


def fill_booklet(composed: Composed, rendered, composer, renderer) -> tuple[Composed, object,
                                                                            list[Problem]]:
    """Pad a booklet to its multiple with its filler; return (composed, rendered, findings)."""
    piece, layout = composed.piece, composed.layout
    booklet = layout.booklet
    over = rendered.pages % booklet.multiple
    if not over:
        return composed, rendered, []
    pad = booklet.multiple - over
    lines = lines_beyond(rendered, layout, over)
    before = rendered.pages
    at = rendered.pages - len(booklet.back)
    if booklet.filler == "blank":
        filler_pdf = None
    else:
        # The filler pages are laid out on their own (the rest of the HTML hidden, so the
        # body is not laid out twice) and put into the PDF before the back covers.
        trial = composer.compose(piece, layout, pad, composed.scales, composed.variant)
        alone = renderer.render_html(trial.html.replace("</head>", ONLY_FILLERS + "</head>", 1),
                                     piece.path, rendered.substitutes)
        if len(alone.pages) != pad:
            return composed, rendered, [error(piece.path, None, msg(
                "the booklet's filler {filler!r} (layout {layout!r}) made {pages} page(s) "
                "instead of {expected}: a filler page must fit on one page; shorten the "
                "template fillers/{filler}.html.j2", filler=booklet.filler, layout=layout.name,
                pages=len(alone.pages), expected=pad), code="overflow")]
        filler_pdf = alone.write_pdf()
    rendered = dataclasses.replace(rendered, pdf=insert_pages(rendered.pdf, at, pad, filler_pdf),
                                   pages=rendered.pages + pad, inserted=(at, pad))
    composed = dataclasses.replace(composed, blank_pages=pad)
    kind = FILLER_NAMES.get(booklet.filler)
    return composed, rendered, [note(piece.path, None, msg(
        "the body ends on page {last}, so {pages} pages are not a multiple of {multiple}: "
        "added {pad} page(s) of {filler} before the back cover ({total} pages). Other choices: "
        "cut about {lines} line(s) of the body to end on {fewer} pages, or set "
        "[booklet] filler in layouts/{layout}/layout.toml to notes (ruled note pages), "
        "a template in fillers/ (hotline: the hotline card) or blank",
        last=at, pages=before, multiple=booklet.multiple, pad=pad,
        filler=kind or msg("“{name}” filler", name=booklet.filler), total=before + pad,
        lines=lines, fewer=before - over, layout=layout.name))]
