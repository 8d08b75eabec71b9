"""Covers: front matter `cover:` puts a picture on a cover slot that has none; every sample
cover is its own picture."""

from __future__ import annotations

import re

import pytest
from conftest import PRINT_DETAILS, REPO, run_cli

from leaflets.build.plan import plan
from leaflets.project import Project

PIECES = REPO / "content" / "pieces"


def piece(layout: str, cover_line: str, cover_slot: str, slots: list[str]) -> str:
    body = "\n".join(f"::: {slot}\n## Ô {slot}\nNội dung của ô {slot}.\n:::\n" for slot in slots)
    return (f'---\nlayout: {layout}\ntitle: "Thử bìa"\n{cover_line}{PRINT_DETAILS}---\n'
            f"::: cover\n{cover_slot}\n:::\n\n{body}")


ZFOLD = ["front-2", "front-3", "back", "back-2", "back-3"]
COVER = "cover: ../images/covers/so-tay.svg\n"


def composed(root, name="thu"):
    job = plan(Project.at(root), [name]).jobs[0]
    assert job.ok, [p.format(root) for p in job.problems]
    return job


def cover_slot(html: str) -> str:
    return re.search(r'<div class="slot cover-slot">(.*?)</div>', html, re.S).group(1)


@pytest.mark.parametrize("layout,slots", [
    ("zfold-a4", ZFOLD),
    ("trifold-a4", ["flap", "back", "inside-1", "inside-2", "inside-3"]),
    ("bifold-a4", ["back", "inside-left", "inside-right"]),
])
def test_front_matter_cover_shows_on_a_cover_slot_without_an_image(make_project, layout, slots):
    root = make_project({"content/pieces/thu.md": piece(layout, COVER, "Lời mở đầu ngắn.", slots)},
                        with_samples=False)
    job = composed(root)
    slot = cover_slot(job.composed.html)
    assert slot.count("<img") == 1
    assert 'src="content/images/covers/so-tay.svg"' in slot
    assert slot.index("<img") < slot.index("Lời mở đầu")  # the picture first, then the slot's text
    assert root / "content" / "images" / "covers" / "so-tay.svg" in job.inputs  # a rebuild when it changes


def test_the_cover_slot_own_image_wins(make_project):
    own = "![Bản làng](../images/covers/chung-tay.svg)\n\nLời mở đầu."
    root = make_project({"content/pieces/thu.md": piece("zfold-a4", COVER, own, ZFOLD)}, with_samples=False)
    slot = cover_slot(composed(root).composed.html)
    assert slot.count("<img") == 1 and "chung-tay.svg" in slot and "so-tay.svg" not in slot


def test_no_cover_key_no_picture(make_project):
    root = make_project({"content/pieces/thu.md": piece("zfold-a4", "", "Lời mở đầu.", ZFOLD)},
                        with_samples=False)
    assert "<img" not in cover_slot(composed(root).composed.html)


def test_cover_file_missing_is_one_line_with_the_key_line(make_project):
    text = piece("zfold-a4", "cover: ../images/covers/khong-co.svg\n", "Lời mở đầu.", ZFOLD)
    root = make_project({"content/pieces/thu.md": text}, with_samples=False)
    result = run_cli(root, "build", "thu")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    line = text.splitlines().index("cover: ../images/covers/khong-co.svg") + 1
    assert re.search(rf"thu\.md:{line}: .*image '../images/covers/khong-co.svg' not found",
                     result.stdout + result.stderr), result.stdout + result.stderr


def test_cover_outside_the_project_is_refused(make_project):
    text = piece("zfold-a4", "cover: ../../../../etc/hostname.png\n", "Lời mở đầu.", ZFOLD)
    root = make_project({"content/pieces/thu.md": text}, with_samples=False)
    job = plan(Project.at(root), ["thu"]).jobs[0]
    assert not job.ok
    assert any("points outside the project" in p.format(root) and p.line == 4 for p in job.problems)


def test_every_sample_cover_is_its_own_picture():
    """No two sample pieces put the same picture on their cover (slot image or `cover:`)."""
    covers: dict[str, str] = {}
    for path in sorted(PIECES.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        found = re.search(r"^::: cover\n(?:(?!:::).*\n)*?!\[[^\]]*\]\(([^)]+)\)", text, re.M) \
            or re.search(r"^cover: *(\S+)", text, re.M)
        if not found:
            continue
        picture = (path.parent / found.group(1)).resolve()
        assert picture.is_file(), (path.name, found.group(1))
        assert picture.name not in covers, f"{path.name} and {covers.get(picture.name)} share a cover"
        covers[picture.name] = path.name
    assert len(covers) >= 4  # the folded leaflets and the handbook
