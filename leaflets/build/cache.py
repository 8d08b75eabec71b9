"""Preflight findings kept per piece, reused while nothing the piece is made from changes.

The key (`fingerprint`) covers the composed HTML, every input file and the
engine's own code, so a changed check runs again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..atomic import write_atomic
from ..problems import ContentError, Problem
from ..project import Project
from .findings import optional_int, problem_json, stored_finding
from .keys import fingerprint
from .manifest import entry_for, output_records
from .plan import Job


def _cache_file(project: Project, job: Job) -> Path:
    return project.cache_dir / "preflight" / f"{job.name}.json"


def store_findings(project: Project, job: Job, pages: int | None, found: list[Problem],
                   files: dict[Path, bytes] | None = None) -> None:
    """Keep a render's findings (and, after a build, what its files were) for the next run.

    Best effort: a cache that cannot be written (a full disk) only means the
    next run renders again.
    """
    data = {"key": fingerprint(project, job), "pages": pages,
            "findings": [problem_json(project, p) for p in found]}
    if files is not None:
        data["outputs"] = output_records(project, job, files)
    try:
        write_atomic(_cache_file(project, job), json.dumps(data, ensure_ascii=False).encode())
    except ContentError:
        pass


def cached_findings(project: Project, job: Job) -> tuple[int | None, list[Problem]] | None:
    """The findings of this job's last render, if nothing it is made from has changed since.

    The cache file is checked in full (its key, its shape, every finding); a
    file that is damaged or was edited by hand is removed and the piece
    rendered again.
    """
    path = _cache_file(project, job)
    if not job.renderable or not path.is_file():
        return None
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("findings"), list) \
                or not optional_int(data.get("pages")):
            raise ValueError("not a findings file")
        if data.get("key") != fingerprint(project, job):
            return None
        return data["pages"], [stored_finding(project, f) for f in data["findings"]]
    except (OSError, ValueError, RecursionError):
        try:
            path.unlink()
        except OSError:
            pass
        return None


def unchanged(project: Project, job: Job) -> tuple[int | None, list[Problem], dict] | None:
    """(pages, findings, manifest entry) when the job's last build still stands; else None.

    It stands when nothing the job is made from has changed (its key) and
    every file that build wrote is still there with the bytes it wrote.
    """
    found = cached_findings(project, job)
    if found is None:
        return None
    try:
        records = json.loads(_cache_file(project, job).read_bytes().decode("utf-8")).get("outputs")
    except (OSError, ValueError):
        return None
    expected = [project.relative(output.path) for output in job.outputs]
    if not isinstance(records, list) or [r.get("file") for r in records if isinstance(r, dict)] != expected:
        return None
    for record, output in zip(records, job.outputs, strict=True):
        try:
            data = output.path.read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != record.get("sha256"):
            return None
    pages, findings = found
    return pages, findings, entry_for(project, job, pages, records)
