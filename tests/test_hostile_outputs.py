"""Never a wrong PDF called "built": caches verified, every image checked, no collisions.

Each test here fed the build something that made it write a wrong print
file and say "built" (a damaged cache, a photo hidden in an SVG, a 16-bit
scan, two pieces writing one file, a swapped photo preflight did not see).
"""

from __future__ import annotations

import io
import json
import os
import re

import pikepdf
import pytest
from conftest import build, run_cli
from hostile import jpeg, leaflet, line_of, no_traceback, png
from PIL import Image, ImageStat

from leaflets.render.images import embeddable

GREEN, RED = (40, 160, 60), (200, 30, 30)
PHOTO_PIECE = leaflet(front="![Ảnh xanh](../images/xanh.jpg)", back="![Ảnh đỏ](../images/do.jpg)")


def _embedded_colours(pdf_path, min_width: int = 1000) -> list[tuple[int, int, int]]:
    """Mean colour of every photo-sized raster image in the PDF (forms included), each once."""
    colours = []
    seen: set = set()

    def visit(resources, seen):
        for _, obj in (resources.get("/XObject") or {}).items():
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
            if obj.get("/Subtype") == "/Image" and int(obj.get("/Width", 0)) >= min_width:
                image = pikepdf.PdfImage(obj).as_pil_image().convert("RGB")
                colours.append(tuple(round(v) for v in ImageStat.Stat(image).mean))
            elif obj.get("/Subtype") == "/Form" and "/Resources" in obj:
                visit(obj.Resources, seen)

    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            visit(page.obj.get("/Resources") or pikepdf.Dictionary(), seen)
    return colours


def _green_and_red(colours) -> bool:
    return len(colours) == 2 and any(_close(c, GREEN) for c in colours) and \
        any(_close(c, RED) for c in colours)


def _close(a, b) -> bool:
    """The same hue family: print files are CMYK, so colours come back near, not equal."""
    def family(c):
        return max(range(3), key=lambda i: c[i])

    return family(a) == family(b) and max(a) - min(a) > 60


@pytest.fixture
def photo_project(make_project):
    return make_project({"content/pieces/anh.md": PHOTO_PIECE,
                         "content/images/xanh.jpg": jpeg(2400, 1600, GREEN),
                         "content/images/do.jpg": jpeg(2400, 1600, RED)}, with_samples=False)


def _cache_files(root):
    return sorted((root / "dist" / ".cache" / "images").glob("*.jpg"))


@pytest.mark.parametrize("damage", ["truncate", "garbage", "swap"])
def test_damaged_image_cache_is_rebuilt_never_embedded(photo_project, damage):
    root = photo_project
    _, results = build(root)
    assert results["anh"].status == "built"
    assert _green_and_red(_embedded_colours(root / "dist" / "print" / "anh.pdf"))
    files = _cache_files(root)
    assert len(files) == 2
    by_colour = {}
    for path in files:
        colour = ImageStat.Stat(Image.open(path).convert("RGB")).mean
        by_colour["green" if colour[1] > colour[0] else "red"] = path
    target = by_colour["green"]
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[: target.stat().st_size // 3])
    elif damage == "garbage":
        target.write_bytes(b"\x00garbage" * 100)
    else:  # another photo under this photo's name
        target.write_bytes(by_colour["red"].read_bytes())
    _, results = build(root, force=True)  # rendered again: the damaged cache is met
    assert results["anh"].status == "built", [p.format(root) for p in results["anh"].problems]
    colours = _embedded_colours(root / "dist" / "print" / "anh.pdf")
    assert _green_and_red(colours), colours
    assert len(_cache_files(root)) == 2  # the bad entry was replaced, not kept beside


@pytest.mark.parametrize("content", [b"[]", b"null", b'{"key": 1, "findings": 3}',
                                     b"\xff\xfe not utf-8", b'{"findings": [' * 3000])
def test_damaged_preflight_cache_renders_again(make_project, content):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    assert run_cli(root, "build").returncode == 0
    cache = root / "dist" / ".cache" / "preflight" / "to.json"
    assert cache.is_file()
    cache.write_bytes(content)
    done = run_cli(root, "preflight")
    assert done.returncode == 0, done.stderr
    assert no_traceback(done)
    findings = json.loads(cache.read_text(encoding="utf-8"))["findings"]
    assert [f for f in findings if f["severity"] != "note"] == []  # rewritten whole: the fill note only
    assert [f["severity"] for f in findings] == ["note"]


def test_edited_cached_findings_with_the_right_key_are_refused(make_project):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    assert run_cli(root, "build").returncode == 0
    cache = root / "dist" / ".cache" / "preflight" / "to.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["findings"] = [{"severity": "error", "message": 5}]  # a right key, a wrong shape
    cache.write_text(json.dumps(data), encoding="utf-8")
    done = run_cli(root, "preflight")
    assert done.returncode == 0 and no_traceback(done), done.stderr


def test_damaged_fontconfig_file_is_written_anew(make_project):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    conf = root / "dist" / ".cache" / "fonts.conf"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(b"\xff\xfe<fontconfig><dir>/usr/share/fonts</dir></fontconfig>")
    done = run_cli(root, "build", isolated=True)  # fontconfig is set up once per process
    assert done.returncode == 0, done.stderr
    assert "/usr/share/fonts" not in conf.read_text(encoding="utf-8")


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' \
           'width="100" height="60" viewBox="0 0 100 60">'
BAD_SVGS = {
    "raster-file": (SVG_HEAD + '<image href="anh.png" width="100" height="60"/></svg>',
                    r"contains a raster image \(<image href=\"anh.png\">\)"),
    "raster-xlink": (SVG_HEAD + '<image xlink:href="anh.png" width="100" height="60"/></svg>',
                     r"contains a raster image"),
    "raster-data": (SVG_HEAD + '<image href="data:image/png;base64,iVBORw0KGgo=" width="9" '
                    'height="9"/></svg>', r"contains a raster image \(<image href=\"data:image/png"),
    "entities": ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>'
                 + SVG_HEAD + "<text>&a;</text></svg>", r"declares XML entities"),
    "malformed": (SVG_HEAD + "<rect width='10'", r"is not a well-formed SVG file \(.+\)"),
    "not-svg": ('<html xmlns="http://www.w3.org/1999/xhtml"></html>', r"is not an SVG image"),
    "other-file": (SVG_HEAD + '<use href="khac.svg#x"/></svg>', r"refers to another file"),
}


@pytest.mark.parametrize("name", BAD_SVGS)
def test_unsafe_svg_is_refused_with_file_reason_and_line(make_project, name):
    svg, pattern = BAD_SVGS[name]
    text = leaflet(front="Đoạn mở đầu.\n\n![Hình minh họa](../images/hinh.svg)")
    root = make_project({"content/pieces/to.md": text, "content/images/hinh.svg": svg,
                         "content/images/anh.png": png()}, with_samples=False)
    done = run_cli(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    line = line_of(text, "![Hình")
    assert re.search(rf"^content/pieces/to.md:{line}: image content/images/hinh.svg: it {pattern}",
                     done.stderr, re.M), done.stderr
    assert not (root / "dist" / "print" / "to.pdf").exists()


def test_raster_from_layout_css_is_refused_at_render(make_project):
    root = make_project({"content/pieces/to.md": leaflet(), "layouts/leaflet-a4/nen.png": png()},
                        with_samples=False)
    css = root / "layouts" / "leaflet-a4" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + '\nbody { background: url("nen.png"); }\n',
                   encoding="utf-8")
    done = run_cli(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    assert "did not pass the image checks" in done.stderr, done.stderr


def _gradient():
    return Image.linear_gradient("L").resize((64, 64))


def _mode(mode: str) -> Image.Image:
    g = _gradient()
    if mode in ("I;16", "I;16B"):
        image = Image.new(mode, g.size)
        image.putdata([v * 257 for v in g.tobytes()])
        return image
    if mode == "I":
        return g.convert("I").point(lambda v: v * 257)
    if mode == "F":
        return g.convert("F").point(lambda v: v / 255)
    if mode == "P-transparent":
        image = g.convert("P")
        image.info["transparency"] = 0
        return image
    return g.convert(mode)


def _mean(image: Image.Image) -> float:
    """Mean pixel value (a box resize to one pixel: ImageStat bins 32-bit images into 256)."""
    value = image.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    return value if isinstance(value, (int, float)) else sum(value[:3]) / 3


def _brightness(image: Image.Image) -> float:
    """Mean brightness 0..1 whatever the mode (what the picture means, not its bytes)."""
    if image.mode in ("I;16", "I;16B", "I"):
        return _mean(image.convert("I")) / 65535
    if image.mode == "F":
        return _mean(image)
    if image.mode == "CMYK":
        return _mean(image.convert("RGB").convert("L")) / 255
    return _mean(image.convert("RGBA").convert("L")) / 255


@pytest.mark.parametrize("mode", ["I;16", "I;16B", "I", "F", "LA", "P", "P-transparent",
                                  "CMYK", "1", "RGBA", "L", "RGB"])
def test_every_pillow_mode_keeps_its_tones(mode):
    image = _mode(mode)
    before = _brightness(image)
    after = embeddable(image)
    assert after.mode in ("L", "RGB", "RGBA")
    assert abs(_brightness(after) - before) < 0.03, (mode, before, _brightness(after))


def test_sixteen_bit_scan_prints_its_tones_not_white(make_project):
    image = Image.new("I;16", (2400, 1600))
    image.putdata([(x * 65535) // 2399 for y in range(1600) for x in range(2400)])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    root = make_project({"content/pieces/anh.md": leaflet(front="![Bản quét](../images/scan.png)"),
                         "content/images/scan.png": buffer.getvalue()}, with_samples=False)
    _, results = build(root)
    assert results["anh"].status == "built"
    (grey,) = _embedded_colours(root / "dist" / "print" / "anh.pdf")
    assert 110 < grey[0] < 145, grey  # a gradient from black to white: mid grey


def test_adobe_inverted_cmyk_jpeg_keeps_its_colour():
    # Adobe writes CMYK JPEGs inverted; Pillow undoes that when it decodes them.
    cmyk = Image.new("CMYK", (32, 32), (0, 230, 220, 40))  # a strong red
    buffer = io.BytesIO()
    cmyk.save(buffer, format="JPEG")
    decoded = Image.open(io.BytesIO(buffer.getvalue()))
    assert decoded.mode == "CMYK" and "adobe" in decoded.info
    r, g, b = ImageStat.Stat(embeddable(decoded)).mean
    assert r > 150 and g < 60 and b < 60, (r, g, b)


def test_two_pieces_writing_one_file_are_both_refused(make_project):
    from conftest import REPO

    pano = (REPO / "content" / "pieces" / "pano-giam-ngheo.md").read_text(encoding="utf-8")
    root = make_project({"content/pieces/x.md": pano,
                         "content/pieces/x-scale-1-10.md": leaflet()}, with_samples=False)
    done = run_cli(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    for name, other in (("x", "x-scale-1-10"), ("x-scale-1-10", "x")):
        assert re.search(rf"^content/pieces/{name}.md: piece '{name}' and piece '{other}' would both "
                         r"write dist/print/x-scale-1-10.pdf", done.stderr, re.M), done.stderr
    assert not (root / "dist" / "print" / "x-scale-1-10.pdf").exists()
    # building one of them alone is refused too: the plan knows every piece's outputs
    alone = run_cli(root, "build", "x-scale-1-10")
    assert alone.returncode == 1 and "would both write" in alone.stderr


@pytest.mark.parametrize("file_name, suggestion", [
    ("y.imposed.md", "y-imposed"), ("Tờ Rơi.md", "to-roi"), ("UPPER.md", "upper"),
    ("a_b.md", "a-b"), ("a--b.md", "a-b"),
])
def test_piece_names_have_one_rule_with_a_suggestion(make_project, file_name, suggestion):
    root = make_project({f"content/pieces/{file_name}": leaflet(),
                         "content/pieces/tot.md": leaflet()}, with_samples=False)
    done = run_cli(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    assert re.search(rf"is not a piece name: .*\(e\.g\. '{suggestion}'\): rename the file", done.stderr)
    assert (root / "dist" / "print" / "tot.pdf").is_file()
    assert sorted(p.name for p in (root / "dist" / "print").iterdir()) == \
        ["tot.pdf", "tot.ticket.json", "tot.ticket.pdf"]


def test_photo_swapped_in_place_with_same_size_and_time_is_seen(make_project):
    sharp, poor = jpeg(2400, 1600, GREEN), jpeg(300, 200, GREEN)
    poor = poor + b"\0" * (len(sharp) - len(poor))  # same size: trailing bytes after the JPEG
    root = make_project({"content/pieces/anh.md": leaflet(front="![Ảnh](../images/anh.jpg)"),
                         "content/images/anh.jpg": sharp}, with_samples=False)
    assert run_cli(root, "build").returncode == 0
    photo = root / "content" / "images" / "anh.jpg"
    stat = photo.stat()
    photo.write_bytes(poor)
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert photo.stat().st_size == stat.st_size and photo.stat().st_mtime_ns == stat.st_mtime_ns
    done = run_cli(root, "preflight")
    assert done.returncode == 1, done.stdout
    assert "[image-resolution]" in done.stdout
