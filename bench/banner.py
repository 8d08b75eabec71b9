#!/usr/bin/env python3
"""Benchmark: a 5 × 1,5 m băng rôn with a 40-megapixel photo, cold and warm, against an A4 leaflet.

    python bench/banner.py [--runs 3]

Builds in a temporary copy of the project, each build a fresh
`python build.py` process, as a user runs it. Reports wall time and peak
resident memory (the child's ru_maxrss) for:

- the A4 leaflet (to-roi-chuan-ngheo), for comparison;
- the banner with an empty image cache (cold: the photo is decoded and resampled);
- the banner again (warm: the resampled photo comes from dist/.cache/images).

Targets (issue 4): peak RSS under 800 MB; warm rebuild no slower than 2× the
leaflet's build. Medians of --runs runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PHOTO_PX = (7746, 5164)  # 40.0 megapixels

LAYOUT = """
title = "Băng rôn 500 × 150 cm, có ảnh (benchmark)"
kind = "sheet"
stylesheets = ["../_base/banner.css", "../bangron-500x150/style.css"]

[page]
width = 5000
height = 1500
bleed = 20
safe = 60

[viewing]
distance_m = 10

[finishing]
hem = 30
grommet_spacing = 500
grommet_inset = 25
grommet_diameter = 12

[[sides]]
name = "front"
panels = [
  { slot = "photo", width = 1800, role = "photo" },
  { slot = "main", width = 3200, role = "banner" },
]
"""

PIECE = """---
layout: bangron-anh
title: "Băng rôn có ảnh"
---
::: photo
![Ảnh 40 megapixel](../images/anh-40mp.jpg)
:::
::: main
# Thoát nghèo, xây dựng cuộc sống ấm no

Hưởng ứng Ngày vì người nghèo 17/10
:::
"""


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed: {' '.join(args)}\n{child.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        for part in ("layouts", "fonts", "content"):
            shutil.copytree(ROOT / part, project / part)
        (project / "layouts" / "bangron-anh").mkdir()
        (project / "layouts" / "bangron-anh" / "layout.toml").write_text(LAYOUT, encoding="utf-8")
        (project / "content" / "pieces" / "bangron-anh.md").write_text(PIECE, encoding="utf-8")
        photo = project / "content" / "images" / "anh-40mp.jpg"
        # In a child process: the bench itself must stay small, or every build it
        # forks starts with the photo's memory counted in its peak RSS.
        subprocess.run([sys.executable, str(HERE / "make_photo.py"), str(photo),
                        *map(str, PHOTO_PX), "--quality", "88"], check=True, stdout=subprocess.DEVNULL)
        photo_mb = photo.stat().st_size / 1e6
        build = [sys.executable, str(ROOT / "build.py"), "--project", str(project), "build"]
        cache = project / "dist" / ".cache" / "images"
        leaflet, cold, warm = [], [], []
        for _ in range(runs):
            leaflet.append(timed(build + ["to-roi-chuan-ngheo"]))
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(timed(build + ["bangron-anh"]))
            warm.append(timed(build + ["bangron-anh"]))
    rows = [("A4 leaflet (to-roi-chuan-ngheo)", leaflet), ("băng rôn 5 × 1,5 m + 40 MP photo, cold", cold),
            ("băng rôn 5 × 1,5 m + 40 MP photo, warm", warm)]
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"photo {PHOTO_PX[0]}×{PHOTO_PX[1]} px ({photo_mb:.1f} MB JPEG); "
          f"median of {runs} runs, each a fresh process")
    print(f"{'build':44} {'seconds':>8} {'peak RSS MB':>12}")
    for name, samples in rows:
        print(f"{name:44} {statistics.median(s for s, _ in samples):8.2f} "
              f"{statistics.median(m for _, m in samples):12.0f}")
    ratio = statistics.median(s for s, _ in warm) / statistics.median(s for s, _ in leaflet)
    peak = max(m for _, m in cold + warm)
    print(f"warm banner / leaflet: {ratio:.2f}× (target ≤ 2); highest peak RSS: {peak:.0f} MB "
          "(target < 800)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
