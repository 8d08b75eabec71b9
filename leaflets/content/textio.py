"""Reading text files the way print work needs: UTF-8 only, NFC always.

A file in a legacy code page (TCVN3, VNI, Windows-1258) decoded as if it were
something else turns every Vietnamese letter into the wrong one, so anything
that is not valid UTF-8 is refused with the line and column of the first bad
byte. NFD input (macOS, some Windows keyboards) is normalised to NFC so that
fonts, searches and comparisons all see one spelling of each letter.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from ..i18n import msg
from ..problems import ContentError, error

BOM = "\ufeff"
# A leaflet's text is a few kilobytes and a handbook's a few hundred; a file
# far larger is a mistake (or hostile) and would take minutes and gigabytes
# to lay out. The limit is a setting: LEAFLETS_MAX_TEXT_MB in the environment.
DEFAULT_MAX_MB = 2.0
LIMIT_VARIABLE = "LEAFLETS_MAX_TEXT_MB"


def max_text_mb() -> float:
    """The largest text file read, in MB: LEAFLETS_MAX_TEXT_MB, or the default 2 MB."""
    try:
        megabytes = float(os.environ.get(LIMIT_VARIABLE, DEFAULT_MAX_MB))
    except ValueError:
        return DEFAULT_MAX_MB
    return megabytes if megabytes > 0 and megabytes == megabytes else DEFAULT_MAX_MB


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _command_path(path: Path) -> str:
    """`path` as `text fix` takes it from the project folder (content/…, layouts/…), or as given."""
    parts = path.parts
    for top in ("content", "layouts"):
        if top in parts:
            return "/".join(parts[len(parts) - 1 - parts[::-1].index(top):])
    return path.as_posix()


def decode(data: bytes, path: Path) -> str:
    """Decode UTF-8 bytes into NFC text, or raise naming the first bad byte (and the command that
    repairs a file saved in a legacy Vietnamese encoding)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError([error(
            path, line,
            msg("not UTF-8 (byte 0x{byte:02X} at column {column}); save the file as UTF-8 (legacy "
                "TCVN3/VNI text must be converted to Unicode first: `python build.py text fix {file}` "
                "does it, keeping the original as {file}.bak)", byte=data[exc.start], column=column,
                file=_command_path(path)),
        )]) from None
    return nfc(text.removeprefix(BOM).replace("\r\n", "\n").replace("\r", "\n"))


def read_text(path: Path, *, allow_empty: bool = False) -> str:
    """Read a UTF-8 text file as NFC text with Unix line ends."""
    megabytes = max_text_mb()
    limit = int(megabytes * 1024 * 1024)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ContentError([error(path, None, msg("cannot read: {reason}",
                                                  reason=exc.strerror or str(exc)))]) from None
    if len(data) > limit:
        raise ContentError([error(path, None, msg(
            "the file is over the {megabytes:g} MB limit for text files; split it, or "
            "raise the limit with {variable}=<MB> if it really is that long", megabytes=megabytes,
            variable=LIMIT_VARIABLE))])
    text = decode(data, path)
    if not allow_empty and not text.strip():
        raise ContentError([error(path, None, msg("the file is empty; write its content or delete it"))])
    return text


def nfc_tree(value):
    """NFC-normalise every string inside a loaded YAML/TOML value."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [nfc_tree(v) for v in value]
    if isinstance(value, dict):
        return {nfc_tree(k): nfc_tree(v) for k, v in value.items()}
    return value
