"""A booklet's finish: filler pages instead of silent blanks, running heads, one body face,
the contents' indentation, key figures on a grid."""

from __future__ import annotations

import re

import pypdfium2
from conftest import REPO, build
from test_booklet import booklet

from leaflets.build.plan import plan
from leaflets.project import Project
from leaflets.render import tree
from leaflets.render.engine import Renderer

LAYOUT = REPO / "layouts" / "booklet-a5" / "layout.toml"


def _texts(path) -> list[str]:
    document = pypdfium2.PdfDocument(str(path))
    return [" ".join(document[i].get_textpage().get_text_range().replace("\u00a0", " ").split())
            for i in range(len(document))]


def _with_filler(filler: str) -> dict:
    toml = LAYOUT.read_text(encoding="utf-8")
    toml = re.sub(r'filler = "\w+"', f'filler = "{filler}"', toml)
    assert f'filler = "{filler}"' in toml
    return {"layouts/booklet-a5/layout.toml": toml}


def test_filler_pages_and_the_choice_in_the_note(make_project):
    root = make_project({"content/pieces/bk.md": booklet(9)}, with_samples=False)
    _, results = build(root)
    result = results["bk"]
    assert result.status == "built", [p.format(root) for p in result.problems]
    assert result.pages == 16  # 13 pages of content and 3 of notes
    said = " ".join(p.format(root) for p in result.problems)
    assert re.search(r"content/pieces/bk\.md: note: the body ends on page 11, so 13 pages are not a "
                     r"multiple of 4: added 3 page\(s\) of ruled “Ghi chú” note pages before the "
                     r"back cover \(16 pages\)\. Other choices: cut about \d+ line\(s\) of the body "
                     r"to end on 12 pages, or set \[booklet\] filler in "
                     r"layouts/booklet-a5/layout\.toml", said), said
    texts = _texts(result.job.outputs[0].path)
    for index in (11, 12, 13):  # pages 12–14: the notes, not blank
        assert texts[index].startswith("Ghi chú"), texts[index]
        assert "PAGE" not in texts[index]
    assert "PAGE-12" in texts[14] and "PAGE-13" in texts[15]  # inside back cover, back cover
    assert "PAGE-11" in texts[10]


def test_a_booklet_of_a_multiple_of_4_gets_no_filler(make_project):
    root = make_project({"content/pieces/bk.md": booklet(8)}, with_samples=False)
    _, results = build(root)
    assert results["bk"].pages == 12
    assert not any("Other choices" in p.message for p in results["bk"].problems)


def test_a_declared_filler_template_and_declared_blank_pages(make_project):
    root = make_project({"content/pieces/bk.md": booklet(9), **_with_filler("hotline")},
                        with_samples=False)
    _, results = build(root)
    texts = _texts(results["bk"].job.outputs[0].path)
    assert all("1800 6868" in texts[i] or "Đường dây nóng" in texts[i] or "đường dây nóng" in texts[i]
               for i in (11, 12, 13)), texts[11:14]
    assert "“hotline” filler" in " ".join(p.message for p in results["bk"].problems)

    root = make_project({"content/pieces/bk.md": booklet(9), **_with_filler("blank")},
                        with_samples=False)
    _, results = build(root)
    texts = _texts(results["bk"].job.outputs[0].path)
    assert [t for t in texts[11:14] if "·" not in t or "PAGE" in t] == []  # only the slug
    assert "added 3 page(s) of blank pages" in " ".join(p.message for p in results["bk"].problems)


def test_an_unknown_filler_is_an_error_naming_layout_toml(make_project):
    root = make_project({"content/pieces/bk.md": booklet(9), **_with_filler("poster")},
                        with_samples=False)
    _, results = build(root)
    said = " ".join(p.format(root) for p in results["bk"].problems)
    assert "layouts/booklet-a5/layout.toml" in said and "filler 'poster'" in said, said


def _laid_out(root, name):
    job = next(j for j in plan(Project.at(root), [name]).jobs if j.name == name)
    assert job.ok, [p.format(root) for p in job.problems]
    document = Renderer(Project.at(root)).render_html(job.composed.html, job.source)
    return tree.pages(document)


def _running_head(page) -> str:
    """The text of the page's top margin boxes (running heads)."""
    return " ".join(box.text.replace("\u00a0", " ") for box in page.walk() if box.kind == "text"
                    and box.border_rect[1] < 16 * 96 / 25.4).strip()


def test_chapter_openers_carry_no_running_head(make_project):
    long = "Đoạn văn dài của chương để chương sang trang sau. " * 110
    text = booklet(4).replace("# PAGE-4\n\nNội dung trang 4.", f"# PAGE-4\n\n{long}\n\n{long}")
    root = make_project({"content/pieces/bk.md": text}, with_samples=False)
    pages = _laid_out(root, "bk")
    openers = [p for p in pages if any(b.is_block and b.tag == "h1" and "title" not in b.classes
                                       for b in p.walk())]
    assert len(openers) == 4
    for page in openers:
        assert _running_head(page) == "", _running_head(page)
    # the chapter's second and third pages do carry one: the chapter or the title
    heads = [_running_head(p) for p in pages]
    assert "PAGE-4" in heads and "Sổ tay thử" in heads, heads


def _body_fonts(box, inside=frozenset(), found=None):
    """(where, family, size) of the text of body paragraphs: in a household's story, or a
    paragraph of the flowing slot itself."""
    found = [] if found is None else found
    classes = inside | box.classes
    if box.kind == "text" and box.text.strip() and "para" in inside:
        where = "story" if "household-story" in inside else "body"
        found.append((where, box.font.families[0], round(box.font.size_pt, 1)))
    for child in box.children():
        mark = classes
        if child.is_block and child.tag == "p":
            plain = not ({"household-meta", "household-summary", "callout", "contents-title"}
                         & child.classes) and not ({"household-box", "contents"} & classes)
            mark = classes | ({"para"} if plain and "flow" in classes else set())
        _body_fonts(child, frozenset(mark), found)
    return found


def test_one_body_face_household_chapters_included(make_project):
    text = booklet(2).replace("::: body\n", "::: body\n# Mở đầu\n\nMở đầu của sổ tay.\n\n"
                              "```households\nshow: chapter\n```\n\n")
    root = make_project({"content/pieces/bk.md": text})
    found = [f for page in _laid_out(root, "bk") for f in _body_fonts(page)]
    assert {w for w, _, _ in found} == {"story", "body"}, found
    assert {family for _, family, _ in found} == {"Noto Serif"}, set(found)


def test_contents_indents_households_under_their_chapter(make_project):
    text = booklet(2).replace("::: body\n", "::: body\n```contents\ntitle: Mục lục\n```\n\n"
                              "# Gương thoát nghèo\n\nMở đầu.\n\n"
                              "```households\nshow: chapter\n```\n\n")
    root = make_project({"content/pieces/bk.md": text})
    pages = _laid_out(root, "bk")
    entries = [(box.content_rect[0], "toc-household" in box.classes,
                " ".join(b.text for b in box.walk() if b.kind == "text"))
               for box in pages[2].walk() if box.is_block and box.tag == "li"]
    chapters = [x for x, household, _ in entries if not household]
    households = [x for x, household, _ in entries if household]
    assert chapters and len(households) == 4, entries
    assert min(households) > max(chapters) + 10  # indented (CSS px; 6 mm ≈ 23 px)
    order = [t for _, _, t in entries]
    assert order[0].startswith("Gương thoát nghèo") and order[1].startswith("Hộ "), order


def test_key_figures_on_a_grid(make_project):
    text = booklet(2).replace("::: body\n", "::: body\n# Mục tiêu\n\n{.figures}\n"
                              "- **½** số hộ nghèo giảm\n- **1** người có việc làm\n"
                              "- **90%** trẻ em được đi học đúng độ tuổi\n\n")
    root = make_project({"content/pieces/bk.md": text}, with_samples=False)
    rows, seen = [], set()
    for page in _laid_out(root, "bk"):
        for row in page.walk():
            # the only list of the piece; a table row's anonymous cells carry its element too
            if row.tag != "li" or row.source() in seen:
                continue
            seen.add(row.source())
            leaves = [leaf for _, leaf in row.leaves() if leaf.text.strip()]
            number = next(leaf for leaf in leaves if leaf.font.weight >= 800)
            words = next(leaf for leaf in leaves if leaf.font.weight < 800)
            rows.append((number.border_rect, words.border_rect))
    assert len(rows) == 3
    # every number ends at the same x (right-aligned column), every text starts at the same x
    assert max(r[0][2] for r in rows) - min(r[0][2] for r in rows) < 1
    assert max(r[1][0] for r in rows) - min(r[1][0] for r in rows) < 1
    assert all(r[1][0] > r[0][2] for r in rows)
