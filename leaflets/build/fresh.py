"""Is the whole run already built? Answered before anything is planned.

A rebuild where nothing changed should cost a glance, not a plan of every
piece. After a build where every job was built or unchanged with no error
(warnings and notes allowed: they are kept and said again, so that a
warning such as `sample-data` is never silenced by a fast rebuild), the
run is remembered under one key: the SHA-256 of every file in content/,
layouts/ and fonts/, of the engine's own code, of the versions of the
libraries that write the files, and of the command's options and clock. The
next build with the same key checks that every file it wrote is still there
with the same bytes, and then only prints the table. Any difference at all
(one byte of one file, an option, a library update) falls back to the full
plan, where each job is judged by its own key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from ..atomic import write_atomic
from ..problems import ContentError, Problem
from ..project import Project
from .findings import problem_json, stored_finding
from .hashes import tool_digest
from .workers import BUILT, UNCHANGED

FORMAT = 1
TREES = ("content", "layouts", "fonts")


def _state_file(project: Project) -> Path:
    return project.cache_dir / "run.json"


def _hash_file(digest, path: Path) -> None:
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)


def run_key(project: Project, options: dict) -> str:
    """One key for everything a build of this project reads, its tool and its options."""
    digest = hashlib.sha256(f"{FORMAT} {tool_digest()}\n".encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    digest.update(f"SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}\n".encode())
    digest.update(f"today={dt.date.today().isoformat()}\n".encode())  # an undated piece's clock
    for tree in TREES:
        for base, dirs, names in os.walk(project.root / tree):
            dirs.sort()
            for name in sorted(names):
                path = Path(base) / name
                digest.update(path.relative_to(project.root).as_posix().encode() + b"\0")
                if path.is_file():
                    _hash_file(digest, path)
    return digest.hexdigest()


def already_built(project: Project, key: str) -> tuple[list[list[str]], list[Problem]] | None:
    """The table rows and the warnings and notes of the last build when it still stands (same
    key, same files), else None."""
    try:
        state = json.loads(_state_file(project).read_bytes().decode("utf-8"))
        if not isinstance(state, dict) or state.get("key") != key:
            return None
        files, rows, folders = state["files"], state["rows"], state["folders"]
        said = [stored_finding(project, f) for f in state.get("said", [])]
        if not isinstance(files, dict) or not isinstance(rows, list) or not files:
            return None
        present = {project.relative(p) for folder in folders if (project.root / folder).is_dir()
                   for p in (project.root / folder).iterdir() if p.is_file() and not p.name.startswith(".")}
        if not present <= set(files):  # a file added to dist/print/: the full build sorts it out
            return None
        for name, sha in files.items():
            digest = hashlib.sha256()
            _hash_file(digest, project.root / name)
            if digest.hexdigest() != sha:
                return None
        return [[str(cell) for cell in row] for row in rows], said
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def remember_run(project: Project, key: str, results, extra: list[Path]) -> None:
    """Keep a clean build's key, the files it stands for and its table rows."""
    if not results or any(r.status not in (BUILT, UNCHANGED) for r in results) or \
            any(p.is_error for r in results for p in r.problems):
        forget_run(project)
        return
    said = [problem_json(project, p) for r in results for p in r.problems]
    files = {}
    outputs = [o.path for r in results for o in r.job.outputs]
    folders = sorted({project.relative(path.parent) for path in outputs})
    for path in outputs + extra:
        try:
            files[project.relative(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            forget_run(project)
            return
    rows = [[r.job.name, project.relative(r.job.outputs[0].path),
             str(r.pages if r.pages is not None else "-")] for r in results]
    try:
        write_atomic(_state_file(project), json.dumps(
            {"key": key, "files": files, "folders": folders, "rows": rows, "said": said},
            ensure_ascii=False).encode())
    except ContentError:  # a cache that cannot be written only costs the next run its time
        pass


def forget_run(project: Project) -> None:
    try:
        _state_file(project).unlink()
    except OSError:
        pass
