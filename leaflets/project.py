"""Where things are in a project folder, and the rule that nothing is read from outside it.

A project is a folder with `content/` and `layouts/`. Everything a build
reads comes from inside it: a symbolic link that leads out of the project
(a piece, a household, a data file, a layout, a font) is refused with the
link's name, so a shared folder cannot make a build read, embed or print a
file of the machine it runs on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .i18n import Msg, msg
from .problems import ContentError, Problem, error

MARKERS = ("content", "layouts")


@dataclass(frozen=True)
class Project:
    """A project root and the fixed folders under it."""

    root: Path
    dist_dir: Path | None = None  # default: <root>/dist

    @classmethod
    def at(cls, root: str | Path, dist: str | Path | None = None) -> Project:
        return cls(Path(root).resolve(), Path(dist).resolve() if dist else None)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def pieces_dir(self) -> Path:
        return self.content / "pieces"

    @property
    def households_dir(self) -> Path:
        return self.content / "households"

    @property
    def data_dir(self) -> Path:
        return self.content / "data"

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    @property
    def dist(self) -> Path:
        return self.dist_dir or self.root / "dist"

    @property
    def proof_dir(self) -> Path:
        return self.dist / "proof"

    @property
    def cache_dir(self) -> Path:
        return self.dist / ".cache"

    def check(self) -> None:
        """Raise ContentError unless the root is a project folder (it has content/ and layouts/)."""
        if not self.root.is_dir():
            raise ContentError([error(None, None, msg("{folder}: no such folder", folder=str(self.root)))])
        missing = [m for m in MARKERS if not (self.root / m).is_dir()]
        if len(missing) > 1:
            raise ContentError([error(None, None, msg(
                "{folder} is not a project folder: it has no content/ or layouts/ "
                "(give --project the folder that holds content/ and layouts/)", folder=str(self.root)))])
        if missing:
            raise ContentError([error(None, None, msg(
                "{folder} is not a project folder: it has no {missing} "
                "(give --project the folder that holds content/ and layouts/)",
                folder=str(self.root), missing=missing[0] + "/"))])

    def piece_files(self) -> list[Path]:
        """The pieces' Markdown files that lie inside the project (see `files`)."""
        return self.files(self.pieces_dir, "*.md")[0]

    def files(self, folder: Path, pattern: str) -> tuple[list[Path], list[Problem]]:
        """Files matching `pattern` in `folder`, and a problem for each that leads outside the project.

        The folder itself may be a link only to somewhere inside the project.
        """
        if not folder.is_dir():
            return [], []
        if not self.contains(folder):
            return [], [error(folder, None, self.outside_message(folder))]
        found, problems = [], []
        for path in sorted(folder.glob(pattern)):
            if not self.contains(path):
                problems.append(error(path, None, self.outside_message(path)))
            elif path.is_file():
                found.append(path)
        return found, problems

    def outside_message(self, path: Path) -> Msg:
        return msg("{name} is a link to {target}, outside the project: copy the file "
                   "into the project instead of linking to it", name=path.name, target=str(path.resolve()))

    def url(self, path: Path) -> str:
        """`path` as a URL relative to the project root, for `src` in HTML (special characters escaped)."""
        return quote(self.relative(path), safe="/")

    def relative(self, path: Path) -> str:
        """`path` as shown to users: relative to the project root when inside it."""
        for candidate in (Path(os.path.abspath(path)), path.resolve()):
            try:
                return candidate.relative_to(self.root).as_posix()
            except ValueError:
                continue
        return str(path)

    def contains(self, path: Path) -> bool:
        """True when `path` (symlinks resolved) lies inside the project root."""
        return inside(path, self.root)


def inside(path: Path, root: Path) -> bool:
    """True when `path`, every link resolved, lies inside `root`."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a link loop
        return False
    return True


def outside_links(folder: Path, root: Path) -> list[Problem]:
    """A problem for `folder`, or any link under it, that leads outside `root`."""
    if not inside(folder, root):
        return [error(folder, None, msg("{name} leads to {target}, outside the project: "
                                        "copy it into the project instead of linking to it",
                                        name=folder.name, target=str(folder.resolve())))]
    problems = []
    for base, dirs, files in os.walk(folder):  # links to folders are not followed, only checked
        for name in sorted(dirs + files):
            path = Path(base) / name
            if path.is_symlink() and not inside(path, root):
                problems.append(error(path, None, msg("{name} is a link to {target}, outside the "
                                                      "project: copy the file into the project instead",
                                                      name=name, target=str(path.resolve()))))
    return problems
