"""Writing outputs: atomically, so a crash never leaves half a PDF behind.

Each file is written to a temporary file beside it, flushed to disk, then
renamed over the old one: readers see the old file or the new one, never a
truncated one, even if the process is killed mid-way. A kill leaves the
temporary behind; its name says which process wrote it
(`.<name>.<pid>.<random>.tmp`), so the next build removes those of
processes that are gone (`remove_stale_temporaries`).

A write that fails (disk full, read-only folder, no permission) is a
`ContentError` naming the file and what to do, never a traceback.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

from .i18n import N_, msg
from .problems import ContentError, error

TEMPORARY = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")
ADVICE = {
    errno.ENOSPC: N_("the disk is full: free some space and build again"),
    errno.EDQUOT: N_("the disk quota is used up: free some space and build again"),
    errno.EROFS: N_("the folder is on a read-only disk: build into a writable copy of the project"),
    errno.EACCES: N_("no permission to write there: make dist/ writable for you"),
    errno.EPERM: N_("no permission to write there: make dist/ writable for you"),
}
OTHER_ADVICE = N_("check the folder and build again")


def write_failed(path: Path, exc: OSError) -> ContentError:
    advice = msg(ADVICE.get(exc.errno, OTHER_ADVICE))
    return ContentError([error(path, None, msg("cannot write ({reason}): {advice}",
                                               reason=exc.strerror or str(exc), advice=advice))])


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                                   dir=path.parent)
    except OSError as exc:
        raise write_failed(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are shared with the shop
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise write_failed(path, exc) from None
        raise


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove temporaries under `folder` left by writers that were killed; return them."""
    removed = []
    if not folder.is_dir():
        return removed
    for base, _, names in os.walk(folder):
        for name in names:
            match = TEMPORARY.match(name)
            if match and not _alive(int(match.group(1))):
                path = Path(base) / name
                try:
                    path.unlink()
                    removed.append(path)
                except OSError:
                    pass
    return removed
