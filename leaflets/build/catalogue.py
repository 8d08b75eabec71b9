"""What `list` shows: every piece with its layout, and every layout. Composes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.pieces import load_piece
from ..i18n import _
from ..layout.geometry import Layout
from ..layout.load import layout_names, load_layout
from ..problems import ContentError, Problem
from ..project import Project


@dataclass(frozen=True)
class PieceRow:
    name: str
    layout: str
    trim: str
    pages: str
    title: str


@dataclass(frozen=True)
class LayoutRow:
    name: str
    kind: str
    trim: str
    pages: str
    slots: str


def _pages_label(layout: Layout) -> str:
    if layout.booklet:
        return _("flows (×{multiple})").format(multiple=layout.booklet.multiple)
    return str(layout.pages)


def catalogue(project: Project) -> tuple[list[PieceRow], list[LayoutRow], list[Problem]]:
    """What `list` shows: every piece with its layout, and every layout. Composes nothing."""
    problems: list[Problem] = []
    layouts: dict[str, Layout] = {}
    layout_rows = []
    for name in layout_names(project.layouts_dir):
        try:
            layout, _said = load_layout(project.layouts_dir, name)
        except ContentError as exc:
            problems.extend(exc.problems)
            layout_rows.append(LayoutRow(name, "?", "?", "?", _("(broken, see below)")))
            continue
        layouts[name] = layout
        layout_rows.append(LayoutRow(name, layout.kind, layout.trim_label, _pages_label(layout),
                                     ", ".join(layout.slots)))
    piece_rows = []
    for path in project.piece_files():
        try:
            piece, _said = load_piece(path, project)
        except ContentError as exc:
            problems.extend(exc.problems)
            piece_rows.append(PieceRow(path.stem, "?", "?", "?", _("(broken, see below)")))
            continue
        layout = layouts.get(piece.layout)
        piece_rows.append(PieceRow(
            piece.name, piece.layout, layout.trim_label if layout else _("unknown layout"),
            _pages_label(layout) if layout else "?", piece.title))
    return piece_rows, layout_rows, problems
