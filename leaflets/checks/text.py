"""Preflight on the sources, before anything is rendered.

Text not NFC, legacy-encoded Vietnamese (TCVN3, VNI, VISCII, UTF-8 read as
Windows-1252), leftover placeholders, empty slots, and dated site data shown
outside its validity dates.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from pathlib import Path

from ..content.legacy import Run, repair
from ..content.poverty import SHOWN_BY, as_day
from ..i18n import msg
from ..layout.compose import Composed
from ..problems import Problem, error, warning
from ..vi import short_date

PLACEHOLDER = re.compile(r"\bTODO\b|\bTBD\b|\bXXX\b|lorem ipsum|\[\[[^\]]*\]\]", re.IGNORECASE)


def legacy_encoding(line: str) -> str | None:
    """The encoding the first legacy word run of a line is in (content/legacy.py), or None."""
    runs = repair(line).runs
    return runs[0].label if runs else None


def _command_path(path: Path) -> str:
    """The file as `text fix` takes it from the project folder: content/... when it is there."""
    parts = path.parts
    return "/".join(parts[len(parts) - 1 - parts[::-1].index("content"):]) if "content" in parts \
        else path.name


def _in_context(line: str, run: Run) -> tuple[str, str]:
    """The run as it is and repaired, with the words beside it when it is a single word."""
    spans = [m.span() for m in re.finditer(r"\S+", line)]
    first = next(i for i, (_, end) in enumerate(spans) if end > run.start)
    last = max(i for i, (start, _) in enumerate(spans) if start < run.end)
    if first == last:
        first, last = max(first - 1, 0), min(last + 1, len(spans) - 1)
    start, end = min(spans[first][0], run.start), max(spans[last][1], run.end)
    return _short(line[start:end]), _short(line[start:run.start] + run.after + line[run.end:end])


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


def _legacy_findings(path: Path, lines: list[str]) -> list[Problem]:
    found = []
    for run in repair("\n".join(lines)).runs:
        line = unicodedata.normalize("NFC", lines[run.line - 1])
        before, after = _in_context(line, run)
        if run.repaired and run.encoding == "mojibake":
            text = msg("looks like UTF-8 read as Windows-1252: “{before}”; did you mean “{after}”? "
                       "`python build.py text fix {file}` repairs it", before=before, after=after,
                       file=_command_path(path))
        elif run.repaired:
            text = msg("looks like {encoding} text pasted as Unicode: “{before}”; did you mean “{after}”? "
                       "`python build.py text fix {file}` repairs it", encoding=msg(run.label), before=before,
                       after=after, file=_command_path(path))
        else:
            text = msg("looks like UTF-8 read as Windows-1252 that lost a byte on the way: “{before}”; "
                       "it cannot be repaired: retype the word", before=run.before)
        found.append(error(path, run.line, text, code="legacy-encoding"))
    return found


def _raw_lines(path: Path) -> list[str]:
    try:
        return path.read_bytes().decode("utf-8").removeprefix("\ufeff").splitlines()
    except (OSError, UnicodeDecodeError):  # reported by the loader already
        return []


# Characters that never belong in printed text: C0 controls but the tab (a NUL
# prints as a box or a "�"), the replacement character itself (text already
# damaged by a wrong decoding), and the bidirectional overrides and isolates
# that make text display in another order than it is stored.
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BAD_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffd\u202a-\u202e\u2066-\u2069]")


def _bad_characters(path: Path, number: int, line: str) -> list[Problem]:
    found = []
    for char in dict.fromkeys(BAD_CHARACTERS.findall(line)):
        name = unicodedata.name(char, None) or msg("a control character")  # Unicode's name, in English
        what = (msg("a bidirectional control: text would print in another order than it reads")
                if char in BIDI else msg("text damaged by a wrong decoding") if char == "\ufffd"
                else msg("a control character that prints as a box"))
        found.append(error(path, number, msg("U+{code:04X} {name}: {what}; delete it", code=ord(char),
                                             name=name, what=what), code="bad-character"))
    return found


def text_findings(path: Path) -> list[Problem]:
    """NFC, legacy encodings and placeholders in one source file (a piece or a household)."""
    found = []
    lines = _raw_lines(path)
    for number, line in enumerate(lines, start=1):
        if not unicodedata.is_normalized("NFC", line):
            found.append(warning(path, number, msg("text is not NFC (decomposed letters, e.g. from "
                                                   "macOS); it was normalised when read"), code="not-nfc"))
        nfc = unicodedata.normalize("NFC", line)
        found.extend(_bad_characters(path, number, nfc))
        for match in PLACEHOLDER.finditer(nfc):
            found.append(error(path, number, msg("placeholder left in the text: “{text}”",
                                                 text=match.group()), code="placeholder"))
    found.extend(_legacy_findings(path, lines))
    return sorted(found, key=lambda problem: problem.line or 0)


def content_findings(composed: Composed, site, households, on: dt.date) -> list[Problem]:
    """Checks on a composed piece's sources: text, placeholders, empty slots, data dates."""
    piece = composed.piece
    found = text_findings(piece.path)
    for household in households:
        if household.path in composed.inputs:
            found.extend(text_findings(household.path))
    flow = composed.layout.booklet.flow if composed.layout.booklet else None
    for name, slot in piece.slots.items():
        if slot.is_empty and name != flow:  # a booklet of covers only has an empty body
            found.append(error(piece.path, slot.line, msg("slot {slot!r} is empty", slot=name),
                               code="empty-slot", slot=name))
    found.extend(data_findings(composed, site, on))
    return found


# --- dated site data: the programme and the poverty standard ----------------------------

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen-minus, hyphens, dashes, minus
YEARS = re.compile(rf"(\d{{4}})\s*[{DASHES}]\s*(\d{{4}})")
# What the standard and indicators blocks say they show (layouts/_base/blocks/).
POVERTY_BLOCK = re.compile(r'data-poverty-block="([^"]+)"\s+data-poverty-period="([^"]*)"')


def marker_pattern(marker: str) -> re.Pattern:
    """How a period or a document is found in a piece's text: years ("2021–2025") with any
    dash, spaced or not ("2021 - 2025", "2021-2025"); other text as written, any run of
    spaces as one."""
    years = YEARS.fullmatch(marker.strip())
    if years:
        return re.compile(rf"(?<!\d){years[1]}\s*[{DASHES}]\s*{years[2]}(?!\d)")
    return re.compile(r"\s+".join(map(re.escape, marker.split())))


def _names(text: str, markers) -> bool:
    return any(marker_pattern(m).search(text) for m in markers if m and m.strip())


def data_findings(composed: Composed, site, on: dt.date) -> list[Problem]:
    """Dated site data the piece shows, checked against the piece's date (or today): a
    programme or a poverty standard named after it ended, a poverty block with no standard
    in force, a fact of the standard shown before it is confirmed."""
    piece = composed.piece
    text = html.unescape(re.sub(r"<[^>]+>", " ", composed.html))
    when = as_day(piece.date or on)
    line = piece.line_of("date") or piece.line_of("layout")
    dated = (msg("dated {day}", day=short_date(when)) if piece.date
             else msg("built on {day}", day=short_date(when)))
    found = []
    programme = site.values.get("programme") or {}
    start, end = programme.get("valid_from"), programme.get("valid_to")
    if start and end and _names(text, (programme.get("period"), programme.get("decision"))) \
            and not start <= when <= end:
        found.append(error(piece.path, line, msg(
            "shows the programme {period}, valid {start}–{end}, but the piece is {dated}: "
            "update content/data/site.yaml or set the piece's date", period=programme.get("period", ""),
            start=short_date(start), end=short_date(end), dated=dated), code="data-expired"))
    if site.poverty is not None:
        found.extend(_standard_findings(composed, site.poverty, text, when, line, dated))
    return found


def _standard_findings(composed: Composed, poverty, text: str, when: dt.date, line, dated) -> list[Problem]:
    piece = composed.piece
    current = poverty.in_force(when)
    found, refused = [], set()
    for period in poverty.periods:
        # A period not begun yet may be announced; one that has ended may not be shown as current.
        if when <= period.in_force_to or not _names(text, period.markers):
            continue
        refused.add(period.label)
        valid = (msg("{start}–{end} (extended from {to})", start=short_date(period.valid_from),
                     end=short_date(period.in_force_to), to=short_date(period.valid_to))
                 if period.extended_to else
                 f"{short_date(period.valid_from)}–{short_date(period.valid_to)}")
        then = (msg("the standard in force then is {current}: write that period in the text (the "
                    "standard and indicators blocks follow the piece's date), or set the piece's date",
                    current=current.label) if current else
                msg("no period in {file} is in force then: add it, or set the piece's date",
                    file=poverty.file))
        found.append(error(piece.path, line, msg(
            "shows the poverty standard {period}, valid {valid}, but the piece is {dated}: {then}",
            period=period.label, valid=valid, dated=dated, then=then), code="data-expired"))
    unconfirmed: dict[str, list[str]] = {}
    for block, label in POVERTY_BLOCK.findall(composed.html):
        period = poverty.period(html.unescape(label))
        if period is None:
            continue
        if not period.in_force(when) and period.label not in refused:
            refused.add(period.label)
            found.append(error(piece.path, line, msg(
                "shows the poverty standard {period} in a {block} block, but no period in {file} is in "
                "force on {day}: add the period in force to {file}, or set the piece's date",
                period=period.label, block=block, file=poverty.file, day=short_date(when)),
                code="data-expired"))
        facts = unconfirmed.setdefault(period.label, [])
        facts.extend(f for f in SHOWN_BY.get(block, ()) if f in period.unconfirmed and f not in facts)
    for label, facts in unconfirmed.items():
        if facts:
            period = poverty.period(label)
            found.append(warning(piece.path, line, msg(
                "shows the poverty standard {period} with facts not confirmed in {file}:{line}: {facts} "
                "(source: {source}); they print as not yet known or not confirmed: check them against "
                "the decree, fill them in and list them under confirmed",
                period=label, file=poverty.file, line=period.line, facts=", ".join(facts),
                source=period.values.get("source", "")), code="data-unconfirmed"))
    return found
