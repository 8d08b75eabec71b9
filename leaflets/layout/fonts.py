"""The bundled fonts: the only ones a build may use (PRINT-SPEC §6).

`fonts/fonts.toml` lists each file with its family, weight and style. From
it come the `@font-face` rules of every document, and a fontconfig file
whose only font folder is `fonts/`, so that a character the fonts lack shows
as a box the glyph check can find instead of silently pulling in whatever
fonts the machine happens to have.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from ..atomic import write_atomic
from ..content.schema import Field, check, f, toml_lines
from ..content.textio import read_text
from ..i18n import msg
from ..problems import ContentError, error
from ..project import outside_links
from .page_css import css_string

FONT = {
    "file": f(str, required=True), "family": f(str, required=True),
    "weight": f(int, default=400, check=lambda w: None if 1 <= w <= 1000 else msg("1 to 1000")),
    "style": f(str, default="normal", choices=("normal", "italic")),
}
MANIFEST = {"font": f(list, required=True, items=Field((dict,), schema=FONT))}


@dataclass(frozen=True)
class FontFace:
    path: Path
    family: str
    weight: int
    style: str


def load_fonts(fonts_dir: Path) -> tuple[FontFace, ...]:
    """The faces fonts/fonts.toml lists; every file must be in fonts/ itself, inside the project."""
    manifest = fonts_dir / "fonts.toml"
    if not manifest.is_file():
        raise ContentError([error(manifest, None, msg("missing: list the bundled fonts here"))])
    # A font from outside the project would be embedded in print files (and
    # differ from machine to machine): fonts/ and its files are the project's own.
    outside = outside_links(fonts_dir, fonts_dir.parent)
    if outside:
        raise ContentError(outside)
    text = read_text(manifest)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError([error(manifest, getattr(exc, "lineno", None),
                                  msg("TOML: {error}", error=str(exc)))]) from None
    lines = toml_lines(text)
    checked = check(raw, MANIFEST, manifest, lines)
    problems = [p for p in checked.problems if p.is_error]
    faces = []
    for i, entry in enumerate(checked.value.get("font") or []):
        path = fonts_dir / entry["file"]
        if not path.is_file() or path.resolve().parent != fonts_dir.resolve():
            problems.append(error(manifest, lines.get(("font", i)),
                                  msg("font[{index}]: {file} is not a file in {folder}/",
                                      index=i, file=entry["file"], folder=fonts_dir.name)))
            continue
        faces.append(FontFace(path, entry["family"], entry["weight"], entry["style"]))
    if problems:
        raise ContentError(problems)
    return tuple(faces)


def font_face_css(faces: tuple[FontFace, ...], root: Path) -> str:
    rules = []
    for face in faces:
        url = quote(face.path.resolve().relative_to(root.resolve()).as_posix(), safe="/")
        rules.append(
            f"@font-face {{ font-family: {css_string(face.family)}; src: url({css_string(url)}); "
            f"font-weight: {face.weight}; font-style: {face.style}; }}")
    return "\n".join(rules)


def fontconfig_file(fonts_dir: Path, cache_dir: Path) -> Path:
    """Write a fontconfig configuration that sees `fonts_dir` and nothing else."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    conf = cache_dir / "fonts.conf"
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{escape(str(fonts_dir.resolve()))}</dir>\n"
        f"  <cachedir>{escape(str((cache_dir / 'fontconfig').resolve()))}</cachedir>\n"
        "</fontconfig>\n")
    # Verified on every run: a file changed or damaged in the cache is written anew.
    try:
        same = conf.is_file() and conf.read_bytes() == text.encode()
    except OSError:
        same = False
    if not same:
        write_atomic(conf, text.encode())
    return conf


def confine_fontconfig(fonts_dir: Path, cache_dir: Path) -> None:
    """Point fontconfig at the bundled fonts only. Must run before WeasyPrint is imported."""
    os.environ["FONTCONFIG_FILE"] = str(fontconfig_file(fonts_dir, cache_dir))


def cmap(path: Path) -> set[int]:
    """The code points a font file maps to glyphs."""
    from fontTools.ttLib import TTFont  # import late: only checks need it

    with TTFont(path, lazy=True) as font:
        return set(font.getBestCmap())


def regular_face(faces: tuple[FontFace, ...]) -> Path:
    """The bundled regular upright face, for slugs and marks."""
    for face in faces:
        if face.weight == 400 and face.style == "normal":
            return face.path
    return faces[0].path


def bold_face(faces: tuple[FontFace, ...]) -> Path:
    """The bundled bold upright sans face (700, else the heaviest upright), for tickets and proofs."""
    upright = [f for f in faces if f.style == "normal"] or list(faces)
    sans = [f for f in upright if "sans" in f.family.casefold()] or upright
    return min(sans, key=lambda f: (abs(f.weight - 700), -f.weight)).path
