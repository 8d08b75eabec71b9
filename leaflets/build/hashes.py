"""Hashes of input files, once per command: what every cache key is made of.

Content, never size and time: an edit that keeps both (a photo swapped in
place) still changes the hash. Each file is read once per command, however
many jobs use it (the fonts, the palette, the site data).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

_file_hashes: dict[Path, str] = {}


def forget_file_hashes() -> None:
    """Hash every input again from now on (each command starts with this)."""
    _file_hashes.clear()


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, once per command: an edit that keeps size and time still shows."""
    if path not in _file_hashes:
        digest = hashlib.sha256()
        try:
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            _file_hashes[path] = digest.hexdigest()
        except OSError:
            _file_hashes[path] = "missing"
    return _file_hashes[path]


LIBRARIES = ("weasyprint", "pydyf", "pikepdf", "pillow", "reportlab", "fonttools", "pypdfium2",
             "markdown-it-py", "mdit-py-plugins", "jinja2", "pyyaml", "tinycss2", "cssselect2")


@functools.cache
def tool_digest() -> str:
    """The engine's own code and templates, and the versions of the libraries that write the files.

    A new or changed check, or a library update, makes every output be built again.
    """
    from importlib import metadata

    from .. import __version__

    digest = hashlib.sha256(f"leaflets {__version__}\n".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\n".encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.j2"), *package.rglob("*.txt")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()
