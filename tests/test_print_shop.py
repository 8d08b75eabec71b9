"""What a print shop checks before it accepts a file: PDF/X-4, CMYK only, black that overprints,
ink within the paper's limit, distinct subset tags, tickets, a package, and the same bytes twice.

Every print file of the sample run is read with pikepdf (and Ghostscript for
ink), not with the code that wrote it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import PRINT_DETAILS, REPO, build, copy_tree, run_cli
from hostile import leaflet, no_traceback
from PIL import Image

from leaflets.checks.ink import audit, max_ink

PDFCHECK = REPO.parent / "shared" / "tools" / "pdfcheck"
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}


def _print_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "dist" / "print").glob("*.pdf") if not p.name.endswith(".ticket.pdf"))


@pytest.fixture(scope="module")
def files(sample_build):
    root, the_plan, _ = sample_build
    found = _print_files(root)
    assert len(found) == len(the_plan.jobs) + 1  # and the booklet's imposed file
    return root, found


def test_every_print_file_is_pdfx4_with_one_cmyk_output_intent(files):
    _, paths = files
    for path in paths:
        with pikepdf.open(path) as pdf:
            assert pdf.pdf_version == "1.6", path.name
            intents = pdf.Root.OutputIntents
            assert len(intents) == 1 and intents[0].S == "/GTS_PDFX"
            profile = intents[0].DestOutputProfile
            data = profile.read_bytes()
            assert int(profile.N) == 4 and data[16:20] == b"CMYK" and data[36:40] == b"acsp"
            assert str(intents[0].OutputConditionIdentifier) in ("FOGRA39", "FOGRA29")
            xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
            assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
            assert "<pdf:Trapped>False</pdf:Trapped>" in xmp and "<xmp:CreateDate>" in xmp
            info = pdf.trailer.Info
            assert info.Trapped == "/False" and str(info.Title) and str(info.CreationDate).startswith("D:")
            assert len(pdf.trailer.ID) == 2
            for page in pdf.pages:
                assert "/TrimBox" in page.obj and "/BleedBox" in page.obj


def test_no_rgb_anywhere_and_black_overprints(files):
    _, paths = files
    for path in paths:
        found = audit(path.read_bytes())
        assert found.rgb == [], (path.name, found.rgb[:5])
        assert found.white_overprint == [] and found.black_knockout == [] and found.rich_black_text == []


def _black_text_overprinted(path: Path) -> int:
    """Text shown in 0 0 0 1 k while an ExtGState with /OP true is in force, on the first page."""
    count = 0
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        states = page.obj.Resources.get("/ExtGState") or {}
        fill, op, stack = None, False, []
        for instruction in pikepdf.parse_content_stream(page):
            name = str(instruction.operator)
            if name == "q":
                stack.append((fill, op))
            elif name == "Q" and stack:
                fill, op = stack.pop()
            elif name == "k":
                fill = tuple(float(v) for v in instruction.operands)
            elif name == "gs":
                state = states[str(instruction.operands[0])]
                if "/OP" in state:
                    op = bool(state.OP) and bool(state.op) and int(state.get("/OPM", 0)) == 1
            elif name in ("Tj", "TJ") and fill == (0.0, 0.0, 0.0, 1.0) and op:
                count += 1
    return count


def test_body_text_is_100_k_and_overprints(files):
    root, _ = files
    assert _black_text_overprinted(root / "dist" / "print" / "to-roi-chuan-ngheo.pdf") > 20


def _cmyk_pixels_of_word(pdf_path: Path, word: str, tmp: Path, page_index: int = 0):
    """The CMYK printed under a word of body text (Ghostscript's separation of the page)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    page = document[page_index]
    text = page.get_textpage()
    found = text.search(word, match_whole_word=True).get_next()
    assert found, word
    left, bottom, right, top = text.get_charbox(found[0])
    height = page.get_height()
    document.close()
    out = tmp / "page.tif"
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiff32nc", "-r300",
                    f"-dFirstPage={page_index + 1}", f"-dLastPage={page_index + 1}",
                    f"-sOutputFile={out}", str(pdf_path)], check=True)
    with Image.open(out) as image:
        scale = 300 / 72
        box = (int(left * scale), int((height - top) * scale), int(right * scale) + 1,
               int((height - bottom) * scale) + 1)
        crop = image.crop(box)
        return [crop.getpixel((x, y)) for y in range(crop.height) for x in range(crop.width)]


@pytest.mark.skipif(shutil.which("gs") is None, reason="needs Ghostscript")
def test_black_text_separates_to_the_black_plate_only(files, tmp_path):
    root, _ = files
    pixels = _cmyk_pixels_of_word(root / "dist" / "print" / "to-roi-chuan-ngheo.pdf", "nhiệm", tmp_path)
    inked = [p for p in pixels if p[3] > 128]
    assert inked, "no ink under the word"
    assert all(c == 0 and m == 0 and y == 0 for c, m, y, _ in inked), inked[:5]


@pytest.mark.skipif(shutil.which("gs") is None, reason="needs Ghostscript")
def test_total_ink_is_within_each_papers_limit(files):
    _, paths = files
    for path in paths:
        if "imposed" in path.name:
            continue
        inks = max_ink(path.read_bytes())
        assert inks and max(inks) <= 300.5, (path.name, inks)


def _subset_programs(path: Path) -> dict[str, str]:
    found = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                name = str(obj.get("/FontName", ""))[1:]
                program = obj.get("/FontFile2") or obj.get("/FontFile3") or obj.get("/FontFile")
                if "+" in name[:7] and program is not None:
                    found[name] = hashlib.sha256(program.read_bytes()).hexdigest()
    return found


def test_a_subset_tag_names_one_glyph_set(files):
    _, paths = files
    by_tag: dict[str, set[str]] = {}
    for path in paths:
        for name, program in _subset_programs(path).items():
            by_tag.setdefault(name, set()).add(program)
    assert by_tag
    assert {name: programs for name, programs in by_tag.items() if len(programs) > 1} == {}


@pytest.mark.skipif(not PDFCHECK.is_file() or shutil.which("qpdf") is None, reason="needs pdfcheck, qpdf")
def test_pdfcheck_cmyk_passes_on_every_print_file(files):
    _, paths = files
    for path in paths:
        done = subprocess.run([str(PDFCHECK), str(path), "--cmyk"], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_job_ticket_names_each_file_with_its_hash(files):
    root, _ = files
    out = root / "dist" / "print"
    ticket = json.loads((out / "so-tay-giam-ngheo.ticket.json").read_text(encoding="utf-8"))
    assert ticket["quantity"] == 3000 and ticket["paper"] == "Couché 120 g/m²"
    assert ticket["condition"].endswith("FOGRA39") and ticket["max_ink"] == 300
    assert [f["kind"] for f in ticket["files"]] == ["print", "imposed"]
    for listed in ticket["files"]:
        assert hashlib.sha256((out / listed["name"]).read_bytes()).hexdigest() == listed["sha256"]
    assert any("ghim" in line for line in ticket["finishing"])
    pano = json.loads((out / "pano-giam-ngheo-scale-1-10.ticket.json").read_text(encoding="utf-8"))
    assert pano["scale"] == 10 and any("1:10" in line for line in pano["finishing"])
    with pikepdf.open(out / "so-tay-giam-ngheo.ticket.pdf") as pdf:
        assert len(pdf.pages) == 1
    text = subprocess.run(["pdftotext", str(out / "so-tay-giam-ngheo.ticket.pdf"), "-"],
                          capture_output=True, text=True).stdout
    assert "PHIẾU YÊU CẦU IN" in text and ticket["files"][0]["sha256"] in text.replace(" ", "")


def test_scale_is_in_the_metadata(files):
    root, _ = files
    with pikepdf.open(root / "dist" / "print" / "pano-giam-ngheo-scale-1-10.pdf") as pdf:
        assert "1:10" in str(pdf.trailer.Info.Title)
        assert "1:10" in pdf.Root.Metadata.read_bytes().decode("utf-8")


def test_imposed_file_has_the_same_metadata(files):
    root, _ = files
    with pikepdf.open(root / "dist" / "print" / "so-tay-giam-ngheo.imposed.pdf") as pdf:
        assert pdf.pdf_version == "1.6" and str(pdf.Root.Lang) == "vi"
        assert "bình trang" in str(pdf.trailer.Info.Title) and str(pdf.trailer.Info.Author)


def test_manifest_lists_outputs_and_inputs(files):
    root, _ = files
    manifest = json.loads((root / "dist" / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["pieces"]["to-gap-vi-nguoi-ngheo"]
    assert entry["profile"] == "coated-fogra39.icc" and entry["pages"] == 2
    for output in entry["outputs"]:
        data = (root / output["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == output["sha256"] and len(data) == output["bytes"]
    inputs = {i["path"] for i in entry["inputs"]}
    assert "content/pieces/to-gap-vi-nguoi-ngheo.md" in inputs
    assert "layouts/_colour/coated-fogra39.icc" in inputs


def _pieces(root: Path, keep: tuple[str, ...]) -> None:
    for piece in (root / "content" / "pieces").glob("*.md"):
        if piece.stem not in keep:
            piece.unlink()


KEEP = ("so-tay-giam-ngheo", "pano-giam-ngheo", "to-gap-vi-nguoi-ngheo")


def _project(base: Path) -> Path:
    root = base / "project"
    for part in ("layouts", "fonts", "content"):
        copy_tree(REPO / part, root / part)
    _pieces(root, KEEP)
    return root


def test_two_builds_in_two_folders_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    first, second = _project(tmp_path / "a"), _project(tmp_path / "b" / "deeper")
    for root in (first, second):
        assert run_cli(root, "build").returncode == 0
        assert run_cli(root, "package").returncode == 0

    def listing(root):
        return {p.relative_to(root / "dist").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in (root / "dist").rglob("*") if p.is_file() and ".cache" not in p.parts
                and p.name != "preflight.json"}

    one, two = listing(first), listing(second)
    assert len(one) >= 12 and one == two


def test_the_package_holds_exactly_the_current_pieces(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    root = _project(tmp_path)
    assert run_cli(root, "build").returncode == 0
    (root / "content" / "pieces" / "pano-giam-ngheo.md").unlink()  # deleted after its build
    done = run_cli(root, "package")
    assert done.returncode == 0, done.stderr
    (archive,) = (root / "dist").glob("goi-in-*.zip")
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
        assert set(manifest["pieces"]) == {"so-tay-giam-ngheo", "to-gap-vi-nguoi-ngheo"}
        listed = set()
        for name, entry in manifest["pieces"].items():
            for output in entry["outputs"]:
                member = f"{name}/{Path(output['file']).name}"
                listed.add(member)
                assert hashlib.sha256(z.read(member)).hexdigest() == output["sha256"]
        assert names == listed | {"manifest.json", "SHA256SUMS", "README.txt"}
        assert not any("pano" in n for n in names)
        readme = z.read("README.txt").decode("utf-8")
        assert "sha256sum -c SHA256SUMS" in readme and "PDF/X-4" in readme
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in z.infolist())


def test_a_file_changed_after_the_build_is_not_packaged(tmp_path):
    root = _project(tmp_path)
    _pieces(root, ("to-gap-vi-nguoi-ngheo",))
    assert run_cli(root, "build").returncode == 0
    target = root / "dist" / "print" / "to-gap-vi-nguoi-ngheo.pdf"
    target.write_bytes(target.read_bytes() + b"\n% edited")
    done = run_cli(root, "package")
    assert done.returncode == 1 and no_traceback(done)
    assert "changed or missing since it was built" in done.stderr


def test_rgb_build_for_screens_never_touches_print(make_project):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    done = run_cli(root, "build", "--rgb")
    assert done.returncode == 0, done.stderr
    assert not (root / "dist" / "print").exists()
    screen = root / "dist" / "screen" / "to.pdf"
    text = subprocess.run(["pdftotext", str(screen), "-"], capture_output=True, text=True).stdout
    assert "RGB – không dùng để in" in text
    assert audit(screen.read_bytes()).rgb  # it is RGB, on purpose


@pytest.mark.skipif(shutil.which("gs") is None, reason="needs Ghostscript")
def test_cmyk_photos_keep_their_separations(make_project, tmp_path):
    import pypdfium2
    import pypdfium2.raw as pdfium

    photo = Image.new("CMYK", (2400, 1600), (0, 230, 217, 64))  # the palette's red, 0/90/85/25
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=95)  # Pillow writes it the Adobe way, inverted
    root = make_project({"content/pieces/to.md": leaflet(front="![Ảnh](../images/do.jpg)"),
                         "content/images/do.jpg": buffer.getvalue()}, with_samples=False)
    _, results = build(root)
    assert results["to"].status == "built", [p.format(root) for p in results["to"].problems]
    path = root / "dist" / "print" / "to.pdf"
    with pikepdf.open(path) as pdf:
        spaces = {str(obj.get("/ColorSpace")) for obj in pdf.objects if isinstance(obj, pikepdf.Stream)
                  and obj.get("/Subtype") == "/Image"}
    assert spaces == {"/DeviceCMYK"}
    document = pypdfium2.PdfDocument(str(path))
    page = document[0]
    (picture,) = list(page.get_objects(filter=[pdfium.FPDF_PAGEOBJ_IMAGE]))
    left, bottom, right, top = picture.get_bounds()
    height = page.get_height()
    document.close()
    out = tmp_path / "page.tif"
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiff32nc", "-r72",
                    "-dLastPage=1", f"-sOutputFile={out}", str(path)], check=True)
    with Image.open(out) as printed:  # what the plates get, in the middle of the photo
        c, m, y, k = printed.getpixel((int((left + right) / 2), int(height - (top + bottom) / 2)))
    assert abs(c - 0) <= 4 and abs(m - 230) <= 4 and abs(y - 217) <= 4 and abs(k - 64) <= 4, (c, m, y, k)


def test_rgb_photos_are_separated_before_typesetting(sample_build):
    root, _, _ = sample_build
    with pikepdf.open(root / "dist" / "print" / "pano-giam-ngheo-scale-1-10.pdf") as pdf:
        spaces = {str(obj.get("/ColorSpace")) for obj in pdf.objects if isinstance(obj, pikepdf.Stream)
                  and obj.get("/Subtype") == "/Image"}
    assert spaces == {"/DeviceCMYK"}


GRADIENT_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
<defs><linearGradient id="g"><stop offset="0" stop-color="#1e88e5"/><stop offset="1" stop-color="#ffb300"/>
</linearGradient></defs>
<rect width="200" height="100" fill="url(#g)"/>
<circle cx="100" cy="50" r="40" fill="#000" opacity="0.5"/>
<text x="10" y="90" fill="#ffffff" font-size="12">Trắng</text>
</svg>"""


def test_gradients_transparency_and_svg_colours_are_separated(make_project):
    root = make_project({"content/pieces/to.md": leaflet(front="![Hình](../images/g.svg)"),
                         "content/images/g.svg": GRADIENT_SVG}, with_samples=False)
    css = root / "layouts" / "leaflet-a4" / "style.css"
    css.write_text(css.read_text(encoding="utf-8")
                   + "\n.slot h2 { background: linear-gradient(var(--red), var(--yellow)); opacity: 0.8; }\n",
                   encoding="utf-8")
    _, results = build(root)
    assert results["to"].status == "built", [p.format(root) for p in results["to"].problems]
    found = audit((root / "dist" / "print" / "to.pdf").read_bytes())
    assert found.rgb == [] and found.white_overprint == []


def test_white_text_set_to_overprint_is_an_error(make_project):
    from leaflets.checks.ink import ink_findings

    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    assert run_cli(root, "build").returncode == 0
    path = root / "dist" / "print" / "to.pdf"
    with pikepdf.open(path) as pdf:  # make the first black text white, keeping its overprint
        page = pdf.pages[0]
        data = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page))
        data = re.sub(rb"0 0 0 1 (k|scn)(\n(?:(?!\d (?:k|scn)\n).)*?/LeafletsOverprint gs)",
                      rb"0 0 0 0 \1\2", data, count=1, flags=re.S)
        page.Contents = pdf.make_stream(data)
        out = io.BytesIO()
        pdf.save(out)

    class Condition:
        name, max_ink = "coated", 300

    codes = {p.code for p in ink_findings(out.getvalue(), path, path.name, Condition())}
    assert "overprint" in codes


def test_more_ink_than_the_paper_takes_is_an_error(make_project):
    text = leaflet().replace("Couché 150 g/m²", "Ford 80 g/m²")
    root = make_project({"content/pieces/to.md": text}, with_samples=False)
    palette = root / "layouts" / "palette.toml"
    palette.write_text(palette.read_text(encoding="utf-8")
                       + '\n[colours.dam]\nrgb = "#101010"\ncmyk = [70, 60, 60, 100]\n', encoding="utf-8")
    css = root / "layouts" / "leaflet-a4" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.panel { background: var(--dam); }\n",
                   encoding="utf-8")
    done = run_cli(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    assert re.search(r"\[ink-coverage\] to.pdf: page 1 carries 2\d\d % ink in places; .*FOGRA29 takes at "
                     r"most 260 %", done.stderr), done.stderr


def test_missing_print_details_are_named(make_project):
    text = leaflet().replace(PRINT_DETAILS, 'print:\n  paper: "Couché 150 g/m²"\n')
    root = make_project({"content/pieces/to.md": text}, with_samples=False)
    done = run_cli(root, "preflight")
    assert done.returncode == 1
    assert "[print-details] print.quantity is missing" in done.stdout
    assert "[print-details] print.licence is missing" in done.stdout


def test_an_unknown_paper_is_said_and_separated_for_coated(make_project):
    text = leaflet().replace("Couché 150 g/m²", "Giấy lạ 90 g/m²")
    root = make_project({"content/pieces/to.md": text}, with_samples=False)
    done = run_cli(root, "build")
    assert done.returncode == 0, done.stderr
    assert "paper 'Giấy lạ 90 g/m²' is not in content/data/papers.yaml" in done.stderr
    with pikepdf.open(root / "dist" / "print" / "to.pdf") as pdf:
        assert str(pdf.Root.OutputIntents[0].OutputConditionIdentifier) == "FOGRA39"
