"""The build: plan every output as an independent job, validate all, then render.

`plan()` reads and checks everything (site data, fonts, palette, layouts,
households, pieces) and composes each piece's HTML, so a broken piece is
found before any PDF is touched. Each `Job` names its outputs and the files
it was made from; `run()` renders the jobs that have no errors and writes
their outputs atomically. One bad piece never stops the others.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .compose import Composed, Composer
from .css import load_palette
from .fonts import load_fonts
from .households import load_households
from .layouts import Layout, layout_names, load_layout
from .pieces import load_piece
from .problems import ERROR, ContentError, Problem, error
from .project import Project
from .site import load_site

PALETTE_FILE = "palette.toml"


@dataclass(frozen=True)
class Output:
    kind: str  # "print"
    path: Path


@dataclass
class Job:
    """One piece -> its output files, with the inputs it reads and what is wrong with it."""

    name: str
    source: Path
    outputs: tuple[Output, ...]
    layout: Layout | None = None
    composed: Composed | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.composed is not None and not any(p.is_error for p in self.problems)

    @property
    def inputs(self) -> tuple[Path, ...]:
        return self.composed.inputs if self.composed else (self.source,)


@dataclass
class Plan:
    project: Project
    jobs: list[Job]
    problems: list[Problem]  # not tied to one piece: data files, fonts, households

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems) and all(j.ok for j in self.jobs)


@dataclass
class Result:
    job: Job
    status: str  # "built" | "failed"
    pages: int | None
    seconds: float
    problems: list[Problem]


def _strict(problems: list[Problem]) -> list[Problem]:
    return [Problem(p.path, p.line, p.message, ERROR) for p in problems]


def select_pieces(project: Project, names: Sequence[str]) -> tuple[list[Path], list[Problem]]:
    """Piece files for the names given on the command line (a name or a path to the .md)."""
    if not names:
        return project.piece_files(), []
    found, problems = [], []
    known = ", ".join(p.stem for p in project.piece_files()) or "none"
    for name in names:
        stem = Path(name).stem if name.endswith(".md") else name
        path = project.pieces_dir / f"{stem}.md"
        if path.is_file():
            found.append(path)
        else:
            problems.append(error(None, None, f"no piece named {name!r} in content/pieces/ "
                                              f"(known: {known})"))
    return found, problems


def plan(project: Project, names: Sequence[str] = (), strict: bool = False) -> Plan:
    """Load, check and compose the pieces named (all when none are)."""
    problems: list[Problem] = []
    shared = {}
    for key, loader in (("fonts", lambda: load_fonts(project.fonts_dir)),
                        ("palette", lambda: load_palette(project.layouts_dir / PALETTE_FILE)),
                        ("site", lambda: load_site(project))):
        try:
            shared[key] = loader()
        except ContentError as exc:
            problems.extend(exc.problems)
    households, household_problems = load_households(project)
    problems.extend(household_problems)
    if "site" in shared:
        problems.extend(shared["site"].problems)
    composer = None
    if len(shared) == 3:
        composer = Composer(project, shared["site"], households, shared["fonts"],
                            shared["palette"])
    paths, selection_problems = select_pieces(project, names)
    problems.extend(selection_problems)
    layouts: dict[str, tuple[Layout | None, list[Problem]]] = {}
    jobs = []
    for path in paths:
        job = Job(path.stem, path, (Output("print", project.dist / "print" / f"{path.stem}.pdf"),))
        jobs.append(job)
        try:
            piece, warnings = load_piece(path, project)
        except ContentError as exc:
            job.problems.extend(exc.problems)
            continue
        job.problems.extend(warnings)
        if piece.layout not in layouts:
            try:
                layouts[piece.layout] = load_layout(project.layouts_dir, piece.layout)
            except ContentError as exc:
                layouts[piece.layout] = (None, list(exc.problems))
        layout, layout_problems = layouts[piece.layout]
        if layout is None:
            if not (project.layouts_dir / piece.layout / "layout.toml").is_file():
                known = ", ".join(layout_names(project.layouts_dir)) or "none"
                job.problems.append(error(path, piece.line_of("layout"),
                                          f"unknown layout {piece.layout!r} (known: {known})"))
            else:
                job.problems.extend(layout_problems)
            continue
        job.layout = layout
        job.problems.extend(layout_problems)
        if composer is None:
            job.problems.append(error(path, None, "not composed: fix the project-wide errors above"))
            continue
        try:
            job.composed = composer.compose(piece, layout)
        except ContentError as exc:
            job.problems.extend(exc.problems)
    if strict:
        problems = _strict(problems)
        for job in jobs:
            job.problems = _strict(job.problems)
    return Plan(project, jobs, problems)


def build_date() -> dt.date:
    """Today, or the date SOURCE_DATE_EPOCH names (for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def _slug(job: Job) -> str:
    piece = job.composed.piece
    layout = job.composed.layout
    return (f"{piece.name} · lần {piece.revision} · {layout.name} {layout.trim_label} "
            f"· {build_date().isoformat()}")


def run(built_plan: Plan, on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Render, finish and write every job that has no errors; report every job."""
    from .finish import finish_print
    from .output import write_atomic
    from .render import Renderer

    project = built_plan.project
    # Created once, before timing starts: importing WeasyPrint is not a piece's time.
    renderer = Renderer(project) if any(job.ok for job in built_plan.jobs) else None
    results = []
    for job in built_plan.jobs:
        started = time.perf_counter()
        problems = list(job.problems)
        pages = None
        status = "failed"
        if job.ok:
            try:
                rendered = renderer.render(job.composed)
                problems.extend(rendered.problems)
                pages = rendered.pages
                layout = job.composed.layout
                misfits = fit_problems(job.composed, rendered, renderer)
                if misfits:
                    raise ContentError(misfits)
                if any(p.is_error for p in rendered.problems):
                    raise ContentError([])
                pdf = finish_print(rendered.pdf, layout, _slug(job),
                                   [side.name for side in layout.sides],
                                   _slug_font(project), job.source)
                write_atomic(job.outputs[0].path, pdf)
                status = "built"
            except ContentError as exc:
                problems.extend(exc.problems)
            except Exception as exc:  # a bug, not bad input: say so in one line
                problems.append(error(job.source, None,
                                      f"internal error ({type(exc).__name__}: {exc}); "
                                      "please report it with this piece attached"))
        result = Result(job, status, pages, time.perf_counter() - started, problems)
        results.append(result)
        if on_result:
            on_result(result)
    return results


def fit_problems(composed: Composed, rendered, renderer) -> list[Problem]:
    """Errors for every slot that overflows its panel, and for pages the layout lacks."""
    from .fit import describe, find_overflows, measuring_css

    piece, layout = composed.piece, composed.layout
    overflows, cut = find_overflows(rendered.document, layout)
    if cut:
        # WeasyPrint split or dropped the end of these slots: measure them on
        # a render where panels may grow, so the error can say how much.
        measured = renderer.render_html(
            composed.html.replace("</head>", measuring_css(layout) + "</head>", 1), piece.path)
        extra, _ = find_overflows(measured, layout, measuring=True)
        overflows = [o for o in overflows if o.slot not in cut] + \
            [o for o in extra if o.slot in cut]
    problems = []
    for overflow in overflows:
        slot = piece.slots.get(overflow.slot)
        problems.append(error(piece.path, slot.line if slot else None,
                              describe(overflow, layout.name)))
    if not problems and (cut or rendered.pages != layout.pages):
        problems.append(error(piece.path, None,
                              f"the content made {rendered.pages} pages but layout "
                              f"{layout.name!r} has {layout.pages}: shorten the longest slot"))
    return problems


def _slug_font(project: Project) -> Path:
    faces = load_fonts(project.fonts_dir)
    for face in faces:
        if face.weight == 400 and face.style == "normal":
            return face.path
    return faces[0].path


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


def catalogue(project: Project) -> tuple[list[PieceRow], list[LayoutRow], list[Problem]]:
    """What `list` shows: every piece with its layout, and every layout. Composes nothing."""
    problems: list[Problem] = []
    layouts: dict[str, Layout] = {}
    layout_rows = []
    for name in layout_names(project.layouts_dir):
        try:
            layout, _ = load_layout(project.layouts_dir, name)
        except ContentError as exc:
            problems.extend(exc.problems)
            layout_rows.append(LayoutRow(name, "?", "?", "?", "(broken, see below)"))
            continue
        layouts[name] = layout
        layout_rows.append(LayoutRow(name, layout.kind, layout.trim_label, str(layout.pages),
                                     ", ".join(layout.slots)))
    piece_rows = []
    for path in project.piece_files():
        try:
            piece, _ = load_piece(path, project)
        except ContentError as exc:
            problems.extend(exc.problems)
            piece_rows.append(PieceRow(path.stem, "?", "?", "?", "(broken, see below)"))
            continue
        layout = layouts.get(piece.layout)
        piece_rows.append(PieceRow(
            piece.name, piece.layout, layout.trim_label if layout else "unknown layout",
            str(layout.pages) if layout else "?", piece.title))
    return piece_rows, layout_rows, problems
