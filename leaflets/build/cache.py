"""Preflight findings kept per piece, reused while nothing the piece is made from changes.

The key (`fingerprint`) covers the composed HTML, every input file and the
engine's own code, so a changed check runs again.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..problems import Problem
from ..project import Project
from .plan import Job
from .report import problem_json

CACHE_FORMAT = 1


def fingerprint(job: Job) -> str:
    """Changes whenever anything the piece is made from changes (content, layout, fonts, code)."""
    import hashlib

    from .. import __version__

    digest = hashlib.sha256(f"{CACHE_FORMAT} {__version__} {_engine_digest()}\n".encode())
    digest.update(job.composed.html.encode())
    for path in job.composed.inputs:
        try:
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{path}\0missing\n".encode())
    return digest.hexdigest()


@functools.cache
def _engine_digest() -> str:
    """The engine's own code: a new or changed check must run again."""
    import hashlib

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for module in sorted(package.rglob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()


def _cache_file(project: Project, job: Job) -> Path:
    return project.cache_dir / "preflight" / f"{job.name}.json"


def store_findings(project: Project, job: Job, pages: int | None, found: list[Problem]) -> None:
    import json

    from ..atomic import write_atomic

    data = {"key": fingerprint(job), "pages": pages,
            "findings": [problem_json(project, p) for p in found]}
    write_atomic(_cache_file(project, job), json.dumps(data, ensure_ascii=False).encode())


def cached_findings(project: Project, job: Job) -> tuple[int | None, list[Problem]] | None:
    """The findings of this job's last render, if nothing it is made from has changed since."""
    import json

    path = _cache_file(project, job)
    if not job.renderable or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("key") != fingerprint(job):
        return None
    found = [Problem(project.root / f["file"] if f["file"] else None, f["line"], f["message"],
                     f["severity"], "" if f["code"] == "input" else f["code"], f["page"], f["slot"])
             for f in data["findings"]]
    return data["pages"], found
