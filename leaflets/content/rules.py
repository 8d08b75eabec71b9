"""Content rules: what a body's Markdown may hold, and an error on its line for the rest.

The parser (markdown.py) reads everything a writer might type; the rules
here then name, with the line, what would otherwise print as code or
silently vanish from the page:

- raw HTML (`<br>`, `<span style=…>`, `<img …>`, `<!-- … -->`): the tag,
  and what to write instead;
- attributes `{…}` the project does not read: a name ATTRIBUTES does not
  give the kind of block they stand before, a `{…}` with no block after it,
  or one inside a line of text (where it would print);
- what looks like a field but is not one (fields.py: `{{xa.ten}`, `{% if %}`).

ATTRIBUTES is the one table of what `{…}` on the line before a block sets.
An image takes a width (`{width=50%}` of the column, `{width=60mm}`) and an
alignment (`{align=right}`: floated, text around it), checked here and set
as the <img>'s inline style (IMAGE_STYLE), so that no layout rule outranks
it; `max-width: 100%` (base.css) keeps a width in mm inside its column.
Problems are collected in the parser's `env` under FOUND, as (line in the
parsed text from 0, message); markdown.parse() hands them back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..i18n import N_, Msg, msg
from .fields import syntax_problems

FOUND = "content_rules"

# What `{…}` on the line before a block may set, by the kind of block. A name
# listed here reaches the block's opening tag (`{.lead}` → class="lead"); a
# new one (an image's width, say) needs its presentation too, in the layouts'
# CSS or a render rule, before it goes in this table.
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "paragraph": ("class",),
    "image": ("class", "width", "align"),  # a paragraph that is only an image
    "heading": ("class",),
    "list": ("class",),
    "table": ("class",),
    "quote": ("class",),
}
KINDS = {"paragraph_open": "paragraph", "heading_open": "heading", "bullet_list_open": "list",
         "ordered_list_open": "list", "table_open": "table", "blockquote_open": "quote",
         "fence": "fence", "code_block": "code", "hr": "rule", "container_slot_open": "slot"}
KIND_NAMES = {
    "paragraph": N_("a paragraph"), "image": N_("an image"), "heading": N_("a heading"),
    "list": N_("a list"), "table": N_("a table"), "quote": N_("a quote"),
    "list item": N_("the text of a list item"), "fence": N_("a fenced block (```)"),
    "code": N_("an indented code block"), "rule": N_("a rule"), "slot": N_("a slot (:::)"),
    "block": N_("this block"),
}

_ITEM = r"""(?:\.[\w-]+|#[\w-]+|[A-Za-z_][\w:.-]*=(?:"[^"\n]*"|'[^'\n]*'|[^\s"'{}]+))"""
ITEM = re.compile(_ITEM)
ATTRIBUTE_LINE = re.compile(rf"^\{{\s*({_ITEM}(?:\s+{_ITEM})*)\s*\}}$")
# In a line of text, a `{…}` that reads as attributes (kramdown's `{: …}` too): it would print.
ATTRIBUTE_TEXT = re.compile(r"(?<!\{)\{:?[ \t]*(?:[.#][\w-]|[A-Za-z_][\w:.-]*[ \t]*=)[^{}\n]*\}(?!\})")


def syntax_of(name: str) -> str:
    """How a writer sets attribute `name`: {.class}, {#id}, {name=…}."""
    return {"class": "{.class}", "id": "{#id}"}.get(name, f"{{{name}=…}}")


# --- an image's width and alignment -------------------------------------------------------

WIDTH = re.compile(r"^(\d+(?:[.,]\d+)?)[ \t]*(%|mm)$")
# The inline style of each alignment: a float takes the text around it, a gap on its text side.
IMAGE_STYLE = {
    "left": "float: left; margin: 0 1em 0.5em 0",
    "right": "float: right; margin: 0 0 0.5em 1em",
    "center": "display: block; margin-left: auto; margin-right: auto",
}


def image_style(name: str, value: str) -> tuple[str | None, Msg | None]:
    """The CSS an image's `{width=…}` or `{align=…}` sets, or why its value is wrong."""
    if name == "align":
        if value in IMAGE_STYLE:
            return IMAGE_STYLE[value], None
        return None, msg("{{align={value}}}: an image is aligned left, right or center, such as "
                         "{{align=right}} (text goes around it)", value=value)
    match = WIDTH.match(value.strip())
    number = float(match.group(1).replace(",", ".")) if match else 0.0
    if match and match.group(2) == "%" and 1 <= number <= 100:
        return f"width: {number:g}%", None
    if match and match.group(2) == "mm" and number > 0:
        return f"width: {number:g}mm", None
    if match and match.group(2) == "%":
        return None, msg("{{width={value}}}: a width in percent is from 1% to 100% of the column, "
                         "such as {{width=50%}}", value=value)
    return None, msg("{{width={value}}}: write an image's width in percent of the column or in "
                     "millimetres, such as {{width=50%}} or {{width=60mm}}", value=value)


def supported_everywhere() -> str:
    """Every attribute some kind of block takes, as written: `{.class}`."""
    names = dict.fromkeys(name for names in ATTRIBUTES.values() for name in names)
    return ", ".join(syntax_of(name) for name in names)


# --- the attribute line and where it goes -------------------------------------------------

def attribute_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line that is only `{…}` attributes (it cannot break a paragraph: then it is text)."""
    if state.is_code_block(start):
        return False
    line = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]].strip()
    match = ATTRIBUTE_LINE.match(line)
    if not match:
        return False
    if silent:
        return True
    token = state.push("attributes", "", 0)
    token.map = [start, start + 1]
    token.content = line
    items = []
    for item in ITEM.findall(match.group(1)):
        if item[0] in ".#":
            items.append(("class" if item[0] == "." else "id", item[1:], item))
        else:
            key, _, value = item.partition("=")
            items.append((key, value.strip("\"'"), item))
    token.meta = {"items": items}
    state.line = start + 1
    return True


def _kind(tokens: list[Token], index: int) -> str:
    token = tokens[index]
    kind = KINDS.get(token.type, "block")
    if kind == "paragraph" and token.hidden:
        return "list item"  # a tight list's paragraph has no tag of its own to take a class
    if kind == "paragraph" and index + 1 < len(tokens):
        parts = [c for c in tokens[index + 1].children or ()
                 if not (c.type == "softbreak" or c.type == "text" and not c.content.strip())]
        if parts and all(c.type == "image" for c in parts):
            return "image"
    return kind


def _orphan(line: Token) -> tuple[int, Msg]:
    return line.map[0], msg("{written} has no block after it: put it on the line just before the "
                            "paragraph, heading, list or table it is for", written=line.content)


def attach_attributes(state: StateCore) -> None:
    """Give each `{…}` line's attributes to the block after it; refuse the ones it cannot take."""
    found = state.env.setdefault(FOUND, [])
    kept: list[Token] = []
    waiting: list[Token] = []
    for index, token in enumerate(state.tokens):
        if token.type == "attributes":
            waiting.append(token)
            continue
        if waiting and token.nesting < 0:  # the end of a slot, list item or quote
            found.extend(_orphan(line) for line in waiting)
        elif waiting:
            kind = _kind(state.tokens, index)
            images = [c for c in state.tokens[index + 1].children or () if c.type == "image"] \
                if kind == "image" else []
            for line in waiting:
                _apply(line, token, kind, found, images)
        waiting = []
        kept.append(token)
    found.extend(_orphan(line) for line in waiting)
    state.tokens = kept


def _apply(line: Token, block: Token, kind: str, found: list, images: list[Token]) -> None:
    allowed = ATTRIBUTES.get(kind, ())
    refused = []
    for name, value, written in line.meta["items"]:
        if name not in allowed:
            refused.append(written)
        elif name in ("width", "align"):  # on the <img> itself (an image's paragraph is only that)
            style, problem = image_style(name, value)
            if problem is not None:
                found.append((line.map[0], problem))
            for image in images if style else ():
                before = image.attrGet("style")
                image.attrSet("style", f"{before}; {style}" if before else style)
        elif name == "class":
            before = block.attrGet("class")
            block.attrSet("class", f"{before} {value}" if before else value)
        else:
            block.attrSet(name, value)
    if not refused:
        return
    where = msg(KIND_NAMES[kind])
    if allowed:
        found.append((line.map[0], msg(
            "{refused} cannot be set on {kind}, only {supported} (see “Content rules” in the README)",
            refused="{" + " ".join(refused) + "}", kind=where,
            supported=", ".join(syntax_of(name) for name in allowed))))
    else:
        found.append((line.map[0], msg("{written}: {kind} takes no attributes; delete the line",
                                       written=line.content, kind=where)))


# --- raw HTML and text that would print ---------------------------------------------------

LINE_BREAK = N_("for a new line in the same paragraph, end the line with a backslash (\\); for a new "
                "paragraph, leave a blank line")
STYLE = N_("type, colour and size come from the layout: put a class such as {{.lead}} on the line "
           "before the block")
TABLE = N_("write a table with | between the cells")
LIST = N_("start each item with - (or 1. for a numbered list)")
ADVICE: dict[str, str] = {
    "br": LINE_BREAK,
    "p": N_("leave a blank line between paragraphs"), "div": N_("leave a blank line between paragraphs"),
    "b": N_("write **bold**"), "strong": N_("write **bold**"),
    "i": N_("write *italic*"), "em": N_("write *italic*"),
    "img": N_("write ![what the picture shows](../images/file.jpg) on a line of its own"),
    "a": N_("write [text](https://…)"),
    **{f"h{n}": N_("start the line with # for a chapter, ## for a section") for n in range(1, 7)},
    **{tag: LIST for tag in ("ul", "ol", "li")},
    **{tag: TABLE for tag in ("table", "thead", "tbody", "tr", "td", "th")},
    "sup": N_("type the character itself (m², ³, ₂)"), "sub": N_("type the character itself (m², ³, ₂)"),
    **{tag: STYLE for tag in ("span", "font", "u", "small", "big", "center", "mark", "style")},
    "!--": N_("a comment would print on the page: delete it (keep notes in the front matter, "
              "on lines starting with #)"),
}
MARKDOWN_INSTEAD = N_("write it in Markdown: the layout does the presentation")
TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)|<(!--)")


def html_problem(content: str) -> tuple[str, Msg]:
    """The tag a piece of raw HTML starts with, and the error for it."""
    match = TAG.search(content)
    name = (match.group(1) or match.group(2)).lower() if match else ""
    written = "<!-- … -->" if name == "!--" else (re.search(r"<[^>\n]{0,50}>?", content) or
                                                   re.search(r"\S+", content)).group()
    return name, msg("raw HTML {tag} is not allowed in content: {advice}", tag=written,
                     advice=msg(ADVICE.get(name, MARKDOWN_INSTEAD)))


def children_with_lines(inline: Token, first: int = 0) -> Iterator[tuple[Token, int]]:
    """Each child of an inline token with its line (from `first` + the inline's own line)."""
    line = first + (inline.map[0] if inline.map else 0)
    for child in inline.children or ():
        yield child, line
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        else:
            line += child.content.count("\n")


def text_problems(text: str) -> list[Msg]:
    """Fields that are not fields, and attributes in a line of text (where they would print)."""
    found = syntax_problems(text)
    for match in ATTRIBUTE_TEXT.finditer(text):
        found.append(msg("{written} would print as text: attributes go alone on the line before a "
                         "block, after a blank line (supported: {supported})",
                         written=match.group(), supported=supported_everywhere()))
    return found


def check_content(state: StateCore) -> None:
    """Raw HTML, and text that looks like attributes or fields but would print as it is."""
    found = state.env.setdefault(FOUND, [])
    for token in state.tokens:
        if token.type == "html_block" and token.map:
            found.append((token.map[0], html_problem(token.content)[1]))
        if token.type != "inline":
            continue
        said: set[tuple[int, str]] = set()
        for child, line in children_with_lines(token):
            if child.type == "html_inline":
                name, problem = html_problem(child.content)
                if (line, name) not in said:  # <span …>…</span>: once
                    said.add((line, name))
                    found.append((line, problem))
            elif child.type == "text":
                found.extend((line, problem) for problem in text_problems(child.content))
