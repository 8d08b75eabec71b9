"""The review page, dist/proof/index.html, and each diff's page: static HTML, no script.

Made from plain records (one per piece, kept beside its proof) so that the
page always lists every piece that has a proof, whichever run made it. The
templates' words are English, translated through Jinja's i18n extension into
the language of the moment; the page's `lang` follows it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ..i18n import N_, _, language
from .previews import Preview

# A piece's preflight status (in English in the records) as the page shows it.
STATUS_LABELS = {"ok": N_("passed"), "warnings": N_("has warnings"), "errors": N_("has errors")}


def _ngettext(singular: str, plural: str, number: int) -> str:
    return _(singular) if number == 1 else _(plural)


@cache
def _environment(strict: bool):
    import jinja2

    loader = jinja2.FileSystemLoader(str(Path(__file__).parent / "templates"))
    options = {"undefined": jinja2.StrictUndefined} if strict else {}
    env = jinja2.Environment(loader=loader, autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext=_, ngettext=_ngettext)  # `_` looks the language up each time
    return env


def _fill_ok(fill) -> bool:
    """A slot's fill as the proof record keeps it (render/fill.py: fills_of)."""
    return isinstance(fill, dict) and isinstance(fill.get("slot"), str) and all(
        isinstance(fill.get(k), int) and not isinstance(fill.get(k), bool) for k in ("percent", "minimum"))


def review_page(entries: list[dict], generated: str) -> str:
    """dist/proof/index.html from each piece's proof record (one static page, no script)."""
    env = _environment(True)
    pieces = [{**e, "status_label": _(STATUS_LABELS[e["status"]]) if e["status"] in STATUS_LABELS
               else e["status"],
               "views": [Preview(**v) for v in e["views"]],
               "fill": [f for f in e.get("fill") or [] if _fill_ok(f)],
               "page_previews": [Preview(**v) for v in e["page_previews"]]} for e in entries]
    samples = [p["name"] for p in pieces if p.get("sample_data")]
    return env.get_template("review.html.j2").render(pieces=pieces, generated=generated, lang=language(),
                                                      samples=samples)


def diff_page(name: str, against: str, summary: str, changes: list[dict], words: list[str]) -> str:
    """dist/proof/diff/<piece>/index.html: the changed pages and words since `against`."""
    return _environment(False).get_template("diff.html.j2").render(
        name=name, against=against, summary=summary, changes=changes, words=words, lang=language())
