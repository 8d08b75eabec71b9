"""Whole print runs: variants and records, fields, workers, shards, the incremental build."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import PRINT_DETAILS, REPO, build, copy_tree, count_layouts, run_cli, unmark_samples
from hostile import leaflet, line_of, no_traceback

from leaflets.vi import slug

COMMUNES = (REPO / "content" / "data" / "communes.yaml").read_text(encoding="utf-8")
RA_SOAT = (REPO / "content" / "pieces" / "to-gap-ra-soat.md").read_text(encoding="utf-8")


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def communes(tmp_path_factory):
    """The sample's per-commune Z-fold, built once."""
    root = tmp_path_factory.mktemp("communes") / "project"
    for part in ("layouts", "fonts", "content"):
        copy_tree(REPO / part, root / part)
    done = run_cli(root, "build", "to-gap-ra-soat", "guong-thoat-ngheo")
    assert done.returncode == 0, done.stderr
    return root, done


def test_a_piece_per_commune_with_its_own_contact(communes):
    root, done = communes
    names = sorted(p.name for p in (root / "dist" / "print").glob("to-gap-ra-soat--*.pdf")
                   if not p.name.endswith(".ticket.pdf"))
    assert names == ["to-gap-ra-soat--phuong-trung-tam.pdf", "to-gap-ra-soat--xa-dak-ro-nga.pdf",
                     "to-gap-ra-soat--xa-ia-hru.pdf", "to-gap-ra-soat--xa-mang-ri-son.pdf",
                     "to-gap-ra-soat--xa-tan-lap-son.pdf"]
    text = " ".join(_text(root / "dist" / "print" / "to-gap-ra-soat--xa-ia-hru.pdf").split())
    assert "ở Xã Ia Hrú" in text and "Ủy ban nhân dân xã Ia Hrú" in text and "0260 3 812 202" in text
    assert "Xã Đắk Rơ Nga" not in text and "1800 6868" not in text.split("Đường dây nóng")[1][:30]


def test_a_piece_per_household_record(communes):
    root, _ = communes
    for household, name in (("a-thiem", "Hộ ông A Thiêm"), ("y-hien", "Hộ bà Y Hiên")):
        text = _text(root / "dist" / "print" / f"guong-thoat-ngheo--{household}.pdf")
        assert name in text
    assert len(list((root / "dist" / "print").glob("guong-thoat-ngheo--*.ticket.json"))) == 4


def test_one_variant_by_option_or_by_name(make_project):
    root = make_project({"content/pieces/to-gap-ra-soat.md": RA_SOAT}, with_samples=False)
    for args in (("build", "to-gap-ra-soat", "--variant", "xa-ia-hru"),
                 ("build", "to-gap-ra-soat--xa-ia-hru"), ("build", "--variant", "Xã Ia Hrú")):
        done = run_cli(root, *args, "--force")
        assert done.returncode == 0, done.stderr
        assert re.findall(r"^(\S+)\s.*built", done.stdout, re.M) == ["to-gap-ra-soat--xa-ia-hru"], done.stdout
    done = run_cli(root, "build", "to-gap-ra-soat--xa-khong-co")
    assert done.returncode == 1 and "has no variant 'xa-khong-co'" in done.stderr


def test_variant_names_that_collide_are_refused(make_project):
    doubled = COMMUNES + '- name: "XÃ IA HRU"\n  province: "Sơn Nguyên"\n'
    root = make_project({"content/pieces/to-gap-ra-soat.md": RA_SOAT, "content/data/communes.yaml": doubled},
                        with_samples=False)
    done = run_cli(root, "preflight")
    assert done.returncode == 1 and no_traceback(done)
    assert "variants: 'Xã Ia Hrú' and 'XÃ IA HRU' both make the file name 'xa-ia-hru'" in done.stdout


def test_variants_from_data_that_is_not_there(make_project):
    text = RA_SOAT.replace("data: communes", "data: phuong")
    root = make_project({"content/pieces/to-gap-ra-soat.md": text}, with_samples=False)
    done = run_cli(root, "preflight")
    assert done.returncode == 1
    line = line_of(text, "data: phuong")
    assert re.search(rf"to-gap-ra-soat.md:{line}: variants: 'phuong' is no such data file .*lists of records "
                     r"that exist: households, communes", done.stdout), done.stdout


VIETNAMESE = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ", "e": "eèéẻẽẹêềếểễệ", "i": "iìíỉĩị", "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự", "y": "yỳýỷỹỵ", "d": "dđ",
}


@pytest.mark.parametrize("ascii_letter", sorted(VIETNAMESE))
def test_slugs_turn_every_vietnamese_letter_into_ascii(ascii_letter):
    for letter in VIETNAMESE[ascii_letter]:
        for form in (letter, letter.upper(), unicodedata.normalize("NFD", letter)):
            assert slug(f"x{form}x") == f"x{ascii_letter}x", (letter, form)
    assert slug("Xã Đắk Rơ Nga") == "xa-dak-ro-nga" and slug("Phường Trung Tâm") == "phuong-trung-tam"


FIELDS = leaflet(front="Gọi ngay {{ site.agency.hotline }} hoặc {{ piece.title }}.\n\n"
                       "Chữ *đậm* từ dữ liệu: {{ site.slogans.0 }}.")


def test_fields_in_content_print_their_values(make_project):
    root = make_project({"content/pieces/to.md": FIELDS}, with_samples=False)
    _, results = build(root)
    assert results["to"].status == "built", [p.format(root) for p in results["to"].problems]
    text = " ".join(_text(root / "dist" / "print" / "to.pdf").split())
    assert "Gọi ngay 1800 6868 hoặc Tờ rơi thử." in text
    assert "Thoát nghèo, xây dựng cuộc sống ấm no" in text and "{{" not in text


@pytest.mark.parametrize("written, said", [
    ("{{ site.agency.hotlin }}", r"field \{\{ site.agency.hotlin \}\} is not in the data; fields that exist: "
                                 r".*site.agency.hotline"),
    ("{{ xa.name }}", r"field \{\{ xa.name \}\} is not in the data"),
    ("{{ 1 + 1 }}", r"“\{\{ 1 \+ 1 \}\}” is not a field: write a name from the data"),
    ("{{ site.agency.name | upper }}", r"“.*” is not a field"),
    ("{{ site.agency }}", r"field \{\{ site.agency \}\} is a group of values: name one value in it"),
])
def test_a_field_the_data_cannot_fill_is_an_error_on_its_line(make_project, written, said):
    text = leaflet(front=f"Đoạn đầu.\n\nLiên hệ {written} nhé.")
    root = make_project({"content/pieces/to.md": text}, with_samples=False)
    done = run_cli(root, "preflight")
    assert done.returncode == 1 and no_traceback(done)
    assert re.search(rf"^content/pieces/to.md:{line_of(text, 'Liên hệ')}: {said}", done.stdout, re.M), \
        done.stdout


def test_values_stay_text_never_markup(make_project):
    site = (REPO / "content" / "data" / "site.yaml").read_text(encoding="utf-8")
    site = site.replace('hotline: "1800 6868"', 'hotline: "<b>*1800*</b> 6868 {{ site.agency.name }}"')
    root = make_project({"content/pieces/to.md": leaflet(front="Gọi {{ site.agency.hotline }}."),
                         "content/data/site.yaml": site}, with_samples=False)
    the_plan, _ = build(root)
    html = the_plan.jobs[0].composed.html
    assert "Gọi &lt;b&gt;*1800*&lt;/b&gt; 6868 {{ site.agency.name }}." in html


def test_jobs_2_makes_the_same_bytes_as_jobs_1(tmp_path):
    hashes = []
    for name, workers in (("one", "1"), ("two", "2")):
        root = tmp_path / name / "project"
        for part in ("layouts", "fonts", "content"):
            copy_tree(REPO / part, root / part)
        done = run_cli(root, "build", "to-gap-ra-soat", "to-roi-chuan-ngheo", "pano-giam-ngheo",
                       "--jobs", workers, isolated=True)
        assert done.returncode == 0, done.stderr
        hashes.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                       for p in sorted((root / "dist" / "print").iterdir())})
    assert len(hashes[0]) == 21 and hashes[0] == hashes[1]


def test_one_failing_job_does_not_stop_the_others_in_workers(make_project):
    root = make_project({"content/pieces/tot.md": leaflet(), "content/pieces/hong.md": leaflet(
        front="Còn sót TODO ở đây."), "content/pieces/tot-nua.md": leaflet()}, with_samples=False)
    done = run_cli(root, "build", "--jobs", "2", isolated=True)
    assert done.returncode == 1
    assert re.search(r"^hong\s+-\s+\S+\s+failed", done.stdout, re.M)
    assert "content/pieces/hong.md" in done.stderr and "[placeholder]" in done.stderr
    assert "1 of 3 pieces failed" in done.stderr
    out = root / "dist" / "print"
    assert (out / "tot.pdf").is_file() and (out / "tot-nua.pdf").is_file()


def _crashing_step(job):
    from leaflets.build.workers import Outcome

    if job == "boom":
        os._exit(9)  # the worker dies, as an out-of-memory kill would take it
    return Outcome("built")


def test_a_worker_that_dies_takes_only_its_job():
    from leaflets.build.workers import run_jobs

    outcomes = run_jobs(["a", "boom", "b", "c"], _crashing_step, workers=2)
    assert [o.status for o in outcomes] == ["built", "failed", "built", "built"]
    assert "the process building it stopped" in outcomes[1].problems[0].message


def _statuses(done) -> dict[str, str]:
    return dict(re.findall(r"^(\S+)\s+\S+\s+\S+\s+(built|unchanged|failed)\s", done.stdout, re.M))


@pytest.fixture(scope="module")
def incremental(tmp_path_factory):
    """A small run, built once; each test edits one kind of input in its own copy."""
    root = tmp_path_factory.mktemp("incremental") / "project"
    for part in ("layouts", "fonts", "content"):
        copy_tree(REPO / part, root / part)
    for piece in (root / "content" / "pieces").glob("*.md"):
        if piece.stem not in ("to-roi-chuan-ngheo", "to-gap-vi-nguoi-ngheo", "guong-thoat-ngheo",
                              "standee-vi-nguoi-ngheo"):
            piece.unlink()
    unmark_samples(root)  # a clean first build, with nothing to say, is what the fast path remembers
    done = run_cli(root, "build")
    assert done.returncode == 0, done.stderr
    return root


EVERY = {"to-roi-chuan-ngheo", "to-gap-vi-nguoi-ngheo", "standee-vi-nguoi-ngheo",
         "guong-thoat-ngheo--a-thiem", "guong-thoat-ngheo--nguyen-thi-thuy",
         "guong-thoat-ngheo--ro-cham-thuyen", "guong-thoat-ngheo--y-hien"}


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01  # the font's last byte (padding of its last table): still a valid font
    path.write_bytes(bytes(data))


EDITS = {
    "content": (lambda r: _replace(r / "content/pieces/to-roi-chuan-ngheo.md", "Ba mục tiêu chính",
                                   "Ba mục tiêu lớn"), {"to-roi-chuan-ngheo"}),
    "a household": (lambda r: _replace(r / "content/households/y-hien.md", "Bà Y Hiên", "Bà Y Hiên (H'Hiên)"),
                    {"guong-thoat-ngheo--y-hien", "to-gap-vi-nguoi-ngheo"}),
    "a household no piece shows": (lambda r: _replace(r / "content/households/a-thiem.md", "ai thuê gì",
                                                      "ai thuê việc gì"), {"guong-thoat-ngheo--a-thiem"}),
    "site data": (lambda r: _replace(r / "content/data/site.yaml", 'hotline: "1800 6868"',
                                     'hotline: "1800 6869"'), EVERY),
    "layout css": (lambda r: _append(r / "layouts/trifold-a4/style.css", "\n/* edited */\n"),
                   {"to-gap-vi-nguoi-ngheo"}),
    "a base template": (lambda r: _append(r / "layouts/_base/blocks/households.html.j2", "\n"),
                        EVERY),
    "a font": (lambda r: _flip_byte(r / "fonts/NotoSerif-Italic.ttf"), EVERY),
    "an image": (lambda r: _replace(r / "content/images/households/y-hien.svg", "</svg>",
                                    "<!-- edited --></svg>"), {"guong-thoat-ngheo--y-hien",
                                                               "to-gap-vi-nguoi-ngheo"}),
    "the palette": (lambda r: _replace(r / "layouts/palette.toml", "cmyk = [0, 90, 85, 25]",
                                       "cmyk = [0, 92, 85, 25]"), EVERY),
    "the profile": (lambda r: _flip_byte(r / "layouts/_colour/coated-fogra39.icc"), EVERY),
}


@pytest.mark.parametrize("kind", EDITS)
def test_an_edit_rebuilds_exactly_what_depends_on_it(incremental, tmp_path, kind):
    root = tmp_path / "project"
    copy_tree(incremental, root)
    copy_tree(incremental / "dist", root / "dist")
    change, expected = EDITS[kind]
    change(root)
    done = run_cli(root, "build")
    assert done.returncode == 0 and no_traceback(done), done.stderr
    statuses = _statuses(done)
    assert set(statuses) == EVERY
    assert {name for name, status in statuses.items() if status == "built"} == expected, statuses


def test_a_no_change_rebuild_does_not_import_weasyprint(incremental, tmp_path):
    root = tmp_path / "project"
    copy_tree(incremental, root)
    copy_tree(incremental / "dist", root / "dist")
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    done = subprocess.run([sys.executable, "-X", "importtime", str(REPO / "build.py"), "--project",
                           str(root), "build"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert set(_statuses(done).values()) == {"unchanged"}
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert not any(name.startswith(("weasyprint", "leaflets.build.plan", "jinja2")) for name in imported)


def test_a_standing_run_with_warnings_is_a_glance_that_says_them_again(make_project):
    # Sample data warns on every job: the rebuild with no change still skips the plan, and says
    # the warnings again (a fast rebuild must not silence "do not print invented numbers").
    root = make_project({"content/pieces/mot.md": leaflet()}, with_samples=False, sample_marks=True)
    first = run_cli(root, "build")
    assert first.returncode == 0 and "[sample-data]" in first.stderr, first.stderr
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    again = subprocess.run([sys.executable, "-X", "importtime", str(REPO / "build.py"), "--project",
                            str(root), "--lang", "en", "build"], capture_output=True, text=True, env=env)
    assert again.returncode == 0, again.stderr[-2000:]
    assert set(_statuses(again).values()) == {"unchanged"}
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if "|" in line}
    assert not any(name.startswith(("weasyprint", "leaflets.build.plan", "jinja2")) for name in imported)
    said = [line for line in again.stderr.splitlines() if "[sample-data]" in line]
    assert said == [line for line in first.stderr.splitlines() if "[sample-data]" in line]
    quiet = run_cli(root, "build", "--quiet")
    assert quiet.stdout == "" and "[sample-data]" in quiet.stderr and "fill of each panel" not in quiet.stderr


def test_a_file_changed_in_dist_is_built_again(incremental, tmp_path):
    root = tmp_path / "project"
    copy_tree(incremental, root)
    copy_tree(incremental / "dist", root / "dist")
    target = root / "dist" / "print" / "to-roi-chuan-ngheo.pdf"
    target.write_bytes(target.read_bytes()[:1000])  # damaged after its build
    done = run_cli(root, "build")
    assert _statuses(done)["to-roi-chuan-ngheo"] == "built"
    assert {s for n, s in _statuses(done).items() if n != "to-roi-chuan-ngheo"} == {"unchanged"}
    assert run_cli(root, "build", "--force").stdout.count(" built ") == len(EVERY)


def test_outputs_of_a_deleted_piece_move_to_old(incremental, tmp_path):
    root = tmp_path / "project"
    copy_tree(incremental, root)
    copy_tree(incremental / "dist", root / "dist")
    (root / "content" / "pieces" / "standee-vi-nguoi-ngheo.md").unlink()
    partial = run_cli(root, "build", "to-roi-chuan-ngheo")
    assert (root / "dist" / "print" / "standee-vi-nguoi-ngheo.pdf").is_file()  # a partial build moves nothing
    done = run_cli(root, "build")
    assert done.returncode == 0 and partial.returncode == 0
    assert "moved dist/print/standee-vi-nguoi-ngheo.pdf to dist/old/standee-vi-nguoi-ngheo.pdf" in done.stderr
    left = {p.name for p in (root / "dist" / "print").iterdir()}
    assert not any(name.startswith("standee") for name in left)
    assert (root / "dist" / "old" / "standee-vi-nguoi-ngheo.ticket.json").is_file()


def test_shards_merge_into_the_manifest_of_a_whole_build(incremental, tmp_path):
    parts = []
    for k in (1, 2):
        root = tmp_path / f"shard{k}" / "project"
        copy_tree(incremental, root)
        done = run_cli(root, "build", "--shard", f"{k}/2")
        assert done.returncode == 0, done.stderr
        parts.append(root)
    merged = tmp_path / "merged" / "project"
    copy_tree(incremental, merged)
    for part in parts:
        copy_tree(part / "dist", merged / "dist")
    incomplete = run_cli(merged, "merge", str(merged / "dist" / "manifest.shard-1-of-2.json"))
    assert incomplete.returncode == 1 and "shard(s) 2/2 missing" in incomplete.stderr
    done = run_cli(merged, "merge")
    assert done.returncode == 0, done.stderr
    whole = (incremental / "dist" / "manifest.json").read_bytes()
    assert (merged / "dist" / "manifest.json").read_bytes() == whole
    (merged / "dist" / "print" / "to-roi-chuan-ngheo.pdf").write_bytes(b"%PDF-1.6 other")
    tampered = run_cli(merged, "merge")
    assert tampered.returncode == 1 and "not the file its shard built" in tampered.stderr


def test_the_booklet_is_laid_out_once(make_project, monkeypatch):
    calls = count_layouts(monkeypatch)
    root = make_project({"content/pieces/so-tay.md":
                         (REPO / "content" / "pieces" / "so-tay-giam-ngheo.md").read_text(encoding="utf-8")},
                        with_samples=True)
    for piece in (root / "content" / "pieces").glob("*.md"):
        if piece.stem != "so-tay":
            piece.unlink()
    _, results = build(root)
    assert results["so-tay"].status == "built" and results["so-tay"].pages == 24
    # One layout of the piece (the PDF is written from it: engine.py); its filler pages
    # (render/filler.py) laid out on their own and put into the PDF. Its wrapped
    # headings were measured for balance on a skeleton (display type only), not a full layout.
    assert [c for c in calls if c != "skeleton"] == ["layout", "layout"], calls
    assert calls.count("skeleton") <= 1, calls


def test_progress_is_plain_lines_in_a_log_and_nothing_when_quiet(make_project):
    root = make_project({"content/pieces/mot.md": leaflet(), "content/pieces/hai.md": leaflet()},
                        with_samples=False)
    done = run_cli(root, "build", "--force")
    assert re.search(r"^\s+built  mot  \(\d+\.\d\d s\)$", done.stderr, re.M), done.stderr
    quiet = run_cli(root, "build", "--force", "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_preflight_and_proof_are_silent_when_quiet(make_project):
    root = make_project({"content/pieces/mot.md": leaflet()}, with_samples=False)
    assert run_cli(root, "build", "--quiet").returncode == 0
    for command in ("preflight", "proof"):
        done = run_cli(root, command, "--quiet")
        assert done.returncode == 0 and done.stdout == "" and done.stderr == "", (command, done)


def test_progress_on_a_terminal_shows_counts_and_failures(monkeypatch):
    import io

    from leaflets.build import progress
    from leaflets.problems import Problem

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    class Job:
        def __init__(self, name):
            self.name = name

    class Result:
        def __init__(self, name, status):
            self.job, self.status, self.seconds = Job(name), status, 0.1
            self.problems = [Problem(None, None, "hỏng")] if status == "failed" else []

    monkeypatch.setattr(progress, "DELAY", 0.0)
    screen = Terminal()
    jobs = [Job(n) for n in ("a", "b", "c")]
    with progress.Progress(jobs, "building", Path("/"), workers=1, stream=screen) as show:
        import time

        waited = time.monotonic() + 10  # the live line starts on a timer thread: wait for it
        while show._live is None and time.monotonic() < waited:
            time.sleep(0.02)
        show(Result("a", "built"))
        show(Result("b", "failed"))
        show(Result("c", "built"))
    out = screen.getvalue()
    assert "hỏng" in out and "building" in out and "1 failed" in out and "3/3" in out


def test_weasyprint_is_imported_without_starting_compilers():
    script = ("import subprocess, sys\n"
              f"sys.path.insert(0, {str(REPO)!r})\n"
              "started = []\n"
              "real = subprocess.Popen.__init__\n"
              "def counting(self, *a, **k):\n"
              "    started.append(a[0] if a else k.get('args'))\n"
              "    return real(self, *a, **k)\n"
              "subprocess.Popen.__init__ = counting\n"
              "from leaflets.render.engine import import_weasyprint\n"
              "assert import_weasyprint().HTML\n"
              "print(len(started))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"


def test_print_details_are_kept_by_variants(make_project):
    text = RA_SOAT.replace("quantity: 5000", "quantity: 500")
    assert PRINT_DETAILS
    root = make_project({"content/pieces/to-gap-ra-soat.md": text}, with_samples=False)
    _, results = build(root, variants=("xa-tan-lap-son",))
    assert list(results) == ["to-gap-ra-soat--xa-tan-lap-son"]
    ticket = root / "dist" / "print" / "to-gap-ra-soat--xa-tan-lap-son.ticket.json"
    assert '"quantity": 500' in ticket.read_text(encoding="utf-8")
