"""Running the jobs of a plan: one after another, or in long-lived worker processes.

With `workers` > 1 the jobs are shared out to that many processes, forked
from this one after the plan is made (so the plan is never copied or
pickled: a worker only receives a job's index). Each worker imports
WeasyPrint and makes its renderer once, on its first job, and keeps them for
every job it gets; each job's outputs are written by the worker that made
them (atomically, every job to its own files). Results come back in the
order jobs finish, for the progress display, and are returned in plan order.

A worker that dies (out of memory, a crash in a library) takes only its job
down: the jobs it had not finished are run again, each alone, and one that
kills its worker again is reported failed with the reason.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from ..i18n import N_, msg
from ..problems import Problem, error

# What became of a job. Kept in English in data and JSON; shown translated, `_(status)`.
BUILT, UNCHANGED, FAILED = N_("built"), N_("unchanged"), N_("failed")  # build
OK, WARNINGS, ERRORS = N_("ok"), N_("warnings"), N_("errors")  # preflight, proof


@dataclass
class Outcome:
    """What a step says of one job (sent back from a worker, so: plain values)."""

    status: str  # one of the statuses above
    pages: int | None = None
    images: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    entry: dict | None = None  # the job's manifest entry, when it was built or is unchanged
    seconds: float = 0.0


_WORK: tuple | None = None  # (jobs, step), set in the parent just before workers are forked


def _run(index: int) -> Outcome:
    jobs, step = _WORK
    started = time.perf_counter()
    outcome = step(jobs[index])
    outcome.seconds = time.perf_counter() - started
    return outcome


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive the build that started it: a build killed (Ctrl-C, kill -9)
    would otherwise leave workers writing files from that old run into dist/ later."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: Linux kills us when the parent dies
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)


def cpu_count() -> int:
    """Cores this process may use (the default for --jobs)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def run_jobs(jobs: list, step: Callable[[object], Outcome], workers: int = 1,
             on_outcome: Callable[[int, Outcome], None] | None = None) -> list[Outcome]:
    """Every job's outcome, in the order of `jobs`; `on_outcome(index, outcome)` as each ends."""
    global _WORK
    outcomes: list[Outcome | None] = [None] * len(jobs)

    def done(index: int, outcome: Outcome) -> None:
        outcomes[index] = outcome
        if on_outcome:
            on_outcome(index, outcome)

    _WORK = (jobs, step)
    try:
        if workers <= 1 or len(jobs) <= 1:
            for index in range(len(jobs)):
                done(index, _run(index))
        else:
            _in_workers(list(range(len(jobs))), min(workers, len(jobs)), done)
    finally:
        _WORK = None
    return outcomes


def _in_workers(indexes: list[int], workers: int, done) -> None:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    lost = _pool(indexes, workers, context, done)
    for index in lost:  # a worker died: run its unfinished jobs again, one at a time
        if _pool([index], 1, context, done):
            job = _WORK[0][index]
            done(index, Outcome(FAILED, problems=[error(
                getattr(job, "source", None), None,
                msg("the process building it stopped (it ran out of memory, or a library crashed); "
                    "try building it alone, or with a higher {variable}",
                    variable="LEAFLETS_MAX_MEMORY_MB"))]))


def _pool(indexes: list[int], workers: int, context, done) -> list[int]:
    """Run `indexes` in a pool; return those lost to a worker that died."""
    lost = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(_run, index): index for index in indexes}
        for future in as_completed(futures):
            index = futures[future]
            try:
                done(index, future.result())
            except BrokenProcessPool:
                lost.append(index)
            except Exception as exc:  # a bug in sending the result back: say so, go on
                job = _WORK[0][index]
                done(index, Outcome(FAILED, problems=[error(
                    getattr(job, "source", None), None,
                    msg("internal error ({kind}: {detail}); please report it",
                        kind=type(exc).__name__, detail=str(exc)))]))
    return sorted(lost)
