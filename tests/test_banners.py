"""Large format: resolution from viewing distance, resampling and its cache, scaled panos, limits."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zlib

import pikepdf
import pytest
from conftest import PRINT_DETAILS, REPO, build
from PIL import Image

from leaflets.layout.geometry import PDF_MAX_MM, ppi_for_distance
from leaflets.layout.load import load_layout
from leaflets.problems import ContentError

PT = 72 / 25.4
PDFCHECK = REPO.parent / "shared" / "tools" / "pdfcheck"
BANNERS = ["poster-a2", "poster-a3", "standee-80x180", "standee-60x160", "bangron-300x100",
           "bangron-500x150", "pano-1000x200"]


def banner_piece(layout: str, text: str = "Thoát nghèo bền vững", image: str | None = None,
                 photo_slot: bool = False) -> str:
    picture = f"\n![Ảnh](../images/{image})\n" if image and not photo_slot else ""
    photo = f"::: photo\n![Ảnh](../images/{image})\n:::\n" if photo_slot else ""
    return (f'---\nlayout: {layout}\ntitle: "Thử {layout}"\n{PRINT_DETAILS}---\n{photo}'
            f"::: main\n# {text}\n{picture}\nLời kêu gọi ngắn.\n:::\n")


def photo(path, width: int, height: int) -> None:
    image = Image.radial_gradient("L").resize((width, height)).convert("RGB")
    image.save(path, quality=85)


def test_viewing_distance_gives_resolution_and_minimum_type():
    assert [ppi_for_distance(d) for d in (1, 3, 7, 10, 30)] == [150, 80, 60, 40, 25]
    layout, _ = load_layout(REPO / "layouts", "bangron-500x150")
    assert layout.target_ppi == 40 and layout.min_type_pt == pytest.approx(111, abs=1)
    leaflet, _ = load_layout(REPO / "layouts", "leaflet-a4")
    assert leaflet.target_ppi == 300 and leaflet.min_type_pt == 6


def test_grommets_at_every_corner_and_never_further_apart_than_declared():
    layout, _ = load_layout(REPO / "layouts", "bangron-500x150")
    points = layout.grommets()
    f = layout.finishing
    corners = {(f.grommet_inset, f.grommet_inset), (layout.width - f.grommet_inset, f.grommet_inset),
               (f.grommet_inset, layout.height - f.grommet_inset),
               (layout.width - f.grommet_inset, layout.height - f.grommet_inset)}
    assert corners <= set(points)
    top = sorted(x for x, y in points if y == f.grommet_inset)
    assert max(b - a for a, b in zip(top, top[1:], strict=False)) <= f.grommet_spacing
    left = sorted(y for x, y in points if x == f.grommet_inset)
    assert max(b - a for a, b in zip(left, left[1:], strict=False)) <= f.grommet_spacing
    assert layout.safe >= f.keep_clear


def test_text_must_stay_clear_of_hems_and_grommets(tmp_path):
    folder = tmp_path / "layouts" / "b"
    folder.mkdir(parents=True)
    toml = (REPO / "layouts" / "bangron-300x100" / "layout.toml").read_text(encoding="utf-8")
    (folder / "layout.toml").write_text(toml.replace("safe = 60", "safe = 20"), encoding="utf-8")
    with pytest.raises(ContentError, match="hems and grommets need 31 mm kept free of text"):
        load_layout(tmp_path / "layouts", "b")


def test_a_page_over_5_08_m_needs_a_scale(tmp_path):
    folder = tmp_path / "layouts" / "p"
    folder.mkdir(parents=True)
    toml = (REPO / "layouts" / "pano-1000x200" / "layout.toml").read_text(encoding="utf-8")
    (folder / "layout.toml").write_text(toml.replace("scale = 10\n", ""), encoding="utf-8")
    with pytest.raises(ContentError, match=r"over the 5,080 mm limit: lay it out at a reduced scale"):
        load_layout(tmp_path / "layouts", "p")


def test_every_page_side_of_every_sample_is_within_14400_units(sample_build):
    _, _, results = sample_build
    for result in results.values():
        for output in result.job.outputs:
            if output.kind not in ("print", "imposed"):
                continue
            with pikepdf.open(output.path) as pdf:
                for page in pdf.pages:
                    box = [float(v) for v in page.obj.MediaBox]
                    assert box[2] - box[0] <= 14400 and box[3] - box[1] <= 14400, output.path.name


def test_pano_is_scaled_with_the_scale_in_name_and_slug(sample_build):
    root, _, results = sample_build
    result = results["pano-giam-ngheo"]
    path = result.job.outputs[0].path
    assert path.name == "pano-giam-ngheo-scale-1-10.pdf"
    with pikepdf.open(path) as pdf:
        trim = [float(v) for v in pdf.pages[0].obj.TrimBox]
        bleed = [float(v) for v in pdf.pages[0].obj.BleedBox]
    assert (trim[2] - trim[0]) / PT == pytest.approx(1000, abs=0.05)  # 10 m at 1:10
    assert (trim[3] - trim[1]) / PT == pytest.approx(200, abs=0.05)
    assert (trim[0] - bleed[0]) / PT == pytest.approx(5, abs=0.05)  # 50 mm bleed at 1:10
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "tỷ lệ 1:10" in text
    assert max(trim) < PDF_MAX_MM * PT


def test_images_are_resampled_to_the_target_and_embedded_as_they_claim(sample_build):
    _, _, results = sample_build
    for name in ("standee-vi-nguoi-ngheo", "pano-giam-ngheo"):
        result = results[name]
        assert result.images, name
        for use in result.images:
            # the embedded pixels give the layout's target resolution at the placed size (±1 px)
            wanted = max(use.placed_mm[0] / 25.4 * use.target_ppi, use.placed_mm[1] / 25.4 * use.target_ppi)
            assert max(use.embedded_px) == pytest.approx(
                min(wanted * max(use.embedded_px) / max(use.placed_mm[0] / 25.4 * use.target_ppi,
                                                        use.placed_mm[1] / 25.4 * use.target_ppi),
                    max(use.original_px)), abs=2)
            assert use.embedded_px[0] <= use.original_px[0]  # never enlarged
        with pikepdf.open(result.job.outputs[0].path) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                    data = Image.open(io.BytesIO(obj.read_raw_bytes()))
                    assert data.size == (int(obj.Width), int(obj.Height))
                    assert data.size in {u.embedded_px for u in result.images}


@pytest.mark.skipif(not PDFCHECK.is_file() or not shutil.which("pdfimages"),
                    reason="the shop-side pdfcheck tool is not beside the project")
@pytest.mark.parametrize("name, layout, trim, bleed, ppi", [
    ("standee-vi-nguoi-ngheo", "standee-80x180", "800x1800", 5, 80),
    ("bangron-thoat-ngheo", "bangron-500x150", "5000x1500", 20, 40),
    ("pano-giam-ngheo", "pano-1000x200", "1000x200", 5, 25),  # at 1:10; ppi at 1:10 is ten times
])
def test_pdfcheck_passes_for_banners(sample_build, name, layout, trim, bleed, ppi):
    _, _, results = sample_build
    done = subprocess.run([str(PDFCHECK), str(results[name].job.outputs[0].path), "--trim", trim,
                           "--bleed", str(bleed), "--marks", "--pages", "1", "--min-ppi", str(ppi)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_cache_is_hit_on_rebuild(make_project):
    root = make_project({"content/pieces/s.md": banner_piece("standee-60x160", image="big.jpg")},
                        with_samples=False)
    photo(root / "content" / "images" / "big.jpg", 3000, 2000)
    _, first = build(root)
    assert first["s"].status == "built", [p.format(root) for p in first["s"].problems]
    assert [u.cached for u in first["s"].images] == [False]
    cache = sorted((root / "dist" / ".cache" / "images").iterdir())
    stamps = [p.stat().st_mtime_ns for p in cache]
    _, second = build(root, force=True)  # rendered again (not just "unchanged"): the cache is hit
    assert [u.cached for u in second["s"].images] == [True]
    assert sorted((root / "dist" / ".cache" / "images").iterdir()) == cache
    assert [p.stat().st_mtime_ns for p in cache] == stamps
    # a changed image is a new cache entry, not a stale hit
    photo(root / "content" / "images" / "big.jpg", 3001, 2000)
    _, third = build(root)
    assert [u.cached for u in third["s"].images] == [False]


def test_low_resolution_is_reported_with_its_ppi(make_project):
    root = make_project({"content/pieces/s.md": banner_piece("standee-80x180", image="small.jpg")},
                        with_samples=False)
    photo(root / "content" / "images" / "small.jpg", 1600, 1067)  # ~55 ppi over 740 mm; target 80
    _, results = build(root)
    result = results["s"]
    assert result.status == "built"
    said = [p.format(root) for p in result.problems]
    assert any(re.match(r"content/pieces/s.md:\d+: warning: \[image-resolution\] "
                        r"image content/images/small.jpg has 5\d ppi at its "
                        r"placed size \(740×\d+ mm\); layout 'standee-80x180' seen from 2 m needs 80 ppi",
                        s) for s in said), said
    assert result.images[0].embedded_px == (1600, 1067)  # never enlarged


def test_below_half_the_resolution_is_an_error(make_project):
    root = make_project({"content/pieces/s.md": banner_piece("standee-80x180", image="tiny.jpg")},
                        with_samples=False)
    photo(root / "content" / "images" / "tiny.jpg", 600, 400)
    _, results = build(root)
    assert results["s"].status == "failed"
    assert any("below half the target: refused" in p.message for p in results["s"].problems)


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + \
        chunk(b"IEND", b"")


@pytest.mark.parametrize("size", [(10000, 10000), (40000, 40000)], ids=["over-limit", "bomb"])
def test_decompression_bomb_is_refused(make_project, size):
    root = make_project({"content/pieces/s.md": banner_piece("standee-60x160", image="bomb.png"),
                         "content/images/bomb.png": _png_header_only(*size)}, with_samples=False)
    _, results = build(root)
    assert results["s"].status == "failed"
    said = [p.format(root) for p in results["s"].problems]
    assert any(s.startswith("content/images/bomb.png: the image has more pixels than the 89 megapixel "
                            "safety limit") for s in said), said


def test_corrupt_image_names_the_file(make_project):
    root = make_project({"content/pieces/s.md": banner_piece("standee-60x160", image="broken.jpg")},
                        with_samples=False)
    path = root / "content" / "images" / "broken.jpg"
    photo(path, 2000, 1500)
    path.write_bytes(path.read_bytes()[:3000])  # truncated
    _, results = build(root)
    assert results["s"].status == "failed"
    said = [p.format(root) for p in results["s"].problems]
    assert any(s.startswith("content/images/broken.jpg: cannot decode the image") for s in said), said


def test_a_photo_too_big_for_a_banner_is_an_error(make_project):
    root = make_project({"content/pieces/b.md": banner_piece("bangron-300x100",
                                                             image="ruong-bac-thang.jpg")},
                        with_samples=False)
    _, results = build(root)
    assert results["b"].status == "failed"
    assert any(p.code in ("overflow", "image-edge") for p in results["b"].problems)


def test_type_below_the_banner_minimum_is_an_error(make_project):
    root = make_project({"content/pieces/b.md": banner_piece("bangron-300x100")}, with_samples=False)
    css = root / "layouts" / "bangron-300x100" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.role--banner p { font-size: 40pt; }\n",
                   encoding="utf-8")
    _, results = build(root)
    assert results["b"].status == "failed"
    assert any(re.search(r"type of 40.0 pt in slot 'main' on page 1, smaller than the 88.\d pt layout "
                         r"'bangron-300x100' allows \(read from 8 m\)", p.message)
               for p in results["b"].problems), [p.message for p in results["b"].problems]


@pytest.mark.parametrize("layout", BANNERS)
def test_every_banner_layout_builds_and_refuses_too_much_text(make_project, layout):
    slot_photo = layout.startswith("pano")
    # a băng rôn is text only: a full-width photo would not fit its height (and that is an error)
    image = None if layout.startswith("bangron") else "ruong-bac-thang.jpg"
    root = make_project({"content/pieces/ok.md": banner_piece(layout, photo_slot=slot_photo,
                                                              image=image),
                         "content/pieces/long.md": banner_piece(
                             layout, "Thoát nghèo bền vững, xây dựng cuộc sống ấm no " * 15,
                             photo_slot=slot_photo, image=image)},
                        with_samples=False)
    _, results = build(root)
    assert results["ok"].status == "built", [p.format(root) for p in results["ok"].problems]
    assert results["long"].status == "failed"
    assert any("does not fit its panel" in p.message for p in results["long"].problems)
