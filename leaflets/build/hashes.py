"""Hashes of input files, once per command: what every cache key is made of.

Content, never size and time: an edit that keeps both (a photo swapped in
place) still changes the hash. Each file is read once per command, however
many jobs use it (the fonts, the palette, the site data).
"""

from __future__ import annotations

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
