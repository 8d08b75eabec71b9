"""Where things are in a project folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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

    def piece_files(self) -> list[Path]:
        return sorted(self.pieces_dir.glob("*.md"))

    def relative(self, path: Path) -> str:
        """`path` as shown to users: relative to the project root when inside it."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def contains(self, path: Path) -> bool:
        """True when `path` (symlinks resolved) lies inside the project root."""
        try:
            path.resolve().relative_to(self.root)
        except ValueError:
            return False
        return True
