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
import functools
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
from .preflight import content_findings
from .problems import ERROR, NOTE, WARNING, ContentError, Problem, error, warning
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
            continue
        job.problems.extend(content_findings(job.composed, shared["site"], households, build_date()))
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


def slug_font(faces) -> Path:
    """The bundled regular upright face, for slugs and marks."""
    for face in faces:
        if face.weight == 400 and face.style == "normal":
            return face.path
    return faces[0].path


def _pdf_checks(files: dict, job: Job, composed: Composed, faces) -> list[Problem]:
    from .preflight import pdf_findings

    layout = composed.layout
    found = []
    for output in job.outputs:
        data = files[output.path]
        if output.kind == "print":
            multiple = layout.booklet.multiple if layout.booklet else 1
            found += pdf_findings(data, job.source, output.path.name,
                                  (layout.width / layout.scale, layout.height / layout.scale),
                                  layout.bleed / layout.scale, faces, layout.pages, multiple)
        else:
            found += pdf_findings(data, job.source, output.path.name, (2 * layout.width, layout.height),
                                  layout.bleed, faces)
    return found


def _make_outputs(job: Job, composed: Composed, rendered, site, font: Path) -> tuple[dict, list[Problem]]:
    """Every output file of a job, in memory."""
    from .finish import finish_print
    from .impose import impose

    layout = composed.layout
    files, said = {}, []
    for output in job.outputs:
        if output.kind == "print":
            files[output.path] = finish_print(
                rendered.pdf, layout, _slug(composed),
                page_labels(layout, rendered.pages, composed.blank_pages), font, job.source)
        elif output.kind == "imposed":
            thickness, said = paper_thickness(composed.piece, site)
            files[output.path] = impose(rendered.pdf, layout, thickness, _slug(composed), font)
    return files, said


def run(built_plan: Plan, on_result: Callable[[Result], None] | None = None, write: bool = True,
        strict: bool = False, proofs: bool = False) -> list[Result]:
    """Render, check and (when `write`) write every job that can be rendered; report every job.

    With `write=False` this is preflight: nothing goes to dist/print/, and a
    piece whose inputs have not changed since its last build or preflight
    reuses the findings of that render instead of rendering again. With
    `proofs=True` (and `write=False`) every piece that renders also gets a
    proof PDF and previews in dist/proof/, whatever its findings.
    """
    from .fitting import render_fitting
    from .output import write_atomic
    from .preflight import layout_findings
    from .render import Renderer

    project = built_plan.project
    jobs = built_plan.jobs
    # Created once, before timing starts: importing WeasyPrint is not a piece's time.
    reuse = not (write or proofs)
    cache = {j.name: cached_findings(project, j) if reuse else None for j in jobs}
    renderer = Renderer(project) if any(j.renderable and cache[j.name] is None for j in jobs) else None
    faces = built_plan.composer.fonts if built_plan.composer else ()
    results = []
    for job in jobs:
        started = time.perf_counter()
        problems = list(job.problems)
        pages = None
        image_uses = []
        files: dict = {}
        rendered_ok = False
        if job.renderable:
            cached = cache[job.name]
            if cached is not None:
                pages, found = cached
                problems.extend(found)
            else:
                found: list[Problem] = []
                try:
                    composed, rendered, notes = render_fitting(job.composed, built_plan.composer,
                                                               renderer)
                    found.extend(notes)
                    pages = rendered.pages
                    image_uses = rendered.images
                    found.extend(layout_findings(composed, rendered.document, faces))
                    # no PDF is written after an error; a proof is, for the reviewers to see it
                    if proofs or not any(p.is_error for p in found):
                        files, said = _make_outputs(job, composed, rendered,
                                                    built_plan.composer.site, slug_font(faces))
                        found.extend(said)
                        found.extend(_pdf_checks(files, job, composed, faces))
                        rendered_ok = True
                except ContentError as exc:
                    found.extend(exc.problems)
                except Exception as exc:  # a bug, not bad input: say so in one line
                    found.append(error(job.source, None,
                                       f"internal error ({type(exc).__name__}: {exc}); "
                                       "please report it with this piece attached"))
                store_findings(project, job, pages, found)
                problems.extend(found)
        if strict:
            problems = _strict(problems)
        has_errors = any(p.is_error for p in problems)
        if write:
            status = "failed"
            if rendered_ok and not has_errors:
                # Every output is made before any is written: all or nothing.
                for path, data in files.items():
                    write_atomic(path, data)
                status = "built"
        else:
            warned = any(p.severity == WARNING for p in problems)
            status = "errors" if has_errors else ("warnings" if warned else "ok")
            if proofs and rendered_ok:
                from .proofing import write_proof

                write_proof(project, job, composed, files, problems, status, pages, faces)
        result = Result(job, status, pages, time.perf_counter() - started, problems, image_uses)
        results.append(result)
        if on_result:
            on_result(result)
    write_atomic(project.dist / "preflight.json", preflight_report(project, results))
    if proofs:
        from .proofing import write_review_page

        write_review_page(project)
    return results


# --- preflight findings: cached per piece, and the report for machines --------------

CACHE_FORMAT = 1


def fingerprint(job: Job) -> str:
    """Changes whenever anything the piece is made from changes (content, layout, fonts, code)."""
    import hashlib

    from . import __version__

    digest = hashlib.sha256(f"{CACHE_FORMAT} {__version__} {_engine_digest()}\n".encode())
    digest.update(job.composed.html.encode())
    for path in job.composed.inputs:
        try:
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{path}\0missing\n".encode())
    return digest.hexdigest()


@functools.cache
def _engine_digest() -> str:
    """The engine's own code: a new or changed check must run again."""
    import hashlib

    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()


def _cache_file(project: Project, job: Job) -> Path:
    return project.cache_dir / "preflight" / f"{job.name}.json"


def _problem_json(project: Project, p: Problem) -> dict:
    return {"severity": p.severity, "code": p.code or "input", "message": p.message,
            "file": project.relative(p.path) if p.path else None, "line": p.line, "page": p.page,
            "slot": p.slot}


def store_findings(project: Project, job: Job, pages: int | None, found: list[Problem]) -> None:
    import json

    from .output import write_atomic

    data = {"key": fingerprint(job), "pages": pages,
            "findings": [_problem_json(project, p) for p in found]}
    write_atomic(_cache_file(project, job), json.dumps(data, ensure_ascii=False).encode())


def cached_findings(project: Project, job: Job) -> tuple[int | None, list[Problem]] | None:
    """The findings of this job's last render, if nothing it is made from has changed since."""
    import json

    path = _cache_file(project, job)
    if not job.renderable or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("key") != fingerprint(job):
        return None
    found = [Problem(project.root / f["file"] if f["file"] else None, f["line"], f["message"],
                     f["severity"], "" if f["code"] == "input" else f["code"], f["page"], f["slot"])
             for f in data["findings"]]
    return data["pages"], found


def preflight_report(project: Project, results: list[Result]) -> bytes:
    """dist/preflight.json: every piece's findings, for machines."""
    import json

    pieces = []
    for r in results:
        shown = [p for p in r.problems if p.severity != NOTE]
        pieces.append({
            "piece": r.job.name, "source": project.relative(r.job.source), "status": r.status,
            "pages": r.pages,
            "errors": sum(p.is_error for p in shown),
            "warnings": sum(p.severity == WARNING for p in shown),
            "findings": [_problem_json(project, p) for p in shown],
        })
    report = {"generated": build_date().isoformat(), "pieces": pieces,
              "errors": sum(p["errors"] for p in pieces), "warnings": sum(p["warnings"] for p in pieces)}
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode()


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
        return f"flows (×{layout.booklet.multiple})"
    return str(layout.pages)


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
        layout_rows.append(LayoutRow(name, layout.kind, layout.trim_label, _pages_label(layout),
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
            _pages_label(layout) if layout else "?", piece.title))
    return piece_rows, layout_rows, problems
