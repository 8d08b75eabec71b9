"""The WeasyPrint run: composed HTML becomes PDF bytes, in-process.

One `Renderer` per run: it confines fontconfig to the bundled fonts before
WeasyPrint is first imported, keeps one FontConfiguration for every piece,
and gives every document a URL fetcher that serves only files inside the
project. WeasyPrint's own warnings are collected per piece, not printed.

Raster images are not handed to WeasyPrint as they are. A first layout
pass uses empty placeholders of the same intrinsic size to measure where
each image is placed; each is then resampled to the layout's target
resolution at that size (images.py, cached), and the real pass embeds the
resampled files with an `image-resolution` that keeps their layout size.

Only WeasyPrint's public API is used here (HTML, render, write_pdf, URL
fetchers, FontConfiguration); the laid-out boxes are read through tree.py.
"""

from __future__ import annotations

import logging
import mimetypes
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..i18n import N_, msg
from ..layout.colour import Separation
from ..layout.compose import Composed
from ..layout.fonts import confine_fontconfig
from ..layout.linebreaks import skeleton
from ..layout.page_css import css_string
from ..problems import ContentError, Problem, error, warning
from ..project import Project
from . import balance, fill, images
from .tree import pages

PX_PER_IN = 96
MM_PER_IN = 25.4

# file -> (bytes served instead, media type, URL they are served under). The URL
# matters: for a file: URL WeasyPrint reads the image from that file itself.
Substitutes = dict[Path, tuple[bytes, str, str]]


@dataclass(frozen=True)
class ImageUse:
    """One raster image of a piece: where it went and what was embedded."""

    path: Path
    placed_mm: tuple[float, float]
    original_px: tuple[int, int]
    embedded_px: tuple[int, int]
    effective_ppi: float  # the original's resolution at its placed size
    target_ppi: float
    cached: bool


@dataclass
class Rendered:
    """A rendered piece: the PDF bytes and WeasyPrint's document (for layout checks)."""

    composed: Composed
    pdf: bytes
    pages: int
    document: Any = field(repr=False)  # weasyprint.document.Document
    problems: list[Problem] = field(default_factory=list)
    html: str = ""  # the HTML as rendered (with the image-resolution rules)
    substitutes: Substitutes = field(default_factory=dict, repr=False)
    images: list[ImageUse] = field(default_factory=list)
    inserted: tuple[int, int] | None = None  # (page index, count): blank pages added to `pdf`
    fills: list = field(default_factory=list)  # fill.SlotFill of every fixed slot, as composed

    def page_number(self, index: int) -> int:
        """The 1-based page in `pdf` of the laid-out page `index` (blank pages shift the rest)."""
        if self.inserted and index >= self.inserted[0]:
            return index + 1 + self.inserted[1]
        return index + 1


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


OUTSIDE = N_("only files inside the project can be used (layout stylesheets and content images)")
NO_FILE = "no such file"  # a reason of the fetcher's, turned into a message in _watching
UNCHECKED = N_("a raster image that did not pass the image checks (resolution, size, a damaged "
             "file): raster images may be placed from the Markdown or a layout's <img> only, "
             "not from inside an SVG or from CSS")


def _make_fetcher_class(weasyprint_urls):
    class ConfinedFetcher(weasyprint_urls.URLFetcher):
        """Serves `data:` URLs and files under the project root; refuses everything else.

        Raster images are served only as the checked, resampled files the
        image pass prepared (`substitutes`): a raster reached any other way
        (an SVG's <image>, a CSS url(), a data: URL) is refused, so no
        picture reaches a print file without the checks.
        """

        def __init__(self, root: Path, substitutes: Substitutes | None = None):
            super().__init__(fail_on_errors=True)
            self.root = root.resolve()
            self.refused: list[tuple[str, str]] = []  # (url, why)
            self.substitutes = substitutes or {}

        def _refuse(self, url: str, why: str):
            self.refused.append((url if len(url) < 120 else url[:117] + "…", why))
            raise weasyprint_urls.FatalURLFetchingError(f"{why}: {url[:200]}")

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                response = super().fetch(url, headers)
                body = response.read()
                if images.sniff_raster(body):
                    self._refuse(url, UNCHECKED)
                return weasyprint_urls.URLFetcherResponse(url, body=body, headers=response.headers)
            parts = urlsplit(url)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if path in self.substitutes:
                    body, kind, served_as = self.substitutes[path]
                    return weasyprint_urls.URLFetcherResponse(
                        served_as, body=body, headers={"Content-Type": kind})
                if path.is_relative_to(self.root) and path.is_file():
                    body = path.read_bytes()
                    if images.is_raster(path) or images.sniff_raster(body):
                        self._refuse(url, UNCHECKED)
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return weasyprint_urls.URLFetcherResponse(
                        url, body=body, headers={"Content-Type": kind})
                if path.is_relative_to(self.root):
                    self._refuse(url, NO_FILE)
            self._refuse(url, OUTSIDE)

    return ConfinedFetcher


def import_weasyprint():
    """Import WeasyPrint without the 50-odd gcc and ldconfig processes its library lookup starts.

    WeasyPrint 70 asks cffi for each library under several names in turn
    (`libpango-1.0-0`, …, `libpango-1.0.so.0`); for every name the dynamic
    loader does not know, cffi falls back to ctypes.util.find_library, which
    runs gcc and ldconfig. With that fallback answering "not found" at once,
    WeasyPrint goes on to the next name and finds each library under its
    real soname. If that fails anyway (an unusual system), the import is
    tried again the ordinary way.
    """
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    import ctypes.util

    ordinary = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
    except (OSError, ImportError):
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
        ctypes.util.find_library = ordinary
        import weasyprint
    finally:
        ctypes.util.find_library = ordinary
    return weasyprint


class Renderer:
    """Renders composed pieces of one project."""

    def __init__(self, project: Project):
        self.project = project
        if "weasyprint" not in sys.modules:
            confine_fontconfig(project.fonts_dir, project.cache_dir)
        weasyprint = import_weasyprint()
        from weasyprint import urls
        from weasyprint.text.fonts import FontConfiguration

        self._weasyprint = weasyprint
        self._fetcher_class = _make_fetcher_class(urls)
        self.font_config = FontConfiguration()
        self.image_cache = project.cache_dir / "images"

    def fetcher(self, substitutes: Substitutes | None = None):
        return self._fetcher_class(self.project.root, substitutes)

    def render_html(self, html: str, source: Path, substitutes: Substitutes | None = None):
        """Lay out `html` only (no PDF): a WeasyPrint document, for measuring."""
        return self._layout(html, source, substitutes)[0]

    def render(self, composed: Composed) -> Rendered:
        """Lay out and write one piece; raise ContentError if it cannot be rendered."""
        html, substitutes, uses, problems, measured = self._prepare_images(composed)
        source = composed.piece.path
        document, html, records = self._balanced(html, source, substitutes, measured)
        fills = fill.measure(document, composed.layout)  # as composed: each slot at its top
        fill.move(document, fills, composed.layout, composed.piece.align)  # aligned slots, in place
        with self._watching(self.fetcher(substitutes), source) as collector:
            pdf = document.write_pdf()
        problems += [
            (error if r.levelno >= logging.ERROR else warning)(
                source, None, msg("WeasyPrint ({layout}): {message}",
                                  layout=composed.layout.name, message=r.getMessage()))
            for r in records + collector.records
            # preflight's missing-glyph check says this with the slot and the font
            if not r.getMessage().startswith(".notdef glyph rendered")]
        return Rendered(composed, pdf, len(document.pages), document, problems, html, substitutes,
                        uses, fills=fills)

    def _balanced(self, html: str, source: Path, substitutes: Substitutes, measured):
        """Lay out `html` with the lines of its display type balanced (balance.py): the
        document, the HTML it was laid out from, WeasyPrint's log records.

        The lines are measured on the image pass's layout where there was one
        (`measured`), else on a skeleton of the page: the same HTML with only
        its multi-word display type left as text (linebreaks.skeleton), which
        lays out in a fraction of the time of the whole piece. So a piece is
        laid out in full once; again only if the balanced layout did not keep
        an element's number of lines (then it is laid out as composed).
        """
        cache: dict = {}  # images decoded once for the skeleton and the piece
        if measured is None and balance.MARK in html:
            measured, _ = self._layout(skeleton(html), source, substitutes, cache=cache)
        wanted = balance.plan(measured) if measured is not None else None
        if wanted:
            trial = balance.apply(html, wanted)
            document, records = self._layout(trial, source, substitutes, cache=cache)
            if balance.kept(document, wanted):
                return document, trial, records
        document, records = self._layout(html, source, substitutes, cache=cache)
        return document, html, records

    # -- images ----------------------------------------------------------------

    def _prepare_images(self, composed: Composed):
        """Measure, resample and cache the piece's raster images; the HTML and files to render with."""
        rasters = [p for p in composed.images if images.is_raster(p)]
        if not rasters:
            return composed.html, {}, [], [], None
        problems: list[Problem] = []
        infos = {}
        for path in rasters:
            try:
                infos[path] = images.inspect(path)
            except images.ImageError as exc:
                problems.append(error(path, None, msg("{problem} (used by {piece})", problem=exc.message,
                                                      piece=composed.piece.path.name)))
        if problems:
            raise ContentError(problems)
        placeholders = {p.resolve(): (images.placeholder(i), "image/svg+xml", "data:image/svg+xml,")
                        for p, i in infos.items()}
        measured = self._layout(composed.html, composed.piece.path, placeholders)[0]
        placed = self._placed_sizes(measured)
        separation = Separation.for_condition(composed.condition) if composed.condition else None
        img_sources = {(self.project.root / unquote(src)).resolve() for src in _img_sources(composed.html)}
        layout = composed.layout
        substitutes: Substitutes = {}
        uses: list[ImageUse] = []
        unusable: list[Problem] = []
        rules = []
        for path, info in infos.items():
            size_in = placed.get(path)
            if size_in is None:
                # An <img> not drawn (display: none, or lost past an overflow) is still
                # loaded by WeasyPrint: it gets the empty stand-in, never the unchecked
                # original. A raster used any other way (a CSS background) gets nothing
                # and the fetcher refuses it, with a message that says so.
                if path.resolve() in img_sources:
                    substitutes[path.resolve()] = placeholders[path.resolve()]
                continue
            size = images.target_size(info, size_in, layout.target_ppi)
            try:
                prepared = images.prepare(info, size, self.image_cache, separation)
            except images.ImageError as exc:
                unusable.append(error(path, None, exc.message))
                continue
            substitutes[path.resolve()] = (prepared.data, prepared.mime, prepared.path.as_uri())
            for said in dict.fromkeys(info.warnings + prepared.warnings):
                problems.append(warning(composed.piece.path, composed.piece.image_lines.get(path),
                                        msg("image {file}: Pillow says “{said}”",
                                            file=self.project.relative(path), said=str(said))))
            ppi = images.effective_ppi(info, size_in)
            placed_mm = (size_in[0] * MM_PER_IN, size_in[1] * MM_PER_IN)
            uses.append(ImageUse(path, placed_mm, (info.width, info.height), size, ppi,
                                 layout.target_ppi, prepared.cached))
            problems.extend(_resolution_problems(composed, self.project.relative(path), placed_mm, ppi,
                                                 composed.piece.image_lines.get(path)))
            # Keep the layout size the original would have had (its intrinsic size). The
            # selector is the src as written in the HTML, escaped: a file name is never CSS.
            selector = f"img[src={css_string(self.project.url(path))}]"
            rules.append(f"{selector} {{ image-resolution: {size[0] / info.width:.6f}dppx; }}")
        if unusable:
            raise ContentError(unusable + problems)
        # Resolution findings are reported, but the piece is still rendered so
        # that every other check runs too.
        html = composed.html.replace("</head>", "<style>\n" + "\n".join(rules) + "\n</style>\n</head>", 1)
        return html, substitutes, uses, problems, measured

    def _placed_sizes(self, document) -> dict[Path, tuple[float, float]]:
        """Largest drawn size, in inches, of every <img> in a laid-out document."""
        placed: dict[Path, tuple[float, float]] = {}
        for page in pages(document):
            for box in page.walk():
                if box.kind != "image" or box.source() is None:
                    continue
                src = box.attr("src")
                if not src or box.tag != "img":
                    continue
                path = (self.project.root / unquote(src)).resolve()
                w, h = box.drawn_size
                old = placed.get(path, (0.0, 0.0))
                placed[path] = (max(old[0], w / PX_PER_IN), max(old[1], h / PX_PER_IN))
        return placed

    # -- WeasyPrint --------------------------------------------------------------

    def _layout(self, html_text: str, source: Path, substitutes: Substitutes | None,
                cache: dict | None = None):
        """Lay out one HTML string (render() writes the PDF); `cache` keeps decoded images."""
        fetcher = self.fetcher(substitutes)
        with self._watching(fetcher, source) as collector:
            html = self._weasyprint.HTML(string=html_text,
                                         base_url=self.project.root.as_uri() + "/",
                                         url_fetcher=fetcher)
            document = html.render(font_config=self.font_config, cache=cache)
        return document, collector.records

    @contextmanager
    def _watching(self, fetcher, source: Path):
        """Collect WeasyPrint's warnings; turn a refused URL into a ContentError naming it."""
        collector = _Collector()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(collector)
        old_propagate = logger.propagate
        logger.propagate = False
        try:
            yield collector
        except self._weasyprint.urls.FatalURLFetchingError:
            refused = fetcher.refused if fetcher is not None else []
            url, why = refused[-1] if refused else (None, OUTSIDE)
            if url is None:
                message = msg("refused to load an unknown reference: {why}", why=msg(OUTSIDE))
            elif why == NO_FILE:
                message = msg("refused to load {url} (no such file): {why}", url=url, why=msg(OUTSIDE))
            else:
                message = msg("refused to load {url}: {why}", url=url, why=msg(why))
            raise ContentError([error(source, None, message)]) from None
        finally:
            logger.removeHandler(collector)
            logger.propagate = old_propagate


def _resolution_problems(composed: Composed, src: str, placed_mm, ppi: float,
                         line: int | None) -> list[Problem]:
    layout = composed.layout
    target = layout.target_ppi
    if ppi >= target - 0.5:
        return []
    where = f"{placed_mm[0]:.0f}×{placed_mm[1]:.0f} mm"
    seen = msg(" seen from {distance} m", distance=f"{layout.viewing_distance:g}") \
        if layout.viewing_distance else ""
    # An image of the content (it has a line) is placed smaller with {width=…} (content/rules.py).
    advice = msg("use a larger original, or place it smaller with {{width=…}} on the line before the "
                 "image (such as {{width=50%}} or {{width=60mm}})") if line is not None else \
        msg("use a larger original or place it smaller")
    values = dict(file=src, ppi=f"{ppi:.0f}", size=where, layout=layout.name, seen=seen,
                  target=f"{target:.0f}", advice=advice)
    source = composed.piece.path
    if ppi < target / 2:
        return [error(source, line, msg("image {file} has {ppi} ppi at its placed size ({size}); layout "
                                        "{layout!r}{seen} needs {target} ppi: {advice} (below half the "
                                        "target: refused)", **values), code="image-resolution")]
    return [warning(source, line, msg("image {file} has {ppi} ppi at its placed size ({size}); layout "
                                      "{layout!r}{seen} needs {target} ppi: {advice}", **values),
                    code="image-resolution")]


def _img_sources(html: str) -> set[str]:
    """The src of every <img> element in `html`."""
    found: set[str] = set()

    class Images(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                found.update(value for name, value in attrs if name == "src" and value)

    parser = Images(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return found
