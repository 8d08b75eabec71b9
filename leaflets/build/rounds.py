"""Review rounds: what changed in a piece since an earlier version (a git revision or a PDF).

The piece is built as it is now and, for a git revision, as it was then (the
project exported into a temporary folder and built there); review/compare.py
compares the two print files and this module writes dist/proof/diff/<piece>/.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from ..atomic import write_atomic
from ..i18n import msg
from ..problems import ContentError, error
from ..project import Project
from ..review.compare import changes_text, compare, png, summary
from ..review.review_page import diff_page
from ..vi import slug
from .plan import named, plan
from .proofs import write_review_page
from .run import build_pieces
from .workers import BUILT


def build_print_pdf(root: Path, name: str, dist: Path) -> bytes:
    """Build one piece of the project at `root` into `dist`; its print PDF's bytes."""
    project = Project.at(root, dist)
    the_plan = plan(project, [name])
    the_plan.jobs = [job for job in the_plan.jobs if job.name == name]  # this variant, in both revisions
    results = build_pieces(the_plan)
    if not results or results[0].status != BUILT:
        said = [p for r in results for p in r.problems if p.is_error] or \
            [p for p in the_plan.problems if p.is_error] or \
            [error(None, None, msg("piece {name!r} did not build", name=name))]
        raise ContentError(said)
    return results[0].job.outputs[0].path.read_bytes()


def job_name(project: Project, name: str, variant: str | None) -> str:
    """The job a diff compares: a piece, or one variant of a piece made per record (`--variant`, or
    `<piece>--<variant>`); a piece made per record needs its variant named."""
    stem, wrong = named(project, name)
    if wrong:
        raise ContentError([error(None, None, wrong)])
    piece, _, given = stem.partition("--")
    if not (project.pieces_dir / f"{piece}.md").is_file():
        raise ContentError([error(None, None, msg("no piece named {name!r} in content/pieces/", name=name))])
    if variant:
        given = slug(variant)
    the_plan = plan(project, [piece])
    jobs = {job.name: job for job in the_plan.jobs}
    made = sorted(j.variant.slug for j in the_plan.jobs if j.variant is not None)
    if not made:
        if given:
            raise ContentError([error(None, None, msg("piece {piece!r} is not made per record: leave out "
                                                      "--variant", piece=piece))])
        return piece
    if not given:
        raise ContentError([error(None, None, msg(
            "piece {piece!r} is made per record: name the one to compare with --variant (its variants: "
            "{variants})", piece=piece, variants=", ".join(made)))])
    if f"{piece}--{given}" not in jobs:
        raise ContentError([error(None, None, msg("piece {piece!r} has no variant {name!r} "
                                                  "(its variants: {variants})", piece=piece, name=given,
                                                  variants=", ".join(made)))])
    return f"{piece}--{given}"


def export_revision(root: Path, revision: str, target: Path) -> None:
    """The project's files as they were at a git revision, into `target`."""
    import tarfile

    def git(*args):
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=120)

    prefix = git("rev-parse", "--show-prefix")
    if prefix.returncode != 0:
        raise ContentError([error(None, None, msg("{folder} is not in a git repository: "
                                                  "use --against FILE.pdf instead", folder=root.name))])
    # A revision is never an option: it is resolved to a commit first.
    commit = git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if revision.startswith("-") or commit.returncode != 0:
        raise ContentError([error(None, None, msg("git revision {revision!r}: no such commit "
                                                  "(give a commit, a tag, HEAD~1, … or a PDF file)",
                                                  revision=revision))])
    sha = commit.stdout.decode().strip()
    archive = git("archive", "--format=tar", f"{sha}:{prefix.stdout.decode().strip()}")
    if archive.returncode != 0:
        said = archive.stderr.decode().strip().splitlines()[-1:]
        reason = said[0] if said else msg("unknown revision")
        raise ContentError([error(None, None, msg("git revision {revision!r}: {reason}",
                                                  revision=revision, reason=reason))])
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")


def diff_piece(project: Project, name: str, against: str, variant: str | None = None):
    """Build `name` (one variant of it, for a piece made per record) now and as it was (a git
    revision, or a PDF given); write and return its diff."""
    name = job_name(project, name, variant)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        new_pdf = build_print_pdf(project.root, name, tmp_path / "new")
        candidate = Path(against)
        if candidate.suffix.lower() == ".pdf":
            if not candidate.is_file():
                raise ContentError([error(candidate, None, msg("no such PDF"))])
            old_pdf, label = candidate.read_bytes(), candidate.name
            if not old_pdf.lstrip()[:5] == b"%PDF-":
                raise ContentError([error(candidate, None, msg("not a PDF file: give an earlier print "
                                                               "PDF of the piece, or a git revision"))])
        else:
            export_revision(project.root, against, tmp_path / "old")
            old_pdf = build_print_pdf(tmp_path / "old", name, tmp_path / "old" / "dist")
            label = f"git {against}"
        return (*write_diff(project, name, old_pdf, new_pdf, label), name)


def write_diff(project: Project, name: str, old_pdf: bytes, new_pdf: bytes, against: str):
    """Compare two print PDFs of a piece; write dist/proof/diff/<piece>/; return (diff, summary line)."""
    try:
        result = compare(old_pdf, new_pdf)
    except Exception as exc:  # pypdfium2 cannot read it: a damaged or encrypted PDF
        raise ContentError([error(None, None, msg("cannot read the earlier version ({against}): "
                                                  "{reason}; give an intact print PDF",
                                                  against=against, reason=str(exc)))]) from None
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
    page = diff_page(name, against, changes_text(result), changes, result.words)
    write_atomic(folder / "index.html", page.encode())
    if (project.proof_dir / "index.html").is_file():
        write_review_page(project)
    return result, line
