"""The steps of one job, which the commands in run.py put together.

render (until it fits) → check the laid-out pages → finish (print and
imposed files, in memory) → check the files → write them. Each step takes
and returns values; only `write_outputs` touches dist/.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_atomic
from ..checks.glyphs import layout_findings
from ..checks.ink import ink_findings, measure_ink_later
from ..checks.pdf import pdf_findings
from ..checks.qr import qr_findings
from ..checks.safezone import safe_zone_findings
from ..content.site import samples_used
from ..i18n import msg
from ..layout.compose import Composed
from ..layout.fonts import bold_face, regular_face
from ..memory import out_of_memory_message
from ..press.deliver import Fonts, print_files, screen_file
from ..problems import WARNING, ContentError, Problem, error
from ..render.shrink import render_fitting
from .plan import Job, Plan
from .workers import ERRORS, OK, WARNINGS


@dataclass
class Result:
    """What became of one job: its status, pages, time and every finding."""

    job: Job
    status: str  # "built" | "unchanged" | "failed" (build); "ok" | "warnings" | "errors" (preflight, proof)
    pages: int | None
    seconds: float
    problems: list[Problem]
    images: list = field(default_factory=list)  # render.engine.ImageUse of each raster image


@dataclass
class Made:
    """What rendering one job made, in memory, and what was found on the way."""

    composed: Composed | None = None  # as rendered (shrunk, padded)
    pages: int | None = None
    images: list = field(default_factory=list)
    files: dict[Path, bytes] = field(default_factory=dict)  # output path -> bytes
    findings: list[Problem] = field(default_factory=list)
    finished: bool = False  # every output file was made


_RENDERERS: dict = {}


def renderer_for(plan: Plan):
    """This process's Renderer for the project, made on first use.

    WeasyPrint is imported only when a job is really rendered (a no-change
    rebuild never imports it), and once per process: in a worker, once for
    all the jobs it gets.
    """
    key = (os.getpid(), plan.project.root)
    if key not in _RENDERERS:
        from ..render.engine import Renderer

        _RENDERERS.clear()  # one at a time: a long-lived process does not hoard font caches
        _RENDERERS[key] = Renderer(plan.project)
    return _RENDERERS[key]


def faces_of(plan: Plan) -> tuple:
    return plan.composer.fonts if plan.composer else ()


def finish_job(job: Job, composed: Composed, rendered, plan: Plan) -> tuple[dict, list[Problem], Callable]:
    """Every output file of a job, in memory (press/deliver.py), by output path; notes; and the
    measurement of the print file's ink, started as soon as that file was made."""
    fonts = Fonts(regular_face(faces_of(plan)), bold_face(faces_of(plan)))
    if composed.condition is None:  # a build for screens
        data = screen_file(rendered.pdf, rendered.pages, composed, fonts, job.source)
        return {job.outputs[0].path: data}, [], None
    names = {output.kind: output.path.name for output in job.outputs}
    started = []
    samples = [s.label(plan.project) for s in samples_used(composed, plan.composer.site,
                                                            plan.composer.households)]
    made, said = print_files(rendered.pdf, rendered.pages, composed, plan.composer.palette,
                             plan.composer.site, fonts, names, job.source,
                             on_print=lambda data: started.append(measure_ink_later(data)), samples=samples)
    return {output.path: made[output.kind] for output in job.outputs}, said, started[0]


def check_outputs(files: dict, job: Job, composed: Composed, faces,
                  measured: Callable | None = None) -> list[Problem]:
    """Preflight on the finished files: boxes, fonts, page count, forbidden objects, inks."""
    layout = composed.layout
    found = []
    for output in job.outputs:
        data = files[output.path]
        if output.kind == "print":
            multiple = layout.booklet.multiple if layout.booklet else 1
            found += pdf_findings(data, job.source, output.path.name,
                                  (layout.width / layout.scale, layout.height / layout.scale),
                                  layout.bleed / layout.scale, faces, layout.pages, multiple)
        elif output.kind == "imposed":
            found += pdf_findings(data, job.source, output.path.name, (2 * layout.width, layout.height),
                                  layout.bleed, faces)
        if output.kind == "print" and composed.condition is not None:
            # (the imposed file places these same separated pages: measured once, here)
            found += ink_findings(data, job.source, output.path.name, composed.condition, measured)
    return found


def make(job: Job, plan: Plan, finish_with_errors: bool = False) -> Made:
    """Render, check and finish one job in memory. Never raises for a problem of the input.

    The output files are made only when nothing so far is an error, unless
    `finish_with_errors` (a proof shows the reviewers a piece with errors).
    """
    made = Made()
    faces = faces_of(plan)
    try:
        composed, rendered, notes = render_fitting(job.composed, plan.composer, renderer_for(plan))
        made.composed = composed
        made.findings.extend(notes)
        made.pages, made.images = rendered.pages, rendered.images
        made.findings.extend(layout_findings(composed, rendered.document, faces, rendered.page_number))
        misfit = {p.slot for p in made.findings if p.code in ("overflow", "safe-zone") and p.slot}
        made.findings.extend(safe_zone_findings(composed, rendered.document, rendered.page_number,
                                                misfit))
        if finish_with_errors or not any(p.is_error for p in made.findings):
            files, said, measured = finish_job(job, composed, rendered, plan)
            made.findings.extend(said)
            made.findings.extend(check_outputs(files, job, composed, faces, measured))
            printed = [o for o in job.outputs if o.kind == "print" and composed.condition is not None]
            for output in printed:  # each QR code read back from the print file
                made.findings.extend(qr_findings(files[output.path], rendered, job.source, output.path.name))
            made.files, made.finished = files, True
    except ContentError as exc:
        made.findings.extend(exc.problems)
    except MemoryError:
        made.findings.append(error(job.source, None, out_of_memory_message()))
    except RecursionError:
        made.findings.append(error(job.source, None, msg("nested too deeply to lay out (lists or quotes "
                                                         "inside each other hundreds of times): flatten it")))
    except Exception as exc:  # a bug, not bad input: say so in one line
        made.findings.append(error(job.source, None,
                                   msg("internal error ({kind}: {detail}); "
                                       "please report it with this piece attached",
                                       kind=type(exc).__name__, detail=str(exc))))
    return made


def write_outputs(files: dict[Path, bytes]) -> None:
    """Write a job's files, each atomically; all were made before any is written."""
    for path, data in files.items():
        write_atomic(path, data)


def preflight_status(problems: list[Problem]) -> str:
    if any(p.is_error for p in problems):
        return ERRORS
    return WARNINGS if any(p.severity == WARNING for p in problems) else OK
