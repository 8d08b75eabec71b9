"""The commands, each its own short sequence of the steps in steps.py.

- `build_pieces`: a job whose inputs have not changed since its last build,
  and whose files are still the ones that build wrote, is "unchanged" and
  not rendered again; every other job is rendered, checked, finished,
  checked as files and written (unless it has errors: then its previous
  files stay). After a build of the whole run, files in dist/print/ that no
  job of the plan makes are moved to dist/old/.
- `preflight_pieces`: the same checks, writing no print file; a job whose
  inputs have not changed since its last render reuses that render's
  findings.
- `proof_pieces`: write the proof, previews and review page of every job
  that can be rendered, errors or not: from the print file of the last
  build when that build still stands, else rendered and finished anew.

Jobs run one after another or in worker processes (workers.py); WeasyPrint
is imported only where a job is really rendered. All three commands write
dist/preflight.json and keep each render's findings for the next run.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from ..atomic import remove_stale_temporaries, write_atomic
from ..i18n import _, msg
from ..problems import ContentError, error
from .cache import cached_findings, store_findings, unchanged
from .hashes import forget_file_hashes
from .keys import fingerprint
from .manifest import entry_for, write_manifest
from .plan import PRINT, Job, Plan, strictly
from .proofs import write_proof, write_review_page
from .report import preflight_report
from .shards import write_shard_manifest
from .steps import Result, faces_of, make, preflight_status, write_outputs
from .workers import BUILT, FAILED, UNCHANGED, Outcome, run_jobs


def _write_report(plan: Plan, results: list[Result]) -> None:
    write_atomic(plan.project.dist / "preflight.json", preflight_report(plan.project, results))


def _start(plan: Plan) -> None:
    """Every command starts here: inputs are hashed afresh, a killed run's temporaries go."""
    forget_file_hashes()
    remove_stale_temporaries(plan.project.dist)


def _run(plan: Plan, step: Callable[[Job], Outcome], workers: int,
         on_result: Callable[[Result], None] | None) -> tuple[list[Result], list[Outcome]]:
    def report(index: int, outcome: Outcome) -> None:
        if on_result:
            on_result(_result(plan.jobs[index], outcome))

    outcomes = run_jobs(plan.jobs, step, workers, report)
    return [_result(job, outcome) for job, outcome in zip(plan.jobs, outcomes, strict=True)], outcomes


def _result(job: Job, outcome: Outcome) -> Result:
    return Result(job, outcome.status, outcome.pages, outcome.seconds, outcome.problems, outcome.images)


def build_pieces(plan: Plan, on_result: Callable[[Result], None] | None = None, strict: bool = False,
                 workers: int = 1, force: bool = False, whole_run: bool = False,
                 shard: tuple[int, int] | None = None) -> list[Result]:
    """Build every job of the plan into dist/print/ (or dist/screen/); report every job.

    `force` renders every job even when nothing it is made from changed;
    `whole_run` (a build of every piece) also moves files no job makes to
    dist/old/ and says so in `plan.notes`; a `shard` (K, N) of a run writes
    its own partial manifest (shards.py).
    """
    _start(plan)
    project = plan.project

    def step(job: Job) -> Outcome:
        if not job.renderable:
            return Outcome(FAILED, problems=strictly(job.problems) if strict else list(job.problems))
        if not force and (hit := unchanged(project, job)) is not None:
            pages, found, entry = hit
            problems = job.problems + found
            problems = strictly(problems) if strict else problems
            if not any(p.is_error for p in problems):
                return Outcome(UNCHANGED, pages, [], problems, entry)
        made = make(job, plan)
        problems = job.problems + made.findings
        problems = strictly(problems) if strict else problems
        if not made.finished or any(p.is_error for p in problems):
            store_findings(project, job, made.pages, made.findings)
            return Outcome(FAILED, made.pages, made.images, problems)
        try:
            write_outputs(made.files)
        except ContentError as exc:  # a full disk, a read-only folder
            return Outcome(FAILED, made.pages, made.images, problems + list(exc.problems))
        store_findings(project, job, made.pages, made.findings, made.files)
        return Outcome(BUILT, made.pages, made.images, problems,
                       entry_for(project, job, made.pages, made.files))

    results, outcomes = _run(plan, step, workers, on_result)
    _write_report(plan, results)
    entries = {job.name: outcome.entry for job, outcome in zip(plan.jobs, outcomes, strict=True)
               if outcome.entry is not None}
    if plan.colour == PRINT and shard is not None:
        write_shard_manifest(project, *shard, entries)
    elif plan.colour == PRINT:
        write_manifest(project, entries, plan.variants, planned_pieces(plan))
    if whole_run:
        plan.notes.extend(_move_stale(plan))
    return results


def planned_pieces(plan: Plan) -> set[str]:
    """The pieces of the plan whose set of variants (or having none) is known now."""
    return {job.source.stem for job in plan.jobs if job.piece is not None
            and (not job.piece.variants or job.source.stem in plan.variants)}


def _move_stale(plan: Plan) -> list[str]:
    """Files in the output folder that no job of the plan makes: moved to dist/old/ (one line each,
    in the language of the moment: the command shows them at once)."""
    made = {output.path for job in plan.jobs for output in job.outputs}
    folders = {output.path.parent for job in plan.jobs for output in job.outputs}
    said = []
    for folder in sorted(f for f in folders if f.is_dir()):
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.startswith(".") and path not in made:
                target = plan.project.dist / "old" / path.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(path, target)
                said.append(_("moved {file} to {target}: no piece makes it any more").format(
                    file=plan.project.relative(path), target=plan.project.relative(target)))
    return said


def preflight_pieces(plan: Plan, on_result: Callable[[Result], None] | None = None,
                     strict: bool = False, workers: int = 1) -> list[Result]:
    """Check every job of the plan, reusing unchanged renders; write no print file."""
    project = plan.project
    _start(plan)
    cached = {job.name: cached_findings(project, job) for job in plan.jobs}

    def step(job: Job) -> Outcome:
        problems, pages, images = list(job.problems), None, []
        if job.renderable and cached[job.name] is not None:
            pages, found = cached[job.name]
            problems.extend(found)
        elif job.renderable:
            made = make(job, plan)
            store_findings(project, job, made.pages, made.findings)
            problems.extend(made.findings)
            pages, images = made.pages, made.images
        problems = strictly(problems) if strict else problems
        return Outcome(preflight_status(problems), pages, images, problems)

    results, _outcomes = _run(plan, step, workers, on_result)
    _write_report(plan, results)
    return results


def proof_pieces(plan: Plan, on_result: Callable[[Result], None] | None = None,
                 workers: int = 1) -> list[Result]:
    """Proofs, previews and the review page for every job that renders, whatever its findings."""
    project = plan.project
    _start(plan)

    def step(job: Job) -> Outcome:
        if not job.renderable:
            return Outcome(preflight_status(job.problems), problems=list(job.problems))
        if (hit := unchanged(project, job)) is not None:  # proofs of what the last build made
            pages, found, _entry = hit
            problems = job.problems + found
            files = {output.path: output.path.read_bytes() for output in job.outputs}
            return _proofed(job, job.composed, files, problems, pages, [])
        made = make(job, plan, finish_with_errors=True)
        store_findings(project, job, made.pages, made.findings)
        problems = job.problems + made.findings
        if not made.finished:
            return Outcome(preflight_status(problems), made.pages, made.images, problems)
        return _proofed(job, made.composed, made.files, problems, made.pages, made.images)

    def _proofed(job: Job, composed, files: dict, problems: list, pages, images) -> Outcome:
        try:
            write_proof(project, job, composed, files, problems, preflight_status(problems), pages,
                        faces_of(plan), fingerprint(project, job))
        except (ContentError, OSError) as exc:
            problems = problems + (list(exc.problems) if isinstance(exc, ContentError) else
                                   [error(job.source, None, msg("could not read the built file ({reason})",
                                                                reason=str(exc)))])
        return Outcome(preflight_status(problems), pages, images, problems)

    results, _outcomes = _run(plan, step, workers, on_result)
    _write_report(plan, results)
    write_review_page(project)
    return results
