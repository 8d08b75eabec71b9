"""Writing proofs: dist/proof/<piece>.proof.pdf, its previews, and the review page.

review/ makes the images, PDFs and pages from bytes and records; this
module decides where they go and keeps one record per piece
(dist/proof/<piece>/meta.json), from which the review page,
dist/proof/index.html, is made anew after each run so that it always lists
every piece that has a proof.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from ..atomic import write_atomic
from ..clock import build_date
from ..i18n import _
from ..layout.fonts import regular_face
from ..problems import NOTE, Problem
from ..project import Project
from ..render.fill import fills_of
from ..review.previews import previews
from ..review.review_page import review_page
from ..review.watermark import proof_pdf

MAX_FINDINGS_SHOWN = 12


def git_commit(root: Path) -> str:
    """The project's short git commit, with '+' when content, layouts or fonts have changes since."""
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10)
        if head.returncode != 0:
            return ""
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--",
                                "content", "layouts", "fonts"], capture_output=True, text=True, timeout=10)
        return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return ""


def proof_slug(project: Project, composed, content_hash: str) -> str:
    """Piece, revision, build date, a hash of what it is made from, and the git commit.

    In Vietnamese whatever the builder's language, like the watermark: it is printed on the
    proof PDF, a document of the office, whose bytes do not depend on who built it.
    """
    piece = composed.piece
    name = f"{piece.name}--{composed.variant.slug}" if composed.variant else piece.name
    parts = [name, f"lần {piece.revision}", build_date().isoformat(),
             f"nội dung {content_hash[:10]}"]
    commit = git_commit(project.root)
    if commit:
        parts.append(f"git {commit}")
    return " · ".join(parts)


def _faces(faces):
    """(bold, regular) bundled faces for the watermark and the proof slug."""
    bold = max((f for f in faces if f.style == "normal" and f.family == "Noto Sans"),
               key=lambda f: (f.weight <= 800, f.weight)).path
    return bold, regular_face(faces)


def write_proof(project: Project, job, composed, files: dict, problems: list[Problem], status: str,
                pages: int | None, faces, content_hash: str) -> None:
    """The proof PDF, previews and record of one piece.

    The record's labels and findings are in the language of this run (the review page's own
    words are in the language of the run that writes the page).
    """
    layout = composed.layout
    print_output = job.outputs[0]
    print_bytes = files[print_output.path]
    bold, regular = _faces(faces)
    proof = proof_pdf(print_bytes, layout, proof_slug(project, composed, content_hash), bold, regular)
    proof_dir = project.proof_dir
    write_atomic(proof_dir / f"{job.name}.proof.pdf", proof)
    page_previews, views, images = previews(print_bytes, layout, job.name)
    folder = proof_dir / job.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    for name, data in images.items():
        write_atomic(proof_dir / name, data)
    # sample-data is said once for the whole review page, not as a warning on every card
    sample = any(p.code == "sample-data" for p in problems)
    shown = [p for p in problems if p.severity != NOTE and p.code != "sample-data"]
    if status == "warnings" and not any(p.severity == "warning" for p in shown):
        status = "ok"
    variant = job.variant
    record = {
        "name": job.name, "title": variant.name_in(composed.piece.title) if variant else composed.piece.title,
        "variant": variant.title if variant else "", "sample_data": sample,
        "source": project.relative(job.source),
        "layout": layout.name, "layout_title": layout.title,
        "trim": _("{trim} (file at scale {scale})").format(trim=layout.trim_label, scale=layout.scale_label)
        if layout.scale != 1 else layout.trim_label,
        "pages": pages, "revision": str(composed.piece.revision), "status": status,
        "errors": sum(p.is_error for p in shown), "warnings": sum(p.severity == "warning" for p in shown),
        "findings": [p.format(project.root) for p in shown[:MAX_FINDINGS_SHOWN]],
        "fill": fills_of(problems),
        "proof": f"{job.name}.proof.pdf",
        "outputs": {o.kind: o.path.name for o in job.outputs},
        "page_previews": [p.__dict__ for p in page_previews],
        "views": [v.__dict__ for v in views],
    }
    write_atomic(folder / "meta.json", json.dumps(record, ensure_ascii=False, indent=1).encode())


RECORD_KEYS = {"name": str, "title": str, "source": str, "layout": str, "layout_title": str,
               "trim": str, "revision": str, "status": str, "errors": int, "warnings": int,
               "findings": list, "proof": str, "outputs": dict, "page_previews": list, "views": list}


def _record(meta: Path) -> dict | None:
    """A piece's proof record, or None when it is damaged (that piece is left off the page
    until its next proof, which writes the record anew)."""
    try:
        record = json.loads(meta.read_bytes().decode("utf-8"))
        if not isinstance(record, dict) or any(not isinstance(record.get(k), t)
                                               for k, t in RECORD_KEYS.items()):
            return None
        for preview in record["page_previews"] + record["views"]:
            if not (isinstance(preview, dict) and set(preview) == {"label", "file"}):
                return None
        return record
    except (OSError, ValueError, RecursionError):
        return None


def write_review_page(project: Project) -> Path:
    """dist/proof/index.html listing every piece that has a proof and still exists."""
    proof_dir = project.proof_dir
    entries = []
    for meta in sorted(proof_dir.glob("*/meta.json")):
        record = _record(meta)  # a piece that no longer exists is left off
        if record is None or not (project.root / record["source"]).is_file():
            continue
        outputs = record.pop("outputs")
        printed = project.dist / "print" / outputs.get("print", "")
        record["print"] = f"../print/{printed.name}" if "print" in outputs and printed.is_file() else ""
        imposed = project.dist / "print" / outputs.get("imposed", "-")
        record["imposed"] = f"../print/{imposed.name}" if imposed.is_file() else ""
        diff = proof_dir / "diff" / record["name"] / "index.html"
        record["diff"] = f"diff/{record['name']}/index.html" if diff.is_file() else ""
        entries.append(record)
    page = proof_dir / "index.html"
    write_atomic(page, review_page(entries, build_date().isoformat()).encode())
    return page
