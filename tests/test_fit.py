"""Overflow is an error, measured on the layout tree, never a silent clip."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, build

LONG = ("Hộ gia đình được rà soát hằng năm theo chuẩn nghèo đa chiều, có họp dân bình xét "
        "và niêm yết công khai kết quả tại thôn, làng. ") * 4


def _piece(name: str) -> str:
    return (REPO / "content" / "pieces" / f"{name}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, slot, paragraphs", [
    ("to-gap-vi-nguoi-ngheo", "inside-1", 8),   # absolutely placed panel: spills to a page 3
    ("to-gap-vi-nguoi-ngheo", "back", 3),       # runs into the imprint at the foot
    ("to-gap-vi-nguoi-ngheo", "cover", 6),
    ("to-roi-chuan-ngheo", "back", 4),          # two columns: an extra column past the trim
    ("to-roi-chuan-ngheo", "front", 5),
])
def test_overfull_slot_is_an_error_naming_slot_and_amount(make_project, name, slot, paragraphs):
    text = _piece(name)
    opening = f"::: {slot}\n"
    assert opening in text
    text = text.replace(opening, opening + "\n\n".join([LONG] * paragraphs) + "\n\n", 1)
    root = make_project({f"content/pieces/{name}.md": text})
    _, results = build(root, [name])
    result = results[name]
    assert result.status == "failed"
    said = [p.format(root) for p in result.problems]
    line = text[: text.index(opening)].count("\n") + 1
    pattern = (rf"^content/pieces/{name}.md:{line}: \[overflow\] slot '{slot}' "
               r"does not fit its panel in layout "
               r"'[a-z0-9-]+' \(page \d\): \d+ line\(s\), about \d+\.\d mm of text")
    assert any(re.match(pattern, s) for s in said), said
    assert not result.job.outputs[0].path.exists()


def test_a_slot_that_fits_is_not_reported(sample_build):
    _, _, results = sample_build
    for result in results.values():
        assert result.status == "built"
        assert not [p for p in result.problems if "does not fit" in p.message]


def test_overflow_keeps_the_previous_pdf(make_project):
    root = make_project()
    _, first = build(root, ["to-gap-vi-nguoi-ngheo"])
    good = first["to-gap-vi-nguoi-ngheo"].job.outputs[0].path.read_bytes()
    text = _piece("to-gap-vi-nguoi-ngheo").replace("::: flap\n", "::: flap\n" + LONG * 6 + "\n", 1)
    (root / "content" / "pieces" / "to-gap-vi-nguoi-ngheo.md").write_text(text, encoding="utf-8")
    _, second = build(root, ["to-gap-vi-nguoi-ngheo"])
    assert second["to-gap-vi-nguoi-ngheo"].status == "failed"
    assert second["to-gap-vi-nguoi-ngheo"].job.outputs[0].path.read_bytes() == good
