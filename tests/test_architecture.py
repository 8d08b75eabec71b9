"""The package's shape: stages import only downward, no cycle, WeasyPrint's internals in one file.

Every import counts, also those inside functions (imported late for speed,
but a dependency all the same).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "leaflets"
# The flow, bottom to top: a stage may import its own modules and any stage below it.
STAGES = ("content", "layout", "render", "press", "checks", "review", "build")
BASE = 0  # problems, project, clock, atomic, vi: below every stage
MAX_LINES = 420  # "no module over about 400 lines"
TREE_MODULE = "leaflets.render.tree"
# Names that only WeasyPrint's private layout tree has.
INTERNALS = ("_page_box", "formatting_structure", "get_intrinsic_size", "border_box_x",
             "content_box_x", "margin_height()", "element_tag", "position_x")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path) -> set[str]:
    """Every leaflets module `name` imports (absolute names), wherever the import statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    known = modules()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("leaflets"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("leaflets"):
                continue
            for alias in node.names:  # `from . import images` imports a module
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in known else target)
    return found


def rank(name: str) -> int:
    parts = name.split(".")
    if len(parts) >= 2 and parts[1] in STAGES:
        return STAGES.index(parts[1]) + 1
    return BASE


def stage(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) >= 2 and parts[1] in STAGES else "base"


def graph() -> dict[str, set[str]]:
    return {name: imports_of(name, path) for name, path in modules().items()}


def test_stages_import_only_downward():
    upward = []
    for name, targets in graph().items():
        for target in targets:
            if target == "leaflets" and name != "leaflets":
                continue  # the package's __init__: __version__ only
            if rank(target) > rank(name) or (rank(target) == rank(name) and stage(target) != stage(name)):
                upward.append(f"{name} imports {target}")
    assert not upward, upward


def test_no_import_cycle():
    edges = graph()
    state: dict[str, int] = {}  # 1 visiting, 2 done
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if target == node or target not in edges:
                continue
            if state.get(target) == 1:
                cycles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert not cycles, cycles


def test_the_checker_sees_an_upward_import_and_a_cycle(tmp_path, monkeypatch):
    """The two tests above can fail: a fake package with both faults trips them."""
    fake = tmp_path / "leaflets"
    (fake / "content").mkdir(parents=True)
    (fake / "build").mkdir()
    for folder in (fake, fake / "content", fake / "build"):
        (folder / "__init__.py").write_text("")
    (fake / "content" / "a.py").write_text("from ..build import b\n")
    (fake / "build" / "b.py").write_text("from ..content import a\n")
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    with pytest.raises(AssertionError, match="leaflets.content.a imports leaflets.build.b"):
        test_stages_import_only_downward()
    with pytest.raises(AssertionError, match="leaflets.content.a -> leaflets.build.b"):
        test_no_import_cycle()


def test_weasyprint_internals_only_in_the_tree_module():
    readers = {}
    for name, path in modules().items():
        if name == TREE_MODULE:
            continue
        text = path.read_text(encoding="utf-8")
        used = [word for word in INTERNALS if word in text]
        if used:
            readers[name] = used
    assert not readers, readers


def test_the_pin_names_the_tree_module():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'weasyprint==' in pyproject
    assert "leaflets/render/tree.py" in pyproject


def test_modules_are_small_and_the_cli_is_thin():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long
    assert len((REPO / "build.py").read_text(encoding="utf-8").splitlines()) < 500


def test_the_readme_architecture_names_every_stage_module():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in modules()
               if name.count(".") == 2 and not name.endswith("__init__")
               and f"{name.split('.', 1)[1].replace('.', '/')}.py" not in section]
    assert not missing, missing
    for folder in STAGES:
        assert f"{folder}/" in section
