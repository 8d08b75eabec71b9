"""Bad input: one line `path:line: what is wrong`, exit 1, no traceback, others still build."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, run_cli

TRIFOLD = (REPO / "content" / "pieces" / "to-gap-vi-nguoi-ngheo.md").read_text(encoding="utf-8")
GOOD = ("to-gap-vi-nguoi-ngheo", "to-roi-chuan-ngheo")


def variant(old: str, new: str) -> str:
    assert old in TRIFOLD, old
    return TRIFOLD.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# name: (file content, expected message (regex), expected line or None)
CASES = {
    "broken-yaml": ('---\nlayout: trifold-a4\ntitle: "Tờ gấp\nrevision: [1\n---\n::: cover\nx\n:::\n',
                    r"YAML: ", 3),
    "unknown-layout": (variant("layout: trifold-a4", "layout: trifold-a5"),
                       r"unknown layout 'trifold-a5' \(known: .*leaflet-a4.*trifold-a4", 2),
    "unknown-slot": (variant("::: inside-2\n", "::: inside-2\n:::\n::: inside-9\n"),
                     r"slot 'inside-9' is not a slot of layout 'trifold-a4' \(its slots: ",
                     line_of(variant("::: inside-2\n", "::: inside-2\n:::\n::: inside-9\n"),
                             "::: inside-9")),
    "missing-slot": (re.sub(r"::: flap\n.*?\n:::\n", "", TRIFOLD, count=1, flags=re.S),
                     r"slot 'flap' missing: layout 'trifold-a4' needs it", 2),
    "no-household": (variant("limit: 2", 'name: "Hộ ông Không Có"'),
                     r"households query \(name: Hộ ông Không Có\) matches no household \(known: ",
                     line_of(TRIFOLD, "```households")),
    "missing-image": (variant("../images/covers/chung-tay.svg", "../images/khong-co.svg"),
                      r"image '../images/khong-co.svg' not found",
                      line_of(TRIFOLD, "../images/covers/chung-tay.svg")),
    "image-outside": (variant("../images/covers/chung-tay.svg", "../../../../etc/hostname.png"),
                      r"points outside the project", line_of(TRIFOLD, "../images/covers/chung-tay.svg")),
    "image-web": (variant("../images/covers/chung-tay.svg", "http://example.com/a.png"),
                  r"is not a file in the project", line_of(TRIFOLD, "../images/covers/chung-tay.svg")),
    "image-file-url": (variant("../images/covers/chung-tay.svg", "file:///etc/hostname.png"),
                       r"is not a file in the project",
                       line_of(TRIFOLD, "../images/covers/chung-tay.svg")),
    "stray-text": (variant("::: cover", "Lời chào lạc chỗ.\n\n::: cover"),
                   r"text outside any slot: put it inside '::: <slot>'",
                   line_of(variant("::: cover", "Lời chào lạc chỗ.\n\n::: cover"), "Lời chào")),
    "empty": ("", r"the file is empty", None),
    "not-utf8": ("---\nlayout: leaflet-a4\ntitle: Gi\xb6m ngh\xcc\n---\n".encode("latin-1"),
                 r"not UTF-8 \(byte 0xB6 at column 10\).*`python build.py text fix "
                 r"content/pieces/not-utf8\.md` does it", 3),
}


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory, sample_build):
    from conftest import copy_built_sample

    # a first, good build (the session's): its PDFs must survive the broken one
    root = copy_built_sample(sample_build, tmp_path_factory.mktemp("bad") / "project")
    before = {name: (root / "dist" / "print" / f"{name}.pdf").read_bytes() for name in GOOD}
    # now every kind of bad piece, plus one good piece broken in place
    for name, (content, _, _) in CASES.items():
        path = root / "content" / "pieces" / f"{name}.md"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    broken_good = root / "content" / "pieces" / "to-gap-vi-nguoi-ngheo.md"
    broken_good.write_text(variant("::: flap", "::: flapp"), encoding="utf-8")
    edited = root / "content" / "pieces" / "to-roi-chuan-ngheo.md"  # a good piece that must be built
    edited.write_text(edited.read_text(encoding="utf-8").replace("Ba mục tiêu chính", "Ba mục tiêu lớn", 1),
                      encoding="utf-8")
    done = run_cli(root)
    return root, done, before


def test_exit_status_is_1_and_no_traceback(broken_run):
    _, done, _ = broken_run
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.parametrize("name", CASES)
def test_each_bad_piece_gets_one_clear_line(broken_run, name):
    _, done, _ = broken_run
    _, pattern, line = CASES[name]
    where = f"content/pieces/{name}.md" + (f":{line}" if line else "")
    mine = [m for m in done.stderr.splitlines() if m.startswith(f"content/pieces/{name}.md")]
    assert mine, done.stderr
    assert any(m.startswith(where + ":") and re.search(pattern, m) for m in mine), mine
    assert not (done.stdout.count(f"\n{name} ") and f"dist/print/{name}.pdf" in done.stdout)


def test_other_pieces_still_build(broken_run):
    root, done, before = broken_run
    assert re.search(r"^to-roi-chuan-ngheo\s+dist/print/to-roi-chuan-ngheo.pdf\s+2\s+built",
                     done.stdout, re.M), done.stdout


def test_previous_good_pdf_of_a_broken_piece_stays(broken_run):
    root, done, before = broken_run
    assert re.search(r"^to-gap-vi-nguoi-ngheo\s+-\s+-\s+failed", done.stdout, re.M)
    kept = (root / "dist" / "print" / "to-gap-vi-nguoi-ngheo.pdf").read_bytes()
    assert kept == before["to-gap-vi-nguoi-ngheo"]
    for name in CASES:
        assert not (root / "dist" / "print" / f"{name}.pdf").exists()
    leftovers = [p.name for p in (root / "dist" / "print").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_stylesheet_outside_the_project_is_refused(make_project):
    root = make_project()
    css = root / "layouts" / "leaflet-a4" / "style.css"
    css.write_text(css.read_text(encoding="utf-8")
                   + '\n.masthead { background-image: url("file:///etc/hostname"); }\n',
                   encoding="utf-8")
    done = run_cli(root, "build", "to-roi-chuan-ngheo")
    assert done.returncode == 1
    assert re.search(r"^content/pieces/to-roi-chuan-ngheo.md: refused to load file:///etc/hostname",
                     done.stderr, re.M), done.stderr
    assert "Traceback" not in done.stderr


def test_relative_escape_from_a_stylesheet_is_refused(make_project):
    root = make_project()
    css = root / "layouts" / "trifold-a4" / "style.css"
    css.write_text(css.read_text(encoding="utf-8")
                   + '\n.panel--cover { background-image: url("../../../../../etc/hostname"); }\n',
                   encoding="utf-8")
    done = run_cli(root, "build", "to-gap-vi-nguoi-ngheo")
    assert done.returncode == 1
    assert re.search(r"^content/pieces/to-gap-vi-nguoi-ngheo.md: refused to load file:///.*etc/hostname",
                     done.stderr, re.M), done.stderr


def test_layout_stylesheet_list_outside_layouts_is_an_error(make_project):
    root = make_project()
    toml = root / "layouts" / "leaflet-a4" / "layout.toml"
    toml.write_text('stylesheets = ["../../fonts/OFL.txt"]\n' + toml.read_text(encoding="utf-8"),
                    encoding="utf-8")
    done = run_cli(root, "build", "to-roi-chuan-ngheo")
    assert done.returncode == 1
    assert "layouts/leaflet-a4/layout.toml:1: stylesheets: ../../fonts/OFL.txt is outside the " \
           "layouts folder" in done.stderr


def test_unknown_front_matter_key_warns_and_strict_fails(make_project):
    piece = TRIFOLD.replace("revision: 1", "revision: 1\nrevison: 2", 1)
    root = make_project({"content/pieces/to-gap-vi-nguoi-ngheo.md": piece})
    done = run_cli(root, "build", "to-gap-vi-nguoi-ngheo")
    assert done.returncode == 0, done.stderr
    assert re.search(r"^content/pieces/to-gap-vi-nguoi-ngheo.md:6: warning: revison: unknown key",
                     done.stderr, re.M), done.stderr
    strict = run_cli(root, "build", "--strict", "to-gap-vi-nguoi-ngheo")
    assert strict.returncode == 1
    assert re.search(r"^content/pieces/to-gap-vi-nguoi-ngheo.md:6: revison: unknown key",
                     strict.stderr, re.M)


def test_unknown_piece_name_on_the_command_line(make_project):
    root = make_project()
    done = run_cli(root, "build", "khong-co")
    assert done.returncode == 1
    assert re.search(r"no piece named 'khong-co' in content/pieces/ \(known: .*to-gap-vi-nguoi-ngheo, "
                     r"to-roi-chuan-ngheo", done.stderr)
