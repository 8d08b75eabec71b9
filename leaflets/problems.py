"""Problems found in the input: one line each, `path:line: message`.

Every stage reports what is wrong with the user's files as `Problem` values
instead of raising half-way; a stage that cannot go on raises `ContentError`
carrying all the problems it found, so a user fixes a file in one pass.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import N_, Msg, _

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # worth telling, never a failure: e.g. blank pages added to a booklet
SEVERITY_WORDS = {WARNING: N_("warning"), NOTE: N_("note")}


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
    # the message as English text and values (i18n.Msg.to_json), when it was made as one:
    # shown in the language of the moment, which may not be the one it was found in
    template: dict | None = field(default=None, compare=False, hash=False)

    @property
    def text(self) -> str:
        """The message in the current language."""
        if self.template is not None and (message := Msg.from_json(self.template)) is not None:
            return str(message)
        return self.message

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
        prefix = "" if self.severity == ERROR else f"{_(SEVERITY_WORDS.get(self.severity, self.severity))}: "
        if self.code:
            prefix += f"[{self.code}] "
        return f"{where}: {prefix}{self.text}" if where else f"{prefix}{self.text}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class ContentError(Exception):
    """Raised by a stage that found errors it cannot go on with."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(p.format() for p in self.problems))


def _problem(path: Path | None, line: int | None, message: str | Msg, severity: str, found) -> Problem:
    if isinstance(message, Msg):
        return Problem(path, line, str(message), severity, template=message.to_json(), **found)
    return Problem(path, line, message, severity, **found)


def error(path: Path | None, line: int | None, message: str | Msg, **found) -> Problem:
    return _problem(path, line, message, ERROR, found)


def warning(path: Path | None, line: int | None, message: str | Msg, **found) -> Problem:
    return _problem(path, line, message, WARNING, found)


def note(path: Path | None, line: int | None, message: str | Msg, **found) -> Problem:
    return _problem(path, line, message, NOTE, found)

