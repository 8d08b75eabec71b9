#!/usr/bin/env python3
"""Make a photo-like test image with Pillow: terraced hills, sky, sun, texture.

    python bench/make_photo.py OUT.jpg WIDTH HEIGHT [--seed N]

Deterministic for a given size and seed. Used for the sample banners'
photo (content/images/ruong-bac-thang.jpg, 4800 × 3200) and, much larger,
for the banner benchmark. Not a real place and not a real photograph.
"""

from __future__ import annotations

import argparse
import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter


def make(width: int, height: int, seed: int = 7) -> Image.Image:
    rng = random.Random(seed)
    sky = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (
        sky.point(lambda v: 120 + v * 120 // 255),
        sky.point(lambda v: 170 + v * 70 // 255),
        sky.point(lambda v: 230 - v * 40 // 255)))
    draw = ImageDraw.Draw(image)
    sun_r = height // 10
    sx, sy = int(width * 0.72), int(height * 0.22)
    draw.ellipse((sx - sun_r, sy - sun_r, sx + sun_r, sy + sun_r), fill=(255, 214, 90))
    # layered hills, far (blue-green) to near (deep green), with terraces
    for layer in range(6):
        base = height * (0.38 + layer * 0.11)
        amp = height * (0.06 + 0.02 * layer)
        phase = rng.uniform(0, math.tau)
        colour = (40 + layer * 12, 110 + layer * 14 - layer * layer * 3, 70 - layer * 6)
        points = [(0, height)]
        for x in range(0, width + 1, max(1, width // 200)):
            y = base - amp * math.sin(x / width * math.tau * (1.2 + layer * 0.3) + phase)
            points.append((x, y))
        points.append((width, height))
        draw.polygon(points, fill=colour)
        for t in range(1, 12):  # terraces: lighter bands following the hill line
            band = [(x, y + t * height * 0.012) for x, y in points[1:-1]]
            draw.line(band, fill=tuple(min(255, c + 35) for c in colour), width=max(1, height // 900))
    # a few houses on stilts
    for _ in range(5):
        hx = rng.randint(width // 10, width * 9 // 10)
        hy = int(height * rng.uniform(0.6, 0.85))
        s = height // 40
        draw.rectangle((hx, hy, hx + 3 * s, hy + 2 * s), fill=(150, 95, 55))
        draw.polygon([(hx - s // 2, hy), (hx + 3 * s // 2, hy - 2 * s), (hx + 3 * s + s // 2, hy)],
                     fill=(178, 38, 30))
    image = image.filter(ImageFilter.GaussianBlur(radius=max(1, width // 1500)))
    # film-like grain so the JPEG is not trivially compressible
    grain = Image.effect_noise((width, height), 18).convert("RGB")
    return Image.blend(image, grain, 0.08)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("width", type=int)
    parser.add_argument("height", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quality", type=int, default=85)
    args = parser.parse_args()
    make(args.width, args.height, args.seed).save(args.out, quality=args.quality, optimize=True)
    print(f"{args.out}: {args.width}×{args.height}")


if __name__ == "__main__":
    main()
