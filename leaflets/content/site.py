"""Site data: facts shared by every piece (agency, programme, poverty standard).

In templates, the keys of `content/data/site.yaml` are `site.<key>` and
every other `content/data/<name>.yaml` is `site.<name>` (so the poverty
standard is `site.poverty.standard`). Files with a declared schema here are
checked; others are passed through as they are. Dates of validity stay in the data so that checks can tell
when a standard has expired.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..problems import ContentError, Problem, error
from ..project import Project
from .assets import AssetError, resolve
from .papers import SCHEMA as PAPERS_SCHEMA
from .papers import Papers, check_papers
from .schema import Field, check, f
from .textio import read_text
from .yaml_load import load_yaml

TEXT_LIST = f(list, items=f(str), default=[])

SCHEMAS: dict[str, dict[str, Field]] = {
    "site": {
        "agency": f(dict, required=True, schema={
            "name": f(str, required=True), "short": f(str, default=""),
            "parent": f(str, default=""), "address": f(str, required=True),
            "phone": f(str, default=""), "hotline": f(str, required=True),
            "email": f(str, default=""), "website": f(str, default=""),
        }),
        "province": f(str, required=True),
        "programme": f(dict, required=True, schema={
            "name": f(str, required=True), "short": f(str, default=""),
            "period": f(str, default=""), "valid_from": f(dt.date, required=True),
            "valid_to": f(dt.date, required=True), "decision": f(str, default=""),
            "plan": f(str, default=""), "targets": TEXT_LIST,
        }),
        "movement": f(dict, schema={
            "name": f(str, default=""), "day": f(str, default=""), "peak": f(str, default=""),
        }),
        "slogans": TEXT_LIST,
        "imprint": f(dict, schema={
            "publisher": f(str, default=""), "printer": f(str, default=""),
            "note": f(str, default="Tài liệu không kinh doanh"),
        }),
    },
    "poverty": {
        "standard": f(dict, required=True, schema={
            "decree": f(str, required=True), "period": f(str, default=""),
            "valid_from": f(dt.date, required=True), "valid_to": f(dt.date, required=True),
            "unit": f(str, default="đồng/người/tháng"),
            "income": f(dict, required=True, schema={
                area: f(dict, required=True, schema={
                    "label": f(str, required=True), "poor_max": f(int, required=True),
                    "middle_max": f(int, required=True),
                }) for area in ("rural", "urban")
            }),
            "poor_rule": f(str, default=""), "near_poor_rule": f(str, default=""),
            "middle_rule": f(str, default=""),
        }),
        "services": f(list, required=True, items=Field((dict,), schema={
            "name": f(str, required=True), "icon": f(str, default=None),
            "indicators": f(list, required=True, items=f(str)),
        })),
    },
    "papers": PAPERS_SCHEMA,
}
REQUIRED = ("site", "poverty", "papers")


@dataclass(frozen=True)
class SiteData:
    """All data files, by stem; `files` are the inputs every piece depends on."""

    values: dict[str, Any]
    files: tuple[Path, ...]
    problems: tuple[Problem, ...] = field(default=())
    papers: Papers | None = None  # papers.yaml: output conditions and thicknesses


def load_site(project: Project) -> SiteData:
    """Load and check every data file; raise ContentError with all errors found."""
    values: dict[str, Any] = {}
    papers = None
    files, problems = project.files(project.data_dir, "*.yaml")
    more, outside = project.files(project.data_dir, "*.yml")
    files, problems = files + more, problems + outside
    for path in files:
        try:
            raw, lines = load_yaml(read_text(path), path)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        schema = SCHEMAS.get(path.stem)
        if schema is None:
            values[path.stem] = raw
            continue
        checked = check(raw, schema, path, lines)
        problems.extend(checked.problems)
        values[path.stem] = checked.value
        if path.stem == "poverty":
            for i, service in enumerate(checked.value.get("services") or []):
                if service.get("icon"):
                    try:
                        icon = resolve(service["icon"], path.parent, project)
                        service["icon"] = project.url(icon)
                    except AssetError as exc:
                        problems.append(error(path, lines.get(("services", i, "icon")), str(exc)))
        if path.stem == "papers" and not any(p.is_error for p in checked.problems):
            papers, found = check_papers(checked.value, path, lines, project)
            problems.extend(found)
    for stem in REQUIRED:
        if stem not in values and not any(p.path and p.path.stem == stem for p in problems):
            problems.append(error(project.data_dir / f"{stem}.yaml", None,
                                  "missing: every piece needs this data file"))
    if any(p.is_error for p in problems):
        raise ContentError(problems)
    merged = dict(values.pop("site", {}))
    for stem, value in values.items():
        if stem in merged:
            raise ContentError([error(project.data_dir / f"{stem}.yaml", None,
                                      f"clashes with the key {stem!r} of site.yaml: rename one")])
        merged[stem] = value
    return SiteData(merged, tuple(files), tuple(problems), papers)
