"""SVG illustrations and icons, checked before they reach the typesetter.

An SVG is a program as much as a picture. Before rendering, each one a
piece uses must be a well-formed SVG document of reasonable size with:

- no entity declarations (`<!ENTITY …>`): how a few bytes expand into
  gigabytes (the "billion laughs"), and never needed for an illustration;
- no raster images inside (`<image href="photo.jpg">` or a `data:` PNG):
  those would skip every check a photo placed from the Markdown gets
  (resolution at its placed size, the pixel limit, truncated files). A photo
  is placed from the Markdown, as its own image;
- no references to other files (`<use href="other.svg#x">`, `<feImage>`):
  an SVG is one self-contained file.

The render stage enforces the same rules again (the URL fetcher serves no
raster image that was not checked); this module says it with the file, the
reason and, through the caller, the Markdown line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from ..i18n import Msg, msg

MAX_SVG_BYTES = 10 * 1024 * 1024
SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def svg_problem(path: Path) -> Msg | None:
    """Why the SVG at `path` cannot be used, or None when it can."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SVG_BYTES + 1)
    except OSError as exc:
        return msg("cannot read it ({reason})", reason=exc.strerror or str(exc))
    if len(data) > MAX_SVG_BYTES:
        return msg("it is over {mb} MB; simplify it or export a smaller file",
                   mb=MAX_SVG_BYTES // 1024 // 1024)
    if ENTITY.search(data):
        return msg("it declares XML entities (<!ENTITY …>), which an illustration never needs; remove them")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        return msg("it is not a well-formed SVG file ({error}); export it again", error=str(exc))
    if root.tag not in (f"{SVG_NS}svg", "svg"):
        return msg("it is not an SVG image (its root element is <{element}>)",
                   element=root.tag.split("}")[-1])
    for element in root.iter():
        name = element.tag.split("}")[-1] if isinstance(element.tag, str) else ""
        href = element.get("href") or element.get(XLINK_HREF) or ""
        if name in ("image", "feImage"):
            shown = href if not href.startswith("data:") else href[:30] + "…"
            return msg("it contains a raster image (<{element} href=\"{href}\">): raster images inside "
                       "an SVG would skip the resolution and safety checks; place the photo in the "
                       "Markdown as its own image, or embed it as vector art", element=name, href=shown)
        if href and not href.startswith("#"):
            return msg("it refers to another file (<{element} href=\"{href}\">): make the SVG "
                       "self-contained", element=name, href=href[:60])
    return None
