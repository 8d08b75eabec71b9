"""Is the whole run already built? Answered before anything is planned.

A rebuild where nothing changed should cost a glance, not a plan of every
piece. After a clean build (every job built or unchanged, nothing to say),
the run is remembered under one key: the SHA-256 of every file in content/,
layouts/ and fonts/, of the engine's own code, of the versions of the
libraries that write the files, and of the command's options and clock. The
next build with the same key checks that every file it wrote is still there
with the same bytes, and then only prints the table. Any difference at all
(one byte of one file, an option, a library update) falls back to the full
plan, where each job is judged by its own key.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .. import __version__
from ..atomic import write_atomic
from ..problems import ContentError
from ..project import Project

FORMAT = 1
TREES = ("content", "layouts", "fonts")
LIBRARIES = ("weasyprint", "pydyf", "pikepdf", "pillow", "reportlab", "fonttools", "pypdfium2",
             "markdown-it-py", "mdit-py-plugins", "jinja2", "pyyaml")


def _state_file(project: Project) -> Path:
    return project.cache_dir / "run.json"


def _hash_file(digest, path: Path) -> None:
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)


def run_key(project: Project, options: dict) -> str:
    """One key for everything a build of this project reads, its tool and its options."""
    from importlib import metadata

    digest = hashlib.sha256(f"{FORMAT} {__version__}\n".encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    digest.update(f"SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}\n".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\n".encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.j2")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        _hash_file(digest, path)
    for tree in TREES:
        for base, dirs, names in os.walk(project.root / tree):
            dirs.sort()
            for name in sorted(names):
                path = Path(base) / name
                digest.update(path.relative_to(project.root).as_posix().encode() + b"\0")
                if path.is_file():
                    _hash_file(digest, path)
    return digest.hexdigest()


def already_built(project: Project, key: str) -> list[list[str]] | None:
    """The table rows of the last build when it still stands (same key, same files), else None."""
    try:
        state = json.loads(_state_file(project).read_bytes().decode("utf-8"))
        if not isinstance(state, dict) or state.get("key") != key:
            return None
        files, rows = state["files"], state["rows"]
        if not isinstance(files, dict) or not isinstance(rows, list) or not files:
            return None
        folders = {(project.root / name).parent for name in files}
        present = {project.relative(p) for folder in folders if folder.is_dir()
                   for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}
        if present != set(files):  # a file added to or gone from dist/print/: the full build sorts it
            return None
        for name, sha in files.items():
            digest = hashlib.sha256()
            _hash_file(digest, project.root / name)
            if digest.hexdigest() != sha:
                return None
        return [[str(cell) for cell in row] for row in rows]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def remember_run(project: Project, key: str, results, extra: list[Path]) -> None:
    """Keep a clean build's key, the files it stands for and its table rows."""
    if not results or any(r.status not in ("built", "unchanged") for r in results) or \
            any(p.severity != "note" for r in results for p in r.problems):
        forget_run(project)
        return
    files = {}
    for path in [o.path for r in results for o in r.job.outputs] + extra:
        try:
            files[project.relative(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            forget_run(project)
            return
    rows = [[r.job.name, project.relative(r.job.outputs[0].path),
             str(r.pages if r.pages is not None else "-")] for r in results]
    try:
        write_atomic(_state_file(project), json.dumps({"key": key, "files": files, "rows": rows},
                                                      ensure_ascii=False).encode())
    except ContentError:  # a cache that cannot be written only costs the next run its time
        pass


def forget_run(project: Project) -> None:
    try:
        _state_file(project).unlink()
    except OSError:
        pass
