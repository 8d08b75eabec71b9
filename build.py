#!/usr/bin/env python3
"""Build the print run: Markdown in content/ through layouts/ into PDFs in dist/.

This file only parses the command line; the work is in the `leaflets`
package, imported inside each command so that `--help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the package beside this file, installed or not

from leaflets.i18n import N_, _, set_language  # noqa: E402  (gettext only: stays fast)

# Table headings and status words, shown translated (the data and JSON keep them in English).
BUILT_COLUMNS = [N_("piece"), N_("output"), N_("pages"), N_("status"), N_("seconds")]
CHECKED_COLUMNS = [N_("piece"), N_("preflight"), N_("errors"), N_("warnings"), N_("seconds")]
PROOF_COLUMNS = [N_("piece"), N_("proof"), N_("preflight")]
PIECE_COLUMNS = [N_("piece"), N_("layout"), N_("trim"), N_("pages"), N_("title")]
LAYOUT_COLUMNS = [N_("layout"), N_("kind"), N_("trim"), N_("pages"), N_("slots")]
STATUS_WORDS = (N_("built"), N_("unchanged"), N_("failed"), N_("ok"), N_("warnings"), N_("errors"))

strict_option = click.option("--strict", is_flag=True,
                             help="Treat warnings (e.g. unknown front-matter keys) as errors.")



def run_options(command):
    """--jobs and --quiet, for every command that renders."""
    command = click.option("--quiet", "-q", is_flag=True, help="No progress display, no table.")(command)
    return click.option("--jobs", "-j", "workers", type=click.IntRange(1, 64), default=None,
                        metavar="N", help="Worker processes (default: one per core).")(command)


variant_option = click.option("--variant", "variants", multiple=True, metavar="NAME",
                              help="Only this variant of pieces made per record (a commune, a household); "
                                   "repeat for more.")


def _table(rows: list[list[str]], header: list[str]) -> str:
    header = [_(word) for word in header]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    def line(cells) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line("-" * w for w in widths), *(line(r) for r in rows)])


def _say_problems(problems, project, quiet: bool = False, err: bool = True) -> None:
    """One line per problem; with --quiet, warnings and errors only (no notes)."""
    for problem in problems:
        if not (quiet and problem.severity == "note"):
            click.echo(problem.format(project.root), err=err)


def _open_project(project_dir: Path):
    """The project at `project_dir`; a folder that is not one is refused (exit 1), never touched."""
    from leaflets.project import Project

    project = Project.at(project_dir)
    project.check()
    return project


def _workers(workers: int | None) -> int:
    """--jobs, else LEAFLETS_JOBS from the environment, else one per core."""
    import os

    from leaflets.build.workers import cpu_count

    setting = os.environ.get("LEAFLETS_JOBS", "")
    return workers or (int(setting) if setting.isdigit() and int(setting) > 0 else cpu_count())


def _progress(plan, label: str, quiet: bool, workers: int, problems: bool = True):
    from leaflets.build.progress import Progress

    return Progress(plan.jobs, label, plan.project.root, quiet=quiet, workers=workers, problems=problems)


def _verdict(results, plan_problems, done: tuple[str, ...] = ("built", "unchanged")) -> None:
    """The last line of a run, and exit 1 unless every piece is `done` and nothing else is wrong."""
    failed = sum(r.status not in done for r in results)
    project_wide = any(p.is_error for p in plan_problems)
    if failed:
        click.echo(_("{failed} of {total} pieces failed").format(failed=failed, total=len(results)), err=True)
    elif not results:
        click.echo(_("nothing was built: see the errors above") if project_wide
                   else _("no pieces to build in content/pieces/"), err=True)
    elif project_wide:
        click.echo(_("every piece built, but there are errors above that no piece caused "
                     "(a data file, a household): fix them"), err=True)
    if failed or project_wide or not results:
        sys.exit(1)


def _speak(language: str | None) -> None:
    """Say everything from now on in `language` (None: the locale's), help texts included."""
    import inspect

    set_language(language)

    def translate(command: click.Command) -> None:
        for item in [command, *command.params]:
            english = item.__dict__.setdefault("english_help", getattr(item, "help", None))
            if english:
                item.help = _(inspect.cleandoc(english))
            shown = item.__dict__.setdefault("english_default", getattr(item, "show_default", None))
            if isinstance(shown, str):
                item.show_default = _(shown)
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                translate(sub)

    translate(cli)


def _lang_option(ctx: click.Context, _param, value: str | None) -> None:
    if value is not None:
        _speak(value)


class _Commands(click.Group):
    """Problems a command cannot go on with become one line each and exit status 1."""

    def main(self, *args, **kwargs):
        _speak(None)
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        from leaflets.problems import ContentError

        try:
            return super().invoke(ctx)
        except ContentError as exc:
            for problem in exc.problems:
                click.echo(problem.format(Path.cwd()), err=True)
            sys.exit(1)
        except OSError as exc:
            click.echo(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), err=True)
            sys.exit(1)


@click.group(cls=_Commands, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              default=HERE, show_default=N_("the folder of build.py"),
              help="Project folder (content/, layouts/, fonts/).")
@strict_option
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None, is_eager=True, expose_value=False,
              callback=_lang_option,
              help="Language of messages and help: vi (the default) or en (also when LANG=en_…).")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path, strict: bool) -> None:
    """Build print-ready PDFs from the Markdown pieces in content/pieces/.

    With no command, builds every piece (same as `build`).

    \b
    Examples:
      python build.py                      # build every piece into dist/print/
      python build.py build to-roi-chuan-ngheo
      python build.py preflight
      python build.py proof
      python build.py diff to-gap-vi-nguoi-ngheo --against HEAD~1
      python build.py list
    """
    from leaflets.memory import apply_ceiling

    apply_ceiling()
    ctx.obj = project_dir
    if ctx.invoked_subcommand is None:
        ctx.invoke(build, strict=strict)


@cli.command()
@click.argument("pieces", nargs=-1)
@strict_option
@variant_option
@run_options
@click.option("--force", is_flag=True, help="Render every piece, even those unchanged since their build.")
@click.option("--shard", metavar="K/N", default=None,
              help="Build only the K-th of N slices of the jobs (one machine of several; see merge).")
@click.option("--rgb", is_flag=True,
              help="Build sRGB files for screens into dist/screen/ (marked not for print).")
@click.pass_obj
def build(project_dir: Path, pieces: tuple[str, ...] = (), strict: bool = False, rgb: bool = False,
          variants: tuple[str, ...] = (), workers: int | None = None, quiet: bool = False,
          force: bool = False, shard: str | None = None) -> None:
    """Build PIECES (names of files in content/pieces/, without .md), or all of them.

    Writes dist/print/<piece>.pdf: PDF/X-4 in CMYK for the paper's output
    condition, trim, bleed, marks, embedded fonts; <piece>.imposed.pdf for
    booklets; and the job ticket <piece>.ticket.pdf / .ticket.json. Runs
    every preflight check; a piece with errors is not written and its
    previous files stay. Findings go to dist/preflight.json, outputs and
    their inputs to dist/manifest.json.

    \b
    Examples:
      python build.py build to-gap-vi-nguoi-ngheo --strict
      python build.py build --rgb          # sRGB copies for Zalo, e-mail, screens
    """
    project = _open_project(project_dir)
    colour = "rgb" if rgb else "cmyk"
    key = None
    if not force:  # a rebuild where nothing changed: a glance, no plan (leaflets/build/fresh.py)
        from leaflets.build.fresh import already_built, run_key

        key = run_key(project, {"pieces": sorted(pieces), "variants": sorted(variants),
                                "colour": colour, "strict": strict, "shard": shard})
        standing = already_built(project, key)
        if standing is not None:
            rows, said = standing
            _say_problems(said, project, quiet)  # the last build's warnings hold as long as its files do
            if not quiet:
                click.echo(_table([[*row, _("unchanged"), "0.00"] for row in rows],
                                  BUILT_COLUMNS))
            return
    from leaflets.build.plan import plan
    from leaflets.build.run import build_pieces
    from leaflets.build.shards import parse_shard, take_shard

    try:
        slice_ = parse_shard(shard) if shard else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    the_plan = plan(project, pieces, strict=strict, colour=colour, variants=variants)
    if slice_:
        the_plan.jobs = take_shard(the_plan.jobs, *slice_)
    _say_problems(the_plan.problems, project)
    workers = _workers(workers)
    with _progress(the_plan, "building", quiet, workers) as progress:
        results = build_pieces(the_plan, on_result=progress, strict=strict, workers=workers, force=force,
                               whole_run=not pieces and not variants and not slice_, shard=slice_)
    for note in the_plan.notes:
        click.echo(note, err=True)
    if not quiet:
        rows = [[r.job.name, project.relative(r.job.outputs[0].path)
                 if r.status in ("built", "unchanged") else "-",
                 str(r.pages) if r.pages is not None else "-", _(r.status), f"{r.seconds:.2f}"]
                for r in results]
        click.echo(_table(rows, BUILT_COLUMNS))
    if key is not None and not the_plan.problems:
        from leaflets.build.fresh import remember_run

        remember_run(project, key, results, [project.dist / "manifest.json"] if colour == "cmyk" else [])
    _verdict(results, the_plan.problems)


@cli.command()
@click.argument("pieces", nargs=-1)
@strict_option
@variant_option
@run_options
@click.pass_obj
def preflight(project_dir: Path, pieces: tuple[str, ...] = (), strict: bool = False,
              variants: tuple[str, ...] = (), workers: int | None = None, quiet: bool = False) -> None:
    """Check PIECES (or all) the way a print shop's preflight does, writing no print file.

    Every finding has a severity, a code, the piece, and where possible the
    page, the slot and the source file and line. The findings of all pieces
    go to dist/preflight.json. Exit status 1 when there are errors (or
    warnings, with --strict). A piece unchanged since its last build reuses
    that build's render.

    \b
    Example:
      python build.py preflight
      python build.py preflight so-tay-giam-ngheo --strict
    """
    from leaflets.build.plan import plan
    from leaflets.build.run import preflight_pieces

    project = _open_project(project_dir)
    the_plan = plan(project, pieces, strict=strict, variants=variants)
    _say_problems(the_plan.problems, project)
    workers = _workers(workers)
    with _progress(the_plan, "checking", quiet, workers, problems=False) as progress:
        results = preflight_pieces(the_plan, on_result=progress, strict=strict, workers=workers)
    for result in results:
        _say_problems(result.problems, project, quiet, err=False)
    rows = [[r.job.name, _(r.status), str(sum(p.is_error for p in r.problems)),
             str(sum(p.severity == "warning" for p in r.problems)), f"{r.seconds:.2f}"]
            for r in results]
    if not quiet:
        click.echo(_table(rows, CHECKED_COLUMNS))
        report = project.relative(project.dist / "preflight.json")
        click.echo(_("findings for machines: {file}").format(file=report))
    if any(r.status == "errors" for r in results) or any(p.is_error for p in the_plan.problems) \
            or not results:
        sys.exit(1)


@cli.command()
@click.argument("pieces", nargs=-1)
@variant_option
@run_options
@click.pass_obj
def proof(project_dir: Path, pieces: tuple[str, ...] = (), variants: tuple[str, ...] = (),
          workers: int | None = None, quiet: bool = False) -> None:
    """Make proofs of PIECES (or all) for reviewers, and the review page.

    Writes dist/proof/<piece>.proof.pdf (the print pages with a "BẢN NHÁP"
    watermark and a proof slug; banners also show grommets and hems), PNG
    previews of every page and of the piece as a reader meets it, and
    dist/proof/index.html, one static page listing every piece with its
    previews, preflight status and links. Writes no print file. A piece
    with preflight errors still gets a proof, marked with them.

    \b
    Example:
      python build.py proof
      python build.py proof to-gap-vi-nguoi-ngheo
    """
    from leaflets.build.plan import plan
    from leaflets.build.run import proof_pieces

    project = _open_project(project_dir)
    the_plan = plan(project, pieces, variants=variants)
    _say_problems(the_plan.problems, project)
    workers = _workers(workers)
    with _progress(the_plan, "proofs", quiet, workers) as progress:
        results = proof_pieces(the_plan, on_result=progress, workers=workers)
    rows = []
    for r in results:
        made = project.proof_dir / f"{r.job.name}.proof.pdf"
        rows.append([r.job.name, project.relative(made) if made.is_file() else "-", _(r.status)])
    if not quiet:
        click.echo(_table(rows, PROOF_COLUMNS))
        click.echo(_("review page: {file}").format(file=project.relative(project.proof_dir / "index.html")))
    if not any((project.proof_dir / f"{r.job.name}.proof.pdf").is_file() for r in results):
        sys.exit(1)


@cli.command()
@click.argument("piece")
@click.option("--against", required=True, metavar="REV|FILE.pdf",
              help="A git revision of the project (HEAD~1, a tag, a commit) or an earlier print PDF.")
@click.option("--variant", metavar="NAME", default=None,
              help="For a piece made per record: the commune or household to compare (the same in both).")
@click.pass_obj
def diff(project_dir: Path, piece: str, against: str, variant: str | None = None) -> None:
    """Show what changed in PIECE since an earlier version.

    Builds the piece as it is now and as it was (at a git revision, or
    takes the PDF given), compares every page inside the trim, and writes
    dist/proof/diff/<piece>/: each changed page as a PNG with the changed
    regions drawn in red, the changed words (words.diff), and index.html.
    Differences of anti-aliasing alone are not changes.

    \b
    Examples:
      python build.py diff to-gap-vi-nguoi-ngheo --against HEAD~1
      python build.py diff to-gap-vi-nguoi-ngheo --against old/to-gap-vi-nguoi-ngheo.pdf
      python build.py diff to-gap-ra-soat --variant "Xã Ia Hrú" --against HEAD~1
    """
    from leaflets.build.rounds import diff_piece
    from leaflets.problems import ContentError

    project = _open_project(project_dir)
    try:
        result, line, name = diff_piece(project, piece, against, variant)
    except ContentError as exc:
        _say_problems(exc.problems, project)
        sys.exit(1)
    click.echo(line)
    if not result.unchanged:
        click.echo(_("details: {file}").format(file=project.relative(project.proof_dir / "diff" / name /
                                                                      "index.html")))


@cli.command()
@click.argument("pieces", nargs=-1)
@click.pass_obj
def package(project_dir: Path, pieces: tuple[str, ...] = ()) -> None:
    """Pack the print files of the run for the print shop: dist/goi-in-<date>.zip.

    With no PIECES, every job of the run (each commune's and household's
    files too); a piece's name packs all its variants, PIECE--VARIANT one.
    Holds print files, imposed files and job tickets, the manifest,
    SHA256SUMS and a README in Vietnamese. A piece edited since its build
    is refused: build it again first. An earlier package moves to dist/old/.

    \b
    Examples:
      python build.py build && python build.py package
      python build.py package to-gap-ra-soat
      python build.py package to-gap-ra-soat--xa-ia-hru
    """
    from leaflets.build.package import package as make_package

    project = _open_project(project_dir)
    click.echo(_("package: {file}").format(file=project.relative(make_package(project, pieces))))


@cli.command()
@click.argument("manifests", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def merge(project_dir: Path, manifests: tuple[Path, ...] = ()) -> None:
    """Join the partial manifests of a run built in shards into dist/manifest.json.

    Copy every shard's dist/ into this project's dist/ first; each file a
    partial manifest lists must be there with the bytes it lists.

    \b
    Example:
      python build.py build --shard 1/2     # on one machine
      python build.py build --shard 2/2     # on another
      python build.py merge                 # after copying both dist/ folders into one
    """
    from leaflets.build.shards import merge as merge_shards

    project = _open_project(project_dir)
    paths = list(manifests) or sorted(project.dist.glob("manifest.shard-*.json"))
    if not paths:
        raise click.ClickException(_("no partial manifests (dist/manifest.shard-*.json): build with --shard"))
    target, _count = merge_shards(project, paths)
    click.echo(_("merged {count} partial manifest(s) into {file}").format(count=len(paths),
                                                                          file=project.relative(target)))


@cli.command("list")
@click.pass_obj
def list_(project_dir: Path) -> None:
    """List the pieces (layout, trim, pages) and the layouts available.

    \b
    Example:
      python build.py list
    """
    from leaflets.build.catalogue import catalogue

    project = _open_project(project_dir)
    pieces, layouts, problems = catalogue(project)
    click.echo(_table([[p.name, p.layout, p.trim, p.pages, p.title] for p in pieces],
                      PIECE_COLUMNS))
    click.echo()
    click.echo(_table([[lay.name, lay.kind, lay.trim, lay.pages, lay.slots] for lay in layouts],
                      LAYOUT_COLUMNS))
    _say_problems(problems, project)
    if any(p.is_error for p in problems):
        sys.exit(1)


@cli.group()
def text() -> None:
    """Work on the text files of content/: pieces, households, data."""


@text.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would change (for CI).")
@click.pass_obj
def fix(project_dir: Path, files: tuple[Path, ...], check: bool = False) -> None:
    """Repair Vietnamese pasted from old fonts (TCVN3, VNI, VISCII, UTF-8 read as Windows-1252).

    Each FILE is rewritten as UTF-8 in NFC, word runs in a legacy encoding
    made Unicode and everything else left as it was; the original is kept
    as FILE.bak. Prints a diff and, per paragraph, the encoding found. A
    file that is not UTF-8 is read as Windows-1258 or as a legacy font's
    bytes, whichever gives more Vietnamese. A relative FILE not found here
    is looked for in the project folder (preflight names content/...).

    \b
    Examples:
      python build.py text fix content/pieces/to-roi-chuan-ngheo.md
      python build.py text fix --check content/pieces/*.md content/data/*.yaml
    """
    from leaflets.content.textfix import fix_files

    paths = [project_dir / f if not f.is_absolute() and not f.exists() and (project_dir / f).exists()
             else f for f in files]
    sys.exit(fix_files(paths, check, click.echo, lambda line: click.echo(line, err=True)))


if __name__ == "__main__":
    cli()
