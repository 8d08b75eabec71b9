"""Variants: one piece made once per record of a collection.

    variants:
      data: communes      # content/data/communes.yaml, a list of records (or: households)
      as: xa              # content says {{ xa.name }}, {{ xa.hotline }}
      name: name          # the field whose value names each output (default: name; households: slug)
      records: [Xã Ia Hrú, phuong-trung-tam]   # which records (names or file names), or: all
      where: {province: Sơn Nguyên}            # and/or: only records whose fields have these values

A piece chooses its records: a record added to the data file reaches only
the pieces that list it, ask for `all`, or match it with `where`. A piece
that says neither is made for every record, with a warning that says so.
A record's own `quantity` replaces the piece's `print.quantity` for its files.

Each record makes its own job and files, `<piece>--<name>.pdf`, with the name
made ASCII from the Vietnamese (`Xã Đắk Hà` → `xa-dak-ha`). A record's `site:`
mapping overrides site data for its build (a commune's own office and
hotline in the contact block). Two records whose names make the same file
name are an error naming both.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..i18n import msg
from ..problems import Problem, error, warning
from ..vi import slug


@dataclass(frozen=True)
class Variant:
    """One record a piece is made for."""

    slug: str  # ASCII, part of file names: <piece>--<slug>
    label: str  # the record's name as written (the value of the naming field)
    as_name: str  # what content calls the record
    record: dict[str, Any] = field(hash=False, compare=False)
    overrides: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    quantity: int | None = None  # the record's own `quantity`, else None (the piece's)
    # (slug, copies) of every variant the piece is made in: its own quantity, else the piece's
    run: tuple[tuple[str, int | None], ...] = ()

    @property
    def title(self) -> str:
        """How a person names the record: its `name` ("Hộ bà Y Hiên", "Phường Trung Tâm")."""
        name = self.record.get("name")
        return str(name) if isinstance(name, str) and name.strip() else self.label

    def name_in(self, title: str) -> str:
        """A piece's title that names this record: "… – Phường Trung Tâm", unless it already does
        (a household leaflet's title names its household)."""
        return title if self.title in title else f"{title} – {self.title}"


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
        quantity = record.get("quantity")
        if quantity is not None and (isinstance(quantity, bool) or not isinstance(quantity, int)
                                     or quantity < 1):
            problems.append(error(piece.path, line, msg("variants: {label}: quantity must be a whole "
                                                        "number of copies", label=repr(label))))
            continue
        found.append(Variant(name, str(label), spec.get("as") or "record", record, overrides, quantity))
    if problems:
        return found, problems
    found, problems = _chosen(piece, line, data, found)
    if not found and not problems:
        problems.append(error(piece.path, line, msg("variants: {data!r} has no records", data=data)))
    run = tuple((v.slug, v.quantity or piece.print.quantity) for v in found)
    return [dataclasses.replace(v, run=run) for v in found], problems


def _chosen(piece, line, data: str, found: list[Variant]) -> tuple[list[Variant], list[Problem]]:
    """The records the piece chooses with `records:` and `where:`; a warning when it chooses none."""
    spec = piece.variants
    listed, where = spec.get("records"), spec.get("where")
    problems: list[Problem] = []
    if listed is None and where is None:
        problems.append(warning(piece.path, line, msg(
            "variants: made for every record of {data!r} ({count}): a record added there adds a file "
            "to this piece; choose them with records: all, a list of names, or where:",
            data=data, count=len(found))))
    if isinstance(listed, list):
        by_key = {}
        for variant in found:
            by_key[variant.slug] = variant
            by_key[slug(variant.label)] = variant
            by_key[slug(variant.title)] = variant
        keep, unknown = [], []
        for name in listed:
            variant = by_key.get(slug(str(name)))
            if variant is None:
                unknown.append(str(name))
            elif variant not in keep:
                keep.append(variant)
        for name in unknown:
            problems.append(error(piece.path, piece.line_of("variants", "records") or line, msg(
                "variants: records: no record {name!r} in {data!r} (records: {known})", name=name,
                data=data, known=", ".join(v.title for v in found) or msg("none"))))
        found = [v for v in found if v in keep]
    if isinstance(where, dict):
        matching = [v for v in found if all(_matches(v.record.get(key), wanted)
                                            for key, wanted in where.items())]
        if not matching and found:
            problems.append(error(piece.path, piece.line_of("variants", "where") or line, msg(
                "variants: where: no record of {data!r} matches", data=data)))
        found = matching
    return found, problems


def _matches(value: Any, wanted: Any) -> bool:
    """A field matches a value, or any of a list of values; text compares without case and accents."""
    options = wanted if isinstance(wanted, list) else [wanted]
    if isinstance(value, str):
        return any(isinstance(o, str) and slug(o) == slug(value) for o in options)
    return any(o == value for o in options)
