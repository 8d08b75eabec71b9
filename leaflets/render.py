"""Render: composed HTML becomes PDF bytes with WeasyPrint, in-process.

One `Renderer` per run: it confines fontconfig to the bundled fonts before
WeasyPrint is first imported, keeps one FontConfiguration for every piece,
and gives every document a URL fetcher that serves only files inside the
project. WeasyPrint's own warnings are collected per piece, not printed.
"""

from __future__ import annotations

import logging
import mimetypes
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .compose import Composed
from .fonts import confine_fontconfig
from .problems import ContentError, Problem, error, warning
from .project import Project


@dataclass
class Rendered:
    """A rendered piece: the PDF bytes and WeasyPrint's document (for layout checks)."""

    composed: Composed
    pdf: bytes
    pages: int
    document: Any = field(repr=False)  # weasyprint.document.Document
    problems: list[Problem] = field(default_factory=list)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _make_fetcher_class(weasyprint_urls):
    class ConfinedFetcher(weasyprint_urls.URLFetcher):
        """Serves `data:` URLs and files under the project root; refuses everything else."""

        def __init__(self, root: Path):
            super().__init__(fail_on_errors=True)
            self.root = root.resolve()
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(self.root) and path.is_file():
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return weasyprint_urls.URLFetcherResponse(
                        url, body=path.read_bytes(), headers={"Content-Type": kind})
                if path.is_relative_to(self.root):
                    self.refused.append(f"{url} (no such file)")
                    raise weasyprint_urls.FatalURLFetchingError(f"no such file: {url}")
            self.refused.append(url)
            raise weasyprint_urls.FatalURLFetchingError(f"outside the project: {url}")

    return ConfinedFetcher


class Renderer:
    """Renders composed pieces of one project."""

    def __init__(self, project: Project):
        self.project = project
        if "weasyprint" not in sys.modules:
            confine_fontconfig(project.fonts_dir, project.cache_dir)
        import weasyprint
        import weasyprint.urls
        from weasyprint.text.fonts import FontConfiguration

        self._weasyprint = weasyprint
        self._fetcher_class = _make_fetcher_class(weasyprint.urls)
        self.font_config = FontConfiguration()

    def fetcher(self):
        return self._fetcher_class(self.project.root)

    def render_html(self, html: str, source: Path):
        """Lay out `html` only (no PDF): a WeasyPrint document, for measuring."""
        return self._layout(html, source, write=False)[0]

    def render(self, composed: Composed) -> Rendered:
        """Lay out and write one piece; raise ContentError if it cannot be rendered."""
        document, pdf, records = self._layout(composed.html, composed.piece.path, write=True)
        problems = [
            (error if r.levelno >= logging.ERROR else warning)(
                composed.piece.path, None, f"WeasyPrint ({composed.layout.name}): {r.getMessage()}")
            for r in records]
        return Rendered(composed, pdf, len(document.pages), document, problems)

    def _layout(self, html_text: str, source: Path, write: bool):
        fetcher = self.fetcher()
        collector = _Collector()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(collector)
        old_propagate = logger.propagate
        logger.propagate = False
        try:
            html = self._weasyprint.HTML(string=html_text,
                                         base_url=self.project.root.as_uri() + "/",
                                         url_fetcher=fetcher)
            document = html.render(font_config=self.font_config)
            pdf = document.write_pdf() if write else None
        except self._weasyprint.urls.FatalURLFetchingError:
            refused = fetcher.refused[-1] if fetcher.refused else "an unknown reference"
            raise ContentError([error(source, None,
                                      f"refused to load {refused}: only files inside the project "
                                      "can be used (layout stylesheets and content images)")]) \
                from None
        finally:
            logger.removeHandler(collector)
            logger.propagate = old_propagate
        return document, pdf, collector.records
