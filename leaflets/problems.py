"""Problems found in the input: one line each, `path:line: message`.

Every stage reports what is wrong with the user's files as `Problem` values
instead of raising half-way; a stage that cannot go on raises `ContentError`
carrying all the problems it found, so a user fixes a file in one pass.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # worth telling, never a failure: e.g. blank pages added to a booklet


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file (or found by preflight: then it has a code)."""

    path: Path | None
    line: int | None
    message: str
    severity: str = ERROR
    code: str = ""  # preflight check code, e.g. "overflow"; "" for plain input errors
    page: int | None = None
    slot: str | None = None

    def where(self, root: Path | None = None) -> str:
        if self.path is None:
            return ""
        shown = self.path
        if root is not None:
            # The path as named (a link is shown as the link, not where it leads).
            for candidate in (Path(os.path.abspath(self.path)), self.path.resolve()):
                try:
                    shown = candidate.relative_to(root.resolve())
                    break
                except ValueError:
                    continue
        return f"{shown.as_posix()}:{self.line}" if self.line else shown.as_posix()

    def format(self, root: Path | None = None) -> str:
        where = self.where(root)
        prefix = "" if self.severity == ERROR else f"{self.severity}: "
        if self.code:
            prefix += f"[{self.code}] "
        return f"{where}: {prefix}{self.message}" if where else f"{prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class ContentError(Exception):
    """Raised by a stage that found errors it cannot go on with."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(p.format() for p in self.problems))


def error(path: Path | None, line: int | None, message: str, **found) -> Problem:
    return Problem(path, line, message, ERROR, **found)


def warning(path: Path | None, line: int | None, message: str, **found) -> Problem:
    return Problem(path, line, message, WARNING, **found)


def note(path: Path | None, line: int | None, message: str, **found) -> Problem:
    return Problem(path, line, message, NOTE, **found)

