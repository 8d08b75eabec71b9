"""dist/preflight.json: every piece's findings, for machines."""

from __future__ import annotations

from ..clock import build_date
from ..problems import NOTE, WARNING
from ..project import Project
from ..render.fill import fills_of
from .findings import problem_json


def preflight_report(project: Project, results) -> bytes:
    """dist/preflight.json: every piece's findings, for machines."""
    import json

    pieces = []
    for r in results:
        shown = [p for p in r.problems if p.severity != NOTE]
        pieces.append({
            "piece": r.job.name, "source": project.relative(r.job.source), "status": r.status,
            "pages": r.pages,
            "errors": sum(p.is_error for p in shown),
            "warnings": sum(p.severity == WARNING for p in shown),
            "findings": [problem_json(project, p) for p in shown],
            "fill": fills_of(r.problems),  # each fixed slot: percent of its room, mm, minimum
        })
    report = {"generated": build_date().isoformat(), "pieces": pieces,
              "errors": sum(p["errors"] for p in pieces), "warnings": sum(p["warnings"] for p in pieces)}
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode()
