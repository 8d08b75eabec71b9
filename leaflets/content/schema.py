"""Declared schemas for YAML and TOML inputs, checked with line numbers.

A schema is a mapping of key -> `Field`. `check()` walks a loaded value
against it and returns the cleaned value (defaults filled in) and every
problem at once: missing and wrong-typed keys are errors, unknown keys are
warnings (a typo in an optional key must not pass silently, but must not stop
a print run either; `--strict` turns warnings into errors).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import N_, msg
from ..problems import Problem, error, warning
from .yaml_load import LineMap

_TYPE_NAMES = {
    str: N_("text"), int: N_("a whole number"), float: N_("a number"), bool: N_("true or false"),
    dt.date: N_("a date (YYYY-MM-DD)"), list: N_("a list"), dict: N_("a mapping"),
}


@dataclass(frozen=True)
class Field:
    """One key of a schema."""

    types: tuple[type, ...]
    required: bool = False
    default: Any = None
    doc: str = ""  # shown in messages (the doc of a required key): mark it with N_()
    choices: tuple | None = None
    schema: Mapping[str, Field] | None = None  # for mappings
    items: Field | None = None  # for lists
    check: Callable[[Any], str | None] | None = None  # extra rule: message or None
    open: bool = False  # a mapping whose keys are free (no unknown-key warning)


def f(*types: type, **kw) -> Field:
    return Field(types=types, **kw)


@dataclass
class Checked:
    value: dict
    problems: list[Problem] = field(default_factory=list)


def _type_ok(value: Any, types: tuple[type, ...]) -> bool:
    for t in types:
        if t is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        if t is int and isinstance(value, int) and not isinstance(value, bool):
            return True
        if t is dt.date and isinstance(value, dt.date):
            return True
        if t not in (int, float, dt.date) and isinstance(value, t):
            return True
    return False


def _describe(types: tuple[type, ...]):
    """What `types` are, in words (a Msg: translated when shown)."""
    names = [msg(_TYPE_NAMES[t]) if t in _TYPE_NAMES else t.__name__ for t in types]
    described = names[0]
    for name in names[1:]:
        described = msg("{first} or {second}", first=described, second=name)
    return described


def _dotted(keys: tuple) -> str:
    out = ""
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


def _line(lines: LineMap, keys: tuple) -> int | None:
    while keys:
        if keys in lines:
            return lines[keys]
        keys = keys[:-1]
    return lines.get((), None)


def check(value: Any, schema: Mapping[str, Field], path: Path, lines: LineMap,
          prefix: tuple = ()) -> Checked:
    """Check `value` (a loaded mapping) against `schema`."""
    out = Checked({})
    if not isinstance(value, dict):
        out.problems.append(error(path, _line(lines, prefix),
                                  msg("{key}: expected a mapping of keys", key=_dotted(prefix))
                                  if prefix else msg("document: expected a mapping of keys")))
        return out
    for key, spec in schema.items():
        keys = prefix + (key,)
        if key not in value or value[key] is None:
            if spec.required:
                out.problems.append(error(
                    path, _line(lines, prefix) if prefix else None,
                    msg("{key}: missing (required: {what})", key=_dotted(keys),
                        what=msg(spec.doc) if spec.doc else _describe(spec.types))))
            elif spec.schema is not None and spec.default is None:
                out.value[key] = check({}, spec.schema, path, lines, keys).value
            else:
                out.value[key] = spec.default
            continue
        cleaned, problems = _check_value(value[key], spec, path, lines, keys)
        out.value[key] = cleaned
        out.problems.extend(problems)
    for key in value:
        if key not in schema:
            known = ", ".join(schema)
            out.problems.append(warning(path, _line(lines, prefix + (key,)),
                                        msg("{key}: unknown key (known: {known})",
                                            key=_dotted(prefix + (key,)), known=known)))
    return out


def _check_value(value: Any, spec: Field, path: Path, lines: LineMap,
                 keys: tuple) -> tuple[Any, list[Problem]]:
    where = _line(lines, keys)
    if not _type_ok(value, spec.types):
        return spec.default, [error(path, where, msg("{key}: expected {expected}, got {value}",
                                                     key=_dotted(keys), expected=_describe(spec.types),
                                                     value=repr(value)))]
    if spec.choices is not None and value not in spec.choices:
        allowed = ", ".join(str(c) for c in spec.choices)
        return spec.default, [error(path, where, msg("{key}: {value} is not one of: {allowed}",
                                                     key=_dotted(keys), value=repr(value), allowed=allowed))]
    if spec.check is not None:
        message = spec.check(value)
        if message:
            return spec.default, [error(path, where, msg("{key}: {message}", key=_dotted(keys),
                                                         message=message))]
    if isinstance(value, dict) and spec.schema is not None and not spec.open:
        checked = check(value, spec.schema, path, lines, keys)
        return checked.value, checked.problems
    if isinstance(value, list) and spec.items is not None:
        items, problems = [], []
        for i, item in enumerate(value):
            cleaned, found = _check_value(item, spec.items, path, lines, keys + (i,))
            items.append(cleaned)
            problems.extend(found)
        return items, problems
    return value, []


# --- TOML: tomllib keeps no positions, so find keys in the text ---------------

def toml_lines(text: str) -> LineMap:
    """Map top-level and table keys of a TOML file to their first line (best effort)."""
    lines: LineMap = {}
    table: tuple = ()
    counts: dict[tuple, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if m := re.match(r"^\[\[\s*([\w.-]+)\s*\]\]", line):
            name = tuple(m.group(1).split("."))
            index = counts.get(name, 0)
            counts[name] = index + 1
            table = name + (index,)
            lines.setdefault(name, number)
            lines[table] = number
        elif m := re.match(r"^\[\s*([\w.-]+)\s*\]", line):
            table = tuple(m.group(1).split("."))
            lines.setdefault(table, number)
        elif m := re.match(r"^([\w-]+)\s*=", line):
            lines.setdefault(table + (m.group(1),), number)
    return lines
