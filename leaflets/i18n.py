"""The language the tool speaks: Vietnamese by default, English on request.

Messages are written in English in the code and marked for translation;
the Vietnamese is a standard gettext catalog,
`leaflets/locale/vi/LC_MESSAGES/leaflets.po` (Babel extracts the marked
messages: see the README's "Languages: Vietnamese first"). The `.po` is what the
repository keeps; its `.mo` is compiled on first use, next to it (or in the
user's cache folder when the package folder cannot be written), and again
whenever the `.po` changes.

- `_("text")` translates now: command-line help, table headings, lines
  shown at once.
- `msg("text {name}", name=value)` keeps a message as its English text and
  its values (`Msg`); `str()` translates it in the language of the moment.
  Findings are made this way, so that a finding cached by one run is shown
  in the language of the next.
- `N_("text")` only marks a constant for extraction; `_()` translates it
  where it is shown.

The language is `--lang`, else the locale (`LANGUAGE`, `LC_ALL`,
`LC_MESSAGES`, `LANG`: one starting with `en` means English), else
Vietnamese.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import os
from pathlib import Path

DOMAIN = "leaflets"
LANGUAGES = ("vi", "en")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "vi"

_state: dict = {"language": None, "translation": None}


def language_from_environment(environ=None) -> str:
    """'en' when the locale asks for English, else 'vi'."""
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = (environ.get(name) or "").strip()
        if not value:
            continue
        first = value.split(":")[0].lower()
        if first.startswith("en"):
            return "en"
        if first.startswith("vi") or name != "LANGUAGE":
            return "vi"
    return DEFAULT


def set_language(language: str | None = None) -> str:
    """Speak `language` ('vi' or 'en'; None: from the environment) from now on, in this
    process and in the processes it starts. Returns the language chosen."""
    chosen = language if language in LANGUAGES else language_from_environment()
    _state["language"] = chosen
    _state["translation"] = _translation(chosen)
    # click's own words ("Usage:", "Options:") go through the standard gettext
    # domain: point it at this catalog, in the chosen language.
    folder = _compiled_folder(chosen)
    if folder is not None:
        gettext.bindtextdomain(DOMAIN, str(folder))
        gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = chosen
    return chosen


def language() -> str:
    if _state["language"] is None:
        set_language(None)
    return _state["language"]


def _(text: str) -> str:
    """`text` in the current language."""
    if _state["translation"] is None:
        set_language(None)
    return _state["translation"].gettext(text) if text else text


def N_(text: str) -> str:  # noqa: N802 (the customary name of the marker)
    """Marks `text` for translation without translating it."""
    return text


class Msg:
    """A message as its English text and values, translated when shown."""

    __slots__ = ("text", "values")

    def __init__(self, text: str, /, **values):
        self.text = text
        self.values = values

    def __str__(self) -> str:
        values = {k: str(v) if isinstance(v, Msg) else v for k, v in self.values.items()}
        try:
            return _(self.text).format(**values)
        except (KeyError, IndexError, ValueError):  # a damaged translation: the English still reads
            return self.text.format(**values)

    def __repr__(self) -> str:
        return f"Msg({self.text!r}, {self.values!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Msg) and (self.text, self.values) == (other.text, other.values)

    def __hash__(self) -> int:
        return hash(self.text)

    def to_json(self) -> dict:
        return {"text": self.text,
                "values": {k: v.to_json() if isinstance(v, Msg) else v for k, v in self.values.items()}}

    @classmethod
    def from_json(cls, data) -> Msg | None:
        """The message `to_json` wrote; None when `data` is not one."""
        if not (isinstance(data, dict) and isinstance(data.get("text"), str)
                and isinstance(data.get("values"), dict)):
            return None
        values = {}
        for key, value in data["values"].items():
            if isinstance(value, dict):
                value = cls.from_json(value)
                if value is None:
                    return None
            elif not isinstance(value, str | int | float | bool) and value is not None:
                return None
            values[key] = value
        return cls(data["text"], **values)


def msg(text: str, /, **values) -> Msg:
    """A message to translate when shown: `text` in English, with {named} values."""
    return Msg(text, **values)


# --- the catalog ----------------------------------------------------------------------------

def _po(language_code: str) -> Path:
    return LOCALE_DIR / language_code / "LC_MESSAGES" / f"{DOMAIN}.po"


def _compiled_folder(language_code: str) -> Path | None:
    """The folder holding <language>/LC_MESSAGES/leaflets.mo, compiled now if it is missing or
    older than the .po; None for English (the code's own words) or without a catalog."""
    po = _po(language_code)
    if language_code == "en" or not po.is_file():
        return None
    source = hashlib.sha256(po.read_bytes()).hexdigest()
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    for folder in (LOCALE_DIR, cache_home / "leaflets" / "locale"):
        mo = folder / language_code / "LC_MESSAGES" / f"{DOMAIN}.mo"
        stamp = mo.with_suffix(".mo.source")
        try:
            if mo.is_file() and stamp.read_text(encoding="ascii").strip() == source:
                return folder
        except OSError:
            pass
        try:
            data = compile_catalog(po)
            mo.parent.mkdir(parents=True, exist_ok=True)
            temporary = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, mo)
            stamp.write_text(source + "\n", encoding="ascii")
            return folder
        except OSError:
            continue
    return None


def compile_catalog(po: Path) -> bytes:
    """The .mo bytes of a .po file (Babel)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _translation(language_code: str):
    folder = _compiled_folder(language_code)
    if folder is None:
        if language_code != "en" and _po(language_code).is_file():
            # nowhere to write the .mo: compile it in memory
            return gettext.GNUTranslations(io.BytesIO(compile_catalog(_po(language_code))))
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, str(folder), languages=[language_code], fallback=True)
