"""dist/manifest.json: every print output with its SHA-256, and every input it was made from.

The shop checks what it received against it; the package is made from it;
a reviewer sees which content a file came from. It is updated after every
print build: pieces built in this run get a new entry, pieces not in this
run (or that failed, keeping their previous files) keep theirs, and pieces
that no longer exist are dropped.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import __version__
from ..atomic import write_atomic
from ..project import Project
from .hashes import file_hash

FORMAT = 1


def manifest_path(project: Project) -> Path:
    return project.dist / "manifest.json"


def read_manifest(project: Project) -> dict:
    """The pieces of the last manifest; {} when there is none or it is damaged."""
    try:
        data = json.loads(manifest_path(project).read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    pieces = data.get("pieces") if isinstance(data, dict) and data.get("format") == FORMAT else None
    if not isinstance(pieces, dict):
        return {}
    return {name: entry for name, entry in pieces.items()
            if isinstance(entry, dict) and isinstance(entry.get("outputs"), list)}


def output_records(project: Project, job, files: dict[Path, bytes]) -> list[dict]:
    """Each output file of a job: its path, kind, SHA-256 and size."""
    return [{"file": project.relative(output.path), "kind": output.kind,
             "sha256": hashlib.sha256(files[output.path]).hexdigest(), "bytes": len(files[output.path])}
            for output in job.outputs]


def entry_for(project: Project, job, pages: int | None, files: dict[Path, bytes] | list[dict]) -> dict:
    """The manifest entry of a piece just built (from its files, or their records)."""
    composed, layout = job.composed, job.layout
    condition = composed.condition if composed else None
    outputs = files if isinstance(files, list) else output_records(project, job, files)
    return {
        "source": project.relative(job.source),
        "title": composed.piece.title if composed else "",
        "revision": str(composed.piece.revision) if composed else "",
        "layout": layout.name, "trim_mm": [layout.width, layout.height], "scale": layout.scale,
        "bleed_mm": layout.bleed, "pages": pages,
        "condition": condition.identifier if condition else None,
        "profile": condition.profile.name if condition else None,
        "outputs": outputs,
        "inputs": [{"path": project.relative(path), "sha256": file_hash(path)}
                   for path in (composed.inputs if composed else ())],
    }


def write_manifest(project: Project, built: dict[str, dict]) -> None:
    """Merge the entries of the pieces built now into dist/manifest.json."""
    existing = {path.stem for path in project.piece_files()}
    pieces = {name: entry for name, entry in read_manifest(project).items() if name in existing}
    pieces.update(built)
    data = {"format": FORMAT, "tool": f"leaflets {__version__}",
            "pieces": {name: pieces[name] for name in sorted(pieces)}}
    write_atomic(manifest_path(project), (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())
