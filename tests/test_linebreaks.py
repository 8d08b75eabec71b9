"""Where lines break: words whole in display type, numbers whole everywhere, headings balanced."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, page_text

from leaflets.build.plan import plan
from leaflets.content.syllables import is_vietnamese
from leaflets.content.words import WORD_LIST, join_words, load_words
from leaflets.layout import linebreaks
from leaflets.project import Project

NBSP = "\u00a0"
# Words of several syllables that the sample's display type uses: none may break inside.
WORDS = ("giảm nghèo", "người nghèo", "thoát nghèo", "bỏ lại", "chung tay", "bền vững",
         "đa chiều", "hộ nghèo", "cận nghèo", "hộ gia đình", "Việt Nam", "cuộc sống",
         "chuẩn nghèo", "rà soát", "gương sáng", "đường dây nóng", "nhà nước", "xây dựng")
DISPLAY = re.compile(r'<(\w+)[^>]*\sdata-lb="[^"]*"[^>]*>(.*?)</\1>', re.S)


@pytest.fixture(scope="module")
def repo_plan():
    return plan(Project.at(REPO))


def _display_elements(html: str) -> list[str]:
    """Each display element's words as a line may break them: a space where a break may fall."""
    found = []
    for _, inner in DISPLAY.findall(html):
        text = re.sub(r"<br\s*/?>", "\n", inner)
        found.append(re.sub(r"<[^>]+>", "", text))
    return found


def test_no_heading_title_or_slogan_of_the_sample_can_break_inside_a_word(repo_plan):
    seen = set()
    for job in repo_plan.jobs:
        for element in _display_elements(job.composed.html):
            lowered = element.casefold()
            for word in WORDS:
                syllables = word.casefold().split()
                if re.search(r"(?<!\w)" + r"[ \u00a0]".join(syllables) + r"(?!\w)", lowered):
                    seen.add(word)
                    assert NBSP.join(syllables) in lowered and " ".join(syllables) not in lowered, \
                        (job.name, element)
    assert {"giảm nghèo", "người nghèo", "bỏ lại", "chung tay"} <= seen, seen


@pytest.mark.parametrize(("text", "joined"), [
    ("CHUNG TAY VÌ NGƯỜI NGHÈO", f"CHUNG{NBSP}TAY VÌ NGƯỜI{NBSP}NGHÈO"),
    ("GIẢM NGHÈO", f"GIẢM{NBSP}NGHÈO"),
    ("KHÔNG ĐỂ AI BỊ BỎ LẠI", f"KHÔNG ĐỂ AI BỊ BỎ{NBSP}LẠI"),
    ("người dân tộc thiểu số", f"người dân{NBSP}tộc thiểu{NBSP}số"),  # from the end: dân tộc
    ("Hộ bà Nguyễn Thị Thúy", f"Hộ bà Nguyễn{NBSP}Thị{NBSP}Thúy"),  # a name kept whole
    ("giảm nghèo, bền vững", f"giảm{NBSP}nghèo, bền{NBSP}vững"),  # punctuation ends a word
])
def test_the_known_broken_headings_keep_their_words(text, joined):
    assert join_words(text) == joined


def test_the_word_list_is_vietnamese_and_every_entry_has_several_syllables():
    lines = [line.split("#", 1)[0].strip() for line in WORD_LIST.read_text(encoding="utf-8").splitlines()]
    entries = [line for line in lines if line]
    assert len(entries) > 300
    for entry in entries:
        assert len(entry.split()) > 1 and all(is_vietnamese(s) for s in entry.split()), entry
    assert all(tuple(w.casefold().split()) in load_words() for w in WORDS)


def test_a_manual_break_in_a_heading_is_honoured(make_project):
    piece = (REPO / "content" / "pieces" / "to-roi-chuan-ngheo.md").read_text(encoding="utf-8")
    setext = "Chung tay vì người nghèo\\\nkhông để ai bị bỏ lại\n======\n\n"
    atx = "## Giảm nghèo \\ bền vững\n\n"
    assert piece.count("::: front\n") == 1
    piece = piece.replace("::: front\n", "::: front\n" + setext + atx)
    root = make_project({"content/pieces/to-roi-chuan-ngheo.md": piece}, pieces=("to-roi-chuan-ngheo",))
    job = plan(Project.at(root), ["to-roi-chuan-ngheo"]).jobs[0]
    assert job.composed is not None, [p.message for p in job.problems]
    html = job.composed.html
    elements = _display_elements(html)
    assert f"Chung{NBSP}tay vì người{NBSP}nghèo\nkhông để ai bị bỏ{NBSP}lại" in \
        [re.sub(r"\n+", "\n", e) for e in elements]
    assert f"Giảm{NBSP}nghèo\nbền{NBSP}vững" in elements
    assert "\\" not in page_text(html)


def test_numbers_units_ranges_and_dates_never_break_in_body_text():
    html = linebreaks.apply("<p>Giai đoạn 2021 – 2025 hỗ trợ 1.500.000 đồng/người/tháng từ ngày "
                            "17/10, mỗi hộ 15 m² và 2,2 triệu đồng; 90 % hộ.</p>")
    assert f'<span class="nobr">2021{NBSP}–{NBSP}2025</span>' in html
    assert f"1.500.000{NBSP}đồng/người/tháng" in html
    assert f"ngày{NBSP}17/10" in html
    assert f"15{NBSP}m²" in html and f"2,2{NBSP}triệu{NBSP}đồng" in html and f"90{NBSP}%" in html
    assert "Giai đoạn " in html and " hỗ trợ " in html  # the words between still break normally
    assert "data-lb" not in html and 'class="w"' not in html  # body text is not display type


def test_urls_code_and_styles_are_left_as_they_are():
    body = ('<p>Xem https://giamngheo.example.vn/2021-2025 hay <code>2021 – 2025 đồng</code> '
            '<a href="https://example.vn/a b">trang 12</a></p><pre>15 m²\n2021 – 2025</pre>')
    document = f'<html><head><style>h1 {{ margin: 0 }}</style></head><body>{body}</body></html>'
    out = linebreaks.apply(document)
    assert "https://giamngheo.example.vn/2021-2025 " in out
    assert "<code>2021 – 2025 đồng</code>" in out and "<pre>15 m²\n2021 – 2025</pre>" in out
    assert '<a href="https://example.vn/a b">' in out and "<style>h1 { margin: 0 }</style>" in out


def test_the_skeleton_keeps_display_type_and_leaves_body_text_out():
    html = linebreaks.apply("<html><head></head><body><section><h1>Chung tay vì người nghèo</h1>"
                            "<p>Một đoạn văn dài.</p><ul><li>một</li></ul></section></body></html>")
    bones = linebreaks.skeleton(html)
    assert linebreaks.SKELETON_META in bones and "<section>" in bones
    assert f"Chung{NBSP}tay" in bones and "đoạn" not in bones and "<li>" not in bones


def _lines(document, index: str) -> list[float]:
    from leaflets.render.tree import pages

    for page in pages(document):
        for box in page.walk():
            if box.is_block and box.attr("data-lb") == index:
                widths = []
                for line in box.children():
                    words = [b for b in line.walk() if b.kind == "inline" and "w" in b.classes]
                    widths.append(max(w.margin_rect[2] for w in words) - min(w.margin_rect[0] for w in words))
                return widths
    raise AssertionError(f"no element data-lb={index}")


def test_a_multi_line_heading_is_balanced_with_the_same_number_of_lines(make_project):
    from leaflets.render.engine import Renderer

    root = make_project({}, with_samples=False)
    heading = "Chung tay vì người nghèo không để ai bị bỏ lại phía sau"
    html = linebreaks.apply(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>"
        "h1 { width: 420px; font: 700 24px/1.3 sans-serif; margin: 0 }</style></head>"
        f"<body><h1>{heading}</h1></body></html>")
    renderer = Renderer(Project.at(root))
    source = root / "content" / "pieces" / "x.md"
    greedy = _lines(renderer.render_html(html, source), "0")
    document, balanced_html, _ = renderer._balanced(html, source, {}, None)
    balanced = _lines(document, "0")
    assert document.write_pdf().startswith(b"%PDF") and balanced_html != html  # narrowed in its head
    assert len(greedy) == len(balanced) >= 2
    assert max(greedy) - min(greedy) > 60  # the greedy fill leaves a short last line
    assert max(balanced) - min(balanced) < max(greedy) - min(greedy)
    assert min(balanced) > 0.8 * max(balanced), (greedy, balanced)
