"""The multidimensional poverty standard, period by period (`content/data/poverty.yaml`).

A standard belongs to a period (2022–2025: Decree 07/2021/NĐ-CP), may be
kept in force after it (an extension: the 2022–2025 standard through
2026), and the next period's figures are often published before all of its
details are. So each period carries its dates, an optional extension, the
source its figures come from and the facts of it that are confirmed. A
piece shows the standard in force on its date (`date:` in its front matter,
else the build date); preflight (checks/text.py) refuses a period named
after it ended and warns when a piece shows a fact not yet confirmed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import msg
from ..problems import Problem, error
from ..project import Project
from ..vi import short_date
from .assets import AssetError, resolve
from .schema import Field, f
from .yaml_load import LineMap

AREAS = ("rural", "urban")
# The facts of a period that a source can confirm, as they are named in `confirmed:`.
FACTS = ("decree", *(f"income.{area}.{key}" for area in AREAS for key in ("poor_max", "middle_max")),
         "poor_rule", "near_poor_rule", "middle_rule", "services")
# The facts each data block prints: a piece "shows" a fact when it has that block.
SHOWN_BY = {
    "standard": ("decree", *(f"income.{area}.{key}" for area in AREAS for key in ("poor_max", "middle_max")),
                 "poor_rule", "near_poor_rule"),
    "indicators": ("services",),
}


def _confirmed_names(value: Any) -> str | None:
    if value == "all":
        return None
    if isinstance(value, str):
        return str(msg('"all", or a list of the facts confirmed ({known})', known=", ".join(FACTS)))
    unknown = [name for name in value if name not in FACTS]
    if unknown:
        return str(msg("{names}: not a fact of a period (known: {known})",
                       names=", ".join(map(str, unknown)), known=", ".join(FACTS)))
    return None


SERVICE = {
    "name": f(str, required=True), "icon": f(str, default=None),
    "indicators": f(list, required=True, items=f(str)),
}
PERIOD = {
    "period": f(str, required=True, doc='its years, e.g. "2022–2025"'),
    "decree": f(str, default="", doc="the decree that sets it; empty while its number is not known"),
    "valid_from": f(dt.date, required=True),
    "valid_to": f(dt.date, required=True),
    "extension": f(dict, default={}, schema={
        "valid_to": f(dt.date, required=True, doc="the last day it stays in force"),
        "decree": f(str, default="", doc="the decree that extends it; empty while not known"),
        "source": f(str, required=True, doc="where the extension is published"),
    }, doc="kept in force after valid_to"),
    "source": f(str, required=True, doc="where its figures come from"),
    "confirmed": f(str, list, required=True, items=f(str), check=_confirmed_names,
                   doc='"all", or the facts confirmed by the source'),
    "unit": f(str, default="đồng/người/tháng"),
    "income": f(dict, required=True, schema={
        area: f(dict, required=True, schema={
            "label": f(str, required=True), "poor_max": f(int, required=True),
            "middle_max": f(int, default=None, doc="empty while not known"),
        }) for area in AREAS
    }),
    "poor_rule": f(str, default=""), "near_poor_rule": f(str, default=""),
    "middle_rule": f(str, default=""),
    "services": f(list, default=[], items=Field((dict,), schema=SERVICE),
                  doc="the indicators, grouped by basic social service"),
}
SCHEMA = {
    "periods": f(list, required=True, items=Field((dict,), schema=PERIOD),
                 doc="one entry per period of the standard, each with its dates"),
}


def as_day(value: dt.date) -> dt.date:
    """A date, also when front matter gave a date and time (a datetime never compares to a date)."""
    return value.date() if isinstance(value, dt.datetime) else value


def _fact(values: dict, name: str) -> Any:
    value: Any = values
    for key in name.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


@dataclass(frozen=True)
class Period:
    """One period of the standard, checked."""

    label: str  # "2022–2025": also how pieces name it
    valid_from: dt.date
    valid_to: dt.date
    extended_to: dt.date | None  # kept in force until this day, past valid_to
    confirmed: frozenset[str]
    values: dict[str, Any]  # the checked entry, for templates
    line: int | None  # where the entry starts in poverty.yaml

    @property
    def in_force_to(self) -> dt.date:
        return self.extended_to or self.valid_to

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= as_day(day) <= self.in_force_to

    @property
    def unconfirmed(self) -> tuple[str, ...]:
        return tuple(name for name in FACTS if name not in self.confirmed)

    @property
    def markers(self) -> tuple[str, ...]:
        """What names this period in a piece's text: its years and its decree."""
        return tuple(m for m in (self.label, self.values.get("decree")) if m)

    def context(self, day: dt.date) -> dict[str, Any]:
        """What the standard and indicators blocks see as `standard` on `day`."""
        day = as_day(day)
        return {**self.values, "in_force": self.in_force(day),
                "extended": self.in_force(day) and day > self.valid_to,
                "extended_to": self.extended_to, "unconfirmed": self.unconfirmed}


@dataclass(frozen=True)
class Poverty:
    """Every period of the standard, in date order."""

    periods: tuple[Period, ...]
    file: str  # poverty.yaml as shown to users (relative to the project)

    def in_force(self, day: dt.date) -> Period | None:
        return next((p for p in self.periods if p.in_force(day)), None)

    def shown_on(self, day: dt.date) -> Period:
        """The period a block shows on `day`: the one in force, else the last begun before it,
        else the first (preflight refuses a piece that shows a period not in force)."""
        begun = [p for p in self.periods if p.valid_from <= as_day(day)]
        return self.in_force(day) or (begun[-1] if begun else self.periods[0])

    def period(self, label: str) -> Period | None:
        return next((p for p in self.periods if p.label == label), None)

    @property
    def icons(self) -> tuple[str, ...]:
        """The icon URLs of every period's services."""
        return tuple(s["icon"] for p in self.periods for s in p.values.get("services") or () if s.get("icon"))


def check_periods(value: dict, path: Path, lines: LineMap,
                  project: Project) -> tuple[Poverty | None, list[Problem]]:
    """The periods of a schema-checked poverty.yaml: icons resolved, dates, facts and overlaps
    checked; None when there are errors."""
    problems: list[Problem] = []
    periods = []
    for i, entry in enumerate(value.get("periods") or []):
        if not isinstance(entry, dict):  # the schema said so already
            continue
        here = ("periods", i)
        for j, service in enumerate(entry.get("services") or []):
            if service.get("icon"):
                try:
                    service["icon"] = project.url(resolve(service["icon"], path.parent, project))
                except AssetError as exc:
                    problems.append(error(path, lines.get(here + ("services", j, "icon")), str(exc)))
        start, end = entry.get("valid_from"), entry.get("valid_to")
        extended_to = (entry.get("extension") or {}).get("valid_to")
        if start and end and start > end:
            problems.append(error(path, lines.get(here + ("valid_to",)), msg(
                "periods[{index}].valid_to: {end} is before valid_from ({start})",
                index=i, end=short_date(end), start=short_date(start))))
        if end and extended_to and extended_to <= end:
            problems.append(error(path, lines.get(here + ("extension", "valid_to")), msg(
                "periods[{index}].extension.valid_to: {extended} does not come after valid_to ({end}): "
                "an extension keeps the standard in force past its period",
                index=i, extended=short_date(extended_to), end=short_date(end))))
        confirmed = frozenset(FACTS if entry.get("confirmed") == "all" else entry.get("confirmed") or ())
        for name in FACTS:
            if name in confirmed and _fact(entry, name) in (None, "", []):
                problems.append(error(path, lines.get(here + ("confirmed",)), msg(
                    "periods[{index}].confirmed: {name} is listed as confirmed but has no value: "
                    "fill it in, or take it off the list", index=i, name=name)))
        if start and end and entry.get("period"):
            periods.append(Period(entry["period"], start, end, extended_to, confirmed, entry,
                                  lines.get(here)))
    problems.extend(_overlaps(periods, path))
    if any(p.is_error for p in problems) or not periods:
        return None, problems
    return Poverty(tuple(sorted(periods, key=lambda p: p.valid_from)), project.relative(path)), problems


def _overlaps(periods: list[Period], path: Path) -> list[Problem]:
    """A day belongs to one period at most: otherwise which standard a piece shows is a guess."""
    found = []
    for j, later in enumerate(periods):
        for earlier in periods[:j]:
            if later.label == earlier.label:
                found.append(error(path, later.line, msg(
                    "period {label} is listed twice (also on line {line}): keep one entry",
                    label=later.label, line=earlier.line)))
            elif later.valid_from <= earlier.in_force_to and earlier.valid_from <= later.in_force_to:
                found.append(error(path, later.line, msg(
                    "period {label} ({start}–{end}) overlaps period {other} ({other_start}–{other_end}, "
                    "extension included, line {line}): a day can be in one period only; fix the dates",
                    label=later.label, start=short_date(later.valid_from),
                    end=short_date(later.in_force_to), other=earlier.label,
                    other_start=short_date(earlier.valid_from), other_end=short_date(earlier.in_force_to),
                    line=earlier.line)))
    return found
