"""The key of a job: what its files are made from, in one SHA-256.

The build's cache (cache.py), the manifest and the package all judge a
file by it: a job whose key is what it was when its files were written
would make the same bytes again; any other is stale.
"""

from __future__ import annotations

import hashlib

from ..clock import stamp
from ..project import Project
from .hashes import file_hash, tool_digest
from .plan import Job

CACHE_FORMAT = 2  # a new format makes every job stale


def fingerprint(project: Project, job: Job) -> str:
    """Changes whenever anything the job's files are made from changes.

    Its composed HTML (content, data, templates, the variant's record); the
    bytes of every input (the piece, households, data files, layout folder,
    base templates, fonts, images, palette, profile); the tool and its
    libraries; the build's options (print or screen) and its clock; for a
    variant, the copies of every variant of its piece (its ticket's total). Paths
    count relative to the project, so a project moved or copied elsewhere
    keeps its keys.
    """
    piece = job.composed.piece
    digest = hashlib.sha256(f"{CACHE_FORMAT} {tool_digest()} {job.name}\n".encode())
    digest.update(f"{job.composed.condition is not None} {stamp(piece.date).isoformat()}\n".encode())
    digest.update(job.composed.html.encode())
    if job.variant is not None:  # the ticket counts the copies of every variant of the run
        digest.update(f"run {job.variant.run!r}\n".encode())
    for path in job.composed.inputs:
        digest.update(f"{project.relative(path)}\0{file_hash(path)}\n".encode())
    return digest.hexdigest()
