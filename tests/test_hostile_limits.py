"""Limits: inputs that would run for minutes or eat gigabytes are stopped within seconds.

No timing is asserted (the machines are shared); each run has a generous
timeout that a runaway input would blow through, and the message is checked.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import REPO
from hostile import leaflet, no_traceback

TIMEOUT = 120  # s: far above a normal run, far below a runaway one


def _run(root, *args, **env_extra):
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    env.update(env_extra)
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(root), *args],
                          capture_output=True, text=True, env=env, timeout=TIMEOUT)


def _alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_is_refused(make_project):
    text = leaflet(extra=_alias_bomb())
    root = make_project({"content/pieces/bom.md": text, "content/pieces/to.md": leaflet()},
                        with_samples=False)
    done = _run(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    assert re.search(r"^content/pieces/bom.md:\d+: YAML: anchors and aliases", done.stderr, re.M)
    assert (root / "dist" / "print" / "to.pdf").is_file()


def test_yaml_alias_bomb_in_site_data_is_refused(make_project):
    root = make_project({"content/pieces/to.md": leaflet(),
                         "content/data/bom.yaml": _alias_bomb()}, with_samples=False)
    done = _run(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    assert re.search(r"^content/data/bom.yaml:\d+: YAML: anchors and aliases", done.stderr, re.M)


def test_a_huge_text_file_is_refused_before_it_is_parsed(make_project):
    body = ("Giảm nghèo bền vững. " * 40 + "\n\n") * 60_000  # about 50 MB
    root = make_project({"content/pieces/to.md": leaflet(), "content/pieces/lon.md": leaflet(front=body)},
                        with_samples=False)
    assert (root / "content" / "pieces" / "lon.md").stat().st_size > 45_000_000
    done = _run(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    assert re.search(r"^content/pieces/lon.md: the file is over the 2 MB limit for text files; "
                     r".*LEAFLETS_MAX_TEXT_MB", done.stderr, re.M), done.stderr
    assert (root / "dist" / "print" / "to.pdf").is_file()


def test_the_text_limit_is_a_setting(make_project):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    done = _run(root, "build", LEAFLETS_MAX_TEXT_MB="0.001")
    assert done.returncode == 1
    assert "fonts/fonts.toml: the file is over the 0.001 MB limit" in done.stderr, done.stderr
    assert _run(root, "build", LEAFLETS_MAX_TEXT_MB="3").returncode == 0


def test_deep_yaml_nesting_is_refused(make_project):
    nested = "x:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(60)) + "  " * 61 + "v\n"
    root = make_project({"content/pieces/sau.md": leaflet(extra=nested)}, with_samples=False)
    done = _run(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    assert re.search(r"^content/pieces/sau.md:\d+: YAML: nested more than 40 levels deep", done.stderr,
                     re.M), done.stderr


def test_the_memory_ceiling_stops_one_piece_and_not_the_others(make_project):
    from PIL import Image

    root = make_project({"content/pieces/lon.md": leaflet(front="![Ảnh](../images/lon.png)"),
                         "content/pieces/to.md": leaflet()}, with_samples=False)
    # 64 megapixels (under the 89 MP bomb limit) with alpha: about 900 MB to decode and resample
    Image.new("RGBA", (8000, 8000), (10, 200, 30, 255)).save(root / "content" / "images" / "lon.png",
                                                             compress_level=1)
    done = _run(root, "build", LEAFLETS_MAX_MEMORY_MB="700")
    assert done.returncode == 1 and no_traceback(done), done.stderr
    assert re.search(r"^content/pieces/lon.md: ran out of the 700 MB memory ceiling", done.stderr, re.M)
    assert (root / "dist" / "print" / "to.pdf").is_file()
