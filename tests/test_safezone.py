"""Safe zones for everything drawn (slot text and the layout's own), fold keep-outs, a
standee's stand zone, and colour wrapped past folds."""

from __future__ import annotations

import re

import pikepdf
import pypdfium2
import pytest
from conftest import PRINT_DETAILS, REPO, build

from leaflets.layout.load import load_layout
from leaflets.layout.page_css import geometry_css
from leaflets.problems import ContentError

PT = 72 / 25.4


def piece(layout: str, slots: dict[str, str]) -> str:
    body = "\n".join(f"::: {slot}\n{text}\n:::\n" for slot, text in slots.items())
    return f'---\nlayout: {layout}\ntitle: "Thử vùng an toàn"\n{PRINT_DETAILS}---\n{body}'


# An A5 card folded once (two panels of 74 mm): a front cover with its slogan band, and an
# inside panel. Its own stylesheet says where the band's text and the inside text sit.
CARD = """title = "Thiệp gấp đôi"
kind = "sheet"
fold = "half"
stylesheets = ["../_base/folded.css", "style.css"]

[page]
width = 148
height = 105
safe = 5

[[sides]]
name = "front"
panels = [
  { slot = "inside", width = 74, role = "inside" },
  { slot = "cover", width = 74, role = "front-cover" },
]
"""


def card_project(make_project, style: str, toml: str = CARD):
    return make_project({
        "layouts/thiep/layout.toml": toml,
        "layouts/thiep/style.css": ".panel { --pad: 7mm; }\n.role--front-cover .title { font-size: 12pt; }\n"
                                   + style,
        "content/pieces/thiep.md": piece("thiep", {"inside": "Nội dung bên trong.", "cover": "Bìa."}),
    }, with_samples=False)


def safe_zone(result) -> list:
    return [p for p in result.problems if p.code == "safe-zone"]


def test_the_cards_layout_passes_as_it_is(make_project):
    root = card_project(make_project, "")
    _, results = build(root)
    assert results["thiep"].status == "built", [p.format(root) for p in results["thiep"].problems]
    assert safe_zone(results["thiep"]) == []


def test_a_slogan_band_whose_text_sits_2_mm_from_the_trim_is_an_error(make_project):
    # the layout's own decoration, not a slot: today's band with 2 mm under its text
    root = card_project(make_project, ".cover-band { padding-bottom: calc(2mm + var(--bleed-bottom)); }")
    _, results = build(root)
    result = results["thiep"]
    assert result.status == "failed"
    [finding] = safe_zone(result)
    text = finding.format(root)
    assert finding.page == 1 and finding.slot is None
    assert "the layout's slogan" in text and "bottom edge of the trim" in text
    assert "inside the 5 mm safe margin" in text
    distance = float(re.search(r"comes (\d+\.\d) mm", text)[1])
    assert 1.5 <= distance <= 2.6
    assert "ẤM NO" in text.upper()  # the words of the band in the margin, as on the page


def test_text_within_a_folds_keep_out_is_an_error(make_project):
    # the inside panel's text starts 1 mm from the fold at 74 mm
    root = card_project(make_project, ".panel--inside { padding-right: 1mm; }\n"
                                      ".panel--inside .slot p { text-align: right; }")
    _, results = build(root)
    [finding] = safe_zone(results["thiep"])
    text = finding.format(root)
    assert finding.slot == "inside" and finding.page == 1
    assert "from the fold at 74 mm" in text and "inside the 3 mm kept free each side of a fold" in text
    assert float(re.search(r"comes (\d+\.\d) mm", text)[1]) < 1.5


def test_the_keep_out_is_declared_in_the_layout(make_project):
    toml = CARD.replace('fold = "half"', 'fold = "half"\nfold_keep_out = 0.5')
    root = card_project(make_project, ".panel--inside { padding-right: 1mm; }\n"
                                      ".panel--inside .slot p { text-align: right; }", toml)
    _, results = build(root)
    assert safe_zone(results["thiep"]) == []


STANDEE = "standee-vi-nguoi-ngheo"


@pytest.mark.parametrize("bottom, said", [
    ("141mm", r"is [01]\.\d mm above the stand zone .* inside the 30 mm safe margin above it"),
    ("100mm", r"reaches (39|40)\.\d mm into the stand zone .* move it up at least (69|70)\.\d mm"),
])
def test_text_in_or_near_a_standees_stand_zone_is_an_error(make_project, bottom, said):
    style = (REPO / "layouts" / "standee-80x180" / "style.css").read_text(encoding="utf-8")
    style += f"\n.banner-foot {{ bottom: {bottom}; }}\n"
    root = make_project({"layouts/standee-80x180/style.css": style}, pieces=(STANDEE,))
    _, results = build(root)
    [finding] = safe_zone(results[STANDEE])
    text = finding.format(root)
    assert re.search(said, text), text
    assert "Sở Nông nghiệp" in text and "banner-foot" in text
    assert "the bottom 140 mm goes into the stand's base" in text


def test_stand_zone_is_declared_and_must_leave_room(tmp_path):
    layout, _ = load_layout(REPO / "layouts", "standee-80x180")
    assert layout.finishing.stand == 140
    assert load_layout(REPO / "layouts", "standee-60x160")[0].finishing.stand == 130
    assert "--stand: 140mm" in geometry_css(layout)
    folder = tmp_path / "layouts" / "thu"
    folder.mkdir(parents=True)
    (folder / "layout.toml").write_text(
        'title = "x"\nkind = "sheet"\n[page]\nwidth = 600\nheight = 300\nsafe = 30\n'
        '[finishing]\nstand = 250\n[[sides]]\nname = "a"\npanels = [{ slot = "main", width = 600 }]\n',
        encoding="utf-8")
    with pytest.raises(ContentError, match="finishing.stand: 250 mm leaves no room for text"):
        load_layout(tmp_path / "layouts", "thu")


def test_fold_settings_default_for_folded_layouts_only():
    trifold, _ = load_layout(REPO / "layouts", "trifold-a4")
    assert (trifold.fold_keep_out, trifold.fold_wrap) == (3.0, 1.5)
    for name in ("bifold-a4", "zfold-a4"):
        layout, _ = load_layout(REPO / "layouts", name)
        assert (layout.fold_keep_out, layout.fold_wrap) == (3.0, 1.5), name
    flat, _ = load_layout(REPO / "layouts", "leaflet-a4")
    assert (flat.fold_keep_out, flat.fold_wrap) == (0.0, 0.0)
    css = geometry_css(trifold)
    # the cover (right of the fold at 197 mm) carries its colour 1.5 mm to the left of it
    assert re.search(r"\.panel-bg--cover::before \{[^}]*z-index: -1;[^}]*left: -1\.5mm; right: 0mm;", css)
    assert "::before" not in geometry_css(flat)


def pixel(path, page: int, x_mm: float, y_mm: float, scale: int = 8):
    with pikepdf.open(path) as pdf:
        obj = pdf.pages[page].obj
        trim, media = [float(v) for v in obj.TrimBox], [float(v) for v in obj.MediaBox]
    image = pypdfium2.PdfDocument(str(path))[page].render(scale=scale).to_pil()
    return image.getpixel((round((trim[0] - media[0] + x_mm * PT) * scale),
                           round((media[3] - trim[3] + y_mm * PT) * scale)))[:3]


def red(rgb) -> bool:
    return rgb[0] > 150 and rgb[1] < 90 and rgb[2] < 90


def test_the_tri_folds_cover_red_wraps_past_the_fold(make_project):
    name = "to-gap-vi-nguoi-ngheo"
    root = make_project(pieces=(name,))
    _, results = build(root)
    result = results[name]
    assert result.status == "built", [p.format(root) for p in result.problems]
    assert safe_zone(result) == []
    path = result.job.outputs[0].path
    # outside: back cover (paper) | fold at 197 mm | front cover (red)
    assert red(pixel(path, 0, 197.3, 100))
    assert red(pixel(path, 0, 196.0, 100))  # 1 mm past the fold: a 0.5 mm misfold shows red
    assert pixel(path, 0, 195.2, 100) == (255, 255, 255)  # and no further than 1.5 mm
    # the yellow slogan band wraps with it
    band = pixel(path, 0, 196.0, 205)
    assert band[0] > 200 and band[1] > 150 and band[2] < 80, band


def test_the_sample_run_has_no_text_in_a_safe_zone(sample_build):
    root, _, results = sample_build
    found = [p.format(root) for r in results.values() for p in safe_zone(r)]
    assert found == []
