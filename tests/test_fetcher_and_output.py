"""The confined URL fetcher, and atomic writes."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from conftest import REPO

from leaflets.atomic import write_atomic
from leaflets.problems import ContentError
from leaflets.project import Project


@pytest.fixture
def fetcher(make_project):
    from leaflets.render.engine import Renderer

    root = make_project(with_samples=False)
    return root, Renderer(Project.at(root)).fetcher()


def test_serves_files_inside_the_project(fetcher):
    root, fetch = fetcher
    response = fetch.fetch((root / "fonts" / "OFL.txt").as_uri())
    assert b"SIL OPEN FONT LICENSE" in response.read()


def test_serves_data_urls(fetcher):
    _, fetch = fetcher
    assert fetch.fetch("data:text/plain,hello").read() == b"hello"


@pytest.mark.parametrize("url", [
    "file:///etc/hostname",
    "http://example.com/logo.png",
    "https://example.com/style.css",
    "ftp://example.com/x",
])
def test_refuses_everything_else(fetcher, url):
    import weasyprint.urls

    _, fetch = fetcher
    with pytest.raises(weasyprint.urls.FatalURLFetchingError):
        fetch.fetch(url)
    assert fetch.refused[-1][0] == url


def test_refuses_relative_escapes_and_symlinks_out(fetcher, tmp_path):
    import weasyprint.urls

    root, fetch = fetcher
    escape = (root / "content" / ".." / ".." / ".." / "etc" / "hostname").as_posix()
    with pytest.raises(weasyprint.urls.FatalURLFetchingError):
        fetch.fetch("file://" + escape)
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    link = root / "content" / "images" / "link.txt"
    link.symlink_to(outside)
    with pytest.raises(weasyprint.urls.FatalURLFetchingError):
        fetch.fetch(link.as_uri())


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "out" / "a.pdf"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]


def test_atomic_write_failure_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.pdf"
    write_atomic(target, b"good")

    def broken_replace(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ContentError, match="cannot write .*the disk is full"):
        write_atomic(target, b"new but never finished")
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_killed_mid_write_leaves_the_old_file(tmp_path):
    """A process killed while writing never leaves a truncated file under the real name."""
    target = tmp_path / "a.pdf"
    target.write_bytes(b"%PDF good")
    script = textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(REPO)!r})
        import leaflets.atomic as out
        real_fdopen = os.fdopen
        class Slow:
            def __init__(self, handle): self.handle = handle
            def __enter__(self): return self
            def __exit__(self, *a): self.handle.close()
            def write(self, data):
                self.handle.write(data[:10]); self.handle.flush()
                print("writing", flush=True); time.sleep(30)
            def flush(self): pass
            def fileno(self): return self.handle.fileno()
        out.os.fdopen = lambda fd, mode: Slow(real_fdopen(fd, mode))
        out.write_atomic(__import__("pathlib").Path({str(target)!r}), b"%PDF new " * 1000)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert target.read_bytes() == b"%PDF good"
