"""Images sized from content (issue 14): `{width=50%}`, `{width=60mm}` and `{align=left|right|center}`
on the line before an image reach its <img>, WeasyPrint lays the image out at that width (floated,
with text around it, when aligned left or right), and a bad value is an error on its line."""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from hostile import jpeg, leaflet, line_of

from leaflets.build.plan import plan
from leaflets.content.markdown import parse, render
from leaflets.project import Project

MM_PER_PX = 25.4 / 96
PHOTO = "../images/photo.jpg"


def planned(make_project, front: str, back: str = "Nội dung mặt sau.", photo: bytes | None = None):
    root = make_project({"content/pieces/to.md": leaflet(front=front, back=back),
                         "content/images/photo.jpg": photo or jpeg(600, 400)}, with_samples=False)
    the_plan = plan(Project.at(root))
    return root, the_plan.jobs[0]


def html_of(markdown: str) -> str:
    tokens, broken = parse(markdown)
    assert broken == [], [str(m) for _, m in broken]
    return render(tokens, {})


# --- what reaches the page --------------------------------------------------------------------

@pytest.mark.parametrize("attributes, style", [
    ("{width=50%}", "width: 50%"),
    ("{width=60mm}", "width: 60mm"),
    ('{width="12,5 mm"}', "width: 12.5mm"),  # a decimal comma, a space before the unit
    ("{align=right}", "float: right; margin: 0 0 0.5em 1em"),
    ("{align=left}", "float: left; margin: 0 1em 0.5em 0"),
    ("{align=center}", "display: block; margin-left: auto; margin-right: auto"),
    ("{width=40% align=right}", "width: 40%; float: right; margin: 0 0 0.5em 1em"),
])
def test_each_attribute_reaches_the_img(attributes, style):
    assert html_of(f"{attributes}\n![Làng]({PHOTO})") == \
        f'<p><img src="{PHOTO}" alt="Làng" style="{style}" /></p>\n'


def test_a_class_stays_on_the_paragraph_and_the_width_goes_on_each_image():
    html = html_of(f"{{.callout width=30%}}\n![A]({PHOTO}) ![B]({PHOTO})")
    assert html == (f'<p class="callout"><img src="{PHOTO}" alt="A" style="width: 30%" /> '
                    f'<img src="{PHOTO}" alt="B" style="width: 30%" /></p>\n')


def test_the_composed_page_has_the_images_style(make_project):
    root, job = planned(make_project, f"{{width=60mm align=right}}\n![Làng]({PHOTO})\n\nChữ quanh ảnh.")
    assert [p.format(root) for p in job.problems] == []
    assert re.search(r'<img src="[^"]*photo\.jpg" alt="Làng" style="width: 60mm; float: right; '
                     r'margin: 0 0 0\.5em 1em" />', job.composed.html)


# --- where WeasyPrint puts it -------------------------------------------------------------------

FRONT = (f"{{width=50%}}\n![half]({PHOTO})\n\n{{width=30mm}}\n![thirty]({PHOTO})\n\n"
         f"{{width=400mm}}\n![wide]({PHOTO})\n")
BACK = (f"{{width=40% align=right}}\n![right]({PHOTO})\n\n" + "Chữ chạy quanh ảnh. " * 30 +
        f"\n\n{{width=25mm align=left}}\n![left]({PHOTO})\n\n" + "Chữ bên phải ảnh. " * 30 +
        f"\n\n{{width=30% align=center}}\n![center]({PHOTO})\n")


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    """The images of a rendered leaflet, by alt text: (its border box, its paragraph's content box,
    the boxes of the paragraph after it), in mm."""
    from conftest import copy_tree, unmark_samples

    from leaflets.render import tree
    from leaflets.render.engine import Renderer

    root = tmp_path_factory.mktemp("images") / "project"
    for part in ("layouts", "fonts"):
        copy_tree(REPO / part, root / part)
    for part in ("data", "images"):
        copy_tree(REPO / "content" / part, root / "content" / part)
    (root / "content" / "households").mkdir()
    unmark_samples(root)
    (root / "content" / "images" / "photo.jpg").write_bytes(jpeg(600, 400))
    (root / "content" / "pieces").mkdir()
    (root / "content" / "pieces" / "to.md").write_text(leaflet(front=FRONT, back=BACK), encoding="utf-8")
    job = plan(Project.at(root)).jobs[0]
    assert [p.format(root) for p in job.problems] == []
    rendered = Renderer(Project.at(root)).render(job.composed)

    def mm(rect):
        return tuple(v * MM_PER_PX for v in rect)

    found = {}
    for page in tree.pages(rendered.document):
        paragraphs = [box for box in page.walk() if box.tag == "p" and box.is_block]
        for i, paragraph in enumerate(paragraphs):
            for box in paragraph.walk():
                if box.tag == "img":
                    after = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
                    lines = [mm(line.border_rect) for line in after.children()] if after else []
                    found[box.attr("alt")] = (mm(box.border_rect), mm(paragraph.content_rect), lines)
    return found


def width(rect) -> float:
    return rect[2] - rect[0]


def test_a_percentage_is_of_the_column(laid_out):
    image, column, _ = laid_out["half"]
    assert width(image) == pytest.approx(width(column) / 2, abs=0.1)
    assert 40 < width(column) < 200  # a column of an A4 leaflet
    assert image[3] - image[1] == pytest.approx(width(image) * 400 / 600, abs=0.1)  # its proportions


def test_millimetres_are_millimetres(laid_out):
    image, _, _ = laid_out["thirty"]
    assert width(image) == pytest.approx(30, abs=0.05)
    assert image[3] - image[1] == pytest.approx(20, abs=0.05)


def test_a_width_wider_than_the_column_is_the_columns(laid_out):
    image, column, _ = laid_out["wide"]
    assert width(image) == pytest.approx(width(column), abs=0.1)


def test_an_image_aligned_right_floats_with_the_text_on_its_left(laid_out):
    image, column, lines = laid_out["right"]
    assert width(image) == pytest.approx(width(column) * 0.4, abs=0.1)
    assert image[2] == pytest.approx(column[2], abs=0.1)  # against the right edge
    beside = [line for line in lines if line[1] < image[3]]
    assert beside and all(line[2] <= image[0] for line in beside)  # text to its left, not under it
    assert any(line[1] >= image[3] and line[2] > image[0] for line in lines)  # and full width below


def test_an_image_aligned_left_floats_with_the_text_on_its_right(laid_out):
    image, column, lines = laid_out["left"]
    assert width(image) == pytest.approx(25, abs=0.05)
    assert image[0] == pytest.approx(column[0], abs=0.1)
    beside = [line for line in lines if line[1] < image[3]]
    assert beside and all(line[0] >= image[2] for line in beside)


def test_an_image_aligned_center_is_centred(laid_out):
    image, column, _ = laid_out["center"]
    assert width(image) == pytest.approx(width(column) * 0.3, abs=0.1)
    assert image[0] - column[0] == pytest.approx(column[2] - image[2], abs=0.1)


# --- bad values ---------------------------------------------------------------------------------

BAD = {
    "{width=0%}": r"\{width=0%\}: a width in percent is from 1% to 100% of the column, such as \{width=50%\}",
    "{width=150%}": r"\{width=150%\}: a width in percent is from 1% to 100%",
    "{width=0mm}": r"\{width=0mm\}: write an image's width in percent of the column or in millimetres, "
                   r"such as \{width=50%\} or \{width=60mm\}",
    "{width=50px}": r"\{width=50px\}: write an image's width in percent",
    "{width=6cm}": r"\{width=6cm\}: write an image's width in percent",
    "{width=50}": r"\{width=50\}: write an image's width in percent",
    "{align=middle}": r"\{align=middle\}: an image is aligned left, right or center, such as \{align=right\}",
    "{height=40mm}": r"\{height=40mm\} cannot be set on an image, only \{\.class\}, \{width=…\}, \{align=…\}",
}


@pytest.mark.parametrize("attributes", BAD)
def test_a_bad_value_is_an_error_on_its_line(make_project, attributes):
    front = f"Đoạn mở đầu.\n\n{attributes}\n![Làng]({PHOTO})"
    root, job = planned(make_project, front)
    text = leaflet(front=front)
    said = [p.format(root) for p in job.problems]
    where = f"content/pieces/to.md:{line_of(text, attributes)}"
    assert len(said) == 1 and re.match(rf"{re.escape(where)}: {BAD[attributes]}", said[0]), said


def test_width_and_align_are_for_images_only(make_project):
    front = "{width=50%}\nĐoạn văn.\n\n{align=right}\n### Mục tiêu"
    root, job = planned(make_project, front)
    text = leaflet(front=front)
    assert [p.format(root) for p in job.problems] == [
        f"content/pieces/to.md:{line_of(text, '{width')}: {{width=50%}} cannot be set on a paragraph, "
        "only {.class} (see “Content rules” in the README)",
        f"content/pieces/to.md:{line_of(text, '{align')}: {{align=right}} cannot be set on a heading, "
        "only {.class} (see “Content rules” in the README)"]


def test_after_the_image_on_its_line_it_would_print_so_it_is_an_error(make_project):
    front = f"![Làng]({PHOTO}){{width=50%}}"
    root, job = planned(make_project, front)
    said = [p.format(root) for p in job.problems]
    assert len(said) == 1 and "{width=50%} would print as text: attributes go alone on the line before " \
        "a block" in said[0], said


# --- the resolution warning says how to place it smaller ---------------------------------------------

def test_the_resolution_warning_suggests_a_width(make_project):
    from leaflets.render.engine import Renderer

    front = f"{{width=100%}}\n![Làng]({PHOTO})"
    root, job = planned(make_project, front, photo=jpeg(700, 466))
    rendered = Renderer(Project.at(root)).render(job.composed)
    said = [p.format(root) for p in rendered.problems if p.code == "image-resolution"]
    where = f"content/pieces/to.md:{line_of(leaflet(front=front), '![Làng]')}"
    assert len(said) == 1 and said[0].startswith(f"{where}: warning: [image-resolution] image "
                                                 "content/images/photo.jpg has "), said
    assert said[0].endswith("needs 300 ppi: use a larger original, or place it smaller with "
                            "{width=…} on the line before the image (such as {width=50%} or "
                            "{width=60mm})"), said
