"""References from content to files (images): resolved, confined, checked.

Content may only point at files inside the project: a print run must build
the same on any machine, and a shared Markdown file must not be able to pull
in `/etc/passwd` or a web address. The same rule is enforced again at render
time by the URL fetcher (`fetcher.py`); checking here gives the user a line
number.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..i18n import Msg, msg
from ..project import Project

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff"}


class AssetError(ValueError):
    """A reference that cannot be used; the message says why and what to do (`message`, a `Msg`:
    `str()` in the current language)."""

    def __init__(self, message: Msg):
        super().__init__(message)
        self.message = message


def resolve(reference: str, relative_to: Path, project: Project,
            suffixes: set[str] = IMAGE_SUFFIXES) -> Path:
    """Return the absolute path `reference` names, relative to the folder `relative_to`."""
    ref = reference.strip()
    if not ref:
        raise AssetError(msg("empty image reference"))
    if SCHEME.match(ref) or ref.startswith("//"):
        raise AssetError(msg("{ref!r} is not a file in the project: copy the file into "
                             "content/images/ and refer to it by a relative path", ref=ref))
    if ref.startswith("/") or ref.startswith("\\"):
        raise AssetError(msg("{ref!r} is an absolute path: use a path relative to this file", ref=ref))
    target = (relative_to / ref).resolve()
    if not project.contains(target):
        raise AssetError(msg("{ref!r} points outside the project: copy the file into content/images/",
                             ref=ref))
    if not target.is_file():
        raise AssetError(msg("image {ref!r} not found (looked for {looked})", ref=ref,
                             looked=str(project.relative(target))))
    if target.suffix.lower() not in suffixes:
        allowed = ", ".join(sorted(suffixes))
        raise AssetError(msg("{ref!r}: unsupported file type (use {allowed})", ref=ref, allowed=allowed))
    return target
