#!/usr/bin/env python3
"""Bring the Vietnamese catalog up to date with the messages in the code.

    python leaflets/locale/update_catalog.py [TRANSLATIONS.json ...]

Extracts, with Babel, every message marked in the package and in build.py
(`_()`, `N_()`, `msg()`, and `_()`/`{% trans %}` in the review page's Jinja
templates), adds the command line's help texts (the commands' docstrings
and the options' help, read from build.py's click commands) and the words
of click's own that users meet ("Usage:", "Options"), and updates
`vi/LC_MESSAGES/leaflets.po`: new messages are added untranslated, messages
gone from the code are dropped, translations are kept. JSON files given
map English texts to their Vietnamese and fill those in. Prints what is
still untranslated; tests/test_i18n.py fails while anything is.
"""

from __future__ import annotations

import datetime
import importlib.util
import inspect
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
REPO = PACKAGE.parent
PO = HERE / "vi" / "LC_MESSAGES" / "leaflets.po"
STAMP = datetime.datetime(2026, 11, 27, tzinfo=datetime.UTC)  # fixed: a run changes only messages
KEYWORDS = {"_": None, "N_": None, "msg": None, "gettext": None}
# click's own words that a user of build.py meets (click marks them for gettext).
CLICK_WORDS = (
    "Usage:", "Options", "Commands", "Show this message and exit.", "Error: {message}",
    "No such command {name!r}.", "No such option: {name}", "No such option {name!r}.", "Missing argument",
    "Missing option",
    "Missing argument '{param_name}'.", "Try '{command} {option}' for help.",
    "Invalid value for {param_hint}: {message}", "default: {default}", "Aborted!",
    "{value!r} is not a valid {number_type}.", "{value!r} is not one of {choices}.",
    "{value} is not in the range {range}.", "Got unexpected extra argument ({args})",
    "Got unexpected extra arguments ({args})",
)


def _build_cli():
    spec = importlib.util.spec_from_file_location("leaflets_build_cli", REPO / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.cli


def help_texts() -> list[tuple[str, str]]:
    """(text, where) of every help text of build.py's commands and options, as click shows them."""
    import click

    found = []

    def walk(command: click.Command, name: str) -> None:
        for item in [command, *command.params]:
            text = item.__dict__.get("english_help") or getattr(item, "help", None)
            if text:
                where = name if item is command else f"{name}:{getattr(item, 'opts', [item.name])[0]}"
                found.append((inspect.cleandoc(text), where))
        if isinstance(command, click.Group):
            for sub_name, sub in sorted(command.commands.items()):
                walk(sub, f"{name}:{sub_name}")

    walk(_build_cli(), "build.py")
    return found


def extracted() -> dict[str, list[str]]:
    """Every message id in the code, with where it is."""
    from babel.messages.extract import extract_from_dir, extract_from_file

    messages: dict[str, list[str]] = {}

    def add(text, where: str) -> None:
        if isinstance(text, tuple):  # ngettext: singular and plural
            text = text[0]
        if text:
            messages.setdefault(text, []).append(where)

    method_map = [("**/locale/**", "ignore"), ("**.py", "python"), ("review/templates/**.j2", "jinja2")]
    for path, line, text, _comments, _context in extract_from_dir(
            str(PACKAGE), method_map=method_map, keywords=KEYWORDS,
            options_map={"review/templates/**.j2": {"extensions": "jinja2.ext.i18n"}}):
        add(text, f"leaflets/{path}:{line}")
    for line, text, _comments, _context in extract_from_file("python", str(REPO / "build.py"),
                                                              keywords=KEYWORDS):
        add(text, f"build.py:{line}")
    for text, where in help_texts():
        add(text, where)
    for text in CLICK_WORDS:
        add(text, "click")
    return messages


def main(argv: list[str]) -> int:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    given: dict[str, str] = {}
    for name in argv:
        given.update(json.loads(Path(name).read_text(encoding="utf-8")))
    old = Catalog(locale="vi", domain="leaflets")
    if PO.is_file():
        with PO.open("rb") as handle:
            old = read_po(handle, locale="vi")
    new = Catalog(locale="vi", domain="leaflets", project="leaflets", version="0.1",
                  copyright_holder="the leaflets project", msgid_bugs_address="",
                  last_translator="the leaflets project", language_team="Vietnamese",
                  charset="utf-8", fuzzy=False, creation_date=STAMP, revision_date=STAMP,
                  header_comment="# Vietnamese messages of the leaflets print tool.\n"
                                 "# Updated by leaflets/locale/update_catalog.py; "
                                 "translations written by hand.")
    missing = []
    for text, places in sorted(extracted().items()):
        before = old.get(text)
        translation = given.get(text) or (before.string if before is not None and not before.fuzzy else "")
        new.add(text, translation, locations=[(p, None) for p in sorted(set(places))[:3]])
        if not translation:
            missing.append(text)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as handle:
        write_po(handle, new, width=100, omit_header=False, sort_output=True, no_location=False)
    print(f"{PO.relative_to(REPO)}: {len(new)} messages, {len(missing)} untranslated")
    for text in missing:
        print(f"  untranslated: {text[:100]!r}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main(sys.argv[1:]))
