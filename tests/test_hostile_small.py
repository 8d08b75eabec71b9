"""The smaller ones: list markers, stale temporaries, invisible characters, Pillow's chatter,
honest summaries, and a folder that is not a project."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
from conftest import run_cli
from hostile import leaflet, line_of, no_traceback
from PIL import Image

LISTS = """- một
  - hai
    - ba
      - bốn
- một

1. một
   - hai
     1. ba
        - bốn
"""


def test_nested_lists_use_markers_the_fonts_have(make_project):
    root = make_project({"content/pieces/to.md": leaflet(front=LISTS, back=LISTS)}, with_samples=False)
    done = run_cli(root, "build")
    assert done.returncode == 0, done.stderr
    assert "missing-glyph" not in done.stderr and "font-fallback" not in done.stderr
    text = subprocess.run(["pdftotext", str(root / "dist" / "print" / "to.pdf"), "-"],
                          capture_output=True, text=True).stdout
    assert "•" in text and "–" in text and "‣" in text


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temporaries_of_killed_writers_are_removed(make_project):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    folder = root / "dist" / "print"
    folder.mkdir(parents=True)
    stale = folder / f".to.pdf.{_dead_pid()}.k3j9x0qz.tmp"
    live = folder / f".to.pdf.{os.getpid()}.a8b7c6d5.tmp"  # a writer still running
    mine = folder / "ghi-chu.txt"  # not a temporary: a whole build moves it to dist/old/
    for path in (stale, live, mine):
        path.write_bytes(b"%PDF half")
    assert run_cli(root, "build").returncode == 0
    assert not stale.exists()
    assert live.exists() and (root / "dist" / "old" / "ghi-chu.txt").read_bytes() == b"%PDF half"


INVISIBLE = {
    "nul": ("Giảm\x00nghèo", "U+0000"),
    "rlo": ("Số điện thoại \u202e0912345678", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    "isolate": ("Xã \u2067Đắk Hà\u2069", "U+2067 RIGHT-TO-LEFT ISOLATE"),
    "replacement": ("Gi\ufffdm nghèo", "U+FFFD REPLACEMENT CHARACTER"),
    "escape": ("Chữ\x1b[31m đỏ", "U+001B"),
}


@pytest.mark.parametrize("name", INVISIBLE)
def test_invisible_and_damaging_characters_are_errors_with_their_line(make_project, name):
    sample, said = INVISIBLE[name]
    text = leaflet(front=f"Đoạn đầu.\n\n{sample}\n")
    root = make_project({"content/pieces/to.md": text}, with_samples=False)
    done = run_cli(root, "preflight")
    assert done.returncode == 1 and no_traceback(done)
    line = line_of(text, sample)
    assert re.search(rf"^content/pieces/to.md:{line}: \[bad-character\] {re.escape(said)}", done.stdout,
                     re.M), done.stdout


def _jpeg_with_corrupt_exif() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 1
    exif[0x010E] = "x"
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1600), (30, 90, 160)).save(buffer, format="JPEG", exif=exif.tobytes()[:-3])
    return buffer.getvalue()


def test_pillow_warnings_become_findings_not_noise(make_project):
    text = leaflet(front="![Ảnh](../images/exif.jpg)")
    root = make_project({"content/pieces/to.md": text, "content/images/exif.jpg": _jpeg_with_corrupt_exif()},
                        with_samples=False)
    done = run_cli(root, "build")
    assert done.returncode == 0, done.stderr
    assert "site-packages" not in done.stderr and "UserWarning" not in done.stderr
    assert re.search(rf"^content/pieces/to.md:{line_of(text, '![Ảnh')}: warning: image "
                     r"content/images/exif.jpg: Pillow says “Corrupt EXIF data", done.stderr, re.M), \
        done.stderr


def test_a_font_the_layout_does_not_have_is_said_plainly(make_project):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    css = root / "layouts" / "leaflet-a4" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + '\n.slot p { font-family: "Không Có"; }\n',
                   encoding="utf-8")
    done = run_cli(root, "preflight")
    assert "no bundled font:" not in done.stdout and "is not in no bundled font" not in done.stdout
    assert "is in a font the layout does not ask for" in done.stdout, done.stdout


def test_unknown_piece_says_nothing_was_built(make_project):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    done = run_cli(root, "build", "khong-co")
    assert done.returncode == 1
    assert "no piece named 'khong-co'" in done.stderr
    assert "nothing was built" in done.stderr and "0 of 0" not in done.stderr


def test_errors_no_piece_caused_are_named_as_such(make_project):
    root = make_project({"content/pieces/to.md": leaflet(),
                         "content/households/hong.md": "---\nname: [\n---\n"}, with_samples=False)
    done = run_cli(root, "build")
    assert done.returncode == 1
    assert (root / "dist" / "print" / "to.pdf").is_file()
    assert "0 of 1 pieces failed" not in done.stderr
    assert "every piece built, but there are errors above that no piece caused" in done.stderr


@pytest.mark.parametrize("command", ["build", "list", "preflight", "proof"])
def test_a_folder_that_is_not_a_project_is_refused_and_untouched(tmp_path, command):
    folder = tmp_path / "khong-phai-du-an"
    folder.mkdir()
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    done = run_cli(folder, command)
    assert done.returncode == 1 and no_traceback(done)
    assert "is not a project folder" in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    root = run_cli(tmp_path / "khong-co", command)
    assert root.returncode == 1 and "no such folder" in root.stderr


def test_the_root_folder_is_not_a_project():
    done = run_cli(__import__("pathlib").Path("/"), "list")
    assert done.returncode == 1 and "is not a project folder" in done.stderr
