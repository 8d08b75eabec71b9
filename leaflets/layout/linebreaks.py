"""Where lines may break: words kept whole in display type, numbers kept whole everywhere.

One step on the composed HTML (compose.py calls `apply` once per piece),
working on text nodes only: tags, attributes, URLs, code and the CSS in
`<style>` are passed through byte for byte. Content stays inert: nothing
here evaluates it; it is text in, text out.

- **Display type** (headings h1–h4, the cover title and subtitle, slogan
  bands, the text of banners, standees and panos, the small headings of
  data blocks; see `DISPLAY_CLASSES`): the syllables of each word are joined
  by no-break spaces (content/words.py), so a line breaks only between
  words. Each word is wrapped in `<span class="w">` and the element gets
  `data-lb="N"`: render/balance.py measures those spans to balance the lines.
  A backslash standing alone between spaces (`# Chung tay \\ vì người nghèo`)
  is a manual line break there.
- **All text**: numbers stay whole and with their units: "2021 – 2025",
  "17/10–18/11", "1.500.000 đồng/người/tháng", "90 %", "15 m²", "2,2 triệu
  đồng", "ngày 17", "0260 3 861 234". Spaces become no-break spaces; a run
  with a dash between numbers or a slash, where a line could still break,
  is wrapped in `<span class="nobr">` (white-space: nowrap, base.css).
  A dash between phrases ("nghèo – Không") stays at the end of its line.
"""

from __future__ import annotations

import html
import re

from ..content.words import groups

NBSP = "\u00a0"
MANUAL_BREAK = "\\"

# What the layouts set as display type (layouts/_base/*.css, the layouts' style.css).
DISPLAY_TAGS = frozenset({"h1", "h2", "h3", "h4"})
DISPLAY_CLASSES = frozenset({
    "title", "subtitle", "slogan", "agency-line", "contents-title", "household-name",
    "service-name", "household-box-title", "contact-title", "chapter-title",
    "display",  # any element a layout wants treated as display type
})
# Paragraphs inside these are display type too: banners, standees, panos, posters.
DISPLAY_INSIDE = frozenset({"role--banner", "banner-foot"})
# Text inside these is left exactly as it is.
VERBATIM = frozenset({"code", "pre", "kbd", "samp", "script", "style", "head", "title", "svg"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})

_TOKEN = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|<![^>]*>|<\?[^>]*>"
                    r"|</?[A-Za-z][^>]*>|[^<]+|<", re.S | re.I)
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_DATA_LB = re.compile(r'\sdata-lb="([^"]*)"')
_CLASS = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)

# Numbers: 2021, 1.500.000, 2,2, 17/10, 01/01/2026.
_NUM = r"\d+(?:[.,/]\d+)*"
_S = "[ \u00a0]"
UNITS = ("đồng", "đ", "VNĐ", "VND", "USD", "%", "‰", "triệu", "tỷ", "nghìn", "ngàn", "trăm",
         "ha", "sào", "kg", "tạ", "tấn", "g", "lít", "l", "ml", "m", "m²", "m2", "m³", "m3",
         "km", "km²", "cm", "mm", "°C", "người", "hộ", "con", "năm", "tháng", "tuần", "ngày",
         "giờ", "phút", "lần", "tuổi")
PREFIXES = ("ngày", "tháng", "năm", "số", "điều", "khoản", "chương", "mục", "trang", "quý")
_UNIT = "(?:" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + r")(?![\w²³])"
_NUMBERISH = re.compile(r"[\d–—-]")  # text without these has nothing to keep together
_DASH = re.compile(r"(?<=[^\s–—-]) (?=[–—-] )")  # "nghèo – Không": the dash ends a line, never starts one
_RANGE = re.compile(r"(?<=\d)[ \u00a0]?([–—-])[ \u00a0]?(?=\d)")
_UNITS = re.compile(rf"(?<![\w.,/]){_NUM}(?:{_S}{_UNIT}(?:/\w+)*(?!{_S}?\d))+")
_PREFIX = re.compile(r"(?<!\w)(?i:" + "|".join(PREFIXES) + rf"){_S}(?={_NUM}(?!\w))")
_DIGIT_GROUPS = re.compile(r"(?<![\w.,])\d+(?: \d+)+(?!\w)")
_URL = re.compile(r"\S*(?:://|www\.|@)\S*|\S+\.(?:vn|com|net|org|gov|edu|info)(?:[/:]\S*)?(?!\w)",
                  re.I)
# Where a line could still break: after a dash between numbers, at a slash next to a letter.
_KEEP_WHOLE = re.compile(r"\d\u00a0?[–—-]\u00a0?\d|[^\W\d]/\w|\w/[^\W\d]")
_SPACES = re.compile(r"([ \t\n\r\f]+)")  # not the no-break space
_MANUAL = re.compile(r"(?:^|[ \t\n]+)\\(?:[ \t\n]+|$)")  # a backslash alone: a manual break


def apply(document: str) -> str:
    """The composed HTML with no-break spaces and spans where lines must not break."""
    out: list[str] = []
    stack: list[tuple[str, set[str]]] = []
    display_at: int | None = None  # stack depth of the display element we are in
    display_start = 0  # index in `out` of its start tag
    words = 0
    count = 0
    for match in _TOKEN.finditer(document):
        token = match.group(0)
        if token.startswith("<") and len(token) > 1 and token[1] not in "!?":
            name = _TAG_NAME.match(token).group(1).lower()
            if token.startswith("</"):
                depth = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == name), None)
                if depth is not None:
                    del stack[depth:]
                    if display_at is not None and depth <= display_at:
                        if words >= 2:
                            out[display_start] = _with_attribute(out[display_start], count)
                            count += 1
                        display_at = None
                out.append(token)
                continue
            classes = _classes(token)
            if name not in VOID and not token.endswith("/>"):
                stack.append((name, classes))
                if display_at is None and _is_display(name, classes, stack):
                    display_at, display_start, words = len(stack) - 1, len(out), 0
            out.append(token)
            continue
        if token.startswith("<") or not token.strip() or _verbatim(stack):
            out.append(token)
            continue
        text = html.unescape(token)
        if display_at is not None:
            rendered, n = display_text(text)
            words += n
            out.append(rendered)
        else:
            kept = keep_numbers(_MANUAL.sub(" ", text) if "\\" in text else text)
            if kept == text and not _KEEP_WHOLE.search(text):
                out.append(token)
            else:
                out.append(_body_html(kept))
    return "".join(out)


def _classes(tag: str) -> set[str]:
    found = _CLASS.search(tag)
    return set(next(g for g in found.groups() if g is not None).split()) if found else set()


def _is_display(name: str, classes: set[str], stack) -> bool:
    if name in DISPLAY_TAGS or classes & DISPLAY_CLASSES:
        return True
    return name == "p" and any(DISPLAY_INSIDE & c for _, c in stack[:-1])


def _verbatim(stack) -> bool:
    return any(name in VERBATIM or "nobr" in classes for name, classes in stack)


def _with_attribute(tag: str, index: int) -> str:
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return f'{tag[:end].rstrip()} data-lb="{index}"{tag[end:]}'


def keep_numbers(text: str) -> str:
    """`text` with no-break spaces inside numbers, between a number and its unit, before a dash."""
    if not _NUMBERISH.search(text):
        return text
    urls: list[str] = []

    def hide(match: re.Match) -> str:
        urls.append(match.group(0))
        return f"\ue000{len(urls) - 1}\ue001"

    text = _URL.sub(hide, text)
    text = _RANGE.sub(lambda m: m.group(0).replace(" ", NBSP), text)
    text = _DASH.sub(NBSP, text)
    text = _PREFIX.sub(lambda m: m.group(0).replace(" ", NBSP), text)
    text = _UNITS.sub(lambda m: m.group(0).replace(" ", NBSP), text)
    text = _DIGIT_GROUPS.sub(lambda m: m.group(0).replace(" ", NBSP)
                             if sum(c.isdigit() for c in m.group(0)) >= 7 else m.group(0), text)
    return re.sub("\ue000(\\d+)\ue001", lambda m: urls[int(m.group(1))], text)


def _needs_nobr(run: str) -> bool:
    return bool(_KEEP_WHOLE.search(run)) and not _URL.fullmatch(run)


def _body_html(text: str) -> str:
    """Body text as HTML: runs that could still break inside are wrapped in nobr spans."""
    parts = _SPACES.split(text)
    return "".join(f'<span class="nobr">{html.escape(p, quote=False)}</span>'
                   if p and not p.isspace() and _needs_nobr(p) else html.escape(p, quote=False)
                   for p in parts)


def display_text(text: str) -> tuple[str, int]:
    """Display text as HTML, each word in a span, and how many words it has.

    A backslash alone between spaces becomes a line break.
    """
    pieces = _MANUAL.split(text)
    rendered = []
    count = 0
    for piece in pieces:
        html_piece, n = _display_words(piece)
        rendered.append(html_piece)
        count += n
    return "<br>".join(rendered), count


def _display_words(text: str) -> tuple[str, int]:
    parts = _SPACES.split(keep_numbers(text))  # tokens at even indexes, spaces at odd ones
    at_token = [i for i in range(0, len(parts), 2) if parts[i]]
    tokens = [parts[i] for i in at_token]
    out = [html.escape(p, quote=False) for p in parts]
    sizes = groups(tokens) if tokens else []
    at = 0
    for size in sizes:
        first, last = at_token[at], at_token[at + size - 1]
        word = NBSP.join(tokens[at:at + size])
        css = "w nobr" if _needs_nobr(word) else "w"
        out[first] = f'<span class="{css}">{html.escape(word, quote=False)}</span>'
        for i in range(first + 1, last + 1):
            out[i] = ""
        at += size
    return "".join(out), len(sizes)


SKELETON_META = '<meta name="leaflets-skeleton" content="display type only">'


def skeleton(document: str) -> str:
    """`document` with only its multi-word display type and what holds it.

    Blocks of text with no such display type inside (paragraphs, lists,
    tables, figures) are left out and the text of other elements too; the
    elements around the display type keep their classes and styles, so each
    keeps its measure. render/balance.py measures its words on the
    skeleton's layout, which costs a fraction of the whole piece's.
    """
    tokens = [(m.group(0), bool(m.group(1))) for m in _TOKEN.finditer(document)]
    out: list[str] = []
    depth = 0  # open elements inside the display element we are in; 0 outside
    i = 0
    while i < len(tokens):
        token, whole = tokens[i]
        i += 1
        if whole:  # a whole <style> or <script> element
            out.append(token)
        elif token.startswith("<") and len(token) > 1 and token[1] not in "!?":
            name = _TAG_NAME.match(token).group(1).lower()
            if name in VOID or token.endswith("/>"):
                out.append(token)
                continue
            if token.startswith("</"):
                depth = max(depth - 1, 0)
            elif depth or _DATA_LB.search(token):
                depth += 1
            elif name in _DROPPABLE and (end := _end_of(tokens, i, name)) is not None \
                    and not any(_DATA_LB.search(t) for t, _ in tokens[i:end]):
                i = end + 1  # the whole element, closing tag included
                continue
            if name == "head" and not token.startswith("</"):
                token += SKELETON_META
            out.append(token)
        elif depth or not token.strip() or token.startswith("<"):
            out.append(token)
    return "".join(out)


_DROPPABLE = frozenset({"p", "ul", "ol", "dl", "table", "blockquote", "figure", "pre"})


def _end_of(tokens: list[tuple[str, bool]], start: int, name: str) -> int | None:
    """Index of the tag closing the `name` element opened just before `start`."""
    level = 1
    for i in range(start, len(tokens)):
        found = _TAG_NAME.match(tokens[i][0]) if tokens[i][0].startswith("<") else None
        if found and found.group(1).lower() == name:
            level += -1 if tokens[i][0].startswith("</") else 1
            if level == 0:
                return i
    return None


def loosen(document: str, words: set[tuple[str, int]] | frozenset[tuple[str, int]]) -> str:
    """`document` with the syllables of some words free to break again.

    `words` names each by its element's data-lb and its position among the
    element's word spans: render/balance.py loosens a word too wide for its
    line, which would otherwise run out of its box.
    """
    wanted: dict[str, set[int]] = {}
    for index, position in words:
        wanted.setdefault(index, set()).add(position)
    out: list[str] = []
    element: str | None = None
    depth = position = 0
    loose = False
    for match in _TOKEN.finditer(document):
        token = match.group(0)
        if token.startswith("<") and len(token) > 1 and token[1] not in "!?":
            name = _TAG_NAME.match(token).group(1).lower()
            closing = token.startswith("</")
            if element is None and not closing:
                found = _DATA_LB.search(token)
                if found and found.group(1) in wanted:
                    element, depth, position = found.group(1), 0, 0
            if element is not None and name not in VOID and not token.endswith("/>"):
                depth += -1 if closing else 1
                if closing:
                    loose = False
                elif "w" in _classes(token):
                    loose = position in wanted[element]
                    position += 1
                if depth == 0:
                    element = None
        elif loose:
            token = token.replace(NBSP, " ")
        out.append(token)
    return "".join(out)
