"""The one Markdown dialect of the project, and how a body splits into slots.

- CommonMark with tables, strikethrough and the typographer (“ ” ‘ ’, … – — © ™ ® ±).
- Raw HTML is read, to be refused on its line (rules.py): content is data,
  layouts do the presentation. Rendered, it would only ever print as text.
- Every top-level `::: name` container is a slot; it ends at a line `:::`.
- `{.class}` on the line before a block gives it a class: rules.ATTRIBUTES
  says what each kind of block takes, and anything else is an error.
- Fenced blocks whose info string names a data block (```households, …)
  are replaced by data from `content/` at compose time; their body is YAML.
- A no-break space joins a number to the unit after it (PRINT-SPEC §5).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from ..i18n import Msg, msg
from ..vi import slug
from . import rules
from .fields import fill

NBSP = "\u00a0"
UNITS = ("đồng", "VNĐ", "VND", "%", "triệu", "tỷ", "nghìn", "ngàn", "ha", "kg", "tấn",
         "m²", "m2", "km", "cm", "mm", "người", "hộ", "con", "năm", "tháng", "ngày", "lần")
_UNIT_RE = re.compile(r"(?<=\d) (?=(?:" + "|".join(re.escape(u) for u in UNITS) + r")(?!\w))")
_PERCENT_RE = re.compile(r"(?<=\d) %")


_RANGE_RE = re.compile(r"\d+[–-]\d+")


def _nbsp_units(state) -> None:
    """Join a number to its unit with a no-break space; keep ranges (2021–2025) on one line."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = []
        for child in token.children:
            if child.type == "text" and " " in child.content:
                child.content = _PERCENT_RE.sub("%", _UNIT_RE.sub(NBSP, child.content))
            if child.type == "text" and _RANGE_RE.search(child.content):
                children.extend(_wrap_ranges(child))
            else:
                children.append(child)
        token.children = children


def _wrap_ranges(text_token: Token) -> list[Token]:
    """Split a text token so each number range sits in <span class="nobr">."""
    out, last = [], 0
    for match in _RANGE_RE.finditer(text_token.content):
        if match.start() > last:
            out.append(_text(text_token.content[last:match.start()]))
        out.append(Token("nobr_open", "span", 1))
        out.append(_text(match.group()))
        out.append(Token("nobr_close", "span", -1))
        last = match.end()
    if last < len(text_token.content):
        out.append(_text(text_token.content[last:]))
    return out


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _heading_open(renderer, tokens, idx, options, env) -> str:
    """Give headings an id (for the table of contents) and note them in `env`."""
    token = tokens[idx]
    if env is not None and "headings" in env and idx + 1 < len(tokens):
        inline = tokens[idx + 1]
        text = "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))
        text = fill(text or inline.content, env.get("fields") or {})
        ids = env.setdefault("ids", set())
        base = slug(text)
        anchor, n = base, 2
        while anchor in ids:
            anchor, n = f"{base}-{n}", n + 1
        ids.add(anchor)
        token.attrSet("id", anchor)
        env["headings"].append(Heading(int(token.tag[1]), text, anchor, env.get("slot")))
    return renderer.renderToken(tokens, idx, options, env)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str
    slot: str | None


def make_parser() -> MarkdownIt:
    # HTML is parsed only so that each tag is found, with its line, and refused
    # (rules.py); what is rendered of it is text, never markup.
    md = MarkdownIt("commonmark", {"typographer": True, "html": True, "quotes": "“”‘’"})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    # markdown-it silently leaves `![x](file:///…)` as literal text; let every
    # link through so that pieces.py can refuse it with a line number instead.
    md.validateLink = lambda url: True
    container_plugin(md, "slot", validate=lambda params, *args: bool(params.strip()))
    md.block.ruler.before("fence", "attributes", rules.attribute_line)
    md.core.ruler.push("attributes", rules.attach_attributes)
    md.core.ruler.push("content_rules", rules.check_content)
    md.core.ruler.push("vi_nbsp_units", _nbsp_units)
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("text", _text_with_fields)
    md.add_render_rule("html_block", _as_text)
    md.add_render_rule("html_inline", _as_text)
    md.add_render_rule("nobr_open", lambda renderer, *_: '<span class="nobr">')
    md.add_render_rule("nobr_close", lambda renderer, *_: "</span>")
    return md


def _as_text(renderer, tokens, idx, options, env) -> str:
    return escapeHtml(tokens[idx].content)


def parse(text: str) -> tuple[list[Token], list[tuple[int, Msg]]]:
    """The tokens of a body, and what in it breaks the content rules (rules.py): (line in
    `text` from 0, why), in the order of the text."""
    env: dict[str, Any] = {}
    tokens = parser().parse(text, env)
    return tokens, sorted(env.get(rules.FOUND, []), key=lambda found: found[0])


def _text_with_fields(renderer, tokens, idx, options, env) -> str:
    """Text, with `{{ fields }}` filled in from env["fields"] (as text: never Markdown or HTML)."""
    content = tokens[idx].content
    if env is not None and "{{" in content:
        content = fill(content, env.get("fields") or {})
    return escapeHtml(content)


_PARSER: MarkdownIt | None = None


def parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        _PARSER = make_parser()
    return _PARSER


@dataclass
class Slot:
    """A named part of a piece's body: its tokens and the file line it starts on."""

    name: str
    line: int
    tokens: list[Token] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(t.type not in ("softbreak",) for t in self.tokens)


@dataclass
class SlotSplit:
    slots: dict[str, Slot]
    stray: list[tuple[int, Msg]]  # (line, problem) for content outside or badly nested
    outside: list[Token]  # tokens outside any slot (for layouts with a flowing body)


def split_slots(tokens: Sequence[Token], first_line: int) -> SlotSplit:
    """Group the top-level tokens of a parsed body by slot.

    `first_line` is the file line of the body's first line; token maps are
    relative to the body.
    """
    result = SlotSplit({}, [], [])
    current: Slot | None = None
    for token in tokens:
        line = token.map[0] + first_line if token.map else None
        if token.type == "container_slot_open" and token.level == 0:
            name = token.info.strip().split()[0]
            if name in result.slots:
                result.stray.append((line, msg("slot {name!r} appears twice (first at line {first})",
                                               name=name, first=result.slots[name].line)))
            current = Slot(name, line or first_line)
            result.slots[name] = current
            continue
        if token.type == "container_slot_close" and token.level == 0:
            current = None
            continue
        if token.type == "container_slot_open":
            name = token.info.strip().split()[0]
            outer = current.name if current else "?"
            result.stray.append((line, msg("slot {name!r} starts inside slot {outer!r}: close "
                                           "{outer!r} with a line ':::' before it", name=name, outer=outer)))
            continue
        if token.type == "container_slot_close":
            continue
        if current is not None:
            current.tokens.append(token)
        else:
            result.outside.append(token)
    return result


def first_line_of(tokens: Sequence[Token], first_line: int) -> int | None:
    for token in tokens:
        if token.map:
            return token.map[0] + first_line
    return None


def walk_images(tokens: Sequence[Token], first_line: int):
    """Yield (image token, file line) for every image in `tokens`."""
    line = None
    for token in tokens:
        if token.map:
            line = token.map[0] + first_line
        for child in token.children or ():
            if child.type == "image":
                yield child, line


def render(tokens: Sequence[Token], env: dict[str, Any] | None = None) -> str:
    md = parser()
    return md.renderer.render(list(tokens), md.options, env if env is not None else {})
