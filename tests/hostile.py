"""Small pieces and files for the hostile-input tests (tests/test_hostile_*.py)."""

from __future__ import annotations

import io

from conftest import PRINT_DETAILS

LEAFLET = """---
layout: leaflet-a4
title: "Tờ rơi thử"
date: 2025-10-10
{details}{extra}---

::: front
## Mặt trước

{front}
:::

::: back
## Mặt sau

{back}
:::
"""


def leaflet(front: str = "Nội dung mặt trước.", back: str = "Nội dung mặt sau.", extra: str = "") -> str:
    """A two-sided A4 leaflet piece (layout leaflet-a4) with the given Markdown on each side."""
    return LEAFLET.format(front=front, back=back, extra=extra, details=PRINT_DETAILS)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def jpeg(width: int = 600, height: int = 400, colour=(40, 120, 60)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def png(width: int = 40, height: int = 30, colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def no_traceback(done) -> bool:
    return "Traceback" not in done.stderr + done.stdout
