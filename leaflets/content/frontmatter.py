"""Front matter: YAML between `---` lines at the top of a Markdown file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import msg
from ..problems import ContentError, error
from .yaml_load import LineMap, load_yaml

FENCE = "---"


@dataclass(frozen=True)
class Document:
    """A Markdown file split into its metadata and its body."""

    path: Path
    meta: dict[str, Any]
    lines: LineMap  # key path -> line in the file
    body: str
    body_line: int  # file line of the body's first line


def split(text: str, path: Path) -> Document:
    """Split front matter from body; the YAML must be a mapping."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise ContentError([error(path, 1, msg("no front matter: start the file with a line '---', "
                                               "then YAML (layout, title, …), then '---'"))])
    for end in range(1, len(lines)):
        if lines[end].strip() in (FENCE, "..."):
            break
    else:
        raise ContentError([error(path, 1, msg("front matter is not closed: add a line '---' "
                                               "after the YAML"))])
    meta, line_map = load_yaml("\n".join(lines[1:end]), path, first_line=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError([error(path, 2, msg("front matter must be YAML keys and values "
                                               "(key: value), not a list or a single value"))])
    body = "\n".join(lines[end + 1:])
    return Document(path, meta, line_map, body, end + 2)
