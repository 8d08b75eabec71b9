"""The plan: every output as an independent job, everything read and checked first.

`plan()` reads and checks everything (site data, fonts, palette, layouts,
households, pieces) and composes each piece's HTML, so a broken piece is
found before any PDF is touched. Each `Job` names its outputs and the files
it was made from; the commands in run.py render, check, finish and write
the jobs that have no errors. One bad piece never stops the others.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..checks.text import content_findings
from ..clock import build_date
from ..content.households import load_households
from ..content.pieces import load_piece
from ..content.site import load_site
from ..layout.compose import Composed, Composer
from ..layout.fonts import load_fonts
from ..layout.geometry import Layout
from ..layout.load import layout_names, load_layout
from ..layout.palette import load_palette
from ..problems import ERROR, WARNING, ContentError, Problem, error
from ..project import Project

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
    def renderable(self) -> bool:
        """Composed, and wrong at most in ways preflight reports (a placeholder, a date)."""
        return self.composed is not None and not any(p.is_error and not p.code for p in self.problems)

    @property
    def inputs(self) -> tuple[Path, ...]:
        return self.composed.inputs if self.composed else (self.source,)


@dataclass
class Plan:
    project: Project
    jobs: list[Job]
    problems: list[Problem]  # not tied to one piece: data files, fonts, households
    composer: Composer | None = None


def strictly(problems: list[Problem]) -> list[Problem]:
    """Warnings become errors (--strict)."""
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
            continue
        job.problems.extend(content_findings(job.composed, shared["site"], households, build_date()))
    if strict:
        problems = strictly(problems)
        for job in jobs:
            job.problems = strictly(job.problems)
    return Plan(project, jobs, problems, composer)
