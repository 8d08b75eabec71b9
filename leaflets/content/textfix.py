"""`build.py text fix`: a text file the staff edit, repaired to NFC Unicode in place.

A file is read as UTF-8 (a UTF-8 or UTF-16 byte-order mark is honoured).
A file that is not UTF-8 is a file saved from an old program: its bytes
are read two ways, as Windows-1258 (the Vietnamese Windows code page) and
as Windows-1252, the way a legacy font's bytes are pasted, then repaired
word by word (legacy.py); the reading with more Vietnamese words wins.
Either way the file is written back as UTF-8, NFC, its line ends as they
were, after the original bytes are kept as FILE.bak.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomic
from ..i18n import _, msg
from ..problems import ContentError
from .encodings import CP1252
from .legacy import Repaired, Run, repair
from .syllables import is_syllable
from .textio import max_text_mb

UTF8_BOM, UTF16_BOMS = b"\xef\xbb\xbf", (b"\xff\xfe", b"\xfe\xff")


class FixError(Exception):
    """A file that cannot be read or written: one line for the user."""


@dataclass(frozen=True)
class Fixed:
    path: Path
    original: bytes
    before: str  # the text as read (for the diff)
    after: str  # the text to write
    read_as: str  # "UTF-8", "UTF-16", "Windows-1258", "Windows-1252"
    runs: tuple[Run, ...]
    bom: bool

    @property
    def data(self) -> bytes:
        return (UTF8_BOM if self.bom else b"") + self.after.encode("utf-8")

    @property
    def changed(self) -> bool:
        return self.data != self.original

    @property
    def damaged(self) -> list[Run]:
        """UTF-8 read as Windows-1252 that lost a byte: left for a person to retype."""
        return [run for run in self.runs if not run.repaired]

    def diff(self, shown: str) -> str:
        return "".join(difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            fromfile=shown, tofile=f"{shown} (repaired)"))

    def paragraphs(self) -> list[tuple[int, int, list[str]]]:
        """(first line, last line, encodings found) of each paragraph that was repaired."""
        lines = self.after.split("\n")
        out: list[tuple[int, int, list[str]]] = []
        for run in (r for r in self.runs if r.repaired):
            first = last = run.line
            while first > 1 and lines[first - 2].strip():
                first -= 1
            while last < len(lines) and lines[last].strip():
                last += 1
            if out and out[-1][0] == first:
                if run.label not in out[-1][2]:
                    out[-1][2].append(run.label)
            else:
                out.append((first, last, [run.label]))
        return out


def _vietnamese_words(text: str) -> int:
    return sum(1 for w in re.findall(r"[^\W\d_]+", text) if not w.isascii() and is_syllable(w))


def _cp1252(data: bytes) -> str:
    return "".join(CP1252[b] for b in data)


def read(path: Path) -> tuple[str, str, bool, bytes]:
    """The text of `path` as the fix reads it, how it was read, whether it had a UTF-8 BOM,
    and its bytes. Raises FixError."""
    limit = int(max_text_mb() * 1024 * 1024)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except IsADirectoryError:
        raise FixError(msg("{path}: is a folder, not a text file", path=path)) from None
    except OSError as exc:
        raise FixError(msg("{path}: cannot read it ({reason})", path=path,
                           reason=exc.strerror or str(exc))) from None
    if len(data) > limit:
        raise FixError(msg("{path}: over the {mb} MB limit for text files; is it really text?",
                           path=path, mb=f"{max_text_mb():g}"))
    if b"\x00" in data and not data.startswith(UTF16_BOMS):
        raise FixError(msg("{path}: holds NUL bytes, so it is no text file (a Word .doc?); "
                           "save it as text first", path=path))
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), "UTF-16", False, data
        except UnicodeDecodeError:
            raise FixError(msg("{path}: damaged UTF-16; save it again as UTF-8", path=path)) from None
    try:
        return data.removeprefix(UTF8_BOM).decode("utf-8"), "UTF-8", data.startswith(UTF8_BOM), data
    except UnicodeDecodeError:
        pass
    legacy = _cp1252(data)
    try:
        windows = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return legacy, "Windows-1252", False, data
    if _vietnamese_words(windows) > _vietnamese_words(repair(legacy).text):
        return windows, "Windows-1258", False, data
    return legacy, "Windows-1252", False, data


def fix(path: Path) -> Fixed:
    """What `text fix` would make of `path` (nothing is written). Raises FixError."""
    text, read_as, bom, data = read(path)
    repaired: Repaired = repair(text)
    return Fixed(path, data, text, repaired.text, read_as, repaired.runs, bom)


def backup_path(path: Path) -> Path:
    """FILE.bak, or FILE.bak.1, .2, ... when an older backup is there already."""
    candidate, number = path.with_name(path.name + ".bak"), 0
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}.bak.{number}")
    return candidate


def write(fixed: Fixed) -> Path:
    """Keep the original bytes as a backup, then write the repaired file. Raises FixError."""
    backup = backup_path(fixed.path)
    try:
        mode = fixed.path.stat().st_mode & 0o7777
        # A rename replaces a read-only file as well (and root may write anything): a file
        # someone made read-only is left alone, as an editor would.
        if not mode & 0o222 or not os.access(fixed.path, os.W_OK):
            raise FixError(msg("{path}: the file is read-only; make it writable, then run "
                               "text fix again", path=fixed.path))
        write_atomic(backup, fixed.original)
        write_atomic(fixed.path, fixed.data)
        os.chmod(fixed.path, mode)  # a source file keeps its permissions
    except ContentError as exc:
        raise FixError(exc.problems[0].format()) from None
    except OSError as exc:
        raise FixError(msg("{path}: cannot write it ({reason})", path=fixed.path,
                           reason=exc.strerror or str(exc))) from None
    return backup


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def fix_files(paths: list[Path], check: bool, say, warn) -> int:
    """`text fix` on each file: repair it (or with `check` only say what would change), the
    diff and the encodings found to `say`, problems to `warn`, one line each. The exit status:
    1 when a file could not be read or written, with `check` also when one would change or
    holds text damaged beyond repair; else 0."""
    status = 0
    for path in paths:
        shown = _shown(path)
        try:
            fixed = fix(path)
        except FixError as exc:
            warn(str(exc))
            status = 1
            continue
        for run in fixed.damaged:
            warn(str(msg("{path}:{line}: “{text}” is UTF-8 read as Windows-1252 that lost a byte on "
                          "the way: it cannot be repaired; retype the word", path=shown, line=run.line,
                          text=run.before)))
        if not fixed.changed:
            say(str(msg("{path}: nothing to repair", path=shown)))
            status = status or int(check and bool(fixed.damaged))
            continue
        backup = None
        if not check:
            try:
                backup = write(fixed)
            except FixError as exc:
                warn(str(exc))
                status = 1
                continue
        say(str(msg("{path}: would be repaired (read as {encoding})", path=shown, encoding=fixed.read_as)
                if check else msg("{path}: repaired (read as {encoding})", path=shown,
                                  encoding=fixed.read_as)))
        for first, last, labels in fixed.paragraphs():
            where = msg("line {first}", first=first) if first == last else \
                msg("lines {first}–{last}", first=first, last=last)
            say(f"  {where}: {', '.join(_(label) for label in labels)}")
        if not any(run.repaired for run in fixed.runs):
            say("  " + str(msg("saved as UTF-8 in NFC (no legacy text)")))
        say(fixed.diff(shown).rstrip("\n"))
        if backup is None:
            status = 1
        else:
            say(str(msg("the original is kept as {backup}", backup=_shown(backup))))
    return status
