#!/usr/bin/env python3
"""Remake the CMYK output profiles in this folder from the free FOGRA characterisation data.

    sudo apt-get install argyll icc-profiles-free
    python layouts/_colour/make_profiles.py

FOGRA39L.ti3 (offset on coated paper) and FOGRA29L.ti3 (offset on uncoated
paper) come with Debian's icc-profiles-free (/usr/share/color/icc/); ArgyllCMS's
colprof builds an ICC profile from each: medium quality, black generation by
a ramp (-kr), black at most 95 % (-L95), and total ink limited to what the
paper takes (-l300 coated, -l260 uncoated) so separations never exceed it.
About 40 s each.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = Path("/usr/share/color/icc")
PROFILES = {
    # file: (characterisation data, total ink limit %, description)
    "coated-fogra39.icc": ("FOGRA39L", 300, "FOGRA39L coated (leaflets, TAC 300%)"),
    "uncoated-fogra29.icc": ("FOGRA29L", 260, "FOGRA29L uncoated (leaflets, TAC 260%)"),
}


def main() -> int:
    if shutil.which("colprof") is None:
        print("colprof not found: install ArgyllCMS (Debian: apt-get install argyll)", file=sys.stderr)
        return 1
    for name, (data, limit, description) in PROFILES.items():
        ti3 = SOURCE / f"{data}.ti3"
        if not ti3.is_file():
            print(f"{ti3} not found: install icc-profiles-free", file=sys.stderr)
            return 1
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(ti3, Path(tmp) / ti3.name)
            subprocess.run(
                ["colprof", "-qm", "-kr", f"-l{limit}", "-L95", "-D", description,
                 "-C", f"Zlib: made with ArgyllCMS from {data}.ti3 (Kai-Uwe Behrmann, icc-profiles-free)",
                 "-O", str(HERE / name), data], cwd=tmp, check=True)
        print(f"wrote {HERE / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
