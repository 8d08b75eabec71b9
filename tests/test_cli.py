"""The command line: help is fast (no WeasyPrint), list, the end-of-run table."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import REPO, run_cli


def test_help_does_not_import_weasyprint():
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    done = subprocess.run([sys.executable, "-X", "importtime", str(REPO / "build.py"), "--help"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0
    assert "Build print-ready PDFs" in done.stdout
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "weasyprint" not in imported
    assert not any(name.startswith(("weasyprint", "pikepdf", "reportlab", "fontTools"))
                   for name in imported)


def test_every_command_has_help_with_an_example():
    for command in ("build", "list"):
        done = subprocess.run([sys.executable, str(REPO / "build.py"), command, "--help"],
                              capture_output=True, text=True)
        assert done.returncode == 0
        assert "Example" in done.stdout


def test_list_shows_pieces_and_layouts(make_project):
    root = make_project()
    done = run_cli(root, "list")
    assert done.returncode == 0, done.stderr
    assert re.search(r"^to-gap-vi-nguoi-ngheo\s+trifold-a4\s+297 × 210 mm\s+2\s+Chung tay",
                     done.stdout, re.M), done.stdout
    assert re.search(r"^to-roi-chuan-ngheo\s+leaflet-a4\s+210 × 297 mm\s+2\s+", done.stdout, re.M)
    assert re.search(r"^trifold-a4\s+sheet\s+297 × 210 mm\s+2\s+flap, back, cover, inside-1",
                     done.stdout, re.M)


def test_build_with_no_arguments_builds_everything_and_prints_a_table(make_project):
    root = make_project(pieces=("to-gap-vi-nguoi-ngheo", "to-roi-chuan-ngheo"))
    done = run_cli(root)
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0].split()
    assert header == ["piece", "output", "pages", "status", "seconds"]
    for name in ("to-gap-vi-nguoi-ngheo", "to-roi-chuan-ngheo"):
        assert re.search(rf"^{name}\s+dist/print/{name}.pdf\s+2\s+built\s+\d+\.\d\d$",
                         done.stdout, re.M), done.stdout
        assert (root / "dist" / "print" / f"{name}.pdf").read_bytes().startswith(b"%PDF-")


def test_build_one_piece(make_project):
    root = make_project()
    done = run_cli(root, "build", "to-roi-chuan-ngheo")
    assert done.returncode == 0, done.stderr
    assert (root / "dist" / "print" / "to-roi-chuan-ngheo.pdf").exists()
    assert not (root / "dist" / "print" / "to-gap-vi-nguoi-ngheo.pdf").exists()


def test_empty_project_says_so(make_project):
    root = make_project(with_samples=False)
    done = run_cli(root)
    assert done.returncode == 1
    assert "no pieces to build in content/pieces/" in done.stderr
