"""The staff guide (docs/huong-dan.md) stays true to the tool it describes."""

from __future__ import annotations

import re

from conftest import REPO, _cli

from leaflets.checks.codes import CHECKS

GUIDE = (REPO / "docs" / "huong-dan.md").read_text(encoding="utf-8")


def test_the_readme_links_the_guide_first():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.index("docs/huong-dan.md") < readme.index("## Quick start")


def test_every_preflight_code_is_explained_in_the_guide():
    missing = [check.code for check in CHECKS if f"`{check.code}`" not in GUIDE]
    assert missing == [], "explain these codes in docs/huong-dan.md §10"


def test_the_guide_names_no_code_the_tool_does_not_have():
    section = GUIDE[GUIDE.index("## 10."):GUIDE.index("## 11.")]
    named = set(re.findall(r"^\| `([a-z-]+)` \|", section, re.M))
    assert named and named <= {check.code for check in CHECKS}


def test_the_commands_of_the_guide_are_commands_of_the_tool():
    cli = _cli()
    used = set(re.findall(r"python build\.py (?:--lang \w+ )?([a-z]+)", GUIDE))
    assert used and used <= set(cli.commands), used - set(cli.commands)


def test_the_pictures_and_links_of_the_guide_exist():
    prose = re.sub(r"```.*?```|`[^`\n]*`", "", GUIDE, flags=re.S)  # not the examples in code
    for target in re.findall(r"\]\(((?!https?:|#)[^)]+)\)", prose):
        assert (REPO / "docs" / target).exists(), target
