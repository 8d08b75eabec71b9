#!/usr/bin/env python3
"""Benchmark: preflight of the whole sample run against its build, as a ratio in one run.

    python bench/preflight.py [--runs 3]

In a temporary copy of the project: `python build.py` (which renders and
checks every piece), then `python build.py preflight` (which reuses those
renders), each a fresh process; and a preflight with no earlier build.
Target (issue 5): preflight under 25 % of the build's time.
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

ROOT = Path(__file__).resolve().parent.parent


def seconds(args: list[str]) -> float:
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    builds, preflights, cold = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        for part in ("layouts", "fonts", "content"):
            shutil.copytree(ROOT / part, project / part)
        command = [sys.executable, str(ROOT / "build.py"), "--project", str(project)]
        pieces = len(list((project / "content" / "pieces").glob("*.md")))
        for _ in range(runs):
            shutil.rmtree(project / "dist", ignore_errors=True)
            cold.append(seconds(command + ["preflight"]))
            shutil.rmtree(project / "dist", ignore_errors=True)
            builds.append(seconds(command))
            preflights.append(seconds(command + ["preflight"]))
    build, check, first = (statistics.median(v) for v in (builds, preflights, cold))
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"{pieces} pieces; median of {runs} runs, each a fresh process")
    print(f"build {build:.2f} s; preflight after it {check:.2f} s ({check / build:.0%} of the build, "
          f"target < 25 %); preflight with no earlier build {first:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
