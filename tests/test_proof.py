"""Proofs, previews, the review page (in a real browser) and diffs between rounds."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import pikepdf
import pypdfium2
import pytest
from conftest import REPO, copy_built_sample, run_cli
from PIL import Image, ImageDraw

from leaflets.review.compare import changed_regions
from leaflets.review.watermark import WATERMARK


@pytest.fixture(scope="module")
def proofed(tmp_path_factory, sample_build):
    """The sample run, built (the session's build) and proofed once, in Vietnamese: the
    language of the reviewers who read the proofs (labels, review page)."""
    root = copy_built_sample(sample_build, tmp_path_factory.mktemp("proofs") / "project")
    done = run_cli(root, "--lang", "vi", "proof")
    assert done.returncode == 0, done.stderr
    return root


def text_of(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_a_proof_after_a_build_reuses_its_files_and_matches_a_fresh_proof(make_project):
    root = make_project(pieces=("to-roi-chuan-ngheo", "so-tay-giam-ngheo"))
    fresh = root.parent / "fresh"
    shutil.copytree(root, fresh)
    assert run_cli(root, "build").returncode == 0
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    timed = subprocess.run([sys.executable, "-X", "importtime", str(REPO / "build.py"), "--project",
                            str(root), "proof"], capture_output=True, text=True, env=env)
    assert timed.returncode == 0, timed.stderr[-2000:]
    # the build still stands: its print files are proofed as they are, nothing is laid out again
    assert "weasyprint" not in {line.split("|")[-1].strip() for line in timed.stderr.splitlines()}
    assert run_cli(fresh, "proof").returncode == 0

    def made(project):
        return {p.relative_to(project / "dist" / "proof").as_posix(): p.read_bytes()
                for p in (project / "dist" / "proof").rglob("*") if p.suffix in (".pdf", ".png")}

    reused, rendered = made(root), made(fresh)
    assert len(reused) > 10 and reused.keys() == rendered.keys()
    assert [name for name in reused if reused[name] != rendered[name]] == []


def test_watermark_in_proofs_and_never_in_print_files(proofed):
    for pdf in (proofed / "dist" / "print").glob("*.pdf"):
        assert "NHÁP" not in text_of(pdf), pdf.name
    for pdf in (proofed / "dist" / "proof").glob("*.proof.pdf"):
        text = " ".join(text_of(pdf).split())
        assert WATERMARK in text
        name = pdf.name.removesuffix(".proof.pdf")
        assert f"{name} · lần 1 · " in text and "nội dung " in text  # the proof slug


def test_proof_pages_are_the_print_pages(proofed):
    for proof in (proofed / "dist" / "proof").glob("*.proof.pdf"):
        name = proof.name.removesuffix(".proof.pdf")
        printed = next(p for p in (proofed / "dist" / "print").glob(f"{name}*.pdf")
                       if not p.name.endswith((".ticket.pdf", ".imposed.pdf")))
        with pikepdf.open(proof) as a, pikepdf.open(printed) as b:
            assert len(a.pages) == len(b.pages)
            assert [list(p.obj.TrimBox) for p in a.pages] == [list(p.obj.TrimBox) for p in b.pages]


def meta(root, name):
    return json.loads((root / "dist" / "proof" / name / "meta.json").read_text(encoding="utf-8"))


def test_a_preview_per_page(proofed):
    for name, pages in (("to-roi-chuan-ngheo", 2), ("so-tay-giam-ngheo", 24), ("pano-giam-ngheo", 1)):
        record = meta(proofed, name)
        assert len(record["page_previews"]) == pages == record["pages"]
        for preview in record["page_previews"]:
            assert Image.open(proofed / "dist" / "proof" / preview["file"]).width > 200


def test_folded_work_as_the_reader_meets_it(proofed):
    record = meta(proofed, "to-gap-vi-nguoi-ngheo")
    assert [v["label"] for v in record["views"]] == ["bìa trước", "mở bìa", "mở hết", "bìa sau"]
    sizes = [Image.open(proofed / "dist" / "proof" / v["file"]).size for v in record["views"]]
    page = Image.open(proofed / "dist" / "proof" / record["page_previews"][0]["file"])
    per_mm = page.width / 297
    assert sizes[0][0] == pytest.approx(100 * per_mm, abs=2)  # the cover panel alone
    assert sizes[1][0] == pytest.approx((100 + 97) * per_mm, abs=2)  # inside of the cover + flap
    assert sizes[2][0] == pytest.approx(297 * per_mm, abs=2)  # the whole inside
    # the cover view is the outside page's right-hand 100 mm
    cover = Image.open(proofed / "dist" / "proof" / record["views"][0]["file"]).convert("RGB")
    right = page.convert("RGB").crop((page.width - cover.width, 0, page.width, page.height))
    assert changed_regions(right, cover) == []


def test_booklet_as_reader_spreads(proofed):
    record = meta(proofed, "so-tay-giam-ngheo")
    labels = [v["label"] for v in record["views"]]
    assert labels[0] == "trang 1" and labels[1] == "trang 2–3" and labels[-2] == "trang 22–23"
    assert labels[-1] == "trang 24" and len(labels) == 13


def test_banner_whole_with_a_person_for_scale(proofed):
    record = meta(proofed, "standee-vi-nguoi-ngheo")
    assert len(record["views"]) == 1 and "1,65 m" in record["views"][0]["label"]
    view = Image.open(proofed / "dist" / "proof" / record["views"][0]["file"])
    page = Image.open(proofed / "dist" / "proof" / record["page_previews"][0]["file"])
    assert view.width > page.width  # the person stands beside it


def _magenta_pixels(pdf_path, page_index=0) -> int:
    image = pypdfium2.PdfDocument(str(pdf_path))[page_index].render(scale=0.05).to_pil().convert("RGB")
    pixels = image.tobytes()
    return sum(1 for i in range(0, len(pixels), 3)
               if pixels[i] > 180 and pixels[i + 1] < 90 and pixels[i + 2] > 110)


def test_grommets_on_the_proof_never_on_the_print_file(proofed):
    proof = proofed / "dist" / "proof" / "bangron-thoat-ngheo.proof.pdf"
    printed = proofed / "dist" / "print" / "bangron-thoat-ngheo.pdf"
    assert _magenta_pixels(proof) > 20
    assert _magenta_pixels(printed) == 0


def test_review_page_lists_every_piece(proofed):
    from leaflets.build.plan import plan
    from leaflets.project import Project

    html = (proofed / "dist" / "proof" / "index.html").read_text(encoding="utf-8")
    jobs = [job.name for job in plan(Project.at(proofed)).jobs]
    assert "to-gap-ra-soat--xa-ia-hru" in jobs and "guong-thoat-ngheo--y-hien" in jobs
    for name in jobs:
        assert f'id="{name}"' in html
        assert f'href="{name}.proof.pdf"' in html
    assert 'href="../print/so-tay-giam-ngheo.imposed.pdf"' in html
    assert "http" not in html.replace('name="viewport"', "")  # nothing from the network
    assert "<script" not in html


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="Debian's chromium and chromium-driver "
                    "are not installed (.ci/run installs them)")
def test_review_page_in_a_real_browser(proofed, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--allow-file-access-from-files", f"--user-data-dir={tmp_path}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get((proofed / "dist" / "proof" / "index.html").as_uri())
        driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
        driver.set_script_timeout(60)
        result = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            const images = Array.from(document.images);
            Promise.all(images.map(img => img.complete ? null :
                new Promise(ok => { img.onload = ok; img.onerror = ok; })))
              .then(() => done(images.map(img => [img.getAttribute('src'), img.naturalWidth])));
        """)
        assert len(result) > 50
        broken = [src for src, width in result if not width]
        assert broken == []
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == []
        assert driver.title.startswith("Duyệt bản in thử")
    finally:
        driver.quit()


# --- diffs -----------------------------------------------------------------------------------

def _page(size=(400, 300), text="Giảm nghèo bền vững", where=(40, 100)):
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 380, 60), fill=(179, 38, 30))
    draw.text(where, text, fill="black")
    return image


def _shifted(pdf: bytes, points: float) -> bytes:
    """The same PDF with every page's content moved by a fraction of a point."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            page.contents_add(f"q 1 0 0 1 {points} {points / 2} cm\n".encode(), prepend=True)
            page.contents_add(b"\nQ\n")
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def test_antialiasing_noise_is_not_a_change(proofed):
    """Content a fraction of a point apart: pixels differ (glyphs snap), nothing is reported."""
    pdf = (proofed / "dist" / "print" / "to-gap-vi-nguoi-ngheo.pdf").read_bytes()

    def render(data):
        return pypdfium2.PdfDocument(data)[1].render(scale=100 / 72, crop=(40, 40, 40, 40)).to_pil()

    base = render(pdf)
    for points in (0.05, 0.1, 0.2, 0.3):
        moved = render(_shifted(pdf, points))
        assert moved.tobytes() != base.tobytes()  # the pixels do differ…
        assert changed_regions(base, moved) == []  # …but that is not a change
    grainy = Image.eval(base.convert("RGB"), lambda v: max(0, v - 12))  # another rasteriser's tones
    assert changed_regions(base, grainy) == []
    assert changed_regions(base, render(_shifted(pdf, 2.0))) != []  # a real move is a change


def test_a_changed_word_is_a_region_where_it_is():
    regions = changed_regions(_page(text="Giảm nghèo bền vững"), _page(text="Giảm nghèo bền lâu"))
    assert len(regions) == 1
    x0, y0, x1, y1 = regions[0]
    assert 40 <= x1 and x0 <= 160 and y0 <= 112 and y1 >= 100


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


@pytest.fixture
def repo(make_project):
    root = make_project()
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "round 1")
    return root


def test_diff_of_an_unchanged_piece_says_so(repo):
    done = run_cli(repo, "diff", "to-gap-vi-nguoi-ngheo", "--against", "HEAD")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "to-gap-vi-nguoi-ngheo: no changes"


def test_diff_finds_a_one_word_change_on_the_right_page_and_place(repo):
    piece = repo / "content" / "pieces" / "to-gap-vi-nguoi-ngheo.md"
    piece.write_text(piece.read_text(encoding="utf-8").replace(
        "Thôn, làng họp dân bình xét kết quả.", "Thôn, làng họp dân bình xét công khai kết quả."),
        encoding="utf-8")
    done = run_cli(repo, "diff", "to-gap-vi-nguoi-ngheo", "--against", "HEAD")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == ("to-gap-vi-nguoi-ngheo: changed page(s) 2 (1 region(s)); "
                                           "words: 0 removed, 2 added")
    folder = repo / "dist" / "proof" / "diff" / "to-gap-vi-nguoi-ngheo"
    words = (folder / "words.diff").read_text(encoding="utf-8").splitlines()
    assert "+công" in words and "+khai" in words
    image = Image.open(folder / "page-02.png").convert("RGB")
    # the region is drawn around the changed line: find the red outline's extent
    red = [(x, y) for y in range(0, image.height, 2) for x in range(0, image.width, 2)
           if image.getpixel((x, y)) == (220, 0, 0)]
    xs, ys = [x for x, _ in red], [y for _, y in red]
    # in the first inside panel (the left 100 mm), around a line or two, not the whole panel
    # (its blocks are spread over the panel's height, so the lines below the change stay put)
    assert max(xs) < image.width * 100 / 297 and max(ys) - min(ys) < image.height / 8


def test_diff_reports_a_changed_page_count(repo, tmp_path):
    old = tmp_path / "cu.pdf"
    assert run_cli(repo, "build", "so-tay-giam-ngheo").returncode == 0
    shutil.copy(repo / "dist" / "print" / "so-tay-giam-ngheo.pdf", old)
    piece = repo / "content" / "pieces" / "so-tay-giam-ngheo.md"
    text = piece.read_text(encoding="utf-8")
    extra = "\n\n".join(f"# Chương thêm {i}\n\nNội dung thêm." for i in range(1, 6))
    piece.write_text(text.replace("::: inside-back", extra + "\n:::\n\n::: inside-back", 1)
                     .replace(":::\n\n" + extra, extra), encoding="utf-8")
    piece.write_text(text.replace("\n:::\n\n::: inside-back", "\n\n" + extra + "\n:::\n\n::: inside-back", 1),
                     encoding="utf-8")
    done = run_cli(repo, "diff", "so-tay-giam-ngheo", "--against", str(old))
    assert done.returncode == 0, done.stderr
    assert "page count 24 → 28" in done.stdout


def test_review_page_links_the_latest_diff(repo):
    assert run_cli(repo, "proof", "to-gap-vi-nguoi-ngheo").returncode == 0
    html = (repo / "dist" / "proof" / "index.html").read_text(encoding="utf-8")
    assert "diff/to-gap-vi-nguoi-ngheo/index.html" not in html
    assert run_cli(repo, "diff", "to-gap-vi-nguoi-ngheo", "--against", "HEAD").returncode == 0
    html = (repo / "dist" / "proof" / "index.html").read_text(encoding="utf-8")
    assert 'href="diff/to-gap-vi-nguoi-ngheo/index.html"' in html


def test_diff_against_an_unknown_revision_is_one_line(repo):
    done = run_cli(repo, "diff", "to-gap-vi-nguoi-ngheo", "--against", "khong-co")
    assert done.returncode == 1
    assert done.stderr.startswith("git revision 'khong-co':") and "Traceback" not in done.stderr


def _panel_pdf(rgb: tuple[float, float, float]) -> bytes:
    """An A4 leaflet page (3 mm bleed) filled with one colour, with its TrimBox."""
    from reportlab.pdfgen import canvas

    mm = 72 / 25.4
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(216 * mm, 303 * mm), invariant=1)
    for _side in range(2):
        c.setFillColorRGB(*rgb)
        c.rect(0, 0, 216 * mm, 303 * mm, stroke=0, fill=1)
        c.showPage()
    c.save()
    document = pikepdf.open(io.BytesIO(buffer.getvalue()))
    for page in document.pages:
        page.obj.TrimBox = pikepdf.Array([3 * mm, 3 * mm, 213 * mm, 300 * mm])
        page.obj.BleedBox = pikepdf.Array([0, 0, 216 * mm, 303 * mm])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("panel", [(0.75, 0.1, 0.08), (0.1, 0.12, 0.3), (1.0, 1.0, 1.0)],
                         ids=["red", "dark", "white"])
def test_the_watermark_reads_over_red_dark_and_white_panels(panel):
    import pypdfium2

    from leaflets.layout.fonts import load_fonts
    from leaflets.layout.load import load_layout
    from leaflets.review.watermark import proof_pdf

    layout = load_layout(REPO / "layouts", "leaflet-a4")[0]
    faces = load_fonts(REPO / "fonts")
    bold = next(f.path for f in faces if f.family == "Noto Sans" and f.weight == 700 and f.style == "normal")
    regular = next(f.path for f in faces if f.family == "Noto Sans" and f.weight == 400
                   and f.style == "normal")
    proof = proof_pdf(_panel_pdf(panel), layout, "thử · lần 1", bold, regular)
    image = pypdfium2.PdfDocument(proof)[0].render(scale=0.5).to_pil().convert("RGB")
    background = tuple(round(v * 255) for v in panel)
    w, h = image.size
    # along the diagonal the watermark crosses, some pixels differ clearly from the panel
    far = 0
    for i in range(w // 5, 4 * w // 5):
        x, y = i, h - 1 - round(i * h / w)
        for dy in range(-8, 9):
            pixel = image.getpixel((x, min(max(y + dy, 0), h - 1)))
            far = max(far, sum(abs(a - b) for a, b in zip(pixel, background, strict=True)))
    assert far >= 130, far  # without the light halo: 42 over the red, 109 over the dark blue
