"""Small pieces: Vietnamese formats, schemas with line numbers, front matter, slots."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from leaflets import vi
from leaflets.content.frontmatter import split
from leaflets.content.markdown import parser, split_slots
from leaflets.content.schema import check, f
from leaflets.content.yaml_load import load_yaml
from leaflets.problems import ContentError


def test_numbers_money_and_dates():
    assert vi.number(1234567) == "1.234.567"
    assert vi.number(2.5, 1) == "2,5"
    assert vi.decimal(29.7) == "29,7"
    assert vi.decimal(21.0) == "21"
    assert vi.money(1500000) == "1.500.000\u00a0đồng"
    assert vi.date(dt.date(2022, 9, 8)) == "ngày 08 tháng 9 năm 2022"
    assert vi.date(dt.date(2022, 1, 18)) == "ngày 18 tháng 01 năm 2022"
    assert vi.date(dt.date(2021, 12, 25)) == "ngày 25 tháng 12 năm 2021"
    assert vi.size_cm(297, 210) == "29,7\u00a0×\u00a021\u00a0cm"


SCHEMA = {
    "title": f(str, required=True),
    "print": f(dict, schema={"quantity": f(int, default=None)}),
}


def test_schema_reports_all_problems_with_lines():
    text = "titel: x\nprint:\n  quantity: many\n  colour: 4/4\n"
    value, lines = load_yaml(text, Path("p.md"), first_line=2)
    checked = check(value, SCHEMA, Path("p.md"), lines)
    said = sorted(p.format() for p in checked.problems)
    assert said == [
        "p.md: title: missing (required: text)",
        "p.md:2: warning: titel: unknown key (known: title, print)",
        "p.md:4: print.quantity: expected a whole number, got 'many'",
        "p.md:5: warning: print.colour: unknown key (known: quantity)",
    ]


def test_front_matter_errors():
    with pytest.raises(ContentError, match="no front matter"):
        split("# just markdown\n", Path("a.md"))
    with pytest.raises(ContentError, match="not closed"):
        split("---\ntitle: x\n", Path("a.md"))
    with pytest.raises(ContentError, match="must be YAML keys and values"):
        split("---\n- a\n- b\n---\n", Path("a.md"))
    doc = split("---\ntitle: x\n---\nbody\n", Path("a.md"))
    assert doc.meta == {"title": "x"} and doc.body_line == 4 and doc.body == "body\n"


def test_slots_are_top_level_containers_with_lines():
    body = "::: cover\n# A\n:::\n\n::: back\ntext\n:::\n"
    parts = split_slots(parser().parse(body), first_line=5)
    assert list(parts.slots) == ["cover", "back"]
    assert parts.slots["cover"].line == 5 and parts.slots["back"].line == 9
    assert parts.stray == [] and parts.outside == []


def test_unclosed_slot_swallowing_the_next_is_reported():
    body = "::: cover\ntext\n\n::: back\nmore\n:::\n"
    parts = split_slots(parser().parse(body), first_line=1)
    assert parts.stray and "slot 'back' starts inside slot 'cover'" in str(parts.stray[0][1])
    assert parts.stray[0][0] == 4


def test_duplicate_slot_is_reported():
    body = "::: cover\na\n:::\n::: cover\nb\n:::\n"
    parts = split_slots(parser().parse(body), first_line=1)
    assert "slot 'cover' appears twice (first at line 1)" in str(parts.stray[0][1])
