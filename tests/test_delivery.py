"""The whole run reaches the shop: package, manifest, tickets, diff and review with variants."""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from conftest import REPO, copy_built_sample, copy_tree, run_cli

import leaflets
from leaflets.build.plan import plan
from leaflets.project import Project

RA_SOAT = (REPO / "content" / "pieces" / "to-gap-ra-soat.md").read_text(encoding="utf-8")
# English words a Vietnamese ticket, slug or package README must not show (file and job names aside).
ENGLISH = ("outside", "inside", "front", "back", "cover", "notes", "roll", "fold", "imposed", "gate",
           "blank", "page", "pages", "sheet", "variant", "quantity", "saddle", "stitch", "hotline",
           "copies", "total", "for", "the", "and", "of", "file", "files", "side", "overprint", "output",
           "intent", "sample", "data")
NAME = re.compile(r"[\w./-]*(?:--|\.pdf|\.json|\.icc|\.yaml|\.md|-a[345]\b|-\d+x\d+)[\w./-]*")


def _english(text: str) -> list[str]:
    plain = NAME.sub(" ", text)
    return sorted({w for w in ENGLISH if re.search(rf"(?<![\w-]){w}(?![\w-])", plain, re.I)})


def _unzip(path: Path, target: Path) -> set[str]:
    with zipfile.ZipFile(path) as archive:
        archive.extractall(target)
        return set(archive.namelist())


def _print_files(root: Path) -> set[str]:
    return {p.name for p in (root / "dist" / "print").iterdir() if p.is_file()}


@pytest.fixture(scope="module")
def built(sample_build, tmp_path_factory):
    """A copy of the built sample run (variants included), packaged once."""
    root = copy_built_sample(sample_build, tmp_path_factory.mktemp("delivery") / "project")
    done = run_cli(root, "package")
    assert done.returncode == 0, done.stderr
    return root


def test_the_whole_run_is_packaged_verified_and_packaged_again_after_rebuilds(built, tmp_path):
    zips = list((built / "dist").glob("goi-in-*.zip"))
    assert [z.name for z in zips] == ["goi-in-2026-10-10.zip"]  # the pieces' date, not today
    names = _unzip(zips[0], tmp_path / "a")
    packed = {Path(n).name for n in names if "/" in n}
    assert packed == _print_files(built)  # every print, imposed and ticket file, variants included
    assert {"to-gap-ra-soat--phuong-trung-tam.pdf", "guong-thoat-ngheo--y-hien.ticket.pdf",
            "so-tay-giam-ngheo.imposed.pdf"} <= packed
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path / "a", capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == len(packed)
    first = zips[0].read_bytes()
    # one piece and one variant built again: nothing of the rest leaves the manifest or the zip
    for args in (("build", "to-roi-chuan-ngheo", "--force"),
                 ("build", "to-gap-ra-soat", "--variant", "xa-ia-hru", "--force")):
        done = run_cli(built, *args)
        assert done.returncode == 0, done.stderr
    manifest = json.loads((built / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["pieces"]) == 16
    done = run_cli(built, "package")
    assert done.returncode == 0, done.stderr
    assert (built / "dist" / "goi-in-2026-10-10.zip").read_bytes() == first


def test_the_package_readme_lists_variants_and_says_sample_data(built, tmp_path):
    _unzip(built / "dist" / "goi-in-2026-10-10.zip", tmp_path)
    readme = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert "Phường Trung Tâm" in readme and "Hộ bà Y Hiên" in readme and "5 phiên bản" in readme
    assert "DỮ LIỆU MẪU" not in readme  # the test copy's data is unmarked
    assert _english(readme) == []


def test_package_by_piece_by_variant_and_an_unknown_name(built):
    done = run_cli(built, "package", "to-gap-ra-soat")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(built / "dist" / "goi-in-2026-10-10.zip") as archive:
        pdfs = sorted(n for n in archive.namelist() if n.endswith(".pdf") and ".ticket" not in n)
    assert pdfs == [f"to-gap-ra-soat/to-gap-ra-soat--{v}.pdf" for v in
                    ("phuong-trung-tam", "xa-dak-ro-nga", "xa-ia-hru", "xa-mang-ri-son", "xa-tan-lap-son")]
    assert list((built / "dist" / "old").glob("goi-in-*.zip"))  # the earlier package moved aside
    done = run_cli(built, "package", "to-gap-ra-soat--xa-ia-hru")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(built / "dist" / "goi-in-2026-10-10.zip") as archive:
        assert [n for n in archive.namelist() if n.endswith(".pdf")] == [
            "to-gap-ra-soat/to-gap-ra-soat--xa-ia-hru.pdf",
            "to-gap-ra-soat/to-gap-ra-soat--xa-ia-hru.ticket.pdf"]
    wrong = run_cli(built, "package", "to-gap-ra-soat--xa-khong-co")
    assert wrong.returncode == 1 and "to-gap-ra-soat--xa-ia-hru" in wrong.stderr
    assert len(wrong.stderr.strip().splitlines()) == 1
    run_cli(built, "package")  # leave the whole run's package for the other tests


def test_an_edited_piece_is_refused_until_built_again(sample_build, tmp_path):
    root = copy_built_sample(sample_build, tmp_path / "project")
    piece = root / "content" / "pieces" / "to-gap-ra-soat.md"
    piece.write_text(piece.read_text(encoding="utf-8").replace("Vì sao phải rà soát hằng năm?",
                                                                 "Vì sao cần rà soát hằng năm?"),
                     encoding="utf-8")
    done = run_cli(root, "package")
    assert done.returncode == 1
    assert "to-gap-ra-soat--xa-ia-hru" in done.stderr and "build it again" in done.stderr
    assert "to-roi-chuan-ngheo" not in done.stderr  # only what is stale is named
    assert not list((root / "dist").glob("goi-in-*.zip"))
    again = run_cli(root, "build", "to-gap-ra-soat")
    assert again.returncode == 0, again.stderr
    assert run_cli(root, "package").returncode == 0


def test_shards_built_apart_package_to_the_same_bytes(built, sample_build, tmp_path):
    source = sample_build[0]
    parts = []
    for k in (1, 2):
        root = tmp_path / f"shard{k}" / "project"
        for part in ("layouts", "fonts", "content"):
            copy_tree(source / part, root / part)
        done = run_cli(root, "build", "--shard", f"{k}/2")
        assert done.returncode == 0, done.stderr
        parts.append(root)
    merged = tmp_path / "merged" / "project"
    for part in ("layouts", "fonts", "content"):
        copy_tree(source / part, merged / part)
    for part in parts:
        copy_tree(part / "dist", merged / "dist")
    assert run_cli(merged, "merge").returncode == 0
    done = run_cli(merged, "package")
    assert done.returncode == 0, done.stderr
    assert (merged / "dist" / "goi-in-2026-10-10.zip").read_bytes() == \
        (built / "dist" / "goi-in-2026-10-10.zip").read_bytes()


def test_shards_of_different_revisions_are_not_merged(make_project, tmp_path):
    base = make_project(pieces=("to-roi-chuan-ngheo", "to-gap-12-chi-so"))
    roots = []
    for k in (1, 2):
        root = tmp_path / f"s{k}" / "project"
        copy_tree(base, root)
        if k == 2:  # the second machine has newer content
            site = root / "content" / "data" / "site.yaml"
            site.write_text(site.read_text(encoding="utf-8").replace("Sơn Nguyên", "Sơn Nguyên Mới", 1),
                            encoding="utf-8")
        assert run_cli(root, "build", "--shard", f"{k}/2").returncode == 0
        roots.append(root)
    for root in roots:
        copy_tree(root / "dist", base / "dist")
    done = run_cli(base, "merge")
    assert done.returncode == 1
    assert "different revisions" in done.stderr and "content/data/site.yaml" in done.stderr


def _ticket(root: Path, name: str) -> dict:
    return json.loads((root / "dist" / "print" / f"{name}.ticket.json").read_text(encoding="utf-8"))


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True).stdout


def test_tickets_name_their_commune_or_household_and_count_the_run(built):
    commune = _ticket(built, "to-gap-ra-soat--phuong-trung-tam")
    other = _ticket(built, "to-gap-ra-soat--xa-ia-hru")
    household = _ticket(built, "guong-thoat-ngheo--y-hien")
    assert "Phường Trung Tâm" in commune["title"] and "Xã Ia Hrú" in other["title"]
    assert "Hộ bà Y Hiên" in household["title"] and household["variant"] == "Hộ bà Y Hiên"
    # the ward's own quantity replaces the piece's; the run's total adds up every commune
    assert commune["quantity"] == 8000 and other["quantity"] == 5000
    assert commune["run_quantity"] == other["run_quantity"] == 8000 + 4 * 5000
    assert commune["run_variants"] == 5 and commune["quantity_per"] == "variant"
    text = " ".join(_pdf_text(built / "dist" / "print" / "to-gap-ra-soat--phuong-trung-tam.ticket.pdf")
                    .split())
    assert "Phường Trung Tâm" in text and "8.000 bản" in text and "28.000 bản cho 5 phiên bản" in text
    assert f"leaflets {leaflets.__version__}" in text


def test_no_english_word_in_tickets_or_slugs(built):
    from leaflets.press.finish import page_labels, print_slug

    texts = []
    for path in sorted((built / "dist" / "print").glob("*.ticket.pdf")):
        texts.append((path.name, _pdf_text(path)))
    for path in sorted((built / "dist" / "print").glob("*.ticket.json")):
        ticket = json.loads(path.read_text(encoding="utf-8"))
        shown = [ticket[k] for k in ("title", "variant", "colours", "paper", "condition", "delivery")]
        texts.append((path.name, " ".join(map(str, shown + ticket["finishing"]))))
    the_plan = plan(Project.at(built))
    for job in the_plan.jobs:
        composed = job.composed
        labels = page_labels(composed.layout, 24 if composed.layout.booklet else len(composed.layout.sides),
                             1 if composed.layout.booklet else 0)
        texts.append((job.name, " ".join([print_slug(composed, composed.piece.date), *labels])))
    found = {name: _english(text) for name, text in texts if _english(text)}
    assert found == {}
    bifold = _pdf_text(built / "dist" / "print" / "to-gap-12-chi-so.ticket.pdf")
    assert "148,5" in bifold and "148.5" not in bifold


def test_the_slug_names_the_variant(built):
    the_plan = plan(Project.at(built), ["to-gap-ra-soat--xa-ia-hru"])
    from leaflets.press.finish import print_slug

    composed = the_plan.jobs[0].composed
    assert "(Xã Ia Hrú)" in print_slug(composed, composed.piece.date)


def test_a_piece_chooses_its_records(make_project):
    more = "".join(f'- name: "Xã Mới {n}"\n  province: "Sơn Nguyên"\n' for n in (1, 2, 3))
    communes = (REPO / "content" / "data" / "communes.yaml").read_text(encoding="utf-8") + more
    everyone = RA_SOAT.replace('  records: ["Xã Đắk Rơ Nga", "Xã Ia Hrú", "Xã Tân Lập Sơn", '
                               '"Xã Măng Ri Sơn", "Phường Trung Tâm"]\n', "  records: all\n")
    chosen = RA_SOAT.replace("  records: [", "  where: {province: Sơn Nguyên}\n  records: [")
    root = make_project({"content/data/communes.yaml": communes,
                         "content/pieces/to-gap-ra-soat.md": RA_SOAT,
                         "content/pieces/to-gap-tat-ca.md": everyone,
                         "content/pieces/to-gap-loc.md": chosen}, with_samples=False)
    the_plan = plan(Project.at(root))
    jobs = [j.name for j in the_plan.jobs]
    assert len([j for j in jobs if j.startswith("to-gap-ra-soat--")]) == 5  # the three new are not added
    assert len([j for j in jobs if j.startswith("to-gap-tat-ca--")]) == 8  # records: all takes them
    assert len([j for j in jobs if j.startswith("to-gap-loc--")]) == 5
    unchosen = RA_SOAT.replace('  records: ["Xã Đắk Rơ Nga", "Xã Ia Hrú", "Xã Tân Lập Sơn", '
                               '"Xã Măng Ri Sơn", "Phường Trung Tâm"]\n', "")
    wrong = RA_SOAT.replace('"Xã Ia Hrú"', '"Xã Ia Hru Khong Co"')
    root = make_project({"content/pieces/a.md": unchosen, "content/pieces/b.md": wrong},
                        with_samples=False, name="second")
    the_plan = plan(Project.at(root))
    said = {j.name: [p.format(root) for p in j.problems] for j in the_plan.jobs}
    assert any("records: all" in line and "warning" in line for line in said["a--xa-ia-hru"])
    assert len([j for j in said if j.startswith("a--")]) == 5
    assert said["b"] and "Xã Ia Hru Khong Co" in said["b"][0] and "b.md:12:" in said["b"][0]


def test_a_dropped_variant_leaves_the_manifest_and_the_rest_stay(sample_build, tmp_path):
    root = copy_built_sample(sample_build, tmp_path / "project")
    piece = root / "content" / "pieces" / "to-gap-ra-soat.md"
    piece.write_text(piece.read_text(encoding="utf-8").replace('"Xã Ia Hrú", ', ""), encoding="utf-8")
    done = run_cli(root, "build", "to-gap-ra-soat")
    assert done.returncode == 0, done.stderr
    pieces = json.loads((root / "dist" / "manifest.json").read_text(encoding="utf-8"))["pieces"]
    assert "to-gap-ra-soat--xa-ia-hru" not in pieces and len(pieces) == 15
    assert pieces["to-gap-ra-soat--phuong-trung-tam"]["variant"]["name"] == "Phường Trung Tâm"


def test_diff_compares_the_same_variant_in_both_revisions(make_project):
    root = make_project({"content/pieces/to-gap-ra-soat.md": RA_SOAT}, with_samples=False)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "round 1")):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)
    piece = root / "content" / "pieces" / "to-gap-ra-soat.md"
    # the communes listed in another order: the first variant is another commune now
    piece.write_text(piece.read_text(encoding="utf-8").replace(
        '["Xã Đắk Rơ Nga", "Xã Ia Hrú"', '["Xã Ia Hrú", "Xã Đắk Rơ Nga"'), encoding="utf-8")
    done = run_cli(root, "diff", "to-gap-ra-soat", "--variant", "Xã Đắk Rơ Nga", "--against", "HEAD")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "to-gap-ra-soat--xa-dak-ro-nga: no changes"
    unnamed = run_cli(root, "diff", "to-gap-ra-soat", "--against", "HEAD")
    assert unnamed.returncode == 1 and "--variant" in unnamed.stderr and "xa-ia-hru" in unnamed.stderr


def test_review_cards_name_the_variant_and_sample_data_is_said_once(make_project):
    root = make_project({"content/pieces/to-gap-ra-soat.md": RA_SOAT}, with_samples=False,
                        sample_marks=True)
    done = run_cli(root, "proof", "to-gap-ra-soat", "--variant", "xa-ia-hru", "--variant", "phuong-trung-tam")
    assert done.returncode == 0, done.stderr
    page = (root / "dist" / "proof" / "index.html").read_text(encoding="utf-8")
    assert "Variant: Xã Ia Hrú" in page and "Variant: Phường Trung Tâm" in page
    assert page.count("sample data") == 1
    assert 'class="status status-warnings"' not in page


def test_one_version_everywhere(built):
    assert metadata.version("leaflets") == leaflets.__version__
    assert 'dynamic = ["version"]' in (REPO / "pyproject.toml").read_text(encoding="utf-8")
    manifest = json.loads((built / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tool"] == f"leaflets {leaflets.__version__}"
    assert _ticket(built, "to-roi-chuan-ngheo")["tool"] == f"leaflets {leaflets.__version__}"
