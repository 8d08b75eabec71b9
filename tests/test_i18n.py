"""The tool speaks Vietnamese by default and English on request, from a gettext catalog."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
from conftest import REPO, run_cli

from leaflets import i18n
from leaflets.i18n import Msg, msg

sys.path.insert(0, str(REPO / "leaflets" / "locale"))
import update_catalog  # noqa: E402

PLACEHOLDER = re.compile(r"(?<!\{)\{([a-zA-Z_][a-zA-Z0-9_]*)[^{}]*\}(?!\})")


@pytest.fixture(scope="module")
def catalog():
    from babel.messages.pofile import read_po

    with update_catalog.PO.open("rb") as handle:
        return read_po(handle, locale="vi")


@pytest.fixture(scope="module")
def in_code():
    return update_catalog.extracted()


def test_every_message_in_the_code_has_a_vietnamese_translation(catalog, in_code):
    missing = [text for text in in_code
               if catalog.get(text) is None or not catalog.get(text).string or catalog.get(text).fuzzy]
    assert missing == [], (f"{len(missing)} message(s) without Vietnamese: run "
                           f"`python leaflets/locale/update_catalog.py` and translate them", missing[:20])


def test_translations_keep_every_placeholder(catalog):
    wrong = [(m.id, m.string) for m in catalog if m.id and m.string
             and set(PLACEHOLDER.findall(m.id)) != set(PLACEHOLDER.findall(m.string))]
    assert wrong == []


def test_the_catalog_holds_no_message_the_code_lost(catalog, in_code):
    assert sorted(m.id for m in catalog if m.id and m.id not in in_code) == []


def test_help_words_and_click_words_are_in_the_catalog(in_code):
    assert "Usage:" in in_code and "Show this message and exit." in in_code
    assert any(text.startswith("Build PIECES") for text in in_code)


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "vi"), ({"LANG": "C.UTF-8"}, "vi"), ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "vi_VN.UTF-8"}, "vi"), ({"LC_ALL": "en_GB.UTF-8", "LANG": "vi_VN.UTF-8"}, "en"),
    ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "vi"), ({"LANGUAGE": "en:vi", "LANG": "C"}, "en"),
    ({"LANGUAGE": "fr", "LANG": "en_US.UTF-8"}, "en"),
])
def test_language_from_the_locale(environ, expected):
    assert i18n.language_from_environment(environ) == expected


def test_a_message_is_shown_in_the_language_of_the_moment():
    message = msg("{failed} of {total} pieces failed", failed=2, total=5)
    before = i18n.language()
    try:
        i18n.set_language("en")
        assert str(message) == "2 of 5 pieces failed"
        i18n.set_language("vi")
        assert str(message) == "2 trên 5 ấn phẩm không dựng được"
    finally:
        i18n.set_language(before)


def test_a_finding_cached_in_english_is_shown_in_vietnamese(tmp_path):
    from leaflets.build.findings import problem_json, stored_finding
    from leaflets.problems import warning
    from leaflets.project import Project

    project = Project.at(tmp_path)
    before = i18n.language()
    try:
        i18n.set_language("en")
        found = warning(tmp_path / "content" / "pieces" / "a.md", 3,
                        msg("review page: {file}", file="dist/proof/index.html"), code="x")
        stored = problem_json(project, found)
        assert stored["message"] == "review page: dist/proof/index.html"
        i18n.set_language("vi")
        again = stored_finding(project, stored)
        assert again.format(tmp_path) == ("content/pieces/a.md:3: cảnh báo: [x] "
                                          "trang duyệt: dist/proof/index.html")
    finally:
        i18n.set_language(before)


def test_a_damaged_message_record_is_refused():
    assert Msg.from_json({"text": "a {b}", "values": {"b": [1, 2]}}) is None
    assert Msg.from_json({"text": 3, "values": {}}) is None
    assert Msg.from_json({"text": "a {b}", "values": {"b": {"text": "c", "values": {}}}}) == \
        Msg("a {b}", b=Msg("c"))


def test_a_damaged_translation_falls_back_to_english(monkeypatch):
    class Broken:
        def gettext(self, text):
            return "{nonexistent}"

    monkeypatch.setitem(i18n._state, "translation", Broken())
    monkeypatch.setitem(i18n._state, "language", "vi")
    assert str(msg("details: {file}", file="x")) == "details: x"


def test_the_catalog_compiles_to_a_mo_gettext_reads():
    import gettext

    data = i18n.compile_catalog(update_catalog.PO)
    translation = gettext.GNUTranslations(io.BytesIO(data))
    assert translation.gettext("Usage:") == "Cách dùng:"


def test_the_cli_speaks_both_languages(make_project):
    root = make_project(pieces=("to-roi-chuan-ngheo",))
    vi = run_cli(root, "--lang", "vi", "list")
    en = run_cli(root, "--lang", "en", "list")
    assert vi.returncode == en.returncode == 0
    assert vi.stdout.split()[:3] == ["ấn", "phẩm", "mẫu"]
    assert en.stdout.split()[:2] == ["piece", "layout"]
    built = run_cli(root, "--lang", "vi", "build")
    assert re.search(r"^to-roi-chuan-ngheo\s+dist/print/to-roi-chuan-ngheo.pdf\s+2\s+đã dựng",
                     built.stdout, re.M), built.stdout
    again = run_cli(root, "--lang", "vi", "build")
    assert "không đổi" in again.stdout
    assert "Cách dùng:" in run_cli(root, "--lang", "vi", "build", "--help").stdout
    english_help = run_cli(root, "--lang", "en", "build", "--help").stdout
    assert "Usage:" in english_help and "Build PIECES" in english_help


def test_the_review_page_follows_the_language(make_project):
    root = make_project(pieces=("bangron-thoat-ngheo",))
    page = root / "dist" / "proof" / "index.html"
    assert run_cli(root, "--lang", "en", "proof").returncode == 0
    english = page.read_text(encoding="utf-8")
    assert '<html lang="en">' in english and "<title>Proof review – 1 piece(s)" in english
    assert run_cli(root, "--lang", "vi", "proof").returncode == 0
    vietnamese = page.read_text(encoding="utf-8")
    assert '<html lang="vi">' in vietnamese and "<title>Duyệt bản in thử" in vietnamese
    assert "Proof review" not in vietnamese


@pytest.mark.parametrize(("lang", "words"), [("C.UTF-8", ("Cách dùng:", "Dựng tệp PDF")),
                                             ("en_US.UTF-8", ("Usage:", "Build print-ready PDFs"))])
def test_the_locale_chooses_the_language_of_a_real_process(tmp_path, lang, words):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang
    env["XDG_CACHE_HOME"] = str(tmp_path)
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--help"], capture_output=True,
                          text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert all(word in done.stdout for word in words), done.stdout


def test_a_bad_command_is_refused_in_vietnamese(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "C.UTF-8"
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "khong-co"], capture_output=True,
                          text=True, env=env, cwd=tmp_path)
    assert done.returncode == 2
    assert "Lỗi: Không có lệnh 'khong-co'." in done.stderr, done.stderr


def test_the_mo_is_compiled_next_to_the_po_or_else_in_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name, blocked in (("writable", False), ("installed", True)):
        locale = tmp_path / name
        (locale / "vi" / "LC_MESSAGES").mkdir(parents=True)
        (locale / "vi" / "LC_MESSAGES" / "leaflets.po").write_bytes(update_catalog.PO.read_bytes())
        if blocked:  # a package folder that cannot take the .mo (root writes anywhere: a folder in the way)
            (locale / "vi" / "LC_MESSAGES" / "leaflets.mo").mkdir()
        monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
        folder = i18n._compiled_folder("vi")
        assert folder == (tmp_path / "cache" / "leaflets" / "locale" if blocked else locale)
        assert (folder / "vi" / "LC_MESSAGES" / "leaflets.mo").is_file()
        assert i18n._compiled_folder("vi") == folder  # fresh: used as it is
    # a changed .po is compiled again
    po = tmp_path / "writable" / "vi" / "LC_MESSAGES" / "leaflets.po"
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "writable")
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Cách dùng:"', 'msgstr "Dùng:"'),
                  encoding="utf-8")
    i18n._compiled_folder("vi")
    import gettext

    mo = tmp_path / "writable" / "vi" / "LC_MESSAGES" / "leaflets.mo"
    assert gettext.GNUTranslations(mo.open("rb")).gettext("Usage:") == "Dùng:"
