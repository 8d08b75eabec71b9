"""Compose: a piece, its layout and the site data become one HTML string.

One Jinja environment per project: templates load from `layouts/`,
autoescape is on, undefined names are errors, and every filter is registered
here. Content is data: Markdown is rendered to HTML and handed to the
template as slots; it is never itself treated as a template.
"""

from __future__ import annotations

import dataclasses
import os
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2
from markupsafe import Markup

from .. import vi
from ..clock import build_date
from ..content.assets import IMAGE_SUFFIXES
from ..content.fields import FieldError, fill
from ..content.households import Household, select
from ..content.markdown import Heading, parser, render
from ..content.papers import Condition
from ..content.pieces import Piece, stray_text_line
from ..content.site import SiteData
from ..content.variants import Variant, merged
from ..i18n import Msg, msg
from ..problems import ContentError, Problem, error
from ..project import Project, inside
from . import linebreaks, qr
from .fonts import FontFace, font_face_css
from .geometry import Layout, Side
from .page_css import geometry_css
from .palette import Palette

BASE_STYLESHEET = "layouts/_base/base.css"
CONTENTS_MARK = "<!--leaflets:contents:{}-->"


@dataclass(frozen=True)
class Part:
    """One part of a document, in page order: a fixed side, the flowing slot, or a blank page."""

    kind: str  # "side" | "flow" | "blank"
    side: Side | None = None
    slot: str | None = None


def parts_of(layout: Layout, blank_pages: int = 0, flow_empty: bool = False) -> list[Part]:
    if layout.booklet is None:
        return [Part("side", side) for side in layout.sides]
    # An empty flowing slot takes no page (a 4-page booklet is covers only).
    flow = [] if flow_empty else [Part("flow", slot=layout.booklet.flow)]
    return [*(Part("side", side) for side in layout.front_sides),
            *flow,
            *(Part("blank") for _ in range(blank_pages)),
            *(Part("side", side) for side in layout.back_sides)]


@dataclass(frozen=True)
class Composed:
    """The HTML of one piece, ready to render, and every file it was made from."""

    piece: Piece
    layout: Layout
    html: str
    inputs: tuple[Path, ...]
    blank_pages: int = 0
    scales: dict[str, float] | None = None  # slot -> type scale set to make it fit
    condition: Condition | None = None  # the output condition (print); None: a build for screens
    variant: Variant | None = None  # the record the piece is made for

    @property
    def images(self) -> tuple[Path, ...]:
        """Every image file the piece may draw (content images, photos, icons, layout images)."""
        return tuple(p for p in self.inputs if p.suffix.lower() in IMAGE_SUFFIXES)


class _ConfinedLoader(jinja2.FileSystemLoader):
    """Templates from layouts/ only: a template that is a link out of the project is refused."""

    def __init__(self, layouts_dir: Path):
        super().__init__(str(layouts_dir))
        self.root = layouts_dir.parent

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if not inside(Path(filename), self.root):
            raise _LinkedOutside(msg("{template} is a link to {target}, outside the project: copy the "
                                     "template into layouts/", template=template,
                                     target=str(Path(filename).resolve())))
        return source, filename, uptodate


class _LinkedOutside(jinja2.TemplateError):
    """A template that leads out of the project; `problem` says so (a Msg)."""

    def __init__(self, problem: Msg):
        super().__init__(str(problem))
        self.problem = problem


def make_environment(layouts_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_ConfinedLoader(layouts_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        vi_number=vi.number,
        vi_decimal=vi.decimal,
        vi_money=vi.money,
        vi_date=vi.date,
        vi_short_date=vi.short_date,
        size_cm=lambda layout: vi.size_cm(layout.width, layout.height),
    )
    return env


def _template_problem(exc: Exception, layouts_dir: Path) -> Problem:
    """Point a Jinja error at the template file and line it came from."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return error(Path(exc.filename), exc.lineno, msg("template: {problem}", problem=exc.message))
    if isinstance(exc, jinja2.TemplateNotFound):
        return error(layouts_dir, None, msg("template not found: {name}", name=str(exc.name)))
    # Jinja's own words stay in English ("'site' is undefined"): they are the library's.
    problem = msg("template: {problem}", problem=exc.problem if isinstance(exc, _LinkedOutside) else str(exc))
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return error(Path(frame.filename), frame.lineno, problem)
    return error(layouts_dir, None, problem)


class Composer:
    """Composes pieces of one project; holds what all pieces share."""

    def __init__(self, project: Project, site: SiteData, households: list[Household],
                 fonts: tuple[FontFace, ...], palette: Palette, colour: str = "cmyk"):
        self.project = project
        self.site = site
        self.households = households
        self.fonts = fonts
        self.palette = palette
        self.colour = colour  # "cmyk": print files; "rgb": a build for screens
        self.env = make_environment(project.layouts_dir)
        self._shared_css = "\n".join([font_face_css(fonts, project.root), palette.css()])
        parser().add_render_rule("data_block", _render_data_block)

    # -- checks --------------------------------------------------------------

    def check_slots(self, piece: Piece, layout: Layout) -> list[Problem]:
        problems = []
        known = ", ".join(layout.slots)
        for name, slot in piece.slots.items():
            if name not in layout.slots:
                problems.append(error(piece.path, slot.line,
                                      msg("slot {slot!r} is not a slot of layout {layout!r} (its slots: "
                                          "{known})", slot=name, layout=layout.name, known=known)))
        for name in layout.required_slots:
            if name not in piece.slots:
                problems.append(error(piece.path, piece.line_of("layout"),
                                      msg("slot {slot!r} missing: layout {layout!r} needs it (add "
                                          "'::: {slot}' … ':::'; its slots: {known})", slot=name,
                                          layout=layout.name, known=known)))
        for name in piece.align:  # (its values were checked with the front matter)
            if name not in layout.vertical:
                problems.append(error(piece.path, piece.line_of("align", name) or piece.line_of("align"),
                                      msg("align: {slot!r} is not a panel of layout {layout!r} (its "
                                          "panels: {known})", slot=name, layout=layout.name,
                                          known=", ".join(layout.vertical))))
        line = stray_text_line(piece)
        if line is not None:
            problems.append(error(piece.path, line,
                                  msg("text outside any slot: put it inside '::: <slot>' … ':::' "
                                      "(slots of {layout!r}: {known})", layout=layout.name, known=known)))
        return problems

    # -- data blocks ---------------------------------------------------------

    def _block_template(self, layout: Layout, name: str) -> jinja2.Template:
        return self.env.select_template([f"{layout.name}/blocks/{name}.html.j2",
                                         f"_base/blocks/{name}.html.j2"])

    def _data_block(self, piece: Piece, layout: Layout, meta: dict[str, Any], env: dict[str, Any],
                    problems: list[Problem], used: list[Household]) -> str:
        name, query, line = meta["block"], meta["query"], meta["line"]
        if name == "contents":
            # Filled in once every slot is rendered and all headings are known.
            env.setdefault("contents", []).append(query)
            return CONTENTS_MARK.format(len(env["contents"]) - 1)
        query = {k: fill(v, env["fields"]) if isinstance(v, str) else v for k, v in query.items()}
        context: dict[str, Any] = {"site": env["site"], "layout": layout, "piece": piece,
                                   "options": query}
        if name in ("standard", "indicators") and self.site.poverty is not None:
            # The standard in force on the piece's date: content/poverty.py
            day = piece.date or build_date()
            context["standard"] = self.site.poverty.shown_on(day).context(day)
        if name == "qr":
            return self._qr(piece, layout, meta, env, problems)
        if name == "households":
            chosen = select(self.households, query)
            if not chosen:
                asked = ", ".join(f"{k}: {v}" for k, v in query.items()
                                  if v is not None and k not in ("sort", "show", "limit")) or msg("all")
                known = "; ".join(h.name for h in self.households) or msg("none in content/households/")
                problems.append(error(piece.path, line,
                                      msg("households query ({asked}) matches no household (known: "
                                          "{known})", asked=asked, known=known)))
                return ""
            used.extend(chosen)
            context["households"] = [
                {**h.as_context(), "anchor": f"household-{h.slug}",
                 "story_html": Markup(render(parser().parse(h.story, {}), {"fields": env["fields"]}))}
                for h in chosen]
            if query.get("show") == "chapter":
                for h in chosen:
                    env["headings"].append(Heading(1, h.name, f"household-{h.slug}", env.get("slot")))
        return self._block_template(layout, name).render(context)

    def _qr(self, piece: Piece, layout: Layout, meta: dict[str, Any], env: dict[str, Any],
            problems: list[Problem], where: Path | None = None) -> str:
        """A QR code (layout/qr.py); the text it encodes is kept in data-qr for preflight."""
        options = meta["query"]
        if not options["show"]:
            return ""
        try:
            text = qr.target(options, env["fields"])
            caption = fill(options["caption"], env["fields"])
        except FieldError as exc:
            problems.append(error(where or piece.path, meta["line"], msg("qr: {why}", why=exc.args[0])))
            return ""
        colours = {c.name: c.rgb for c in self.palette.colours}
        code = qr.make(text, options["error"], layout.qr_module_mm, layout.viewing_distance)
        context = {"site": env["site"], "layout": layout, "piece": piece, "options": options,
                   "caption": caption, "line": meta["line"] or "", "code": code,
                   "svg": qr.svg(code, colours.get("ink", "#000000"), colours.get("paper", "#ffffff"))}
        return self._block_template(layout, "qr").render(context)

    def _qr_default(self, piece: Piece, layout: Layout, slot: str, env: dict[str, Any],
                    problems: list[Problem]) -> str:
        """The layout's QR code for this slot ([qr.slots]), unless the slot has a qr block of its own."""
        options = dict(layout.qr_slots).get(slot)
        if options is None or any(t.type == "data_block" and t.meta["block"] == "qr"
                                  for t in piece.slots[slot].tokens):
            return ""
        return self._qr(piece, layout, {"block": "qr", "query": options, "line": None}, env, problems,
                        where=layout.directory / "layout.toml")

    # -- compose -------------------------------------------------------------

    def fields_for(self, piece: Piece, variant: Variant | None = None) -> dict[str, Any]:
        """What `{{ fields }}` in the piece can name: site data (with the variant's overrides),
        the piece's own details, and the variant's record under the name the piece gives it."""
        site = merged(self.site.values, variant.overrides) if variant else self.site.values
        fields: dict[str, Any] = {
            "site": site,
            "piece": {"name": piece.name, "title": piece.title, "subtitle": piece.subtitle,
                      "revision": piece.revision, "date": piece.date},
        }
        if variant is not None:
            fields[variant.as_name] = variant.record
        return fields

    def compose(self, piece: Piece, layout: Layout, blank_pages: int = 0,
                scales: dict[str, float] | None = None, variant: Variant | None = None) -> Composed:
        """Compose one piece; raise ContentError with every problem that stops it.

        `blank_pages` pads a booklet before its back cover pages; `scales`
        shrinks the type of slots the layout lets shrink (see render/shrink.py);
        `variant` is the record the piece is made for (content/variants.py).
        """
        problems = self.check_slots(piece, layout)
        if problems:
            raise ContentError(problems)
        fields = self.fields_for(piece, variant)
        if variant is not None and variant.quantity:  # the imprint states this variant's own copies
            piece = dataclasses.replace(piece, print=dataclasses.replace(piece.print,
                                                                         quantity=variant.quantity))
        try:
            piece = dataclasses.replace(piece, title=fill(piece.title, fields),
                                        subtitle=fill(piece.subtitle, fields))
        except FieldError as exc:
            raise ContentError([error(piece.path, piece.line_of("title"), exc.args[0])]) from None
        used: list[Household] = []
        block_problems: list[Problem] = []
        env: dict[str, Any] = {"headings": [], "ids": set(), "fields": fields, "site": fields["site"]}
        env["render_block"] = lambda meta: self._data_block(piece, layout, meta, env,
                                                            block_problems, used)
        try:
            slots = {}
            for name, slot in piece.slots.items():
                env["slot"] = name
                # Each slot ends with a marker the fit check looks for on the slot's page.
                slots[name] = render(slot.tokens, env) + \
                    self._qr_default(piece, layout, name, env, block_problems) + \
                    f'<div class="slot-end" data-slot="{name}"></div>'
            if block_problems:
                raise ContentError(block_problems)
            slots = {name: Markup(self._fill_contents(html, layout, env))
                     for name, html in slots.items()}
            if layout.booklet and layout.booklet.flow in slots:
                # Each chapter heading carries the title: a chapter opener's page has no running head.
                flow = layout.booklet.flow
                tag = str(Markup('<h1 data-title="{}" ').format(piece.title))
                slots[flow] = Markup(str(slots[flow]).replace("<h1 ", tag))
            for name in layout.slots:
                slots.setdefault(name, Markup(""))
            context = {
                "piece": piece,
                "layout": layout,
                "site": env["site"],
                "variant": variant.record if variant else None,
                "slots": slots,
                # front matter `cover:` for each front cover whose slot has no image of its own
                "cover_images": {panel.slot: piece.cover for panel in layout.panels
                                 if piece.cover and panel.role == "front-cover"
                                 and "<img" not in slots[panel.slot]},
                "parts": parts_of(layout, blank_pages, flow_empty=bool(
                    layout.booklet and piece.slots[layout.booklet.flow].is_empty)),
                "generated_css": Markup("\n".join([self._shared_css, geometry_css(layout),
                                                    _scale_css(scales)])),
                "stylesheets": (BASE_STYLESHEET, *layout.stylesheets),
            }
            html = self.env.get_template(layout.template).render(context)
            html = linebreaks.apply(html)  # words whole in display type, numbers whole everywhere
        except ContentError:
            raise
        except FieldError as exc:  # plan() checks every field first: this is a safety net
            raise ContentError([error(piece.path, None, exc.args[0])]) from None
        except jinja2.TemplateError as exc:
            raise ContentError([_template_problem(exc, self.project.layouts_dir)]) from None
        condition = self.condition_for(piece)
        inputs = self._inputs(piece, layout, used, condition)
        return Composed(piece, layout, html, inputs, blank_pages, scales, condition, variant)

    def condition_for(self, piece: Piece) -> Condition | None:
        """The output condition the piece's paper asks for; None in a build for screens."""
        if self.colour != "cmyk" or self.site.papers is None:
            return None
        return self.site.papers.condition_for(piece.print.paper)[0]

    def _fill_contents(self, html: str, layout: Layout, env: dict[str, Any]) -> str:
        """Replace each contents marker with the headings of the flowing slot (or of all slots)."""
        for index, options in enumerate(env.get("contents", [])):
            mark = CONTENTS_MARK.format(index)
            if mark not in html:
                continue
            flow = layout.booklet.flow if layout.booklet else None
            headings = [h for h in env["headings"]
                        if h.level <= options["depth"] and (flow is None or h.slot == flow)]
            block = self._block_template(layout, "contents").render(
                {"options": options, "headings": headings, "layout": layout, "site": env["site"]})
            html = html.replace(mark, block)
        return html

    def _inputs(self, piece: Piece, layout: Layout, used: list[Household],
                condition: Condition | None) -> tuple[Path, ...]:
        files = {piece.path, *piece.images, *self.site.files, self.palette.path}
        if condition is not None:
            files.add(condition.profile)
        files.update(face.path for face in self.fonts)
        files.add(self.project.fonts_dir / "fonts.toml")
        for folder in (layout.directory, self.project.layouts_dir / "_base"):
            for base, _, names in os.walk(folder):  # links to folders are not followed
                files.update(p for name in names if (p := Path(base) / name).is_file())
        for household in used:
            files.add(household.path)
            if household.photo_path:
                files.add(household.photo_path)
        for icon in self.site.poverty.icons if self.site.poverty else ():
            files.add(self.project.root / unquote(icon))
        return tuple(sorted(files))


def _scale_css(scales: dict[str, float] | None) -> str:
    return "\n".join(f".panel.panel--{slot} > .slot {{ font-size: {scale * 100:.3f}% !important; }}"
                     for slot, scale in sorted((scales or {}).items()))


def _render_data_block(renderer, tokens, idx, options, env) -> str:
    callback = env.get("render_block")
    if callback is None:  # rendering outside a piece (e.g. a household's story)
        return ""
    return callback(tokens[idx].meta)
