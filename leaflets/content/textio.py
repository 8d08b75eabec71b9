"""Reading text files the way print work needs: UTF-8 only, NFC always.

A file in a legacy code page (TCVN3, VNI, Windows-1258) decoded as if it were
something else turns every Vietnamese letter into the wrong one, so anything
that is not valid UTF-8 is refused with the line and column of the first bad
byte. NFD input (macOS, some Windows keyboards) is normalised to NFC so that
fonts, searches and comparisons all see one spelling of each letter.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..problems import ContentError, error

BOM = "\ufeff"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def decode(data: bytes, path: Path) -> str:
    """Decode UTF-8 bytes into NFC text, or raise naming the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError([error(
            path, line,
            f"not UTF-8 (byte 0x{data[exc.start]:02X} at column {column}); "
            "save the file as UTF-8 (legacy TCVN3/VNI text must be converted to Unicode first)",
        )]) from None
    return nfc(text.removeprefix(BOM).replace("\r\n", "\n").replace("\r", "\n"))


def read_text(path: Path, *, allow_empty: bool = False) -> str:
    """Read a UTF-8 text file as NFC text with Unix line ends."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError([error(path, None, f"cannot read: {exc.strerror}")]) from None
    text = decode(data, path)
    if not allow_empty and not text.strip():
        raise ContentError([error(path, None, "the file is empty; write its content or delete it")])
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
