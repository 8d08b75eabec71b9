"""Inputs that gave a traceback or a hang: now one line naming the file (and line), exit 1.

One bad file never stops the others, and a broken project-wide file fails
the pieces that need it, says so once, and still ends with the summary table.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

import pytest
from conftest import REPO, run_cli
from hostile import leaflet, line_of, no_traceback

BAD_PIECES = {
    "no-such-day": (leaflet(extra="date: 2025-02-30\n").replace("date: 2025-10-10\n", ""),
                    r"YAML: '2025-02-30' is not a real date or time", "date: 2025-02-30"),
    "no-such-hour": (leaflet(extra="date: 2025-10-10 25:00:00\n").replace("date: 2025-10-10\n", ""),
                     r"YAML: '2025-10-10 25:00:00' is not a real date or time", "25:00:00"),
    "alias-cycle": (leaflet(extra="x: &a [*a]\n"), r"YAML: anchors and aliases .* are not allowed",
                    "x: &a"),
    "deep-nesting": (leaflet(extra="x: " + "[" * 5000 + "]" * 5000 + "\n"), r"YAML: .*nesting", "x: "),
    "block-bad-date": (leaflet(front="```households\nname: A Thiêm\nleft_after: 2025-02-30\n```"),
                       r"YAML: '2025-02-30' is not a real date", "left_after: 2025-02-30"),
    "block-alias": (leaflet(front="```households\nname: &n A Thiêm\nslug: *n\n```"),
                    r"YAML: anchors and aliases", "name: &n"),
}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    from conftest import copy_tree

    root = tmp_path_factory.mktemp("inputs") / "project"
    for part in ("layouts", "fonts", "content"):
        copy_tree(REPO / part, root / part)
    for piece in (root / "content" / "pieces").glob("*.md"):
        if piece.stem != "to-gap-12-chi-so":
            piece.unlink()
    for name, (text, _, _) in BAD_PIECES.items():
        (root / "content" / "pieces" / f"{name}.md").write_text(text, encoding="utf-8")
    return root, run_cli(root, "build")


def test_no_traceback_and_the_good_piece_builds(bad_run):
    root, done = bad_run
    assert done.returncode == 1 and no_traceback(done), done.stderr[-3000:]
    assert re.search(r"^to-gap-12-chi-so\s+dist/print/to-gap-12-chi-so.pdf\s+2\s+built", done.stdout, re.M)


@pytest.mark.parametrize("name", BAD_PIECES)
def test_each_bad_input_is_one_line_with_its_line(bad_run, name):
    _, done = bad_run
    text, pattern, needle = BAD_PIECES[name]
    line = line_of(text, needle)
    assert re.search(rf"^content/pieces/{name}.md:{line}: {pattern}", done.stderr, re.M), done.stderr


def test_bad_date_in_project_data_fails_the_pieces_and_still_prints_the_table(make_project):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    poverty = root / "content" / "data" / "poverty.yaml"
    text = poverty.read_text(encoding="utf-8")
    bad = re.sub(r"valid_from: \d{4}-\d\d-\d\d", "valid_from: 2022-02-30", text, count=1)
    assert bad != text
    poverty.write_text(bad, encoding="utf-8")
    done = run_cli(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    said = [m for m in done.stderr.splitlines() if "is not a real date" in m]
    assert len(said) == 1 and said[0].startswith("content/data/poverty.yaml:"), done.stderr
    assert re.search(r"^to\s+-\s+-\s+failed", done.stdout, re.M), done.stdout


def test_bad_date_in_a_household_fails_only_what_uses_it(make_project):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    (root / "content" / "households" / "ho.md").write_text(
        "---\nname: Hộ thử\nhead: Ông Thử\ncommune: Xã Thử\nleft_poverty: 2025-02-30\n---\nTruyện.\n",
        encoding="utf-8")
    done = run_cli(root, "build")
    assert no_traceback(done)
    assert re.search(r"^content/households/ho.md:5: YAML: '2025-02-30' is not a real date", done.stderr,
                     re.M), done.stderr
    assert (root / "dist" / "print" / "to.pdf").is_file()


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e308", "1e9"])
def test_absurd_numbers_in_layout_toml(make_project, value):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    toml = root / "layouts" / "leaflet-a4" / "layout.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("width = 210 ", f"width = {value} ", 1),
                    encoding="utf-8")
    done = run_cli(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    assert re.search(r"^layouts/leaflet-a4/layout.toml:\d+: page.width: must be", done.stderr, re.M), \
        done.stderr


@pytest.mark.parametrize("content", [b"just text, not a PDF", b"%PDF-1.7\n garbage, no objects"])
def test_diff_against_a_file_that_is_not_a_pdf(make_project, tmp_path, content):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    old = tmp_path / "cu.pdf"
    old.write_bytes(content)
    done = run_cli(root, "diff", "to", "--against", str(old))
    assert done.returncode == 1 and no_traceback(done), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "cu.pdf" in done.stderr


def _run_with_failing_writes(root, errno_name: str, where: str):
    """build.py in a process whose atomic renames under `where` fail with `errno_name`."""
    script = textwrap.dedent(f"""
        import errno, os, runpy, sys
        real = os.replace
        def failing(src, dst, *a, **k):
            if {where!r} in str(dst):
                raise OSError(errno.{errno_name}, os.strerror(errno.{errno_name}), str(dst))
            return real(src, dst, *a, **k)
        os.replace = failing
        sys.argv = ["build.py", "--project", {str(root)!r}, "build"]
        runpy.run_path({str(REPO / "build.py")!r}, run_name="__main__")
    """)
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.mark.parametrize("errno_name, advice", [("ENOSPC", "the disk is full"),
                                                ("EROFS", "read-only disk"),
                                                ("EACCES", "no permission")])
def test_a_write_that_fails_is_one_line_per_file(make_project, errno_name, advice):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    done = _run_with_failing_writes(root, errno_name, "/dist/print/")
    assert done.returncode == 1 and no_traceback(done), done.stderr
    assert re.search(rf"dist/print/to.pdf: cannot write \(.+\): .*{advice}", done.stderr), done.stderr
    assert re.search(r"^to\s+-\s+\S+\s+failed", done.stdout, re.M), done.stdout
    assert not list((root / "dist" / "print").glob(".*.tmp"))


def test_a_report_that_cannot_be_written_is_one_line(make_project):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    done = _run_with_failing_writes(root, "ENOSPC", "preflight.json")
    assert done.returncode == 1 and no_traceback(done), done.stderr
    assert re.search(r"dist/preflight.json: cannot write .*the disk is full", done.stderr), done.stderr


def test_damaged_proof_records_do_not_stop_the_review_page(make_project):
    root = make_project({"content/pieces/to.md": leaflet(), "content/pieces/hai.md": leaflet()},
                        with_samples=False)
    assert run_cli(root, "proof").returncode == 0
    (root / "dist" / "proof" / "hai" / "meta.json").write_bytes(b"\xff\xfe{")
    done = run_cli(root, "proof", "to")
    assert done.returncode == 0 and no_traceback(done), done.stderr
    page = (root / "dist" / "proof" / "index.html").read_text(encoding="utf-8")
    assert "to.proof.pdf" in page
