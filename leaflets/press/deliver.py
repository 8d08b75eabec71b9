"""The files a print shop receives, made from one rendered piece, in memory.

print build:   rendered PDF → separated to CMYK (separate.py) → boxes, marks,
               slug (finish.py) → PDF/X-4 (pdfx.py); a saddle-stitched
               booklet also imposed (impose.py) → PDF/X-4; then the job
               ticket (ticket.py) naming both with their SHA-256.
screen build:  rendered PDF (sRGB) → boxes, marks and a slug that says
               "RGB – không dùng để in"; nothing else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..clock import stamp
from ..layout.colour import Separation
from ..layout.compose import Composed
from ..problems import Problem
from .finish import finish_print, page_labels, print_slug
from .impose import impose, paper_thickness
from .pdfx import FileInfo, make_pdfx
from .separate import separate
from .ticket import Ticket, TicketFile, finishing_lines, ticket_pdf

SCREEN_NOTE = "RGB – không dùng để in"


@dataclass(frozen=True)
class Fonts:
    regular: Path
    bold: Path


def _info(composed: Composed, site, kind: str) -> FileInfo:
    piece, layout = composed.piece, composed.layout
    title = composed.variant.name_in(piece.title) if composed.variant else piece.title
    subject = f"{layout.title}, {layout.trim_label}, lần {piece.revision}"
    if layout.scale != 1:
        title += f" (tệp tỷ lệ 1:{layout.scale})"
        subject += f"; dàn trang tỷ lệ 1:{layout.scale}, in phóng {layout.scale} lần"
    if kind == "imposed":
        title += " – bình trang"
        subject += "; bình trang đóng ghim giữa"
    agency = (site.values.get("agency") or {}).get("name", "")
    return FileInfo(title, agency, subject, piece.language, stamp(piece.date), piece.name)


def screen_file(pdf: bytes, pages: int, composed: Composed, fonts: Fonts, source: Path) -> bytes:
    """The sRGB file for screens: the print geometry, marked as not for print."""
    layout = composed.layout
    slug = f"{print_slug(composed, stamp(composed.piece.date).date())} · {SCREEN_NOTE}"
    return finish_print(pdf, layout, slug, page_labels(layout, pages, composed.blank_pages),
                        fonts.regular, source)


def print_files(pdf: bytes, pages: int, composed: Composed, palette, site, fonts: Fonts,
                names: dict[str, str], source: Path,
                on_print: Callable[[bytes], None] | None = None,
                samples: list[str] | None = None) -> tuple[dict[str, bytes], list[Problem]]:
    """Every file of a print job by kind (print, imposed, ticket, ticket-json), and notes.

    `on_print` is handed the print file as soon as it is made, before the others;
    `samples` names the invented data the piece is made with, for the ticket.
    """
    piece, layout, condition = composed.piece, composed.layout, composed.condition
    when = stamp(piece.date)
    slug = print_slug(composed, when.date())
    cmyk = separate(pdf, Separation.for_condition(condition, palette))
    files: dict[str, bytes] = {}
    said: list[Problem] = []
    labels = page_labels(layout, pages, composed.blank_pages)
    files["print"] = make_pdfx(finish_print(cmyk, layout, slug, labels, fonts.regular, source),
                               condition, _info(composed, site, "print"))
    if on_print is not None:
        on_print(files["print"])
    if "imposed" in names:
        thickness, said = paper_thickness(piece, site)
        files["imposed"] = make_pdfx(impose(cmyk, layout, thickness, slug, fonts.regular),
                                     condition, _info(composed, site, "imposed"))
    if "ticket" in names:
        ticket = make_ticket(composed, site, pages, when.date().isoformat(), {
            kind: (names[kind], files[kind]) for kind in ("print", "imposed") if kind in files}, samples)
        files["ticket"] = ticket_pdf(ticket, fonts.regular, fonts.bold)
        files["ticket-json"] = ticket.json()
    return files, said


def make_ticket(composed: Composed, site, pages: int, day: str,
                files: dict[str, tuple[str, bytes]], samples: list[str] | None = None) -> Ticket:
    piece, layout, condition = composed.piece, composed.layout, composed.condition
    agency = site.values.get("agency") or {}
    imprint = site.values.get("imprint") or {}
    listed = []
    for kind, (name, data) in files.items():
        if kind == "imposed":
            count, trim = pages // 2, (2 * layout.width, layout.height)
        else:
            count, trim = pages, (layout.width / layout.scale, layout.height / layout.scale)
        listed.append(TicketFile(name, kind, count, trim, hashlib.sha256(data).hexdigest(), len(data)))
    details = piece.print
    variant = composed.variant
    run_quantity = None  # details.quantity is already the variant's own (compose.py)
    if variant is not None and variant.run and all(q for _slug, q in variant.run):
        run_quantity = sum(q for _slug, q in variant.run)
    return Ticket(
        piece=f"{piece.name}--{variant.slug}" if variant else piece.name,
        title=variant.name_in(piece.title) if variant else piece.title,
        revision=str(piece.revision), date=day,
        variant=variant.title if variant else "", quantity_per="variant" if variant else "piece",
        run_quantity=run_quantity, run_variants=len(variant.run) if variant else 0,
        tool=f"leaflets {__version__}",
        office={k: agency.get(k, "") for k in ("name", "address", "phone", "email")},
        quantity=details.quantity, trim_mm=(layout.width, layout.height), bleed_mm=layout.bleed,
        scale=layout.scale, pages=pages, colours=details.colours, paper=details.paper,
        condition=condition.name, profile=condition.profile.name, max_ink=condition.max_ink,
        finishing=finishing_lines(piece, layout),
        delivery=details.delivery.isoformat() if details.delivery else "theo thỏa thuận",
        licence=details.licence, printer=details.printer or imprint.get("printer", ""),
        notes=details.notes, files=listed, sample_data=list(samples or ()))
