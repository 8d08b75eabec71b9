"""Shards: a print run split over several machines, and put back together.

`build --shard K/N` builds the K-th of N slices of the job list: jobs sorted
by name, every N-th from the K-th, so the slices are the same on every
machine and of near-equal size. It writes dist/manifest.shard-K-of-N.json
with the entries of just its jobs. `merge` reads the partial manifests of
all N shards (their dist/ folders copied into one), checks that every file
each lists is there with the bytes it lists, and writes dist/manifest.json.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .. import __version__
from ..atomic import write_atomic
from ..i18n import _, msg
from ..problems import ContentError, Problem, error
from ..project import Project
from .manifest import FORMAT, manifest_path

SHARD = re.compile(r"^(\d+)/(\d+)$")


def parse_shard(text: str) -> tuple[int, int]:
    """(K, N) from "K/N"; ValueError with a message when it is not one."""
    match = SHARD.match(text.strip())
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)) <= 256:
        raise ValueError(_("--shard {value!r}: give K/N with 1 ≤ K ≤ N, e.g. 2/4").format(value=text))
    return int(match.group(1)), int(match.group(2))


def take_shard(jobs: list, k: int, n: int) -> list:
    """The K-th of N deterministic slices of `jobs` (by name)."""
    ordered = sorted(jobs, key=lambda job: job.name)
    return [job for index, job in enumerate(ordered) if index % n == k - 1]


def shard_manifest_path(project: Project, k: int, n: int) -> Path:
    return project.dist / f"manifest.shard-{k}-of-{n}.json"


def write_shard_manifest(project: Project, k: int, n: int, entries: dict[str, dict]) -> Path:
    path = shard_manifest_path(project, k, n)
    data = {"format": FORMAT, "tool": f"leaflets {__version__}", "shard": [k, n],
            "pieces": {name: entries[name] for name in sorted(entries)}}
    write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())
    return path


def _revisions_differ(entries: dict[str, dict]) -> list[Problem]:
    """An error for each input file that two shards read with different bytes: they were built from
    different revisions of the content, and their files must not go out together."""
    seen: dict[str, tuple[str, str]] = {}
    clashes: dict[str, set[str]] = {}
    for name, entry in sorted(entries.items()):
        for item in entry.get("inputs", []):
            if not isinstance(item, dict):
                continue
            path, sha = str(item.get("path")), str(item.get("sha256"))
            first = seen.setdefault(path, (sha, name))
            if first[0] != sha:
                clashes.setdefault(path, {first[1]}).add(name)
    return [error(None, None, msg("shards built from different revisions of the content: {file} differs "
                                  "between {names}; build every shard again from the same revision",
                                  file=path, names=", ".join(sorted(names))))
            for path, names in sorted(clashes.items())]


def merge(project: Project, paths: list[Path]) -> tuple[Path, list[Problem]]:
    """dist/manifest.json from partial manifests; ContentError when a shard or a file is missing."""
    problems: list[Problem] = []
    pieces: dict[str, dict] = {}
    seen: dict[int, set[int]] = {}
    tools = set()
    for path in sorted(paths):
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
            k, n = data["shard"]
            entries = data["pieces"]
            if data.get("format") != FORMAT or not isinstance(entries, dict):
                raise ValueError("not a partial manifest")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problems.append(error(path, None, msg("not a partial manifest of this tool ({reason})",
                                                  reason=str(exc))))
            continue
        tools.add(data.get("tool"))
        seen.setdefault(int(n), set()).add(int(k))
        for name, entry in entries.items():
            if name in pieces and pieces[name] != entry:
                problems.append(error(path, None, msg("{name!r} is in two shards with different files",
                                                      name=name)))
            pieces[name] = entry
    if len(seen) > 1:
        problems.append(error(None, None, msg("partial manifests of different splits: {splits} shards",
                                              splits=str(sorted(seen)))))
    for n, ks in seen.items():
        missing = sorted(set(range(1, n + 1)) - ks)
        if missing:
            problems.append(error(None, None, msg("shard(s) {shards} missing: copy their dist/ here too",
                                                  shards=", ".join(f"{k}/{n}" for k in missing))))
    if len(tools) > 1:
        problems.append(error(None, None, msg("shards built by different versions: {versions}",
                                              versions=str(sorted(map(str, tools))))))
    problems.extend(_revisions_differ(pieces))
    for name, entry in pieces.items():
        for output in entry.get("outputs", []):
            path = project.root / output["file"]
            try:
                ok = hashlib.sha256(path.read_bytes()).hexdigest() == output["sha256"]
            except OSError:
                ok = False
            if not ok:
                problems.append(error(path, None, msg("{name}: missing or not the file its shard built",
                                                      name=name)))
    if problems:
        raise ContentError(problems)
    target = manifest_path(project)
    data = {"format": FORMAT, "tool": f"leaflets {__version__}",
            "pieces": {name: pieces[name] for name in sorted(pieces)}}
    write_atomic(target, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())
    return target, []
