"""The plan: every output as an independent job, everything read and checked first.

`plan()` reads and checks everything (site data, fonts, palette, layouts,
households, pieces) and composes each piece's HTML, so a broken piece is
found before any PDF is touched. Each `Job` names its outputs and the files
it was made from; the commands in run.py render, check, finish and write
the jobs that have no errors. One bad piece never stops the others.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..checks.text import content_findings
from ..clock import build_date
from ..content.frontmatter import split
from ..content.households import load_households
from ..content.papers import unknown_paper
from ..content.pieces import Piece, field_problems, load_piece, name_problem
from ..content.site import load_site, sample_warnings
from ..content.svg import svg_problem
from ..content.textio import read_text
from ..content.variants import Variant, variants_of
from ..i18n import Msg, msg
from ..layout.compose import Composed, Composer
from ..layout.fonts import load_fonts
from ..layout.geometry import Layout
from ..layout.load import layout_names, load_layout
from ..layout.palette import load_palette
from ..press.ticket import missing_fields
from ..problems import ERROR, WARNING, ContentError, Problem, error
from ..project import Project
from ..vi import slug

PALETTE_FILE = "palette.toml"
NOT_COMPOSED = msg("not composed: fix the project-wide errors above")


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
    piece: Piece | None = None
    composed: Composed | None = None
    variant: Variant | None = None  # the record a piece with variants is made for
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
    colour: str = "cmyk"  # "cmyk": print files; "rgb": a build for screens
    notes: list[str] = field(default_factory=list)  # what a run did besides its jobs (stale files moved)
    # piece -> the slugs of all the variants it is made for now (whichever of them this plan builds)
    variants: dict[str, set[str]] = field(default_factory=dict)


def strictly(problems: list[Problem]) -> list[Problem]:
    """Warnings become errors (--strict)."""
    return [dataclasses.replace(p, severity=ERROR) if p.severity == WARNING else p
            for p in problems]


SCREEN = "rgb"  # a build for screens (--rgb)
PRINT = "cmyk"


def outputs_for(project: Project, name: str, layout: Layout, colour: str = PRINT) -> tuple[Output, ...]:
    """Output files of a piece; a scaled layout says its scale in the name (…-scale-1-10.pdf).

    A print build writes dist/print/: the print file, the imposed file of a
    saddle-stitched booklet, and the job ticket (PDF and JSON). A build for
    screens (--rgb) writes only dist/screen/<piece>.pdf, never dist/print/.
    """
    stem = f"{name}-scale-1-{layout.scale}" if layout.scale != 1 else name
    if colour == SCREEN:
        return (Output("print", project.dist / "screen" / f"{stem}.pdf"),)
    names = {"print": f"{stem}.pdf", "imposed": f"{stem}.imposed.pdf",
             "ticket": f"{stem}.ticket.pdf", "ticket-json": f"{stem}.ticket.json"}
    kinds = (*layout.outputs, "ticket", "ticket-json")
    return tuple(Output(kind, project.dist / "print" / names[kind]) for kind in kinds)


def named(project: Project, name: str) -> tuple[str | None, Msg | str | None]:
    """(piece name, None) for a name from the command line, or (None, why it is not one).

    A piece is named by its file name in content/pieces/ without .md; the
    path of that file (content/pieces/x.md) is accepted too. Nothing else:
    a name is never a path to somewhere else.
    """
    stem = name
    if name.endswith(".md"):
        given = Path(name)
        stem = given.stem
        wanted = os.path.normpath(project.pieces_dir / f"{stem}.md")
        if given.parent != Path(".") and wanted not in (
                os.path.normpath(Path.cwd() / given), os.path.normpath(project.root / given)):
            return None, msg("{name!r} is not a file in content/pieces/: name a piece by its file name",
                             name=name)
    piece, _, variant = stem.partition("--")  # a variant's job: <piece>--<variant>
    wrong = name_problem(piece) or (variant and name_problem(variant))
    return (None, wrong) if wrong else (stem, None)


def select_pieces(project: Project, names: Sequence[str]) -> tuple[list[Path], list[Problem],
                                                                   dict[Path, Problem], dict[str, set[str]]]:
    """Piece files for the names given on the command line (all when none are).

    Returns (files, problems with the names, files refused because they lead
    outside the project with the reason for each, and the variants asked for
    by piece when a name is a variant's job, `<piece>--<variant>`).
    """
    inside, outside = project.files(project.pieces_dir, "*.md")
    refused = {p.path: p for p in outside}
    every = sorted([*inside, *refused])
    if not names:
        return every, [], refused, {}
    by_stem = {p.stem: p for p in every}
    found, problems = [], []
    wanted: dict[str, set[str]] = {}
    whole: set[str] = set()
    known = ", ".join(by_stem) or msg("none")
    for name in names:
        stem, wrong = named(project, name)
        if wrong:
            problems.append(error(None, None, wrong))
            continue
        piece, _, variant = stem.partition("--")
        if piece not in by_stem:
            problems.append(error(None, None, msg("no piece named {name!r} in content/pieces/ "
                                                  "(known: {known})", name=name, known=known)))
            continue
        if by_stem[piece] not in found:
            found.append(by_stem[piece])
        if variant:
            wanted.setdefault(piece, set()).add(variant)
        else:
            whole.add(piece)
    for piece in whole:  # asked for whole: all its variants
        wanted.pop(piece, None)
    return found, problems, refused, wanted


def _outputs_of_others(project: Project, planned: set[Path], layouts: dict,
                       colour: str) -> dict[Path, str]:
    """Output file -> piece, for every piece of the project not in this plan (from front matter only)."""
    out: dict[Path, str] = {}
    for path in project.piece_files():
        if path in planned or name_problem(path.stem):
            continue
        try:
            layout_name = split(read_text(path), path).meta.get("layout")
            if not isinstance(layout_name, str):
                continue
            if layout_name not in layouts:
                layouts[layout_name] = load_layout(project.layouts_dir, layout_name)
            layout = layouts[layout_name][0]
        except ContentError:
            continue  # reported when that piece is built
        if layout is not None:
            for output in outputs_for(project, path.stem, layout, colour):
                out[output.path] = path.stem
    return out


def refuse_collisions(project: Project, jobs: list[Job], layouts: dict, colour: str) -> None:
    """Two pieces must never write the same file: both are refused, each naming the other."""
    owners: dict[Path, list[Job]] = {}
    for job in jobs:
        for output in job.outputs:
            owners.setdefault(output.path, []).append(job)
    others = _outputs_of_others(project, {job.source for job in jobs}, layouts, colour)
    for path, claimants in owners.items():
        names = [j.name for j in claimants] + ([others[path]] if path in others else [])
        if len(names) < 2:
            continue
        for job in claimants:
            rivals = [repr(n) for n in names if n != job.name]
            other = rivals[0] if len(rivals) == 1 else \
                msg("{names} and {last}", names=", ".join(rivals[:-1]), last=rivals[-1])
            job.problems.append(error(job.source, None, msg(
                "piece {name!r} and piece {other} would both write {file}: rename one of them",
                name=job.name, other=other, file=project.relative(path))))


def _expand_variants(project: Project, jobs: list[Job], composer, households, colour: str,
                     keep: set[str], wanted: dict[str, set[str]],
                     problems: list[Problem]) -> tuple[list[Job], dict[str, set[str]]]:
    """Each job of a piece with variants becomes one job per record (the ones asked for).

    `keep`: variants asked for with --variant (any piece that has them);
    `wanted`: variants asked for by job name, `<piece>--<variant>`.
    """
    out, seen = [], set()
    chosen = {}
    for job in jobs:
        piece = job.piece
        if piece is None or not piece.variants or job.layout is None or \
                any(p.is_error for p in job.problems):
            out.append(job)
            continue
        if composer is None:
            job.problems.append(error(job.source, None, NOT_COMPOSED))
            out.append(job)
            continue
        found, said = variants_of(piece, composer.site, households)
        job.problems.extend(said)
        if any(p.is_error for p in said):
            out.append(job)
            continue
        slugs = chosen[piece.name] = {v.slug for v in found}
        named_here = wanted.get(piece.name, set())
        for name in sorted(named_here - slugs):
            problems.append(error(None, None, msg("piece {piece!r} has no variant {name!r} "
                                                  "(its variants: {variants})", piece=piece.name, name=name,
                                                  variants=", ".join(sorted(slugs)))))
        seen |= keep & slugs
        asked = keep | named_here
        for variant in found:
            if asked and variant.slug not in asked:
                continue
            name = f"{piece.name}--{variant.slug}"
            out.append(Job(name, job.source, outputs_for(project, name, job.layout, colour),
                           layout=job.layout, piece=piece, problems=list(job.problems), variant=variant))
    for name in sorted(keep - seen):
        problems.append(error(None, None, msg("no piece has a variant {name!r}", name=name)))
    return out, chosen


def print_detail_problems(piece, layout: Layout, site) -> list[Problem]:
    """What the job ticket and the separation need from `print:` in the front matter."""
    found = []
    line = piece.line_of("print") or piece.line_of("layout")
    for key in missing_fields(piece, layout.large_format):
        found.append(error(piece.path, line, msg("print.{key} is missing: the job ticket needs it "
                                                 "(see “Print details” in the README)", key=key),
                           code="print-details"))
    if site.papers is not None and piece.print.paper and not site.papers.condition_for(piece.print.paper)[1]:
        found.append(unknown_paper(piece, site.papers))
    return found


def svg_problems(project: Project, composed: Composed) -> list[Problem]:
    """An error for every SVG the piece draws that cannot be used safely (content/svg.py)."""
    found = []
    for path in composed.images:
        if path.suffix.lower() == ".svg" and (why := svg_problem(path)):
            found.append(error(composed.piece.path, composed.piece.image_lines.get(path),
                               msg("image {file}: {reason}", file=project.relative(path), reason=why)))
    return found


def plan(project: Project, names: Sequence[str] = (), strict: bool = False, colour: str = PRINT,
         variants: Sequence[str] = ()) -> Plan:
    """Load, check and compose the pieces named (all when none are).

    A piece with `variants:` becomes one job per record; `variants` (names
    or file names of records) keeps only those.
    """
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
                            shared["palette"], colour)
    paths, selection_problems, refused, wanted = select_pieces(project, names)
    problems.extend(selection_problems)
    wanted_variants = {slug(v) for v in variants}
    layouts: dict[str, tuple[Layout | None, list[Problem]]] = {}
    jobs = []
    for path in paths:
        job = Job(path.stem, path, (Output("print", project.dist / "print" / f"{path.stem}.pdf"),))
        jobs.append(job)
        if path in refused:
            job.problems.append(refused[path])
            continue
        try:
            piece, warnings = load_piece(path, project)
        except ContentError as exc:
            job.problems.extend(exc.problems)
            continue
        job.problems.extend(warnings)
        job.piece = piece
        if piece.layout not in layouts:
            try:
                layouts[piece.layout] = load_layout(project.layouts_dir, piece.layout)
            except ContentError as exc:
                layouts[piece.layout] = (None, list(exc.problems))
        layout, layout_problems = layouts[piece.layout]
        if layout is None:
            if not (project.layouts_dir / piece.layout / "layout.toml").is_file():
                known = ", ".join(layout_names(project.layouts_dir)) or msg("none")
                job.problems.append(error(path, piece.line_of("layout"),
                                          msg("unknown layout {layout!r} (known: {known})",
                                              layout=piece.layout, known=known)))
            else:
                job.problems.extend(layout_problems)
            continue
        job.layout = layout
        job.outputs = outputs_for(project, path.stem, layout, colour)
        job.problems.extend(layout_problems)
    jobs, chosen = _expand_variants(project, jobs, composer, households, colour, wanted_variants, wanted,
                                    problems)
    refuse_collisions(project, [j for j in jobs if j.layout is not None], layouts, colour)
    for job in jobs:
        if job.layout is None or any(p.is_error for p in job.problems):
            continue
        piece = job.piece
        if composer is None:
            job.problems.append(error(job.source, None, NOT_COMPOSED))
            continue
        unfilled = field_problems(piece, composer.fields_for(piece, job.variant))
        if unfilled:
            job.problems.extend(unfilled)
            continue
        try:
            job.composed = composer.compose(piece, job.layout, variant=job.variant)
        except ContentError as exc:
            job.problems.extend(exc.problems)
            continue
        job.problems.extend(svg_problems(project, job.composed))
        if colour == PRINT:
            job.problems.extend(print_detail_problems(job.piece, job.layout, composer.site))
            job.problems.extend(sample_warnings(project, job.composed, composer.site, households))
        job.problems.extend(content_findings(job.composed, shared["site"], households, build_date()))
    if strict:
        problems = strictly(problems)
        for job in jobs:
            job.problems = strictly(job.problems)
    return Plan(project, jobs, problems, composer, colour, variants=chosen)
