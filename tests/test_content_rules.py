"""Content rules: raw HTML, attributes and would-be fields are errors on their line; good content is
untouched; sample data in a print run warns, in the summary and on the job ticket; the README's
typographic replacements are what the renderer does."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, page_text, run_cli
from hostile import leaflet, line_of

from leaflets.build.plan import plan
from leaflets.content.markdown import parse, render
from leaflets.content.rules import ATTRIBUTES, KIND_NAMES, syntax_of
from leaflets.project import Project

README = (REPO / "README.md").read_text(encoding="utf-8")
RULES = README.split("### Content rules", 1)[1].split("\n## ", 1)[0]
HOUSEHOLD = """---
name: "Hộ bà Thử"
commune: "xã Thử"
left_poverty: 2024
{extra}---

{story}
"""


def planned(make_project, pieces: dict[str, str], files: dict[str, str] | None = None):
    """Plan (load, check, compose; no rendering) a project of these pieces: (root, the plan)."""
    root = make_project({**{f"content/pieces/{name}.md": text for name, text in pieces.items()},
                         **(files or {})}, with_samples=False)
    return root, plan(Project.at(root))


def said(root: Path, the_plan, name: str | None = None) -> list[str]:
    """Every problem of the named job (or of the plan itself), as the user reads it."""
    problems = the_plan.problems if name is None else \
        next(job for job in the_plan.jobs if job.name == name).problems
    return [p.format(root) for p in problems]


def composed(the_plan, name: str) -> str:
    job = next(job for job in the_plan.jobs if job.name == name)
    assert job.composed is not None, [p.format() for p in job.problems]
    return job.composed.html


# --- 1. raw HTML ---------------------------------------------------------------------------

HTML = {
    "br": ("Dòng một<br>dòng hai.", "<br>", r"raw HTML <br> is not allowed in content: for a new line in "
           r"the same paragraph, end the line with a backslash \(\\\); for a new paragraph, leave a blank"),
    "span": ('Chữ <span style="color:red">đỏ</span> ở đây.', "<span", r'raw HTML <span style="color:red"> '
             r"is not allowed in content: type, colour and size come from the layout: put a class such "
             r"as \{\.lead\} on the line before the block"),
    "img": ('<img src="../images/cover-village.svg" width="50%">', "<img", r'raw HTML <img src="\.\./images/'
            r'cover-village\.svg" width="50%"> is not allowed in content: write !\[what the picture shows\]'),
    "comment": ("<!-- ghi chú: chờ số liệu -->", "<!--", r"raw HTML <!-- … --> is not allowed in content: a "
                r"comment would print on the page: delete it \(keep notes in the front matter"),
    "div": ("<div>\nMột đoạn.\n</div>", "<div>", r"raw HTML <div> is not allowed in content: leave a blank "
            r"line between paragraphs"),
    "bold": ("Một đoạn\ncó chữ <b>đậm</b> ở dòng hai.", "<b>", r"raw HTML <b> is not allowed in content: "
             r"write \*\*bold\*\*"),
}


def test_raw_html_is_an_error_naming_the_tag_and_what_to_write(make_project):
    pieces = {name: leaflet(front=markdown) for name, (markdown, _, _) in HTML.items()}
    root, the_plan = planned(make_project, pieces)
    for name, (_, needle, message) in HTML.items():
        lines = said(root, the_plan, name)
        where = f"content/pieces/{name}.md:{line_of(pieces[name], needle)}"
        assert len(lines) == 1 and re.match(rf"{re.escape(where)}: {message}", lines[0]), lines


def test_html_that_is_not_raw_html_is_untouched(make_project):
    text = leaflet(front="Viết \\<br> như chữ, `<span>` trong mã, 5 < 6 > 4, <https://sonnguyen.gov.vn> "
                         "và <giamngheo@sonnguyen.gov.vn>.\n\nDòng một\\\ndòng hai.")
    root, the_plan = planned(make_project, {"to": text})
    assert said(root, the_plan, "to") == []
    html = composed(the_plan, "to")
    assert "Viết &lt;br&gt; như chữ, <code>&lt;span&gt;</code> trong mã, 5 &lt; 6 &gt; 4, " \
           '<a href="https://sonnguyen.gov.vn">https://sonnguyen.gov.vn</a>' in html
    assert 'href="mailto:giamngheo@sonnguyen.gov.vn"' in html
    assert "Dòng một<br />\ndòng hai." in html


def test_raw_html_in_a_households_story_is_an_error_on_its_line(make_project):
    story = "Gia đình bà sống ở xã Thử.\n\nNăm 2024<br>bà thoát nghèo."
    text = HOUSEHOLD.format(extra="", story=story)
    root, the_plan = planned(make_project, {}, {"content/households/thu.md": text})
    assert any(line.startswith(f"content/households/thu.md:{line_of(text, '<br>')}: raw HTML <br>")
               for line in said(root, the_plan)), said(root, the_plan)


# --- 2. attributes ---------------------------------------------------------------------------

ATTRS = {
    "height": ("{height=50mm}\n![Làng](../images/cover-village.svg)", "{height",
               r"\{height=50mm\} cannot be set on an image, only \{\.class\}, \{width=…\}, \{align=…\} "
               r"\(see “Content rules” in the README\)"),
    "width": ("{width=50%}\nĐoạn văn.", "{width",
              r"\{width=50%\} cannot be set on a paragraph, only \{\.class\}"),
    "lang": ("{lang=bdq}\nKon Rơ̆ Hŏk.", "{lang",
             r"\{lang=bdq\} cannot be set on a paragraph, only \{\.class\}"),
    "id": ("{#muc-tieu}\n### Mục tiêu", "{#", r"\{#muc-tieu\} cannot be set on a heading, only \{\.class\}"),
    "style": ('{.lead style="color: red"}\nĐoạn mở đầu.', "{.lead",
              r'\{style="color: red"\} cannot be set on a paragraph, only \{\.class\}'),
    "alone": ("Đoạn cuối.\n\n{.lead}", "{.lead}",
              r"\{\.lead\} has no block after it: put it on the line just before the paragraph"),
    "inline": ("![Làng](../images/cover-village.svg){width=50%}", "{width",
               r"\{width=50%\} would print as text: attributes go alone on the line before a block, after a "
               r"blank line \(supported: \{\.class\}, \{width=…\}, \{align=…\}\)"),
    "heading": ("### Mục tiêu {#muc-tieu}", "{#", r"\{#muc-tieu\} would print as text"),
    "kramdown": ("Đoạn một\ncòn tiếp.\n{: .lead}", "{:", r"\{: \.lead\} would print as text"),
    "fence": ("{.callout}\n```contact\n```", "{.callout}",
              r"\{\.callout\}: a fenced block \(```\) takes no attributes; delete the line"),
}


def test_attributes_the_project_does_not_read_are_errors_on_their_line(make_project):
    pieces = {name: leaflet(front=markdown) for name, (markdown, _, _) in ATTRS.items()}
    root, the_plan = planned(make_project, pieces)
    for name, (_, needle, message) in ATTRS.items():
        lines = said(root, the_plan, name)
        where = f"content/pieces/{name}.md:{line_of(pieces[name], needle)}"
        assert len(lines) == 1 and re.match(rf"{re.escape(where)}: {message}", lines[0]), (name, lines)


def test_attributes_on_a_slot_are_an_error(make_project):
    text = leaflet().replace("::: back", "{.callout}\n::: back")
    root, the_plan = planned(make_project, {"to": text})
    where = f"content/pieces/to.md:{line_of(text, '{.callout}')}"
    assert said(root, the_plan, "to") == [f"{where}: {{.callout}}: a slot (:::) takes no attributes; "
                                          "delete the line"]


def test_supported_attributes_reach_the_page(make_project):
    text = leaflet(front="{.lead}\nĐoạn mở đầu.\n\n{.lead .callout}\n\nĐoạn nổi bật.\n\n"
                         "{.figures}\n- một\n- hai\n\n{.callout}\n### Mục tiêu\n\n"
                         "{.callout}\n![Làng](../images/cover-village.svg)")
    root, the_plan = planned(make_project, {"to": text})
    assert said(root, the_plan, "to") == []
    html = composed(the_plan, "to")
    assert '<p class="lead">Đoạn mở đầu.</p>' in html
    assert '<p class="lead callout">Đoạn nổi bật.</p>' in html
    assert '<ul class="figures">' in html
    # a heading's words are in <span class="w">, joined by no-break spaces (layout/linebreaks.py)
    heading = re.search(r'<h3 class="callout" id="muc-tieu"[^>]*>(.*?)</h3>', html)
    assert heading and page_text(heading.group(1)) == "Mục tiêu", html
    assert re.search(r'<p class="callout"><img src="[^"]*cover-village.svg" alt="Làng" /></p>', html)


def test_the_readme_lists_the_supported_attributes_of_each_kind_of_block():
    rows = dict(re.findall(r"^\| (an? [^|]+?) \| ([^|]+?) \|$", RULES, re.M))
    for kind, names in ATTRIBUTES.items():
        row = next((v for k, v in rows.items() if k.startswith(KIND_NAMES[kind])), None)
        assert row is not None, kind
        assert sorted(re.findall(r"`([^`]+)`", row)) == sorted(syntax_of(n) for n in names), (kind, row)


# --- 3. what looks like a field but is not one -----------------------------------------------

FIELDS = {
    "filter": ("Xin gọi {{ site.agency.hotline | upper }}.", "{{ site",
               r"“\{\{ site\.agency\.hotline \| upper \}\}” is not a field: write a name from the data, "
               r"such as \{\{ site\.agency\.hotline \}\} \(no expressions, filters or tags\)"),
    "half": ("Đoạn một\ncòn tiếp\nxin gọi {{site.agency.hotline} nhé.", "{{site",
             r"“\{\{site\.agency\.hotline\}” is half a field: write a field with two braces on each side"),
    "sum": ("Có {{ 1 + 2 }} bước.", "{{ 1", r"“\{\{ 1 \+ 2 \}\}” is not a field"),
    "tag": ("{% if xa.name %}Xin chào{% endif %}", "{% if", r"“\{% if xa\.name %\}” is a template tag, which "
            r"content does not have: it would print as written"),
    "single": ("Gọi {site.agency.hotline}.", "{site",
               r"“\{site\.agency\.hotline\}” has one brace on each side"),
}


def test_what_looks_like_a_field_but_is_not_is_an_error_on_its_line(make_project):
    pieces = {name: leaflet(front=markdown) for name, (markdown, _, _) in FIELDS.items()}
    root, the_plan = planned(make_project, pieces)
    for name, (_, needle, message) in FIELDS.items():
        lines = said(root, the_plan, name)
        where = f"content/pieces/{name}.md:{line_of(pieces[name], needle)}"
        assert lines and all(line.startswith(where) for line in lines), (name, lines)
        assert re.match(rf"{re.escape(where)}: {message}", lines[0]), (name, lines)


def test_a_field_in_the_title_or_a_households_front_matter(make_project):
    piece = leaflet().replace('title: "Tờ rơi thử"', 'title: "Tờ rơi {{ piece.name | upper }}"')
    household = HOUSEHOLD.format(extra='summary: "Gọi {{ site.agency.hotline }} để biết thêm."\n',
                                 story="Câu chuyện.")
    root, the_plan = planned(make_project, {"to": piece}, {"content/households/thu.md": household})
    assert said(root, the_plan, "to") == [
        f"content/pieces/to.md:{line_of(piece, 'title:')}: “{{{{ piece.name | upper }}}}” is not a field: "
        "write a name from the data, such as {{ site.agency.hotline }} (no expressions, filters or tags)"]
    where = f"content/households/thu.md:{line_of(household, 'summary:')}"
    assert f"{where}: summary: “{{{{ site.agency.hotline }}}}” would print as written: fields are filled " \
           "in only in the story (the Markdown after the front matter)" in said(root, the_plan)


def test_good_fields_are_filled_in(make_project):
    text = leaflet(front="Gọi {{ site.agency.hotline }} ({{ piece.title }}).")
    root, the_plan = planned(make_project, {"to": text})
    assert said(root, the_plan, "to") == []
    assert "Gọi 1800 6868 (Tờ rơi thử)." in page_text(composed(the_plan, "to"))


# --- 4. sample data in a print run -------------------------------------------------------------

def test_the_repositorys_invented_data_is_marked():
    site = (REPO / "content" / "data" / "site.yaml").read_text(encoding="utf-8")
    assert re.search(r"^sample: true$", site, re.M)
    communes = (REPO / "content" / "data" / "communes.yaml").read_text(encoding="utf-8")
    assert communes.count("\n- name:") == len(re.findall(r"^  sample: true\b", communes, re.M)) == 5
    for household in (REPO / "content" / "households").glob("*.md"):
        assert "\nsample: true\n" in household.read_text(encoding="utf-8"), household.name


def test_every_print_job_of_the_sample_run_warns_of_its_sample_data(make_project):
    root = make_project(sample_marks=True)
    site_line = line_of((root / "content/data/site.yaml").read_text(encoding="utf-8"), "\nsample: true") + 1
    communes = (root / "content/data/communes.yaml").read_text(encoding="utf-8")
    ia_hru = line_of(communes, 'name: "Xã Ia Hrú"') + 2
    the_plan = plan(Project.at(root))
    warned = {}
    for job in the_plan.jobs:
        found = [p for p in job.problems if p.code == "sample-data"]
        assert len(found) == 1 and found[0].severity == "warning", (job.name, found)
        warned[job.name] = found[0].format(root)
        assert f"content/data/site.yaml:{site_line}" in warned[job.name]
    assert warned["to-gap-ra-soat--xa-ia-hru"] == (
        "content/pieces/to-gap-ra-soat.md: warning: [sample-data] made with sample data (invented names, "
        f"addresses, phone numbers): content/data/site.yaml:{site_line}; content/data/communes.yaml:{ia_hru} "
        "(Xã Ia Hrú); replace it with the real data and delete its “sample: true” before printing")
    assert "content/households/y-hien.md:15 (Hộ bà Y Hiên)" in warned["to-gap-vi-nguoi-ngheo"]
    assert "a-thiem" not in warned["to-gap-vi-nguoi-ngheo"]  # a household the piece does not show
    assert "households" not in warned["to-roi-chuan-ngheo"]
    # a build for screens is not a print run; --strict stops a print run that has sample data
    screen = plan(Project.at(root), ["to-roi-chuan-ngheo"], colour="rgb")
    assert not [p for p in screen.jobs[0].problems if p.code == "sample-data"]
    strict = plan(Project.at(root), ["to-roi-chuan-ngheo"], strict=True)
    assert [p.severity for p in strict.jobs[0].problems if p.code == "sample-data"] == ["error"]


def test_unmarked_data_gives_no_sample_warning(make_project):
    root, the_plan = planned(make_project, {"to": leaflet()})
    assert not [p for p in the_plan.jobs[0].problems if p.code == "sample-data"]


def test_sample_data_is_in_the_build_summary_and_on_the_job_ticket(make_project):
    root = make_project({"content/pieces/to.md": leaflet()}, with_samples=False, sample_marks=True)
    site_line = line_of((root / "content/data/site.yaml").read_text(encoding="utf-8"), "\nsample: true") + 1
    done = run_cli(root, "build")
    assert done.returncode == 0, done.stderr
    assert re.search(rf"^content/pieces/to.md: warning: \[sample-data\] made with sample data .*"
                     rf"content/data/site.yaml:{site_line}; replace it", done.stderr, re.M), done.stderr
    out = root / "dist" / "print"
    assert json.loads((out / "to.ticket.json").read_text(encoding="utf-8"))["sample_data"] == \
        ["content/data/site.yaml"]
    text = " ".join(subprocess.run(["pdftotext", str(out / "to.ticket.pdf"), "-"], capture_output=True,
                                   text=True).stdout.split())
    assert "DỮ LIỆU MẪU" in text and "content/data/site.yaml" in text and "chưa in" in text
    report = json.loads((root / "dist" / "preflight.json").read_text(encoding="utf-8"))
    assert [f["code"] for f in report["pieces"][0]["findings"]] == ["sample-data"]


def test_a_ticket_without_sample_data_has_no_such_line(tmp_path):
    from leaflets.press.ticket import Ticket, ticket_pdf

    fonts = REPO / "fonts"
    regular = next(fonts.rglob("NotoSans-Regular.ttf"))
    bold = next(fonts.rglob("NotoSans-Bold.ttf"))
    ticket = Ticket("to", "Tờ rơi", "1", "2025-10-10", {"name": "Sở"}, 1000, (210, 297), 3, 1, 2, "4/4",
                    "Couché", "FOGRA39", "profile.icc", 300, [], "theo thỏa thuận", "", "", "")
    (tmp_path / "t.pdf").write_bytes(ticket_pdf(ticket, regular, bold))
    text = subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True).stdout
    assert "PHIẾU YÊU CẦU IN" in text and "MẪU" not in text
    assert json.loads(ticket.json())["sample_data"] == []


# --- 5. typographic replacements, as the README lists them -----------------------------------------

def typography_rows() -> list[tuple[str, str]]:
    table = RULES.split("Typographic replacements", 1)[1]
    return re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|", table, re.M)


def test_the_readme_lists_the_typographic_replacements():
    assert len(typography_rows()) >= 10


@pytest.mark.parametrize("typed, printed", typography_rows())
def test_each_typographic_replacement_is_what_the_renderer_does(typed, printed):
    tokens, broken = parse(typed)
    assert broken == []
    assert render(tokens, {}) == f"<p>{printed}</p>\n"


def test_no_replacement_in_code():
    tokens, _ = parse('`"..." -- (c)`')
    assert render(tokens, {}) == '<p><code>&quot;...&quot; -- (c)</code></p>\n'
