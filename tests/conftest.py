"""Shared fixtures: temporary projects built from the repository's own parts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# The tests read the tool's messages in English (its own words; the Vietnamese
# catalog is tested in tests/test_i18n.py): the locale of a user who asks for it.
for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "en_US.UTF-8"

from leaflets.layout.fonts import confine_fontconfig  # noqa: E402

# Confine fontconfig before anything imports WeasyPrint, once per test session.
_CACHE = Path(os.environ.get("LEAFLETS_TEST_CACHE", "/tmp")) / f"leaflets-test-fc-{os.getpid()}"
confine_fontconfig(REPO / "fonts", _CACHE)


# What a test piece needs in its front matter to be printable: the job ticket asks for it.
PRINT_DETAILS = ('print:\n  quantity: 1000\n  paper: "Couché 150 g/m²"\n'
                 '  licence: "Giấy phép thử số 1/GP-STTTT"\n')


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/*.html from the current output")


def copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "dist", ".git"))


SAMPLE_MARK = re.compile(r"^[ \t]*sample:[ \t]*true\b.*\n", re.M)


def unmark_samples(root: Path) -> None:
    """The repository's invented data say `sample: true`, and a print job made with them warns
    [sample-data]. A test project stands for a real one: its copy of that data is unmarked, so
    that a test sees the findings it is about (tests/test_content_rules.py keeps the marks)."""
    content = root / "content"
    for path in [*content.glob("data/*.yaml"), *content.glob("households/*.md")]:
        text = path.read_text(encoding="utf-8")
        if SAMPLE_MARK.search(text):
            path.write_text(SAMPLE_MARK.sub("", text), encoding="utf-8")


@pytest.fixture
def make_project(tmp_path):
    """make_project(files={...}, with_samples=True, pieces=None, sample_marks=False) -> Path.

    The project has the repository's layouts, fonts and data; sample pieces
    (only those named in `pieces`, when given) and households when
    `with_samples`; `files` maps relative paths to text
    (str) or bytes, overriding or adding files. The data's `sample: true`
    marks are removed unless `sample_marks` (see unmark_samples).
    """

    def make(files: dict[str, str | bytes] | None = None, with_samples: bool = True,
             name: str = "project", pieces: tuple[str, ...] | None = None,
             sample_marks: bool = False) -> Path:
        root = tmp_path / name
        for part in ("layouts", "fonts"):
            copy_tree(REPO / part, root / part)
        copy_tree(REPO / "content" / "data", root / "content" / "data")
        copy_tree(REPO / "content" / "images", root / "content" / "images")
        if with_samples:
            for part in ("pieces", "households"):
                copy_tree(REPO / "content" / part, root / "content" / part)
            for piece in (root / "content" / "pieces").glob("*.md"):
                if pieces is not None and piece.stem not in pieces:
                    piece.unlink()
        else:
            (root / "content" / "pieces").mkdir(parents=True, exist_ok=True)
            (root / "content" / "households").mkdir(parents=True, exist_ok=True)
        if not sample_marks:
            unmark_samples(root)
        for rel, text in (files or {}).items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8")
        return root

    return make


def run_cli(root: Path, *args: str, isolated: bool = False) -> subprocess.CompletedProcess:
    """Run build.py's command line against the project at `root`, as a user would.

    In this test process (click's CliRunner: WeasyPrint is imported once for
    the whole suite), with one worker and no memory ceiling, since those are
    process-wide; `isolated` runs a real `python build.py` process instead,
    for what only a process can show (workers, exit on a kill, imports).
    """
    if isolated:
        env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
        return subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(root), *args],
                              capture_output=True, text=True, env=env, timeout=300)
    from click.testing import CliRunner

    from leaflets import i18n

    runner = CliRunner()
    spoken = dict(i18n._state)
    try:
        result = runner.invoke(_cli(), ["--project", str(root), *args],
                               env={"LEAFLETS_JOBS": "1", "LEAFLETS_MAX_MEMORY_MB": "0", "LANGUAGE": None})
    finally:  # a command's --lang holds for that command only
        i18n._state.update(spoken)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def _cli():
    """build.py's click group, loaded once."""
    if "build_cli" not in sys.modules:
        import importlib.util

        spec = importlib.util.spec_from_file_location("build_cli", REPO / "build.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["build_cli"] = module
        spec.loader.exec_module(module)
    return sys.modules["build_cli"].cli


def build(root: Path, names=(), strict=False, variants=(), **options):
    """Plan and run a build in-process; return (plan, results by job name).

    `options` go to build_pieces (workers, force, whole_run, shard).
    """
    from leaflets.build.plan import plan
    from leaflets.build.run import build_pieces
    from leaflets.project import Project

    the_plan = plan(Project.at(root), names, strict=strict, variants=variants)
    results = {r.job.name: r for r in build_pieces(the_plan, strict=strict, **options)}
    return the_plan, results


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The repository's sample print run, built once into a temporary copy."""
    root = tmp_path_factory.mktemp("sample") / "project"
    for part in ("layouts", "fonts", "content"):
        copy_tree(REPO / part, root / part)
    unmark_samples(root)
    the_plan, results = build(root)
    # Every piece builds, and with no warning at all: a WeasyPrint warning
    # (an ignored CSS rule, an image it could not load) is a failure here.
    said = {n: [p.format(root) for p in r.problems if p.severity != "note"]
            for n, r in results.items()
            if r.status != "built" or any(p.severity != "note" for p in r.problems)}
    assert not said, said
    assert not the_plan.problems, [p.format(root) for p in the_plan.problems]
    return root, the_plan, results


def copy_built_sample(sample_build, target: Path) -> Path:
    """A copy of the built sample run, dist/ and its cache included: its build stands, so a
    command on it reuses that build's files instead of rendering the run again."""
    root = sample_build[0]
    shutil.copytree(root, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def page_text(html: str) -> str:
    """The words of composed HTML as a reader sees them: no tags, entities read, no-break
    spaces as spaces (layout/linebreaks.py joins syllables and numbers with them)."""
    import html as html_module

    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    text = re.sub(r"</?(?:p|br|div|li|ul|ol|h[1-6]|td|th|tr|table|section|header|footer|figure|"
                  r"figcaption|blockquote|nav|aside|main|article)\b[^>]*>", " ", text, flags=re.I)
    text = html_module.unescape(re.sub(r"<[^>]+>", "", text))  # inline tags join their words
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def count_layouts(monkeypatch) -> list[str]:
    """Every WeasyPrint layout the renderer makes from now on, in order: "skeleton" (only the
    display type, to balance headings: layout/linebreaks.py) or "layout" (a whole piece)."""
    from leaflets.layout.linebreaks import SKELETON_META
    from leaflets.render import engine

    calls: list[str] = []
    real = engine.Renderer._layout

    def counting(self, html, *args, **options):
        calls.append("skeleton" if SKELETON_META in html else "layout")
        return real(self, html, *args, **options)

    monkeypatch.setattr(engine.Renderer, "_layout", counting)
    return calls
