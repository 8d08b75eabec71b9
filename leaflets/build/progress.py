"""What a long run shows while it works.

On a terminal, a run that lasts over a second gets a live line (rich): jobs
done of all, the jobs being made, failures so far, and the time left. When
the output is not a terminal (a CI log, a file) each finished job is one
plain line instead. `quiet` shows neither, nor notes. Warnings and errors are always said, above
the live line, as they come. Everything is shown in the language of the
moment: the label (given in English, marked where it is written), the status
words (English in the results, see workers.py), the count of failures.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from ..i18n import _
from .workers import ERRORS
from .workers import FAILED as BUILD_FAILED

FAILED = (BUILD_FAILED, ERRORS)
DELAY = 1.0  # s before the live line appears: short runs stay quiet


class Progress:
    """Call it with each Result as it comes; use it as a context manager around the run."""

    def __init__(self, jobs: list, label: str, root: Path, quiet: bool = False, workers: int = 1,
                 stream=None, problems: bool = True):
        self.jobs = [job.name for job in jobs]
        self.label = label
        self.root = root
        self.problems = problems  # say each result's problems as it comes
        self.quiet = quiet
        self.workers = max(1, workers)
        self.stream = stream or sys.stderr
        self.done: set[str] = set()
        self.failed = 0
        self.started = time.perf_counter()
        self._live = None
        self._task = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self.interactive = not quiet and hasattr(self.stream, "isatty") and self.stream.isatty()

    def __enter__(self) -> Progress:
        if self.interactive and len(self.jobs) > 1:
            self._timer = threading.Timer(DELAY, self._start)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        with self._lock:
            if self._live is not None or len(self.done) >= len(self.jobs):
                return
            self._live = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("{task.fields[failed]}"), TimeRemainingColumn(),
                             TextColumn("{task.fields[current]}"),
                             console=Console(file=self.stream), transient=True)
            self._task = self._live.add_task(_(self.label), total=len(self.jobs), completed=len(self.done),
                                             failed=self._failed_text(), current=self._current())
            self._live.start()

    def _failed_text(self) -> str:
        return _("{count} failed").format(count=self.failed) if self.failed else ""

    def _current(self) -> str:
        waiting = [name for name in self.jobs if name not in self.done]
        return ", ".join(waiting[:self.workers])

    def say(self, text: str) -> None:
        """A line above the live display (or plainly, without one)."""
        if self._live is not None:
            self._live.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            print(text, file=self.stream, flush=True)

    def __call__(self, result) -> None:
        with self._lock:
            self.done.add(result.job.name)
            if result.status in FAILED:
                self.failed += 1
            for problem in result.problems if self.problems else ():
                if not (self.quiet and problem.severity == "note"):  # --quiet: warnings and errors only
                    self.say(problem.format(self.root))
            if self._live is not None:
                self._live.update(self._task, completed=len(self.done), failed=self._failed_text(),
                                  current=self._current())
            elif not self.quiet and not self.interactive:
                self.say(f"{_(result.status):>9}  {result.job.name}  ({result.seconds:.2f} s)")

    def __exit__(self, *exc) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._live is not None:
                self._live.stop()
                self._live = None
