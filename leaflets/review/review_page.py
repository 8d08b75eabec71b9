"""The review page, dist/proof/index.html, and each diff's page: static HTML, no script.

Made from plain records (one per piece, kept beside its proof) so that the
page always lists every piece that has a proof, whichever run made it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .previews import Preview

STATUS_LABELS = {"ok": "đạt", "warnings": "có cảnh báo", "errors": "có lỗi"}


@cache
def _environment(strict: bool):
    import jinja2

    loader = jinja2.FileSystemLoader(str(Path(__file__).parent / "templates"))
    if strict:
        return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    return jinja2.Environment(loader=loader, autoescape=True)


def review_page(entries: list[dict], generated: str) -> str:
    """dist/proof/index.html from each piece's proof record (one static page, no script)."""
    env = _environment(True)
    pieces = [{**e, "status_label": STATUS_LABELS.get(e["status"], e["status"]),
               "views": [Preview(**v) for v in e["views"]],
               "page_previews": [Preview(**v) for v in e["page_previews"]]} for e in entries]
    return env.get_template("review.html.j2").render(pieces=pieces, generated=generated)


def diff_page(name: str, against: str, summary: str, changes: list[dict], words: list[str]) -> str:
    """dist/proof/diff/<piece>/index.html: the changed pages and words since `against`."""
    return _environment(False).get_template("diff.html.j2").render(
        name=name, against=against, summary=summary, changes=changes, words=words)
