"""A build killed at any moment leaves every print file whole: the previous one or the new one.

Ten builds are killed with SIGKILL at random points (a fixed seed, printed on
failure); after each, every PDF in dist/print/ must pass `qpdf --check` and
carry either the revision it had before or the new one. The next complete
build leaves no temporary file behind.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import REPO, copy_tree

PIECES = ("to-gap-vi-nguoi-ngheo", "to-gap-12-chi-so", "to-roi-chuan-ngheo")
SEED = 20261127

pytestmark = pytest.mark.skipif(shutil.which("qpdf") is None, reason="needs qpdf")


def _set_revision(root, revision: int) -> None:
    for name in PIECES:
        path = root / "content" / "pieces" / f"{name}.md"
        text = re.sub(r"^revision: .*$", f"revision: {revision}", path.read_text(encoding="utf-8"),
                      count=1, flags=re.M)
        path.write_text(text, encoding="utf-8")


def _revision_of(pdf) -> int | None:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    found = re.search(r" · lần (\d+) · ", text)
    return int(found.group(1)) if found else None


def _slugged(folder):
    """The print files (they carry the revision in their slug; tickets are checked whole only)."""
    return sorted(p for p in folder.glob("*.pdf") if not p.name.endswith(".ticket.pdf"))


def _build_process(root):
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "--project", str(root), "build",
                             *PIECES], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def test_sigkill_at_random_points_never_leaves_a_broken_pdf(tmp_path):
    root = tmp_path / "project"
    for part in ("layouts", "fonts", "content"):
        copy_tree(REPO / part, root / part)
    for piece in (root / "content" / "pieces").glob("*.md"):
        if piece.stem not in PIECES:
            piece.unlink()
    _set_revision(root, 1)
    started = time.perf_counter()
    assert _build_process(root).wait(timeout=300) == 0
    full = time.perf_counter() - started
    out = root / "dist" / "print"
    had = {pdf.name: _revision_of(pdf) for pdf in _slugged(out)}
    assert set(had.values()) == {1}, had
    chance = random.Random(SEED)
    for round_ in range(2, 12):
        _set_revision(root, round_)
        process = _build_process(root)
        time.sleep(chance.uniform(0.05, full))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        for pdf in sorted(out.glob("*.pdf")):  # print files and job tickets: all whole
            check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
            assert check.returncode == 0, (SEED, round_, pdf.name, check.stdout[-500:])
        for pdf in _slugged(out):
            revision = _revision_of(pdf)
            assert revision in (had[pdf.name], round_), (SEED, round_, pdf.name, revision)
            had[pdf.name] = revision
    assert _build_process(root).wait(timeout=300) == 0
    assert set(_revision_of(pdf) for pdf in _slugged(out)) == {11}
    left = [p for p in (root / "dist").rglob("*") if p.name.endswith(".tmp")]
    assert left == [], left
