"""Fields in content: `{{ site.agency.hotline }}` or `{{ xa.name }}` print a value from the data.

A field is a name and nothing else: dotted keys looked up in the data a
piece is built with (`site`: every data file, with a variant's overrides;
`piece`: its title, subtitle, revision, date; and the record of a variant
under the name the piece gives it, e.g. `xa`). There are no expressions,
filters or tags: content is never evaluated as a template, and a value
goes into the page as text (it cannot become Markdown or HTML). A name the
data does not have is an error naming the line and the fields that exist;
so is anything that looks like a field or a template tag but is not a field
(`{{xa.ten}`, `{{ xa.ten | upper }}`, `{% if … %}`, `{xa.ten}`): left alone,
it would print as it is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from .. import vi
from ..i18n import Msg, msg

FIELD = re.compile(r"\{\{((?:(?!\{\{).)*?)\}\}", re.S)  # the nearest {{ before each }}
NAME = re.compile(r"^[A-Za-z_][\w-]*(?:\.[\w-]+)*$")
SHOWN = 24  # at most this many field names in a message
# Template syntax content never has: tags and comments of Jinja (and of most
# template languages), and a dotted name in single braces (a field with a brace lost).
TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}|\{%", re.S)
SINGLE = re.compile(r"(?<!\{)\{\s*[A-Za-z_][\w-]*(?:\.[\w-]+)+\s*\}(?!\})")
EXAMPLE = "{{ site.agency.hotline }}"


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


def _not_a_field(written: str) -> Msg:
    return msg("“{written}” is not a field: write a name from the data, such as {example} "
               "(no expressions, filters or tags)", written=written, example=EXAMPLE)


def syntax_problems(text: str) -> list[Msg]:
    """What in `text` looks like a field or a template tag but is not a field (whatever the data)."""
    found = [_not_a_field(m.group()) for m in FIELD.finditer(text) if not NAME.match(m.group(1).strip())]
    rest = FIELD.sub(" ", text)
    for match in TAG.finditer(rest):
        found.append(msg("“{written}” is a template tag, which content does not have: it would print "
                         "as written. Write the text itself (for text that differs per commune or "
                         "household, make the piece with variants: and use fields)",
                         written=match.group()))
    rest = TAG.sub(" ", rest)
    if "{{" in rest or "}}" in rest:
        found.append(msg("“{written}” is half a field: write a field with two braces on each side, "
                         "such as {example}", written=_around(rest, "{{" if "{{" in rest else "}}"),
                         example=EXAMPLE))
    for match in SINGLE.finditer(rest):
        found.append(msg("“{written}” has one brace on each side, so it would print as written: "
                         "write a field with two, such as {example}", written=match.group(),
                         example=EXAMPLE))
    return found


def field_like(text: str) -> str | None:
    """The first thing in `text` written like a field or a template tag, good or not, or None."""
    spans = [m.span() for pattern in (FIELD, TAG, SINGLE) if (m := pattern.search(text))]
    spans += [(at, at + 2) for mark in ("{{", "}}") if (at := text.find(mark)) != -1]
    if not spans:
        return None
    start, end = min(spans, key=lambda span: (span[0], -span[1]))  # the longest of the first
    return text[start:end] if end - start > 2 else _around(text, text[start:end])


def _around(text: str, mark: str) -> str:
    """The half field around the first `mark` ({{ or }}), to quote in a message."""
    at = text.index(mark)
    if mark == "{{":
        end = text.find("}", at + 2, at + 40)
        return text[at:end + 1 if end != -1 else at + 20].strip()
    start = text.rfind("{", max(at - 40, 0), at)
    return text[start if start != -1 else max(at - 20, 0):at + 2].strip()


def value_of(fields: dict[str, Any], expression: str) -> str:
    """The text a `{{ … }}` stands for; FieldError when it is not a known field."""
    name = expression.strip()
    if not NAME.match(name):
        raise FieldError(_not_a_field(f"{{{{{expression}}}}}"))
    try:
        value = _lookup(fields, name)
    except KeyError:
        known = sorted(leaf_names(fields))
        near = [k for k in known if k.split(".")[0] == name.split(".")[0]] or known
        shown = ", ".join(near[:SHOWN])
        if len(near) > SHOWN:
            shown = msg("{names}, … ({count} more)", names=shown, count=len(near) - SHOWN)
        raise FieldError(msg("field {{{{ {name} }}}} is not in the data; fields that exist: {known}",
                             name=name, known=shown)) from None
    if isinstance(value, (dict, list)):
        example = next(iter(leaf_names({name: value})), name + ".…")
        if isinstance(value, dict):
            raise FieldError(msg("field {{{{ {name} }}}} is a group of values: name one value in it "
                                 "(e.g. {example})", name=name, example=example))
        raise FieldError(msg("field {{{{ {name} }}}} is a list: name one value in it (e.g. {example})",
                             name=name, example=example))
    if value is None:
        raise FieldError(msg("field {{{{ {name} }}}} has no value in the data: fill it in", name=name))
    return _shown(value)


def fill(text: str, fields: dict[str, Any]) -> str:
    """`text` with every field replaced by its value (FieldError on the first that cannot be)."""
    if "{{" not in text:
        return text
    return FIELD.sub(lambda m: value_of(fields, m.group(1)), text)


def problems_in(text: str, fields: dict[str, Any]) -> list[Msg]:
    """Why each field in `text` cannot be filled in, and what only looks like one (empty when
    every field can be filled in)."""
    found = syntax_problems(text)
    for match in FIELD.finditer(text):
        if not NAME.match(match.group(1).strip()):
            continue  # said above
        try:
            value_of(fields, match.group(1))
        except FieldError as exc:
            found.append(exc.args[0])
    return found
