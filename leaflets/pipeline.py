"""The build: plan every output as an independent job, validate all, then render.

`plan()` reads and checks everything (site data, fonts, palette, layouts,
households, pieces) and composes each piece's HTML, so a broken piece is
found before any PDF is touched. Each `Job` names its outputs and the files
it was made from; `run()` renders the jobs that have no errors and writes
their outputs atomically. One bad piece never stops the others.
"""

from __future__ import annotations

import dataclasses
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
from .problems import ERROR, WARNING, ContentError, Problem, error, warning
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
    composer: Composer | None = None

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
    images: list = field(default_factory=list)  # render.ImageUse of each raster image


def _strict(problems: list[Problem]) -> list[Problem]:
    return [dataclasses.replace(p, severity=ERROR) if p.severity == WARNING else p
            for p in problems]


def outputs_for(project: Project, name: str, layout: Layout) -> tuple[Output, ...]:
    """Output files of a piece; a scaled layout says its scale in the name (…-scale-1-10.pdf)."""
    stem = f"{name}-scale-1-{layout.scale}" if layout.scale != 1 else name
    names = {"print": f"{stem}.pdf", "imposed": f"{stem}.imposed.pdf"}
    return tuple(Output(kind, project.dist / "print" / names[kind]) for kind in layout.outputs)


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
        job.outputs = outputs_for(project, path.stem, layout)
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
    return Plan(project, jobs, problems, composer)


def build_date() -> dt.date:
    """Today, or the date SOURCE_DATE_EPOCH names (for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def _slug(composed: Composed) -> str:
    piece, layout = composed.piece, composed.layout
    return (f"{piece.name} · lần {piece.revision} · {layout.name} {layout.trim_label} "
            f"· {build_date().isoformat()}")


def page_labels(layout: Layout, pages: int, blank_pages: int) -> list[str]:
    """What the slug calls each page: a side's name, a cover slot, 'trang N' or 'trang trắng'."""
    if layout.booklet is None:
        return [side.name for side in layout.sides]
    front, back = list(layout.booklet.front), list(layout.booklet.back)
    flowing = pages - len(front) - len(back) - blank_pages
    return [*front, *(f"trang {len(front) + i + 1}" for i in range(flowing)),
            *(["trang trắng"] * blank_pages), *back]


def paper_thickness(piece, site) -> tuple[float, list[Problem]]:
    """The piece's paper thickness (mm) for creep: front matter, else the paper table, else 0."""
    if piece.print.paper_thickness is not None:
        return piece.print.paper_thickness, []
    table = (site.values.get("papers") or {}).get("papers") or {}
    if piece.print.paper in table:
        return float(table[piece.print.paper]), []
    return 0.0, [warning(piece.path, piece.line_of("print") or piece.line_of("layout"),
                         f"no thickness for paper {piece.print.paper or '(none)'!r}: creep not "
                         "applied; set print.paper_thickness (mm) or add the paper to "
                         "content/data/papers.yaml")]


def run(built_plan: Plan, on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Render, finish and write every job that has no errors; report every job."""
    from .finish import finish_print
    from .fitting import render_fitting
    from .impose import impose
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
        image_uses = []
        if job.ok:
            try:
                composed, rendered, notes = render_fitting(job.composed, built_plan.composer, renderer)
                problems.extend(notes)
                pages = rendered.pages
                image_uses = rendered.images
                if any(p.is_error for p in notes):
                    raise ContentError([])
                layout = composed.layout
                font = _slug_font(project)
                files = {}
                for output in job.outputs:
                    if output.kind == "print":
                        files[output.path] = finish_print(
                            rendered.pdf, layout, _slug(composed),
                            page_labels(layout, rendered.pages, composed.blank_pages),
                            font, job.source)
                    elif output.kind == "imposed":
                        thickness, said = paper_thickness(composed.piece, built_plan.composer.site)
                        problems.extend(said)
                        files[output.path] = impose(rendered.pdf, layout, thickness,
                                                    _slug(composed), font)
                # Every output is made before any is written: all or nothing.
                for path, data in files.items():
                    write_atomic(path, data)
                status = "built"
            except ContentError as exc:
                problems.extend(exc.problems)
            except Exception as exc:  # a bug, not bad input: say so in one line
                problems.append(error(job.source, None,
                                      f"internal error ({type(exc).__name__}: {exc}); "
                                      "please report it with this piece attached"))
        result = Result(job, status, pages, time.perf_counter() - started, problems, image_uses)
        results.append(result)
        if on_result:
            on_result(result)
    return results


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
