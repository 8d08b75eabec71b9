"""The poverty standard period by period: chosen by the piece's date, unconfirmed facts marked
and warned about, expired periods refused whatever dash they are written with, periods checked."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from conftest import PRINT_DETAILS, REPO, page_text, run_cli

from leaflets.checks.text import marker_pattern

POVERTY = (REPO / "content" / "data" / "poverty.yaml").read_text(encoding="utf-8")

PIECE = """---
layout: leaflet-a4
title: "Chuẩn nghèo"
{date}{details}---

::: front
## Chuẩn nghèo

{front}

```standard
```
:::

::: back
## Các chỉ số

```indicators
```
:::
"""


def piece(date: str | None = "2026-06-01", front: str = "Chuẩn nghèo đa chiều.") -> str:
    return PIECE.format(date=f"date: {date}\n" if date else "", details=PRINT_DETAILS, front=front)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def planned(root, name="chuan-ngheo"):
    """Read, check and compose without rendering: (plan, the piece's job)."""
    from leaflets.build.plan import plan
    from leaflets.project import Project

    the_plan = plan(Project.at(root), [name])
    return the_plan, next(j for j in the_plan.jobs if j.name == name)


def coded(job, code):
    return [p for p in job.problems if p.code == code]


def project(make_project, text: str, poverty: str | None = None):
    files = {"content/pieces/chuan-ngheo.md": text}
    if poverty is not None:
        files["content/data/poverty.yaml"] = poverty
    return make_project(files, with_samples=False)


# --- the period in force on the piece's date ------------------------------------------

def test_a_piece_dated_2026_shows_the_2022_2025_standard_under_its_extension(make_project):
    _, job = planned(project(make_project, piece("2026-06-01")))
    html = job.composed.html
    assert "1.500.000\u00a0đồng" in html and "2.000.000\u00a0đồng" in html and "3.000.000\u00a0đồng" in html
    assert "2.200.000" not in html
    text = page_text(html)
    assert ("Chuẩn nghèo giai đoạn 2022–2025 tiếp tục được áp dụng đến hết ngày 31 tháng 12 năm 2026 "
            "theo quy định của Chính phủ.") in text
    assert "Theo Nghị định số 07/2021/NĐ-CP" in text
    assert "Người phụ thuộc trong hộ gia đình" in text  # the 12 indicators of 2022–2025
    assert "chưa cập nhật" not in text
    assert [p.format(root=None) for p in job.problems if p.code] == []


def test_a_piece_dated_inside_2022_2025_has_no_extension_line(make_project):
    _, job = planned(project(make_project, piece("2025-06-01")))
    assert "1.500.000\u00a0đồng" in job.composed.html
    assert "tiếp tục được áp dụng" not in page_text(job.composed.html)
    assert [p for p in job.problems if p.code] == []


def test_a_piece_dated_2027_shows_the_2027_2030_thresholds_and_marks_what_is_unconfirmed(make_project):
    _, job = planned(project(make_project, piece("2027-03-01")))
    html = job.composed.html
    assert "2.200.000\u00a0đồng" in html and "2.800.000\u00a0đồng" in html
    for old in ("1.500.000", "2.000.000", "2.250.000", "3.000.000", "07/2021/NĐ-CP"):
        assert old not in page_text(html), old
    # The standard of living is not published for 2027–2030: marked, not borrowed from 2022–2025.
    rows = re.findall(r"<tr><th>(Nông thôn|Thành thị)</th><td>(.*?)</td><td>(.*?)</td></tr>", html)
    plain = [tuple(re.sub(r"<[^>]+>", "", cell) for cell in row) for row in rows]
    assert plain == [("Nông thôn", "2.200.000\u00a0đồng", "chưa cập nhật"),
                     ("Thành thị", "2.800.000\u00a0đồng", "chưa cập nhật")]
    text = page_text(html)
    assert "số hiệu nghị định của Chính phủ chưa cập nhật" in text
    # Nor are its indicators: a line says so instead of the 2022–2025 list.
    assert "Người phụ thuộc trong hộ gia đình" not in text and "service-name" not in html
    assert "áp dụng giai đoạn 2027–2030 chưa cập nhật" in text
    assert "thiếu hụt từ 3 chỉ số" in text  # the poor / near-poor rules are confirmed
    assert coded(job, "data-expired") == []


def test_the_unconfirmed_facts_are_a_warning_naming_them_and_the_data_file(make_project):
    text = piece("2027-03-01")
    _, job = planned(project(make_project, text))
    [found] = coded(job, "data-unconfirmed")
    assert found.severity == "warning" and found.line == line_of(text, "date: 2027")
    period_line = line_of(POVERTY, 'period: "2027–2030"')
    assert f"shows the poverty standard 2027–2030 with facts not confirmed in " \
           f"content/data/poverty.yaml:{period_line}: decree, income.rural.middle_max, " \
           f"income.urban.middle_max, services (source: Huế Ngày nay" in found.message


@pytest.mark.parametrize("block, facts", [
    ("standard", "decree, income.rural.middle_max, income.urban.middle_max ("),
    ("indicators", "poverty.yaml:{line}: services ("),
])
def test_the_warning_names_only_what_the_piece_shows(make_project, block, facts):
    other = "indicators" if block == "standard" else "standard"
    text = piece("2027-03-01").replace(f"```{other}\n```\n", "")
    _, job = planned(project(make_project, text))
    [found] = coded(job, "data-unconfirmed")
    assert facts.format(line=line_of(POVERTY, 'period: "2027–2030"')) in found.message


def test_a_figure_present_but_not_confirmed_is_marked_in_print(make_project):
    poverty = POVERTY.replace("confirmed: [income.rural.poor_max, income.urban.poor_max,",
                              "confirmed: [income.urban.poor_max,")
    assert poverty != POVERTY
    _, job = planned(project(make_project, piece("2027-03-01"), poverty))
    assert "2.200.000\u00a0đồng <span class=\"standard-pending\">(chưa xác nhận)</span>" in job.composed.html
    [found] = coded(job, "data-unconfirmed")
    assert ": decree, income.rural.poor_max, income.rural.middle_max," in found.message


def test_once_every_fact_is_confirmed_there_is_no_warning(make_project):
    poverty = POVERTY.replace(
        '    decree: ""\n    valid_from: 2027-01-01',
        '    decree: "Nghị định thử"\n    valid_from: 2027-01-01').replace(
        "confirmed: [income.rural.poor_max, income.urban.poor_max, poor_rule, near_poor_rule]",
        "confirmed: [decree, income.rural.poor_max, income.urban.poor_max, poor_rule, near_poor_rule]")
    text = piece("2027-03-01").replace("```indicators\n```\n", "")
    _, job = planned(project(make_project, text, poverty))
    assert "Theo Nghị định thử, áp dụng giai đoạn 2027–2030." in page_text(job.composed.html)
    [found] = coded(job, "data-unconfirmed")  # the standard of living is still unknown
    assert ": income.rural.middle_max, income.urban.middle_max (" in found.message


def test_an_undated_piece_shows_the_standard_in_force_on_the_build_date(make_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2027, 3, 1, tzinfo=dt.UTC).timestamp())))
    _, job = planned(project(make_project, piece(None)))
    assert "2.200.000\u00a0đồng" in job.composed.html
    [found] = coded(job, "data-unconfirmed")
    assert found.line == line_of(piece(None), "layout:")


def test_a_date_with_a_time_is_read_as_its_day(make_project):
    _, job = planned(project(make_project, piece("2026-12-31 23:00:00")))
    assert "tiếp tục được áp dụng đến hết ngày 31 tháng 12 năm 2026" in page_text(job.composed.html)
    assert [p for p in job.problems if p.code] == []


# --- data-expired ------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["2021 - 2025", "2021 – 2025", "2021-2025", "2021–2025", "2021 — 2025",
                                     "2021\u00a0–\u00a02025"])
def test_an_expired_programme_period_is_refused_whatever_dash(make_project, written):
    text = piece("2026-06-01", front=f"Chương trình giảm nghèo bền vững giai đoạn {written}.")
    _, job = planned(project(make_project, text))
    [found] = coded(job, "data-expired")
    assert found.is_error and found.line == line_of(text, "date: 2026")
    assert ("shows the programme 2021–2025, valid 01/01/2021–31/12/2025, but the piece is dated "
            "01/06/2026") in found.message


@pytest.mark.parametrize("written", ["2022 - 2025", "2022-2025", "2022 – 2025"])
def test_the_2022_2025_standard_is_refused_after_its_extension(make_project, written):
    text = piece("2027-03-01", front=f"Chuẩn nghèo giai đoạn {written}.")
    _, job = planned(project(make_project, text))
    [found] = coded(job, "data-expired")
    assert "shows the poverty standard 2022–2025, valid 01/01/2022–31/12/2026 (extended from 31/12/2025), " \
           "but the piece is dated 01/03/2027: the standard in force then is 2027–2030" in found.message


@pytest.mark.parametrize("written", ["2022 - 2025", "2022–2025"])
def test_an_expired_period_in_display_type_is_found_too(make_project, written):
    # Headings and subtitles have their syllables joined and wrapped (layout/linebreaks.py).
    text = piece("2027-03-01").replace("## Chuẩn nghèo\n", f"## Chuẩn nghèo giai đoạn {written}\n").replace(
        'title: "Chuẩn nghèo"\n', f'title: "Chuẩn nghèo"\nsubtitle: "Giai đoạn {written}"\n')
    _, job = planned(project(make_project, text))
    assert f"giai đoạn {written}" in page_text(job.composed.html)
    [found] = coded(job, "data-expired")
    assert "shows the poverty standard 2022–2025" in found.message


def test_the_standard_in_force_and_the_next_one_may_be_named(make_project):
    # 2026: 2022–2025 is in force by extension; announcing 2027–2030 is not using an expired period.
    text = piece("2026-06-01", front="Chuẩn nghèo giai đoạn 2022 - 2025 áp dụng đến hết năm 2026; "
                                     "từ năm 2027 áp dụng chuẩn nghèo giai đoạn 2027–2030.")
    _, job = planned(project(make_project, text))
    assert [p for p in job.problems if p.code] == []


def test_a_standard_block_with_no_period_in_force_is_refused(make_project):
    text = piece("2021-06-01")
    _, job = planned(project(make_project, text))
    found = coded(job, "data-expired")
    assert [p.line for p in found] == [line_of(text, "date: 2021")]
    assert "shows the poverty standard 2022–2025 in a standard block, but no period in " \
           "content/data/poverty.yaml is in force on 01/06/2021" in found[0].message


def test_a_standard_block_after_the_last_period_is_refused(make_project):
    _, job = planned(project(make_project, piece("2031-02-01")))
    [found] = coded(job, "data-expired")
    assert "shows the poverty standard 2027–2030, valid 01/01/2027–31/12/2030, but the piece is dated " \
           "01/02/2031: no period in content/data/poverty.yaml is in force then" in found.message


@pytest.mark.parametrize("text, found", [
    ("giai đoạn 2021-2025", True), ("2021 ‑ 2025", True), ("2021 − 2025", True),
    ("giai đoạn 2021/2025", False), ("12021-2025", False), ("2021-20251", False), ("2021 và 2025", False),
])
def test_period_markers_match_any_dash(text, found):
    assert bool(marker_pattern("2021–2025").search(text)) is found


def test_a_decree_marker_matches_across_line_breaks():
    marker = "Nghị định số 07/2021/NĐ-CP ngày 27 tháng 01 năm 2021"
    assert marker_pattern(marker).search("theo Nghị định số 07/2021/NĐ-CP ngày 27\ntháng 01 năm 2021 của")


# --- poverty.yaml checked, with lines ------------------------------------------------------

def plan_problems(make_project, poverty: str) -> list[str]:
    root = project(make_project, piece(), poverty)
    the_plan, _ = planned(root)
    return [p.format(root) for p in the_plan.problems]


def test_overlapping_periods_are_refused_on_the_later_ones_line(make_project):
    poverty = POVERTY.replace("    valid_from: 2027-01-01", "    valid_from: 2026-07-01")
    said = plan_problems(make_project, poverty)
    line, other = line_of(poverty, 'period: "2027–2030"'), line_of(poverty, 'period: "2022–2025"')
    assert said == [f"content/data/poverty.yaml:{line}: period 2027–2030 (01/07/2026–31/12/2030) overlaps "
                    f"period 2022–2025 (01/01/2022–31/12/2026, extension included, line {other}): "
                    "a day can be in one period only; fix the dates"]


def test_a_period_without_valid_from_is_refused_with_its_line(make_project):
    poverty = POVERTY.replace("    valid_from: 2027-01-01\n", "")
    said = plan_problems(make_project, poverty)
    line = line_of(poverty, 'period: "2027–2030"')
    assert said == [f"content/data/poverty.yaml:{line}: periods[1].valid_from: missing "
                    f"(required: a date (YYYY-MM-DD))"]


@pytest.mark.parametrize("old, new, needle, expected", [
    ("confirmed: [income.rural.poor_max,", "confirmed: [income.rural.poor_maxx,", "poor_maxx",
     r"periods\[1\]\.confirmed: income\.rural\.poor_maxx: not a fact of a period \(known: decree, "),
    ("confirmed: [income.rural.poor_max,", "confirmed: [services, income.rural.poor_max,", "[services,",
     r"periods\[1\]\.confirmed: services is listed as confirmed but has no value"),
    ("      valid_to: 2026-12-31", "      valid_to: 2025-06-30", "valid_to: 2025-06-30",
     r"periods\[0\]\.extension\.valid_to: 30/06/2025 does not come after valid_to \(31/12/2025\)"),
    ("    valid_to: 2030-12-31", "    valid_to: 2026-12-31\n    # x", "valid_to: 2026-12-31\n    # x",
     r"periods\[1\]\.valid_to: 31/12/2026 is before valid_from \(01/01/2027\)"),
])
def test_period_facts_and_dates_are_checked(make_project, old, new, needle, expected):
    poverty = POVERTY.replace(old, new, 1)
    assert poverty != POVERTY
    said = plan_problems(make_project, poverty)
    line = line_of(poverty, needle)
    assert any(re.fullmatch(rf"content/data/poverty\.yaml:{line}: {expected}.*", s) for s in said), said


# --- the whole way: a print file and the command line ---------------------------------------

def test_a_2027_piece_builds_with_the_warning_and_prints_the_new_thresholds(make_project):
    root = project(make_project, piece("2027-03-01"))
    done = run_cli(root, "build")
    assert done.returncode == 0, done.stderr
    assert re.search(r"^content/pieces/chuan-ngheo\.md:\d+: warning: \[data-unconfirmed\] .*"
                     r"content/data/poverty\.yaml:\d+: decree", done.stderr, re.M), done.stderr
    text = subprocess.run(["pdftotext", str(root / "dist" / "print" / "chuan-ngheo.pdf"), "-"],
                          capture_output=True, text=True).stdout
    assert "2.200.000" in text and "2.800.000" in text and "chưa cập nhật" in text
    assert "1.500.000" not in text
