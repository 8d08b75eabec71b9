"""Site data: facts shared by every piece (agency, programme, poverty standard).

In templates, the keys of `content/data/site.yaml` are `site.<key>` and
every other `content/data/<name>.yaml` is `site.<name>` (so the poverty
standard's periods are `site.poverty.periods`; a data block sees the one in
force on the piece's date as `standard`: content/poverty.py). Files with a
declared schema here are checked; others are passed through as they are.
Dates of validity stay in the data so that checks can tell when a standard
has expired.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import msg
from ..problems import ContentError, Problem, error, warning
from ..project import Project
from .papers import SCHEMA as PAPERS_SCHEMA
from .papers import Papers, check_papers
from .poverty import SCHEMA as POVERTY_SCHEMA
from .poverty import Poverty, check_periods
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
        "sample": f(bool, default=False, doc="true while names, addresses and numbers are invented"),
    },
    "poverty": POVERTY_SCHEMA,
    "papers": PAPERS_SCHEMA,
}
REQUIRED = ("site", "poverty", "papers")


@dataclass(frozen=True)
class Sample:
    """Data marked `sample: true`: invented, not to be printed as fact."""

    path: Path
    line: int | None  # of `sample: true`
    name: str = ""  # a record's or a household's name; "" for a whole file
    stem: str = ""  # the data file, for a record of a list
    index: int | None = None  # the record, in that list

    def label(self, project: Project, line: bool = False) -> str:
        """`content/households/a-thiem.md (Hộ ông A Thiêm)`; with `line`, `…a-thiem.md:15 (…)`."""
        shown = project.relative(self.path) + (f":{self.line}" if line and self.line else "")
        return f"{shown} ({self.name})" if self.name else shown


def marked_samples(path: Path, raw: Any, lines) -> list[Sample]:
    """A data file marked `sample: true` as a whole, or the records of a list that are."""
    if isinstance(raw, dict):
        return [Sample(path, lines.get(("sample",)))] if raw.get("sample") is True else []
    if isinstance(raw, list):
        return [Sample(path, lines.get((i, "sample")), str(record.get("name") or ""), path.stem, i)
                for i, record in enumerate(raw)
                if isinstance(record, dict) and record.get("sample") is True]
    return []


@dataclass(frozen=True)
class SiteData:
    """All data files, by stem; `files` are the inputs every piece depends on."""

    values: dict[str, Any]
    files: tuple[Path, ...]
    problems: tuple[Problem, ...] = field(default=())
    papers: Papers | None = None  # papers.yaml: output conditions and thicknesses
    poverty: Poverty | None = None  # poverty.yaml: the standard, period by period
    samples: tuple[Sample, ...] = ()  # data marked `sample: true` (invented)


def load_site(project: Project) -> SiteData:
    """Load and check every data file; raise ContentError with all errors found."""
    values: dict[str, Any] = {}
    papers = poverty = None
    samples: list[Sample] = []
    files, problems = project.files(project.data_dir, "*.yaml")
    more, outside = project.files(project.data_dir, "*.yml")
    files, problems = files + more, problems + outside
    for path in files:
        try:
            raw, lines = load_yaml(read_text(path), path)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        samples.extend(marked_samples(path, raw, lines))
        schema = SCHEMAS.get(path.stem)
        if schema is None:
            values[path.stem] = raw
            continue
        checked = check(raw, schema, path, lines)
        problems.extend(checked.problems)
        values[path.stem] = checked.value
        if path.stem == "poverty":
            poverty, found = check_periods(checked.value, path, lines, project)
            problems.extend(found)
        if path.stem == "papers" and not any(p.is_error for p in checked.problems):
            papers, found = check_papers(checked.value, path, lines, project)
            problems.extend(found)
    for stem in REQUIRED:
        if stem not in values and not any(p.path and p.path.stem == stem for p in problems):
            problems.append(error(project.data_dir / f"{stem}.yaml", None,
                                  msg("missing: every piece needs this data file")))
    if any(p.is_error for p in problems):
        raise ContentError(problems)
    merged = dict(values.pop("site", {}))
    for stem, value in values.items():
        if stem in merged:
            raise ContentError([error(project.data_dir / f"{stem}.yaml", None,
                                      msg("clashes with the key {key!r} of site.yaml: rename one",
                                          key=stem))])
        merged[stem] = value
    return SiteData(merged, tuple(files), tuple(problems), papers, poverty, tuple(samples))


def samples_used(composed, site: SiteData, households) -> list[Sample]:
    """The invented data a composed piece is made with: data files marked `sample: true` (site
    data reaches every piece), the record it is made for when that one is, the households it shows."""
    used = [s for s in site.samples if s.index is None]
    variant, spec = composed.variant, composed.piece.variants or {}
    if variant is not None:
        records = site.values.get(spec.get("data"))
        used += [s for s in site.samples if s.index is not None and s.stem == spec.get("data")
                 and isinstance(records, list) and records[s.index] == variant.record]
    shown = set(composed.inputs)
    used += [Sample(h.path, h.sample_line, h.name) for h in households if h.sample and h.path in shown]
    return used


def sample_warnings(project: Project, composed, site: SiteData, households) -> list[Problem]:
    """A `sample-data` warning for a print job made with invented data, naming each source."""
    used = samples_used(composed, site, households)
    if not used:
        return []
    sources = "; ".join(s.label(project, line=True) for s in used)
    return [warning(composed.piece.path, None, msg(
        "made with sample data (invented names, addresses, phone numbers): {sources}; replace it with "
        "the real data and delete its “sample: true” before printing", sources=sources),
        code="sample-data")]
