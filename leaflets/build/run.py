"""The commands, each its own short sequence of the steps in steps.py.

- `build_pieces`: render → check → finish → check the files → write, for
  every job without errors; a piece with errors keeps its previous PDF.
- `preflight_pieces`: the same checks, writing no print file; a job whose
  inputs have not changed since its last render reuses that render's
  findings (and WeasyPrint is not imported at all when every job does).
- `proof_pieces`: render and finish every job that can be rendered, errors
  or not, and write its proof, previews and the review page.

All three write dist/preflight.json and keep each render's findings in the
cache for the next preflight.
"""

from __future__ import annotations

from collections.abc import Callable

from ..atomic import remove_stale_temporaries, write_atomic
from ..problems import ContentError
from .cache import cached_findings, fingerprint, forget_file_hashes, store_findings
from .manifest import entry_for, write_manifest
from .plan import PRINT, Plan, strictly
from .proofs import write_proof, write_review_page
from .report import preflight_report
from .steps import Result, each_job, faces_of, make, preflight_status, start_renderer, write_outputs


def _write_report(plan: Plan, results: list[Result]) -> None:
    write_atomic(plan.project.dist / "preflight.json", preflight_report(plan.project, results))


def _start(plan: Plan) -> None:
    """Every command starts here: inputs are hashed afresh, a killed run's temporaries go."""
    forget_file_hashes()
    remove_stale_temporaries(plan.project.dist)


def build_pieces(plan: Plan, on_result: Callable[[Result], None] | None = None,
                 strict: bool = False) -> list[Result]:
    """Build every job of the plan into dist/print/ (or dist/screen/); report every job."""
    _start(plan)
    renderer = start_renderer(plan, plan.jobs)
    built: dict[str, dict] = {}

    def step(job):
        if not job.renderable:
            return "failed", None, [], strictly(job.problems) if strict else list(job.problems)
        made = make(job, plan, renderer)
        store_findings(plan.project, job, made.pages, made.findings)
        problems = job.problems + made.findings
        problems = strictly(problems) if strict else problems
        if not made.finished or any(p.is_error for p in problems):
            return "failed", made.pages, made.images, problems
        try:
            write_outputs(made.files)
        except ContentError as exc:  # a full disk, a read-only folder
            return "failed", made.pages, made.images, problems + list(exc.problems)
        built[job.name] = entry_for(plan.project, job, made.pages, made.files)
        return "built", made.pages, made.images, problems

    results = each_job(plan, step, on_result)
    _write_report(plan, results)
    if plan.colour == PRINT:
        write_manifest(plan.project, built)
    return results


def preflight_pieces(plan: Plan, on_result: Callable[[Result], None] | None = None,
                     strict: bool = False) -> list[Result]:
    """Check every job of the plan, reusing unchanged renders; write no print file."""
    project = plan.project
    _start(plan)
    cached = {job.name: cached_findings(project, job) for job in plan.jobs}
    renderer = start_renderer(plan, [j for j in plan.jobs if cached[j.name] is None])

    def step(job):
        problems, pages, images = list(job.problems), None, []
        if job.renderable and cached[job.name] is not None:
            pages, found = cached[job.name]
            problems.extend(found)
        elif job.renderable:
            made = make(job, plan, renderer)
            store_findings(project, job, made.pages, made.findings)
            problems.extend(made.findings)
            pages, images = made.pages, made.images
        problems = strictly(problems) if strict else problems
        return preflight_status(problems), pages, images, problems

    results = each_job(plan, step, on_result)
    _write_report(plan, results)
    return results


def proof_pieces(plan: Plan, on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Proofs, previews and the review page for every job that renders, whatever its findings."""
    project = plan.project
    _start(plan)
    renderer = start_renderer(plan, plan.jobs)

    def step(job):
        if not job.renderable:
            return preflight_status(job.problems), None, [], list(job.problems)
        made = make(job, plan, renderer, finish_with_errors=True)
        store_findings(project, job, made.pages, made.findings)
        problems = job.problems + made.findings
        status = preflight_status(problems)
        if made.finished:
            try:
                write_proof(project, job, made.composed, made.files, problems, status, made.pages,
                            faces_of(plan), fingerprint(job))
            except ContentError as exc:
                problems = problems + list(exc.problems)
                status = preflight_status(problems)
        return status, made.pages, made.images, problems

    results = each_job(plan, step, on_result)
    _write_report(plan, results)
    write_review_page(project)
    return results
