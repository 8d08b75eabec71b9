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

from ..project import Project

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff"}


class AssetError(ValueError):
    """A reference that cannot be used; the message says why and what to do."""


def resolve(reference: str, relative_to: Path, project: Project,
            suffixes: set[str] = IMAGE_SUFFIXES) -> Path:
    """Return the absolute path `reference` names, relative to the folder `relative_to`."""
    ref = reference.strip()
    if not ref:
        raise AssetError("empty image reference")
    if SCHEME.match(ref) or ref.startswith("//"):
        raise AssetError(f"{ref!r} is not a file in the project: copy the file into "
                         "content/images/ and refer to it by a relative path")
    if ref.startswith("/") or ref.startswith("\\"):
        raise AssetError(f"{ref!r} is an absolute path: use a path relative to this file")
    target = (relative_to / ref).resolve()
    if not project.contains(target):
        raise AssetError(f"{ref!r} points outside the project: copy the file into content/images/")
    if not target.is_file():
        raise AssetError(f"image {ref!r} not found (looked for {project.relative(target)})")
    if target.suffix.lower() not in suffixes:
        allowed = ", ".join(sorted(suffixes))
        raise AssetError(f"{ref!r}: unsupported file type (use {allowed})")
    return target
