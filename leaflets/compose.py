"""Compose: a piece, its layout and the site data become one HTML string.

One Jinja environment per project: templates load from `layouts/`,
autoescape is on, undefined names are errors, and every filter is registered
here. Content is data: Markdown is rendered to HTML and handed to the
template as slots; it is never itself treated as a template.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import vi
from .css import Palette, geometry_css
from .fonts import FontFace, font_face_css
from .households import Household, select
from .layouts import Layout
from .markdown import parser, render
from .pieces import Piece, stray_text_line
from .problems import ContentError, Problem, error
from .project import Project
from .site import SiteData

BASE_STYLESHEET = "layouts/_base/base.css"


@dataclass(frozen=True)
class Composed:
    """The HTML of one piece, ready to render, and every file it was made from."""

    piece: Piece
    layout: Layout
    html: str
    inputs: tuple[Path, ...]


def make_environment(layouts_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(layouts_dir)),
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
        return error(Path(exc.filename), exc.lineno, f"template: {exc.message}")
    if isinstance(exc, jinja2.TemplateNotFound):
        return error(layouts_dir, None, f"template not found: {exc.name}")
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return error(Path(frame.filename), frame.lineno, f"template: {exc}")
    return error(layouts_dir, None, f"template: {exc}")


class Composer:
    """Composes pieces of one project; holds what all pieces share."""

    def __init__(self, project: Project, site: SiteData, households: list[Household],
                 fonts: tuple[FontFace, ...], palette: Palette):
        self.project = project
        self.site = site
        self.households = households
        self.fonts = fonts
        self.palette = palette
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
                                      f"slot {name!r} is not a slot of layout {layout.name!r} "
                                      f"(its slots: {known})"))
        for name in layout.required_slots:
            if name not in piece.slots:
                problems.append(error(piece.path, piece.line_of("layout"),
                                      f"slot {name!r} missing: layout {layout.name!r} needs it "
                                      f"(add '::: {name}' … ':::'; its slots: {known})"))
        line = stray_text_line(piece)
        if line is not None:
            problems.append(error(piece.path, line,
                                  "text outside any slot: put it inside '::: <slot>' … ':::' "
                                  f"(slots of {layout.name!r}: {known})"))
        return problems

    # -- data blocks ---------------------------------------------------------

    def _block_template(self, layout: Layout, name: str) -> jinja2.Template:
        return self.env.select_template([f"{layout.name}/blocks/{name}.html.j2",
                                         f"_base/blocks/{name}.html.j2"])

    def _data_block(self, piece: Piece, layout: Layout, meta: dict[str, Any],
                    problems: list[Problem], used: list[Household]) -> str:
        name, query, line = meta["block"], meta["query"], meta["line"]
        context: dict[str, Any] = {"site": self.site.values, "layout": layout, "piece": piece,
                                   "options": query}
        if name == "households":
            chosen = select(self.households, query)
            if not chosen:
                asked = ", ".join(f"{k}: {v}" for k, v in query.items()
                                  if v is not None and k not in ("sort", "show", "limit")) or "all"
                known = "; ".join(h.name for h in self.households) or "none in content/households/"
                problems.append(error(piece.path, line,
                                      f"households query ({asked}) matches no household "
                                      f"(known: {known})"))
                return ""
            used.extend(chosen)
            context["households"] = [
                {**h.as_context(), "story_html": Markup(render(parser().parse(h.story, {})))}
                for h in chosen]
        return self._block_template(layout, name).render(context)

    # -- compose -------------------------------------------------------------

    def compose(self, piece: Piece, layout: Layout) -> Composed:
        """Compose one piece; raise ContentError with every problem that stops it."""
        problems = self.check_slots(piece, layout)
        if problems:
            raise ContentError(problems)
        used: list[Household] = []
        block_problems: list[Problem] = []

        def render_block(meta: dict[str, Any]) -> str:
            return self._data_block(piece, layout, meta, block_problems, used)

        try:
            # Each slot ends with a marker the fit check looks for on the slot's page.
            slots = {name: Markup(render(slot.tokens, {"render_block": render_block})
                                  + f'<div class="slot-end" data-slot="{name}"></div>')
                     for name, slot in piece.slots.items()}
            if block_problems:
                raise ContentError(block_problems)
            for name in layout.slots:
                slots.setdefault(name, Markup(""))
            context = {
                "piece": piece,
                "layout": layout,
                "site": self.site.values,
                "slots": slots,
                "generated_css": Markup(self._shared_css + "\n" + geometry_css(layout)),
                "stylesheets": (BASE_STYLESHEET, *layout.stylesheets),
            }
            html = self.env.get_template(layout.template).render(context)
        except ContentError:
            raise
        except jinja2.TemplateError as exc:
            raise ContentError([_template_problem(exc, self.project.layouts_dir)]) from None
        inputs = self._inputs(piece, layout, used)
        return Composed(piece, layout, html, inputs)

    def _inputs(self, piece: Piece, layout: Layout, used: list[Household]) -> tuple[Path, ...]:
        files = {piece.path, *piece.images, *self.site.files, self.palette.path}
        files.update(face.path for face in self.fonts)
        files.add(self.project.fonts_dir / "fonts.toml")
        for folder in (layout.directory, self.project.layouts_dir / "_base"):
            files.update(p for p in folder.rglob("*") if p.is_file())
        for household in used:
            files.add(household.path)
            if household.photo_path:
                files.add(household.photo_path)
        for service in self.site.values.get("poverty", {}).get("services", []):
            if service.get("icon"):
                files.add(self.project.root / service["icon"])
        return tuple(sorted(files))


def _render_data_block(renderer, tokens, idx, options, env) -> str:
    callback = env.get("render_block")
    if callback is None:  # rendering outside a piece (e.g. a household's story)
        return ""
    return callback(tokens[idx].meta)
