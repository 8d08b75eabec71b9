"""YAML read once, safely, with a line for every key.

Content YAML (front matter, data blocks, content/data/*.yaml) is written by
people, copied from e-mails and sometimes hostile, so:

- it is parsed once, with libyaml's C parser when PyYAML has it;
- anchors and aliases (`&a`, `*a`) are refused: nobody needs them to
  describe a leaflet, and they are how a few lines expand into gigabytes
  (an alias bomb) or into a value that contains itself;
- nesting is limited to MAX_DEPTH levels;
- a date or time that does not exist (`2025-02-30`, `25:00:00`) is an error
  on its line, not a traceback.

Every problem is a `ContentError` naming the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..i18n import msg
from ..problems import ContentError, error
from .textio import nfc_tree

LineMap = dict[tuple, int]
MAX_DEPTH = 40  # levels of mappings and lists; real content uses four or five

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _BadDate(yaml.constructor.ConstructorError):
    """A date or time that does not exist; `message` says so (a Msg)."""

    def __init__(self, message, mark):
        super().__init__(None, None, str(message), mark)
        self.message = message


class _Constructor(yaml.constructor.SafeConstructor):
    """The safe constructor, with impossible dates and times reported on their line."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise _BadDate(msg("{value!r} is not a real date or time ({error}); write it as YYYY-MM-DD",
                               value=node.value, error=str(exc)), node.start_mark) from None


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def _check_tree(root: yaml.Node, path: Path, first_line: int) -> None:
    """Refuse aliases (a node met twice) and too deep nesting, without recursion."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        line = node.start_mark.line + first_line
        if id(node) in seen:
            raise ContentError([error(path, line, msg("YAML: anchors and aliases (&name, *name) are not "
                                                      "allowed in content; write the value out in full"))])
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise ContentError([error(path, line, msg("YAML: nested more than {depth} levels deep; "
                                                      "content data is never that deep", depth=MAX_DEPTH))])
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


def _lines_of(node: yaml.Node, keys: tuple, first_line: int, out: LineMap) -> None:
    out.setdefault(keys, node.start_mark.line + first_line)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = keys + (key_node.value,)
            out[key] = key_node.start_mark.line + first_line
            _lines_of(value_node, key, first_line, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines_of(item, keys + (i,), first_line, out)


def _marked(exc: yaml.MarkedYAMLError, path: Path, first_line: int) -> ContentError:
    mark = exc.problem_mark or exc.context_mark
    # PyYAML's own words ("found unexpected end of stream") stay in English: they are the library's.
    what = exc.message if isinstance(exc, _BadDate) else exc.problem or exc.context or msg("invalid YAML")
    if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
        # An unclosed quote or bracket: the line where it opened is the one to fix.
        mark = exc.context_mark
        what = msg("{problem} ({context} that starts on this line)", problem=exc.problem,
                   context=exc.context)
    line = mark.line + first_line if mark else None
    return ContentError([error(path, line, msg("YAML: {problem}", problem=what))])


def load_yaml(text: str, path: Path, first_line: int = 1) -> tuple[Any, LineMap]:
    """The value of a YAML text (NFC strings) and the line of every key.

    `first_line` is the file line of the text's first line (front matter starts
    on line 2 of a Markdown file).
    """
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        if node is None:
            return None, {}
        _check_tree(node, path, first_line)
        value = _Constructor().construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _marked(exc, path, first_line) from None
    except yaml.YAMLError as exc:
        raise ContentError([error(path, None, msg("YAML: {problem}", problem=str(exc)))]) from None
    except RecursionError:
        raise ContentError([error(path, None, msg("YAML: nested more than {depth} levels deep; "
                                                  "content data is never that deep",
                                                  depth=MAX_DEPTH))]) from None
    lines: LineMap = {}
    _lines_of(node, (), first_line, lines)
    return nfc_tree(value), lines
