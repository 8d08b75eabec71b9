"""Writing proofs: dist/proof/<piece>.proof.pdf, its previews, and the review page.

proof.py makes the images and PDFs from bytes; this module decides where
they go and keeps one record per piece (dist/proof/<piece>/meta.json), from
which the review page, dist/proof/index.html, is made anew after each run
so that it always lists every piece that has a proof.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

from .output import write_atomic
from .problems import NOTE, Problem
from .project import Project
from .proof import proof_pdf, review_page, write_previews

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


def proof_slug(project: Project, job, composed) -> str:
    from .pipeline import build_date, fingerprint

    piece = composed.piece
    parts = [piece.name, f"lần {piece.revision}", build_date().isoformat(),
             f"nội dung {fingerprint(job)[:10]}"]
    commit = git_commit(project.root)
    if commit:
        parts.append(f"git {commit}")
    return " · ".join(parts)


def _faces(faces):
    """(bold, regular) bundled faces for the watermark and the proof slug."""
    from .pipeline import slug_font

    bold = max((f for f in faces if f.style == "normal" and f.family == "Noto Sans"),
               key=lambda f: (f.weight <= 800, f.weight)).path
    return bold, slug_font(faces)


def write_proof(project: Project, job, composed, files: dict, problems: list[Problem], status: str,
                pages: int | None, faces) -> None:
    """The proof PDF, previews and record of one piece."""
    layout = composed.layout
    print_output = job.outputs[0]
    print_bytes = files[print_output.path]
    bold, regular = _faces(faces)
    proof = proof_pdf(print_bytes, layout, proof_slug(project, job, composed), bold, regular)
    proof_dir = project.proof_dir
    write_atomic(proof_dir / f"{job.name}.proof.pdf", proof)
    page_previews, views = write_previews(print_bytes, layout, proof_dir / job.name)
    shown = [p for p in problems if p.severity != NOTE]
    record = {
        "name": job.name, "title": composed.piece.title, "source": project.relative(job.source),
        "layout": layout.name, "layout_title": layout.title,
        "trim": layout.trim_label + (f" (tệp tỷ lệ {layout.scale_label})" if layout.scale != 1 else ""),
        "pages": pages, "revision": str(composed.piece.revision), "status": status,
        "errors": sum(p.is_error for p in shown), "warnings": sum(p.severity == "warning" for p in shown),
        "findings": [p.format(project.root) for p in shown[:MAX_FINDINGS_SHOWN]],
        "proof": f"{job.name}.proof.pdf",
        "outputs": {o.kind: o.path.name for o in job.outputs},
        "page_previews": [p.__dict__ for p in page_previews],
        "views": [v.__dict__ for v in views],
    }
    write_atomic(proof_dir / job.name / "meta.json",
                 json.dumps(record, ensure_ascii=False, indent=1).encode())


def write_review_page(project: Project) -> Path:
    """dist/proof/index.html listing every piece that has a proof and still exists."""
    from .pipeline import build_date

    proof_dir = project.proof_dir
    existing = {p.stem for p in project.piece_files()}
    entries = []
    for meta in sorted(proof_dir.glob("*/meta.json")):
        record = json.loads(meta.read_text(encoding="utf-8"))
        if record["name"] not in existing:
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


# --- what changed since an earlier version -----------------------------------------------

DIFF_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Thay đổi: {{ name }}</title>
<style>
body { font-family: system-ui, "Noto Sans", sans-serif; margin: 24px; background: #f3f3f1; }
figure { display: inline-block; margin: 0 16px 16px 0; vertical-align: top; }
figure img { max-width: 640px; border: 1px solid #bbb; background: #fff; }
pre { background: #fff; padding: 12px; white-space: pre-wrap; }
.del { color: #a00; } .add { color: #070; }
</style></head><body>
<p><a href="../../index.html">← trang duyệt</a></p>
<h1>Thay đổi: {{ name }}</h1>
<p>So với {{ against }}: {{ summary }}</p>
{% for change in changes %}
<figure><img src="{{ change.file }}" alt="trang {{ change.page }}, vùng thay đổi tô đỏ">
<figcaption>Trang {{ change.page }}: {{ change.regions }} vùng thay đổi</figcaption></figure>
{% endfor %}
{% if words %}<h2>Chữ thay đổi</h2>
<pre>{% for line in words %}{% set kind = {"-": "del", "+": "add"}.get(line[:1], "") %}\
<span class="{{ kind }}">{{ line }}</span>
{% endfor %}</pre>{% endif %}
</body></html>
"""


def build_print_pdf(root: Path, name: str, dist: Path) -> bytes:
    """Build one piece of the project at `root` into `dist`; its print PDF's bytes."""
    from .pipeline import plan, run
    from .problems import ContentError, error

    project = Project.at(root, dist)
    the_plan = plan(project, [name])
    results = run(the_plan)
    if not results or results[0].status != "built":
        said = [p for r in results for p in r.problems if p.is_error] or \
            [p for p in the_plan.problems if p.is_error] or \
            [error(None, None, f"piece {name!r} did not build")]
        raise ContentError(said)
    return results[0].job.outputs[0].path.read_bytes()


def export_revision(root: Path, revision: str, target: Path) -> None:
    """The project's files as they were at a git revision, into `target`."""
    import tarfile

    from .problems import ContentError, error

    def git(*args):
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=120)

    prefix = git("rev-parse", "--show-prefix")
    if prefix.returncode != 0:
        raise ContentError([error(None, None, f"{root.name} is not in a git repository: "
                                              "use --against FILE.pdf instead")])
    archive = git("archive", "--format=tar", f"{revision}:{prefix.stdout.decode().strip()}")
    if archive.returncode != 0:
        message = archive.stderr.decode().strip().splitlines()[-1:] or ["unknown revision"]
        raise ContentError([error(None, None, f"git revision {revision!r}: {message[0]}")])
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")


def diff_piece(project: Project, name: str, against: str):
    """Build `name` now and as it was (a git revision, or a PDF given); write and return its diff."""
    import tempfile

    from .problems import ContentError, error

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        new_pdf = build_print_pdf(project.root, name, tmp_path / "new")
        candidate = Path(against)
        if candidate.suffix.lower() == ".pdf":
            if not candidate.is_file():
                raise ContentError([error(candidate, None, "no such PDF")])
            old_pdf, label = candidate.read_bytes(), candidate.name
        else:
            export_revision(project.root, against, tmp_path / "old")
            old_pdf = build_print_pdf(tmp_path / "old", name, tmp_path / "old" / "dist")
            label = f"git {against}"
        return write_diff(project, name, old_pdf, new_pdf, label)


def write_diff(project: Project, name: str, old_pdf: bytes, new_pdf: bytes, against: str):
    """Compare two print PDFs of a piece; write dist/proof/diff/<piece>/; return (diff, summary line)."""
    import jinja2

    from .diff import compare, png, summary

    result = compare(old_pdf, new_pdf)
    folder = project.proof_dir / "diff" / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*"):
        old.unlink()
    changes = []
    for change in result.changes:
        file = f"page-{change.page:02d}.png"
        write_atomic(folder / file, png(change.image))
        changes.append({"page": change.page, "regions": len(change.regions), "file": file})
    line = summary(name, result)
    write_atomic(folder / "words.diff", ("\n".join(result.words) + "\n").encode())
    page = jinja2.Environment(autoescape=True).from_string(DIFF_PAGE).render(
        name=name, against=against, summary=line.split(": ", 1)[1], changes=changes, words=result.words)
    write_atomic(folder / "index.html", page.encode())
    if (project.proof_dir / "index.html").is_file():
        write_review_page(project)
    return result, line
