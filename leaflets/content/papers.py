"""Papers and output conditions, from `content/data/papers.yaml`.

A piece names its paper (`print.paper: "Couché 150 g/m²"`); the paper gives
the output condition the print file is separated for (a CMYK ICC profile,
embedded as the PDF/X output intent, and the most ink the paper takes) and
its thickness for booklet creep. The data is checked here, with lines.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import N_, msg
from ..problems import Problem, error, warning
from ..project import Project
from .assets import AssetError, resolve
from .schema import f

CONDITION = {
    "name": f(str, required=True, doc=N_("what the shop calls it")),
    "identifier": f(str, required=True, doc=N_("the characterisation, e.g. FOGRA39")),
    "profile": f(str, required=True, doc=N_("the CMYK ICC profile, relative to this file")),
    "max_ink": f(float, required=True, check=lambda v: None if 100 <= v <= 400 else msg("100 to 400 (%)"),
                 doc=N_("total area coverage the paper takes, C+M+Y+K in %")),
}
PAPER = {
    "condition": f(str, required=True),
    "thickness": f(float, default=None, check=lambda t: None if 0 <= t < 2 else msg("mm, 0 to 2")),
}
SCHEMA = {
    "conditions": f(dict, required=True, open=True),
    "default_condition": f(str, required=True),
    "papers": f(dict, required=True, open=True),
}


@dataclass(frozen=True)
class Condition:
    """An output condition: what a print file is separated for."""

    key: str
    name: str
    identifier: str
    profile: Path
    max_ink: float
    profile_hash: str  # SHA-256 of the profile's bytes: part of every cache key

    @property
    def profile_bytes(self) -> bytes:
        return self.profile.read_bytes()


@dataclass(frozen=True)
class Paper:
    name: str
    condition: Condition
    thickness: float | None


@dataclass(frozen=True)
class Papers:
    conditions: dict[str, Condition]
    default: Condition
    papers: dict[str, Paper]

    def condition_for(self, paper: str) -> tuple[Condition, bool]:
        """The condition for a paper name, and whether the paper is known."""
        if paper in self.papers:
            return self.papers[paper].condition, True
        return self.default, False


def check_papers(value: Any, path: Path, lines: dict,
                 project: Project) -> tuple[Papers | None, list[Problem]]:
    """Papers from the checked top level of papers.yaml; None when it cannot be used."""
    from .schema import check

    problems: list[Problem] = []
    conditions: dict[str, Condition] = {}
    for key, raw in (value.get("conditions") or {}).items():
        checked = check(raw, CONDITION, path, lines, ("conditions", key))
        problems.extend(checked.problems)
        if any(p.is_error for p in checked.problems):
            continue
        where = lines.get(("conditions", key, "profile")) or lines.get(("conditions", key))
        try:
            profile = resolve(checked.value["profile"], path.parent, project, suffixes={".icc", ".icm"})
        except AssetError as exc:
            problems.append(error(path, where, msg("conditions.{key}.profile: {problem}", key=key,
                                                   problem=exc.message)))
            continue
        data = profile.read_bytes()
        if len(data) < 132 or data[36:40] != b"acsp" or data[16:20] != b"CMYK":
            problems.append(error(path, where, msg("conditions.{key}.profile: {file} is not a CMYK "
                                                   "ICC profile", key=key, file=profile.name)))
            continue
        v = checked.value
        conditions[key] = Condition(key, v["name"], v["identifier"], profile, float(v["max_ink"]),
                                    hashlib.sha256(data).hexdigest())
    default = conditions.get(value.get("default_condition", ""))
    if default is None and conditions:
        problems.append(error(path, lines.get(("default_condition",)),
                              msg("default_condition: {name} is not one of the conditions ({conditions})",
                                  name=repr(value.get("default_condition")),
                                  conditions=", ".join(conditions))))
    papers: dict[str, Paper] = {}
    for name, raw in (value.get("papers") or {}).items():
        checked = check(raw, PAPER, path, lines, ("papers", name))
        problems.extend(checked.problems)
        if any(p.is_error for p in checked.problems):
            continue
        condition = conditions.get(checked.value["condition"])
        if condition is None:
            problems.append(error(path, lines.get(("papers", name)),
                                  msg("papers.{paper}: condition {condition!r} is not one of the conditions "
                                      "({conditions})", paper=name, condition=checked.value["condition"],
                                      conditions=", ".join(conditions) or msg("none"))))
            continue
        papers[name] = Paper(name, condition, checked.value["thickness"])
    if default is None or any(p.is_error for p in problems):
        return None, problems
    return Papers(conditions, default, papers), problems


def unknown_paper(piece, papers: Papers) -> Problem:
    return warning(piece.path, piece.line_of("print") or piece.line_of("layout"),
                   msg("paper {paper!r} is not in content/data/papers.yaml: separated for {condition}; add "
                       "the paper with its condition", paper=piece.print.paper or "(none)",
                       condition=papers.default.name))
