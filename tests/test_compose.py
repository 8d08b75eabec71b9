"""Composed HTML: golden files, slots, data blocks, generated geometry."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, page_text

from leaflets.build.plan import plan
from leaflets.project import Project

GOLDEN = REPO / "tests" / "golden"


@pytest.fixture(scope="module")
def repo_plan():
    return plan(Project.at(REPO))


JOBS = sorted(j.name for j in plan(Project.at(REPO)).jobs)


@pytest.mark.parametrize("name", JOBS)
def test_composed_html_matches_golden(repo_plan, name, request):
    """Regenerate with: python -m pytest tests/test_compose.py --update-golden"""
    job = next(j for j in repo_plan.jobs if j.name == name)
    assert job.ok, [p.format() for p in job.problems]
    html = job.composed.html
    golden = GOLDEN / f"{name}.html"
    if request.config.getoption("--update-golden"):
        golden.write_text(html, encoding="utf-8")
    assert golden.is_file(), "no golden file: run pytest with --update-golden"
    assert html == golden.read_text(encoding="utf-8"), \
        f"{name}: composed HTML changed; if intended, run pytest --update-golden and review the diff"


def test_html_declares_utf8_and_language(repo_plan):
    for job in repo_plan.jobs:
        head = job.composed.html[:400]
        assert '<meta charset="utf-8">' in head
        assert '<html lang="vi">' in head


def test_no_machine_path_in_composed_html(repo_plan):
    for job in repo_plan.jobs:
        assert str(REPO) not in job.composed.html
        assert "file:" not in job.composed.html


def test_site_data_reaches_templates_not_typed_in_layouts(repo_plan):
    site = (REPO / "content" / "data" / "site.yaml").read_text(encoding="utf-8")
    hotline = "1800 6868"
    assert hotline in site
    for job in repo_plan.jobs:
        if job.variant is not None and "contact" in job.variant.overrides:  # a commune's own contact
            assert job.variant.overrides["contact"]["hotline"] in page_text(job.composed.html)
            continue
        assert hotline in page_text(job.composed.html)
    for path in (REPO / "layouts").rglob("*"):
        if path.is_file() and path.suffix in (".j2", ".css", ".toml"):
            text = path.read_text(encoding="utf-8")
            assert hotline not in text and "Sơn Nguyên" not in text, path


def test_households_block_pulls_households_by_query(make_project):
    piece = (REPO / "content" / "pieces" / "to-gap-vi-nguoi-ngheo.md").read_text(encoding="utf-8")
    piece = piece.replace("limit: 2", 'name: "Hộ bà Y Hiên"')
    root = make_project({"content/pieces/to-gap-vi-nguoi-ngheo.md": piece})
    the_plan = plan(Project.at(root), ["to-gap-vi-nguoi-ngheo"])
    html = the_plan.jobs[0].composed.html
    assert 'id="household-y-hien"' in html
    assert html.count('class="household"') == 1
    assert str(root / "content" / "households" / "y-hien.md") in \
        {str(p) for p in the_plan.jobs[0].inputs}


def test_text_is_nfc_after_loading_nfd_input(make_project):
    import unicodedata

    piece = (REPO / "content" / "pieces" / "to-roi-chuan-ngheo.md").read_text(encoding="utf-8")
    nfd = unicodedata.normalize("NFD", piece)
    assert nfd != piece
    root = make_project({"content/pieces/to-roi-chuan-ngheo.md": nfd})
    job = plan(Project.at(root), ["to-roi-chuan-ngheo"]).jobs[0]
    assert job.ok
    assert unicodedata.is_normalized("NFC", job.composed.html)
    assert "Giảm nghèo" in job.composed.html


def test_number_and_unit_are_joined_by_no_break_space(repo_plan):
    job = next(j for j in repo_plan.jobs if j.name == "to-roi-chuan-ngheo")
    assert "1.500.000\u00a0đồng" in job.composed.html
    assert "90%" in job.composed.html


def test_geometry_css_comes_from_layout_toml(repo_plan):
    job = next(j for j in repo_plan.jobs if j.name == "to-gap-vi-nguoi-ngheo")
    html = job.composed.html
    assert "@page { size: 297mm 210mm; bleed: 3mm; marks: none; margin: 0; }" in html
    assert ".panel--flap { left: 0mm; width: 97mm;" in html
    assert ".panel--back { left: 97mm; width: 100mm;" in html
    assert ".panel--cover { left: 197mm; width: 100mm;" in html
    assert ".panel--inside-3 { left: 200mm; width: 97mm;" in html
    for css in (REPO / "layouts").rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for rule in re.findall(r"@page[^{]*\{((?:[^{}]|\{[^{}]*\})*)\}", text):
            top_level = re.sub(r"@[a-z-]+\s*\{[^{}]*\}", "", rule)  # margin boxes may style
            for prop in ("size", "bleed", "marks", "margin"):
                assert not re.search(rf"(^|[;\s]){prop}(-[a-z]+)?\s*:", top_level), \
                    f"{css}: page geometry ({prop}) belongs in layout.toml"


def test_every_golden_file_is_a_job_of_the_sample():
    assert sorted(p.stem for p in GOLDEN.glob("*.html")) == JOBS
