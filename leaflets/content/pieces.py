"""Pieces: one printed item each, `content/pieces/<name>.md`.

Loading a piece checks its front matter against the schema, splits its body
into slots, resolves every image against the project and parses every data
block's YAML. It does not know the layout yet: whether the slots fit the
layout is checked when the piece is composed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it.token import Token

from ..i18n import N_, Msg, msg
from ..problems import ContentError, Problem, error
from ..project import Project
from ..vi import slug
from .assets import AssetError, resolve
from .fields import problems_in
from .frontmatter import split
from .households import QUERY
from .markdown import Slot, first_line_of, parse, split_slots, walk_images
from .rules import children_with_lines
from .schema import check, f
from .textio import read_text
from .yaml_load import load_yaml

LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# A piece's name becomes file names (<name>.pdf, <name>.imposed.pdf,
# <name>-scale-1-10.pdf): one plain rule keeps them apart and portable.
PIECE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LAYOUT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def name_problem(name: str) -> Msg | None:
    """Why `name` is not a piece name (with a name that would do), or None when it is one."""
    if PIECE_NAME.match(name):
        return None
    suggestion = slug(name.removesuffix(".md"))
    return msg("{name!r} is not a piece name: piece names are lower-case ASCII letters, digits and "
               "single hyphens, no dots or spaces (e.g. {suggestion!r})", name=name, suggestion=suggestion)


def _identifier(value: str) -> Msg | None:
    if re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", value) and value not in ("site", "piece"):
        return None
    return msg("a short name such as xa or ho (letters, digits, _), not site or piece")


def _layout_name(value: str) -> Msg | None:
    if LAYOUT_NAME.match(value):
        return None
    return msg("give the name of a folder under layouts/ (e.g. trifold-a4), not a path")


def _language(value: str) -> Msg | None:
    if LANGUAGE_TAG.match(value):
        return None
    return msg("use a language tag such as vi, bdq (Bahnar), sed (Sedang), jra (Jarai)")


ALIGNS = ("top", "center", "bottom", "spread")  # where a slot's blocks sit in its panel's height


def _aligns(value: dict) -> Msg | None:
    bad = {str(k): v for k, v in value.items() if v not in ALIGNS}
    if not bad:
        return None
    slot, given = next(iter(bad.items()))
    return msg("slot {slot!r}: {value!r} is not one of: {allowed}", slot=slot, value=str(given),
               allowed=", ".join(ALIGNS))


def _records(value) -> Msg | None:
    if isinstance(value, str) and value.strip() == "all":
        return None
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return None
    return msg("write all, or a list of the records' names or file names")


def _positive(value: int) -> Msg | None:
    return None if value > 0 else msg("must be at least 1")


PIECE = {
    "layout": f(str, required=True, check=_layout_name,
                doc=N_("the layout folder name, e.g. trifold-a4")),
    "title": f(str, required=True, doc=N_("the piece's title")),
    "subtitle": f(str, default=""),
    "revision": f(int, dt.date, str, default=1, doc="bump it for each round"),
    "language": f(str, default="vi", check=_language),
    "date": f(dt.date, default=None, doc="publication date"),
    "description": f(str, default=""),
    "cover": f(str, default="", doc=N_("an image for the cover when its slot has none, "
                                       "relative to the piece, e.g. ../images/covers/ra-soat.svg")),
    "align": f(dict, default={}, open=True, check=_aligns,
               doc=N_("per slot, where its blocks sit in the panel's height, e.g. inside-1: spread")),
    "variants": f(dict, default=None, schema={
        "data": f(str, required=True, doc=N_("households, or a list in content/data/<data>.yaml")),
        "as": f(str, default="record", check=_identifier,
                doc="the name content uses for the record: {{ xa.name }}"),
        "name": f(str, default=None, doc="the field that names each output (default name; slug)"),
        "records": f(str, list, default=None, check=_records,
                     doc=N_("which records: all, or a list of their names or file names")),
        "where": f(dict, default=None, open=True,
                   doc=N_("only the records whose fields have these values, e.g. province: Sơn Nguyên")),
    }, doc="make the piece once per record: a leaflet per commune, per household"),
    "print": f(dict, schema={
        "quantity": f(int, default=None, check=_positive, doc="copies to print"),
        "paper": f(str, default=""),
        "paper_thickness": f(float, default=None, check=lambda t: None if 0 <= t < 2 else msg("mm, 0 to 2"),
                             doc="mm; for booklet creep (else looked up in data/papers.yaml)"),
        "colours": f(str, default="4/4"),
        "finishing": f(str, default=""),
        "licence": f(str, default="", doc="publishing licence number and date"),
        "printer": f(str, default="", doc="overrides site imprint.printer"),
        "delivery": f(dt.date, default=None, doc="the date the printed copies are wanted"),
        "notes": f(str, default=""),
    }),
}

# Data blocks a piece may place in a slot: ```name + YAML body.
BLOCKS: dict[str, dict] = {
    "households": QUERY,
    "indicators": {},
    "standard": {},
    "contact": {"title": f(str, default="")},
    "contents": {"title": f(str, default=""),
                 "depth": f(int, default=1, choices=(1, 2), doc="1: chapters, 2: and sections")},
    "qr": {"url": f(str, default=None, doc="a web address, as written"),
           "field": f(str, default=None, doc="a web address from the data, e.g. site.agency.website"),
           "tel": f(str, default=None, doc="a phone number from the data, e.g. site.agency.hotline"),
           "caption": f(str, default="", doc="a line under the code"),
           "error": f(str, default="M", choices=("M", "Q"), doc="error correction level"),
           "show": f(bool, default=True, doc="false: no code here, not even the layout's")},
}


@dataclass(frozen=True)
class PrintDetails:
    quantity: int | None
    paper: str
    paper_thickness: float | None
    colours: str
    finishing: str
    licence: str
    printer: str
    notes: str
    delivery: dt.date | None = None


@dataclass(frozen=True)
class Piece:
    """A loaded, checked piece: front matter values and its slots."""

    name: str
    path: Path
    layout: str
    title: str
    subtitle: str
    revision: Any
    language: str
    date: dt.date | None
    description: str
    print: PrintDetails
    slots: dict[str, Slot]
    outside: list[Token]  # body outside any slot
    body_line: int
    lines: dict  # front matter key -> line
    images: tuple[Path, ...]  # absolute paths of images the body uses
    image_lines: dict[Path, int] = dataclasses.field(default_factory=dict)  # first reference
    variants: dict | None = None  # {"data", "as", "name"}: made once per record of a collection
    align: dict[str, str] = dataclasses.field(default_factory=dict)  # slot -> top, center, bottom, spread
    cover: str = ""  # front matter `cover:` as a URL for the templates; "" when none

    def line_of(self, *keys) -> int | None:
        return self.lines.get(tuple(keys))


def _data_blocks(tokens: list[Token], path: Path, first_line: int) -> list[Problem]:
    """Turn ```households (etc.) fences into `data_block` tokens with a checked query."""
    problems: list[Problem] = []
    for token in tokens:
        if token.type != "fence":
            continue
        name = token.info.strip().split()[0] if token.info.strip() else ""
        if name not in BLOCKS:
            continue
        line = token.map[0] + first_line
        try:
            value, lines = load_yaml(token.content, path, first_line=line + 1)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        checked = check(value or {}, BLOCKS[name], path, lines, ())
        for problem in checked.problems:
            # Point a problem with no key line at the fence itself.
            problems.append(problem if problem.line else dataclasses.replace(problem, line=line))
        token.type = "data_block"
        token.meta = {"block": name, "query": checked.value, "line": line}
    return problems


def _written(src: str, folder: Path) -> str:
    """The file name as the Markdown wrote it: the parser percent-encodes spaces, accents, '#'…"""
    plain = unquote(src)
    return src if plain != src and (folder / src).exists() and not (folder / plain).exists() else plain


def load_piece(path: Path, project: Project) -> tuple[Piece, list[Problem]]:
    """Load one piece and its warnings; raise ContentError with every error found in it."""
    wrong = name_problem(path.stem)
    if wrong:
        raise ContentError([error(path, None, msg("{problem}: rename the file", problem=wrong))])
    doc = split(read_text(path), path)
    checked = check(doc.meta, PIECE, path, doc.lines)
    problems = list(checked.problems)
    tokens, broken = parse(doc.body)  # raw HTML, unread attributes, fields that are not fields
    problems.extend(error(path, doc.body_line + line, message) for line, message in broken)
    problems.extend(_data_blocks(tokens, path, doc.body_line))
    parts = split_slots(tokens, doc.body_line)
    problems.extend(error(path, line, message) for line, message in parts.stray)
    images = []
    image_lines: dict[Path, int] = {}
    for image, line in walk_images(tokens, doc.body_line):
        try:
            target = resolve(_written(image.attrs.get("src", ""), path.parent), path.parent, project)
        except AssetError as exc:
            problems.append(error(path, line, exc.message))
            continue
        image.attrs["src"] = project.url(target)
        images.append(target)
        image_lines.setdefault(target, line)
    v = checked.value
    cover = ""
    if v.get("cover"):
        try:
            target = resolve(_written(v["cover"], path.parent), path.parent, project)
        except AssetError as exc:
            problems.append(error(path, doc.lines.get(("cover",)), exc.message))
        else:
            cover = project.url(target)
            images.append(target)
            image_lines.setdefault(target, doc.lines.get(("cover",)) or 1)
    if any(p.is_error for p in problems):
        raise ContentError(problems)
    return Piece(
        name=path.stem, path=path, layout=v["layout"], title=v["title"], subtitle=v["subtitle"],
        revision=v["revision"], language=v["language"], date=v["date"],
        description=v["description"], print=PrintDetails(**v["print"]), slots=parts.slots,
        outside=parts.outside, body_line=doc.body_line, lines=doc.lines, images=tuple(images),
        image_lines=image_lines, variants=v["variants"] if "variants" in doc.meta else None,
        align={str(k): a for k, a in v["align"].items()}, cover=cover,
    ), problems


def stray_text_line(piece: Piece) -> int | None:
    """The line of the first content outside any slot, if there is any."""
    return first_line_of(piece.outside, piece.body_line)


def field_problems(piece: Piece, fields: dict) -> list[Problem]:
    """An error for every `{{ field }}` in the piece the data cannot fill, with its line."""
    found: list[Problem] = []

    def check_text(text: str, line: int | None) -> None:
        for message in problems_in(text, fields):
            found.append(error(piece.path, line, message))

    check_text(piece.title, piece.line_of("title"))
    check_text(piece.subtitle, piece.line_of("subtitle"))
    for slot in piece.slots.values():
        for token in slot.tokens:
            if token.type == "inline":
                for child, line in children_with_lines(token, piece.body_line):
                    if child.type == "text":
                        check_text(child.content, line)
            elif token.type == "data_block":
                for value in token.meta["query"].values():
                    if isinstance(value, str):
                        check_text(value, token.meta["line"])
    return found
