"""Fields in content: `{{ site.agency.hotline }}` or `{{ xa.name }}` print a value from the data.

A field is a name and nothing else: dotted keys looked up in the data a
piece is built with (`site`: every data file, with a variant's overrides;
`piece`: its title, subtitle, revision, date; and the record of a variant
under the name the piece gives it, e.g. `xa`). There are no expressions,
filters or tags: content is never evaluated as a template, and a value
goes into the page as text (it cannot become Markdown or HTML). A name the
data does not have is an error naming the line and the fields that exist.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from .. import vi

FIELD = re.compile(r"\{\{(.*?)\}\}", re.S)
NAME = re.compile(r"^[A-Za-z_][\w-]*(?:\.[\w-]+)*$")
SHOWN = 24  # at most this many field names in a message


class FieldError(ValueError):
    """A field that cannot be filled in; the message says why and what exists."""


def _lookup(fields: dict[str, Any], name: str) -> Any:
    value: Any = fields
    for part in name.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise KeyError(name)
    return value


def leaf_names(fields: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Every dotted name that leads to a value (not a mapping or a list)."""
    for key, value in fields.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from leaf_names(value, name + ".")
        elif not isinstance(value, list):
            yield name


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dt.date):
        return vi.date(value)
    if isinstance(value, float):
        return vi.decimal(value)
    return str(value)


def value_of(fields: dict[str, Any], expression: str) -> str:
    """The text a `{{ … }}` stands for; FieldError when it is not a known field."""
    name = expression.strip()
    if not NAME.match(name):
        raise FieldError(f"“{{{{{expression}}}}}” is not a field: write a name from the data, such as "
                         "{{ site.agency.hotline }} (no expressions or filters)")
    try:
        value = _lookup(fields, name)
    except KeyError:
        known = sorted(leaf_names(fields))
        near = [k for k in known if k.split(".")[0] == name.split(".")[0]] or known
        more = f", … ({len(near) - SHOWN} more)" if len(near) > SHOWN else ""
        raise FieldError(f"field {{{{ {name} }}}} is not in the data; fields that exist: "
                         f"{', '.join(near[:SHOWN])}{more}") from None
    if isinstance(value, (dict, list)):
        kind = "a group of values" if isinstance(value, dict) else "a list"
        raise FieldError(f"field {{{{ {name} }}}} is {kind}: name one value in it "
                         f"(e.g. {next(iter(leaf_names({name: value})), name + '.…')})")
    if value is None:
        raise FieldError(f"field {{{{ {name} }}}} has no value in the data: fill it in")
    return _shown(value)


def fill(text: str, fields: dict[str, Any]) -> str:
    """`text` with every field replaced by its value (FieldError on the first that cannot be)."""
    if "{{" not in text:
        return text
    return FIELD.sub(lambda m: value_of(fields, m.group(1)), text)


def problems_in(text: str, fields: dict[str, Any]) -> list[str]:
    """Why each field in `text` cannot be filled in (empty when all can)."""
    found = []
    for match in FIELD.finditer(text):
        try:
            value_of(fields, match.group(1))
        except FieldError as exc:
            found.append(str(exc))
    return found
