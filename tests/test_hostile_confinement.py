"""Confinement everywhere: nothing outside the project is read, written, built or deleted.

Names are names (a layout, a piece on the command line), links that lead out
of the project are refused with the link's name, a git revision is never an
option, and a file name never becomes CSS.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pypdfium2
import pytest
from conftest import build, run_cli
from hostile import jpeg, leaflet, line_of, no_traceback


@pytest.mark.parametrize("layout", ["/tmp/x", "../../layouts/leaflet-a4", "leaflet-a4/../trifold-a4",
                                    "Leaflet A4"])
def test_a_layout_is_a_name_not_a_path(make_project, layout):
    text = leaflet().replace("layout: leaflet-a4", f'layout: "{layout}"')
    root = make_project({"content/pieces/to.md": text}, with_samples=False)
    done = run_cli(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    assert re.search(rf"^content/pieces/to.md:{line_of(text, 'layout:')}: layout: give the name of a "
                     r"folder under layouts/", done.stderr, re.M), done.stderr


@pytest.fixture
def outside(tmp_path):
    """A folder beside the project, with files someone might link to."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "victim.md").write_text(leaflet(), encoding="utf-8")
    (folder / "keep.txt").write_text("do not touch", encoding="utf-8")
    return folder


def _link(path, target):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


@pytest.mark.parametrize("where", ["content/pieces/lien-ket.md", "content/households/lien-ket.md",
                                   "content/data/lien-ket.yaml"])
def test_links_out_of_the_project_are_refused_by_name(make_project, outside, where):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    (outside / "data.yaml").write_text("secret: 1\n", encoding="utf-8")
    (outside / "ho.md").write_text("---\nname: Hộ\nhead: Ông\ncommune: Xã\n---\nTruyện.\n",
                                   encoding="utf-8")
    target = {"content/pieces": "victim.md", "content/households": "ho.md",
              "content/data": "data.yaml"}[where.rsplit("/", 1)[0]]
    _link(root / where, outside / target)
    done = run_cli(root, "build")
    assert no_traceback(done)
    assert re.search(rf"^{re.escape(where)}: lien-ket\.\w+ is a link to .*/outside/\S+, outside the project",
                     done.stderr, re.M), done.stderr
    assert not (root / "dist" / "print" / "lien-ket.pdf").exists()


def test_a_layout_folder_linked_from_outside_is_refused(make_project, outside):
    root = make_project({"content/pieces/to.md": leaflet().replace("leaflet-a4", "ngoai")},
                        with_samples=False)
    shutil.copytree(root / "layouts" / "leaflet-a4", outside / "ngoai")
    _link(root / "layouts" / "ngoai", outside / "ngoai")
    done = run_cli(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    assert "layouts/ngoai: ngoai leads to" in done.stderr, done.stderr


def test_a_template_linked_from_outside_is_refused(make_project, outside):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    (outside / "t.html.j2").write_text("{{ 'secret' }}", encoding="utf-8")
    (root / "layouts" / "leaflet-a4" / "template.html.j2").unlink(missing_ok=True)
    _link(root / "layouts" / "leaflet-a4" / "template.html.j2", outside / "t.html.j2")
    done = run_cli(root, "build")
    assert done.returncode == 1 and no_traceback(done)
    assert "template.html.j2 is a link to" in done.stderr, done.stderr


@pytest.mark.parametrize("what", ["folder", "file"])
def test_fonts_from_outside_are_never_embedded(make_project, outside, what):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    if what == "folder":
        shutil.move(root / "fonts", outside / "fonts")
        _link(root / "fonts", outside / "fonts")
    else:
        font = root / "fonts" / "NotoSans-Regular.ttf"
        shutil.move(font, outside / font.name)
        _link(font, outside / font.name)
    for command in ("build", "proof"):
        done = run_cli(root, command)
        assert done.returncode == 1 and no_traceback(done)
        assert re.search(r"fonts.* is a link to|fonts leads to", done.stderr), done.stderr
    assert not list(root.glob("dist/**/*.pdf"))


@pytest.mark.parametrize("name", ["{outside}/victim", "{outside}/victim.md", "../outside/victim",
                                  "content/pieces/../../../outside/victim.md"])
def test_a_piece_named_on_the_command_line_is_a_name(make_project, outside, name):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    name = name.format(outside=outside)
    for command in ("build", "preflight", "proof"):
        done = run_cli(root, command, name)
        assert done.returncode == 1 and no_traceback(done), done.stderr
        assert "not a piece name" in done.stderr or "is not a file in content/pieces/" in done.stderr \
            or "no piece named" in done.stderr, done.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt", "victim.md"]
    assert not list(root.glob("dist/**/*.pdf"))


def _git_project(make_project):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False)
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "một"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    return root


def test_diff_never_writes_or_deletes_outside(make_project, outside):
    root = _git_project(make_project)
    done = run_cli(root, "diff", str(outside / "victim"), "--against", "HEAD")
    assert done.returncode == 1 and no_traceback(done)
    assert "not a piece name" in done.stderr, done.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt", "victim.md"]
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "do not touch"


@pytest.mark.parametrize("against", ["--output={out}", "-o{out}", "--remote=ssh://x/y", "HEAD:../.."])
def test_a_git_revision_is_never_an_option(make_project, tmp_path, against):
    root = _git_project(make_project)
    made = tmp_path / "made-by-git.tar"
    done = run_cli(root, "diff", "to", f"--against={against.format(out=made)}")
    assert done.returncode == 1 and no_traceback(done), done.stderr
    assert "no such commit" in done.stderr, done.stderr
    assert not made.exists()


def _ink(pdf_path) -> int:
    """Dark pixels on the first page: the text that is printed."""
    document = pypdfium2.PdfDocument(str(pdf_path))
    image = document[0].render(scale=30 / 72).to_pil().convert("L")
    return sum(1 for v in image.tobytes() if v < 100)


def test_a_file_name_never_becomes_css(make_project):
    evil = 'x"]{}*{color:white!important}x[y=".jpg'
    plain = leaflet(front="![Ảnh](../images/anh.jpg)\n\n" + "Chữ đen trên nền trắng. " * 40)
    root = make_project({"content/pieces/thuong.md": plain, "content/images/anh.jpg": jpeg(2400, 1600)},
                        with_samples=False)
    shutil.copy(root / "content" / "images" / "anh.jpg", root / "content" / "images" / evil)
    (root / "content" / "pieces" / "doc.md").write_text(
        plain.replace("../images/anh.jpg", "<../images/" + evil + ">"), encoding="utf-8")
    _, results = build(root)
    assert results["doc"].status == "built", [p.format(root) for p in results["doc"].problems]
    assert len(results["doc"].images) == 1  # the photo went through the image checks
    normal, injected = (_ink(root / "dist" / "print" / f"{n}.pdf") for n in ("thuong", "doc"))
    assert injected > 0.9 * normal, (injected, normal)


def test_file_names_with_url_characters_are_checked_like_any_other(make_project):
    name = "ảnh #1 (mới) 100%.jpg"
    text = leaflet(front=f"![Ảnh](<../images/{name}>)")
    root = make_project({"content/pieces/to.md": text, f"content/images/{name}": jpeg(2400, 1600)},
                        with_samples=False)
    _, results = build(root)
    assert results["to"].status == "built", [p.format(root) for p in results["to"].problems]
    (use,) = results["to"].images
    assert use.path.name == name and use.effective_ppi > 250
