"""Model households: one Markdown file each, pulled into pieces by query.

The story (the Markdown after the front matter) follows the content rules of
a piece's body (rules.py) and may name fields, filled in for the piece that
shows it; the front matter is plain text, where a field would print as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import N_, msg
from ..problems import ContentError, Problem, error
from ..project import Project
from .assets import AssetError, resolve
from .fields import field_like
from .frontmatter import split
from .markdown import parse
from .schema import check, f
from .textio import read_text

HOUSEHOLD = {
    "name": f(str, required=True, doc=N_("how the household is named, e.g. Hộ ông …")),
    "head": f(str, default=""),
    "commune": f(str, required=True),
    "ethnic": f(str, default=""),
    "members": f(int, default=None),
    "left_poverty": f(int, required=True, doc=N_("the year the household left poverty")),
    "summary": f(str, default=""),
    "changes": f(list, items=f(str), default=[]),
    "photo": f(str, default=None),
    "sample": f(bool, default=False, doc="true for invented people: a print run with them warns"),
    "quantity": f(int, default=None, check=lambda n: None if n > 0 else msg("must be at least 1"),
                  doc=N_("copies of a piece made per household: replaces the piece's print.quantity")),
}
TEXT_KEYS = ("name", "head", "commune", "ethnic", "summary")


@dataclass(frozen=True)
class Household:
    slug: str
    path: Path
    name: str
    head: str
    commune: str
    ethnic: str
    members: int | None
    left_poverty: int
    summary: str
    changes: tuple[str, ...]
    photo: str | None  # project-relative
    sample: bool
    story: str  # Markdown
    story_line: int
    photo_path: Path | None = None
    sample_line: int | None = None  # the line of `sample: true`
    quantity: int | None = None  # copies of a leaflet made for this household (its variant)

    def as_context(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in (
            "slug", "name", "head", "commune", "ethnic", "members", "left_poverty",
            "summary", "changes", "photo", "sample", "quantity")}


def load_household(path: Path, project: Project) -> tuple[Household, list[Problem]]:
    doc = split(read_text(path), path)
    checked = check(doc.meta, HOUSEHOLD, path, doc.lines)
    problems = list(checked.problems)
    v = checked.value
    photo = photo_path = None
    if v.get("photo"):
        try:
            photo_path = resolve(v["photo"], path.parent, project)
            photo = project.url(photo_path)
        except AssetError as exc:
            problems.append(error(path, doc.lines.get(("photo",)), exc.message))
    problems.extend(_text_problems(path, v, doc.lines))
    _, broken = parse(doc.body)  # raw HTML, unread attributes, fields that are not fields
    problems.extend(error(path, doc.body_line + line, message) for line, message in broken)
    if any(p.is_error for p in problems):
        raise ContentError(problems)
    return Household(
        slug=path.stem, path=path, name=v["name"], head=v["head"], commune=v["commune"],
        ethnic=v["ethnic"], members=v["members"], left_poverty=v["left_poverty"],
        summary=v["summary"], changes=tuple(v["changes"]), photo=photo, sample=v["sample"],
        story=doc.body, story_line=doc.body_line, photo_path=photo_path,
        sample_line=doc.lines.get(("sample",)) if v["sample"] else None, quantity=v["quantity"],
    ), problems


def _text_problems(path: Path, values: dict[str, Any], lines) -> list[Problem]:
    """Fields in the front matter's text: only the story fills them in."""
    found = []
    texts = [((key,), values.get(key)) for key in TEXT_KEYS]
    texts += [(("changes", i), text) for i, text in enumerate(values.get("changes") or ())]
    for where, text in texts:
        written = field_like(text) if isinstance(text, str) else None
        if written:
            found.append(error(path, lines.get(where), msg(
                "{key}: “{written}” would print as written: fields are filled in only in the story "
                "(the Markdown after the front matter)", key=".".join(map(str, where)),
                written=written)))
    return found


def load_households(project: Project) -> tuple[list[Household], list[Problem]]:
    """All households that load; problems of the others (a bad one does not stop the rest)."""
    paths, problems = project.files(project.households_dir, "*.md")
    found = []
    for path in paths:
        try:
            household, warnings = load_household(path, project)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        found.append(household)
        problems.extend(warnings)
    return found, problems


# --- queries ----------------------------------------------------------------

QUERY = {
    "name": f(str), "slug": f(str), "commune": f(str), "ethnic": f(str),
    "left_after": f(int, doc="left poverty in or after this year"),
    "left_before": f(int, doc="left poverty in or before this year"),
    "sort": f(str, default="name", choices=("name", "left_poverty", "commune", "file")),
    "limit": f(int, default=None, check=lambda n: None if n > 0 else msg("must be at least 1")),
    "show": f(str, default="card", choices=("card", "story", "list", "chapter")),
}


def _same(a: str, b: str) -> bool:
    return a.casefold().strip() == b.casefold().strip()


def select(households: list[Household], query: dict[str, Any]) -> list[Household]:
    """Households matching every given field of a checked query, sorted and limited."""
    chosen = []
    for h in households:
        if query.get("name") and not (_same(h.name, query["name"]) or _same(h.head, query["name"])):
            continue
        if query.get("slug") and h.slug != query["slug"]:
            continue
        if query.get("commune") and not _same(h.commune, query["commune"]):
            continue
        if query.get("ethnic") and not _same(h.ethnic, query["ethnic"]):
            continue
        if query.get("left_after") and h.left_poverty < query["left_after"]:
            continue
        if query.get("left_before") and h.left_poverty > query["left_before"]:
            continue
        chosen.append(h)
    key = query.get("sort") or "name"
    if key == "file":
        chosen.sort(key=lambda h: h.slug)
    else:
        chosen.sort(key=lambda h: (getattr(h, key), h.slug))
    if query.get("limit"):
        chosen = chosen[: query["limit"]]
    return chosen
