"""dist/manifest.json: every print output with its SHA-256, and every input it was made from.

The shop checks what it received against it; the package is made from it;
a reviewer sees which content a file came from. Entries are keyed by job:
`<piece>`, or `<piece>--<variant>` for one commune's or household's files.
It is updated after every print build: jobs built in this run get a new
entry; every other entry stays (a build of one piece or one shard never
drops the rest) until its piece, its variant or one of its files is gone.
Each entry keeps its job's key (keys.py), the hashes of its inputs and of
its composed HTML: the package tells by the last two whether a file is
still current or its content was edited since.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import __version__
from ..atomic import write_atomic
from ..project import Project
from .hashes import file_hash
from .keys import fingerprint

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
    """The manifest entry of a job just built (from its files, or their records)."""
    composed, layout = job.composed, job.layout
    condition = composed.condition if composed else None
    outputs = files if isinstance(files, list) else output_records(project, job, files)
    variant = job.variant
    return {
        "source": project.relative(job.source),
        "piece": job.source.stem,
        "variant": {"slug": variant.slug, "name": variant.title, "quantity": variant.quantity}
        if variant else None,
        "title": composed.piece.title if composed else "",
        "revision": str(composed.piece.revision) if composed else "",
        "date": composed.piece.date.isoformat() if composed and composed.piece.date else None,
        "quantity": composed.piece.print.quantity if composed else None,  # a variant's own, if it has one
        "layout": layout.name, "trim_mm": [layout.width, layout.height], "scale": layout.scale,
        "bleed_mm": layout.bleed, "pages": pages,
        "condition": condition.identifier if condition else None,
        "profile": condition.profile.name if condition else None,
        "key": fingerprint(project, job) if composed else None,
        "composed": composed_hash(job),
        "outputs": outputs,
        "inputs": [{"path": project.relative(path), "sha256": file_hash(path)}
                   for path in (composed.inputs if composed else ())],
    }


def composed_hash(job) -> str | None:
    """SHA-256 of the job's composed HTML (its text, data and record as they went into its files) and,
    for a variant, of the copies of every variant of the run (its ticket's total)."""
    if job.composed is None:
        return None
    run = f"\nrun {job.variant.run!r}" if job.variant is not None else ""  # the ticket's total
    return hashlib.sha256((job.composed.html + run).encode()).hexdigest()


def piece_of(name: str, entry: dict) -> str:
    """The piece a manifest entry belongs to (`to-gap-ra-soat` for `to-gap-ra-soat--xa-ia-hru`)."""
    piece = entry.get("piece")
    return piece if isinstance(piece, str) and piece else name.partition("--")[0]


def still_current(project: Project, name: str, entry: dict, variants: dict[str, set[str]],
                  planned: set[str]) -> bool:
    """Whether an entry of an earlier build still stands for a job of the project.

    It goes when its piece is gone, when its piece was planned now and no
    longer makes it (a variant dropped, a piece that is made per record
    now or no more), or when one of its files is no longer in dist/.
    """
    piece = piece_of(name, entry)
    if not (project.pieces_dir / f"{piece}.md").is_file():
        return False
    if piece in planned:
        _, _, variant = name.partition("--")
        made = variants.get(piece)
        if (made is None) != (not variant) or (variant and variant not in made):
            return False
    return all(isinstance(o, dict) and (project.root / str(o.get("file", ""))).is_file()
               for o in entry.get("outputs", []))


def write_manifest(project: Project, built: dict[str, dict], variants: dict[str, set[str]] | None = None,
                   planned: set[str] = frozenset()) -> None:
    """Merge the entries of the jobs built now into dist/manifest.json, keeping every other entry
    that still stands (`variants`: each planned piece's variants now; `planned`: the pieces planned)."""
    pieces = {name: entry for name, entry in read_manifest(project).items()
              if still_current(project, name, entry, variants or {}, set(planned))}
    pieces.update(built)
    data = {"format": FORMAT, "tool": f"leaflets {__version__}",
            "pieces": {name: pieces[name] for name in sorted(pieces)}}
    write_atomic(manifest_path(project), (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())
