"""Findings as JSON and back: for dist/preflight.json, the preflight cache and the record of a
standing run (fresh.py). A light module: the no-change rebuild reads it without the planner."""

from __future__ import annotations

from ..i18n import Msg
from ..problems import Problem
from ..project import Project

SEVERITIES = ("error", "warning", "note")


def problem_json(project: Project, p: Problem) -> dict:
    found = {"severity": p.severity, "code": p.code or "input", "message": p.text,
             "file": project.relative(p.path) if p.path else None, "line": p.line, "page": p.page,
             "slot": p.slot}
    if p.template is not None:  # the English text and its values: for another language, and machines
        found["template"] = p.template
    return found


def stored_finding(project: Project, f) -> Problem:
    """A stored finding, checked field by field (ValueError when anything is off)."""
    if not isinstance(f, dict):
        raise ValueError("not a finding")
    file, line, message = f.get("file"), f.get("line"), f.get("message")
    severity, code, page, slot = f.get("severity"), f.get("code"), f.get("page"), f.get("slot")
    if not (isinstance(message, str) and severity in SEVERITIES and isinstance(code, str)
            and (file is None or isinstance(file, str)) and optional_int(line)
            and optional_int(page) and (slot is None or isinstance(slot, str))):
        raise ValueError("not a finding")
    template = f.get("template")
    if template is not None and Msg.from_json(template) is None:
        raise ValueError("not a finding")
    return Problem(project.root / file if file else None, line, message, severity,
                   "" if code == "input" else code, page, slot, template)


def optional_int(value) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))
