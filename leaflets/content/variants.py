"""Variants: one piece made once per record of a collection.

    variants:
      data: communes      # content/data/communes.yaml, a list of records (or: households)
      as: xa              # content says {{ xa.name }}, {{ xa.hotline }}
      name: name          # the field whose value names each output (default: name; households: slug)

Each record makes its own job and files, `<piece>--<name>.pdf`, with the name
made ASCII from the Vietnamese (`Xã Đắk Hà` → `xa-dak-ha`). A record's `site:`
mapping overrides site data for its build (a commune's own office and
hotline in the contact block). Two records whose names make the same file
name are an error naming both.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ..i18n import msg
from ..problems import Problem, error
from ..vi import slug


@dataclass(frozen=True)
class Variant:
    """One record a piece is made for."""

    slug: str  # ASCII, part of file names: <piece>--<slug>
    label: str  # the record's name as written
    as_name: str  # what content calls the record
    record: dict[str, Any] = field(hash=False, compare=False)
    overrides: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def merged(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """`base` with `overrides` laid over it, mapping by mapping (neither is changed)."""
    out = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def variants_of(piece, site, households) -> tuple[list[Variant], list[Problem]]:
    """The variants a piece declares, from site data or the households; problems with them."""
    spec = piece.variants
    line = piece.line_of("variants", "data") or piece.line_of("variants")
    data = spec["data"]
    if data == "households":
        records = [h.as_context() for h in households]
        name_field = spec.get("name") or "slug"
    else:
        records = site.values.get(data)
        name_field = spec.get("name") or "name"
        if not isinstance(records, list):
            lists = sorted(k for k, v in site.values.items() if isinstance(v, list)
                           and all(isinstance(r, dict) for r in v))
            exist = ", ".join(["households", *lists])
            if records is None:
                return [], [error(piece.path, line, msg(
                    "variants: {data!r} is no such data file (content/data/{data}.yaml); lists of records "
                    "that exist: {lists}", data=data, lists=exist))]
            return [], [error(piece.path, line, msg(
                "variants: {data!r} is not a list of records (content/data/{data}.yaml); lists of records "
                "that exist: {lists}", data=data, lists=exist))]
    found: list[Variant] = []
    problems: list[Problem] = []
    by_slug: dict[str, str] = {}
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            problems.append(error(piece.path, line, msg("variants: record {number} of {data!r} is not a "
                                                        "mapping of fields", number=index + 1, data=data)))
            continue
        label = record.get(name_field)
        name = slug(str(label)) if label not in (None, "") else ""
        if not name or name == "section" and str(label).strip().lower() != "section":
            problems.append(error(piece.path, line, msg(
                "variants: record {number} of {data!r} has no {field!r} to name its file "
                "(its fields: {fields})", number=index + 1, data=data, field=name_field,
                fields=", ".join(map(str, record)) or msg("none"))))
            continue
        if name in by_slug:
            problems.append(error(piece.path, line, msg(
                "variants: {first!r} and {second} both make the file name {name!r}: give "
                "them names that differ in more than accents and punctuation",
                first=by_slug[name], second=repr(label), name=name)))
            continue
        by_slug[name] = str(label)
        overrides = record.get("site") or {}
        if not isinstance(overrides, dict):
            problems.append(error(piece.path, line, msg("variants: {label}: site must be a mapping "
                                                        "of the site data it overrides", label=repr(label))))
            continue
        found.append(Variant(name, str(label), spec.get("as") or "record", record, overrides))
    if not found and not problems:
        problems.append(error(piece.path, line, msg("variants: {data!r} has no records", data=data)))
    return found, problems
