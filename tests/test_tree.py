"""Contract test of leaflets/render/tree.py, the one door to WeasyPrint's private layout tree.

Every function and property of the interface is read on a page rendered
here, with values known from its CSS. A WeasyPrint upgrade that moves the
tree's internals fails here, in one place, before any check misreads a page.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from leaflets.project import Project

SVG = quote('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50">'
            '<rect width="100" height="50" fill="#888"/></svg>')
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
@font-face {{ font-family: "Noto Sans"; src: url("fonts/NotoSans-BoldItalic.ttf");
             font-weight: 700; font-style: italic; }}
@font-face {{ font-family: "Noto Sans"; src: url("fonts/NotoSans-Regular.ttf"); }}
@page {{ size: 150mm 150mm; margin: 0; }}
body {{ margin: 0; font-family: "Noto Sans"; font-size: 10pt; }}
.panel {{ position: absolute; left: 10px; top: 20px; width: 200px; height: 100px;
          padding: 5px; border: 1px solid black; }}
.loud {{ font-weight: 700; font-style: italic; font-size: 12pt; color: #ff0000; }}
.ink {{ color: device-cmyk(0 0 0 1); }}
img {{ display: block; width: 200px; height: 200px; object-fit: contain; }}
img.fill {{ object-fit: fill; }}
</style></head><body>
<div class="panel extra" data-slot="cover"><p class="ink">Xin <span class="loud">chào</span></p></div>
<div class="figure"><img src="data:image/svg+xml,{SVG}" alt="">
<img class="fill" src="data:image/svg+xml,{SVG}" alt=""></div>
</body></html>"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from conftest import REPO, copy_tree

    from leaflets.render import tree
    from leaflets.render.engine import Renderer

    root = tmp_path_factory.mktemp("tree") / "project"
    copy_tree(REPO / "fonts", root / "fonts")
    document = Renderer(Project.at(root)).render_html(PAGE, root / "page.html")
    pages = tree.pages(document)
    assert len(pages) == 1
    return pages[0]


def _find(page, predicate):
    return next(box for box in page.walk() if predicate(box))


def test_pages_give_page_boxes(page):
    assert page.kind == "page"
    assert page.children()  # the html box under the page


def test_block_identity_and_html(page):
    panel = _find(page, lambda b: "panel" in b.classes)
    assert panel.kind == "block" and panel.is_block and panel.is_absolute
    assert panel.tag == "div" and panel.classes == {"panel", "extra"}
    assert panel.attr("data-slot") == "cover" and panel.attr("nope") is None
    element = panel.source()
    assert element.tag == "div" and element.classes == {"panel", "extra"}
    assert element.attr("data-slot") == "cover"
    assert element.text() == "Xin chào"
    assert [e.tag for e in element.descendants()] == ["div", "p", "span"]
    assert panel == _find(page, lambda b: "panel" in b.classes)  # equal views of one box
    assert len({panel, _find(page, lambda b: "panel" in b.classes)}) == 1


def test_geometry_in_css_px(page):
    panel = _find(page, lambda b: "panel" in b.classes)
    assert panel.border_rect == pytest.approx((10, 20, 10 + 212, 20 + 112))
    assert panel.content_rect == pytest.approx((16, 26, 216, 126))
    assert panel.margin_rect == pytest.approx((10, 20, 222, 132))
    assert panel.margin_height == pytest.approx(112)
    assert panel.bottom_inset == pytest.approx(6)


def test_text_font_and_colour(page):
    texts = [b for b in page.walk() if b.kind == "text"]
    assert "".join(b.text for b in texts).replace(" ", "") == "Xinchào"
    loud = next(b for b in texts if "chào" in b.text)
    assert loud.font.families == ("Noto Sans",)
    assert loud.font.weight == 700 and loud.font.style == "italic"
    assert loud.font.size_pt == pytest.approx(12)
    assert loud.colour.space == "srgb" and loud.colour.srgb == pytest.approx((1, 0, 0))
    ink = next(b for b in texts if "Xin" in b.text)
    assert ink.font.weight == 400 and ink.font.size_pt == pytest.approx(10)
    assert ink.colour.space == "device-cmyk"
    assert ink.colour.values == pytest.approx((0, 0, 0, 1)) and ink.colour.srgb == pytest.approx((0, 0, 0))
    panel = _find(page, lambda b: "panel" in b.classes)
    assert panel.text == ""  # only text boxes have text


def test_leaves_pair_each_fragment_with_its_line(page):
    panel = _find(page, lambda b: "panel" in b.classes)
    leaves = list(panel.leaves())
    assert leaves and all(line.kind == "line" for line, _ in leaves)
    assert {leaf.kind for _, leaf in leaves} == {"text"}
    line, leaf = leaves[0]
    assert line.margin_rect[1] <= leaf.margin_rect[1] and leaf.margin_rect[3] <= line.margin_rect[3] + 0.01
    figure = _find(page, lambda b: "figure" in b.classes)
    images = [leaf for _, leaf in figure.leaves()]
    assert [b.kind for b in images] == ["image", "image"]


def test_images_drawn_size_follows_object_fit(page):
    images = [b for b in page.walk() if b.kind == "image"]
    assert [b.tag for b in images] == ["img", "img"]
    contain, fill = images
    assert contain.attr("src").startswith("data:image/svg+xml")
    assert contain.drawn_size == pytest.approx((200, 100))  # 100×50 fitted into 200×200
    assert fill.drawn_size == pytest.approx((200, 200))
