"""Legacy-encoded Vietnamese in Unicode text: found word by word, repaired run by run.

Text typed in an old font (TCVN3, VNI, VISCII) or UTF-8 read as
Windows-1252 arrives in a Markdown or YAML file as Latin-1 letters and signs:
"Gi¶m nghÌo", "Tieáng Vieät", "Vi®t Nam", "Viá»‡t Nam" (encodings.py has
the tables). Each word is judged on its own:

- a word with a character no such paste can produce (ơ, ư, đ, ắ, ...) is
  Unicode, and so is a word no encoding turns into Vietnamese;
- a word that is not Vietnamese as it stands, and that an encoding turns
  into Vietnamese syllables (syllables.py), is legacy: "thøc" -> "thức";
  a word that reads well both ways ("Châm", TCVN3 for "Chõm") is repaired
  only between legacy words of that encoding; a word that decodes only to
  letters that are no Vietnamese syllable (TCVN3 "§¾k" -> "Đắk", "N§" ->
  "NĐ") only on a line where nothing is Unicode.

The encoding of a word that reads well in two is the one most words of its
line (then of its file) read well in. So one TCVN3 word in a Unicode heading
is repaired and its neighbours are not; English, numbers, links, units and
Unicode minority-language names ("Rơ Châm Thuyền", "H'Hiên", "Ia Hrú") are
never changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .encodings import BYTE_OF, CP1252, ENCODINGS, LABELS, TCVN3, TCVN3_CAPITALS, VISCII, VNI, decode
from .encodings import mojibake as _mojibake
from .encodings import tcvn3 as _tcvn3
from .syllables import TONES, case_ok, is_syllable, is_vietnamese, pieces

# A word: anything but spaces and ASCII punctuation (apostrophes and hyphens belong to words:
# H'Mông, Ê-đê). C0 and C1 codes are letters in VISCII and TCVN3; a no-break space is half of
# "à" in UTF-8 read as Windows-1252 ("Ã\xa0") and VISCII's "Õ".
WORD = re.compile("(?:[^\\s!\"#$%&()*+,./:;<=>?@\\[\\\\\\]^_`{|}~]|[\x01-\x08\x0e-\x1f\x80-\xa0])+")
PASTABLE = set(BYTE_OF) | {chr(c) for c in range(1, 32)}
# taken off a word's ends before reading it as Unicode: ASCII punctuation and digits, quotes
# and dashes; not the Latin-1 signs that are letters in a legacy font ("®i" is "đi")
_PUNCTUATION = "\x20-\x40\x5b-\x60\x7b-\x7e\u2010-\u205f\u00a0"
EDGE = re.compile(f"^[{_PUNCTUATION}]+|[{_PUNCTUATION}]+$")
UNITS = re.compile("^(?:[kcdm]?m[²³]|µ[mglsFVA])$")
# UTF-8 read as Windows-1252 that lost a byte on the way ("bá»n": the 0x81 of "ề" is gone)
DAMAGED = re.compile("á[º»]|[ÃÄÆ][\u0080-\u00bf\u2013-\u203a\u0152-\u0178\u02c6\u02dc\u20ac\u2122]|â€")


def _letters(table: dict[int, str], c1: bool) -> set[str]:
    """The pasted characters that are letters in `table` and may start or end a word; codes
    0x80-0x9F (quotes and dashes in Windows-1252) only with `c1`."""
    return {CP1252[b] for b in table if (b >= 0xA0 or c1) and b != 0xA0} | \
        ({chr(b) for b in table if b < 0xA0} if c1 else set())


# (encoding, the letters a word may start and end with, the least strength taken): first
# without 0x80-0x9F, so that a quote around a word stays a quote; with them, only syllables
TRIES = (("tcvn3", _letters(TCVN3, False), 1), ("tcvn3", _letters(TCVN3 | TCVN3_CAPITALS, True), 2),
         ("vni", set("".join(VNI)), 1), ("viscii", _letters(VISCII, False), 1),
         ("viscii", _letters(VISCII, True), 2))
STRONG, LOOSE = 2, 1


def _core(word: str, letters: set[str]) -> tuple[int, int]:
    """Where `word` starts and ends without the characters around it that are no letter."""
    def letter(c: str) -> bool:
        return c.isascii() and c.isalpha() or c in letters

    start, end = 0, len(word)
    while start < end and not letter(word[start]):
        start += 1
    while end > start and not letter(word[end - 1]):
        end -= 1
    return start, end


def _strength(decoded: str, original: str) -> int:
    """STRONG: Vietnamese syllables; LOOSE: letters with at most a tone a syllable, in a sensible
    case (a name, an abbreviation: Đắk, NĐ); 0: neither, or nothing changed."""
    parts = pieces(decoded)
    if decoded == original or all(p.isascii() for p in parts) or \
            not all(case_ok(p) for p in parts if not p.isascii()):
        return 0
    if all(p.isascii() and p.isalpha() or is_syllable(p) for p in parts):
        return STRONG
    if all(p.isalpha() and sum(c in TONES for c in unicodedata.normalize("NFD", p)) <= 1 for p in parts):
        return LOOSE
    return 0


def _plausible(char: str) -> bool:
    """A character UTF-8 text about Vietnam may hold (not the Armenian a wrong guess gives)."""
    code = ord(char)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF or 0x2000 <= code <= 0x20CF \
        or unicodedata.category(char) == "Mn"


def _tcvn3_case(core: str, decoded: str, caps: bool) -> str:
    """.VnTimeH shows capitals at the lower-case codes: a word typed in it has upper-case
    ASCII letters around lower-case TCVN3 ones ("GI¶M" is "GIẢM")."""
    ascii_letters = [c for c in core if c.isascii() and c.isalpha()]
    if any(c.islower() for c in ascii_letters):
        return decoded
    return decoded.upper() if len(ascii_letters) >= 2 or caps else decoded


def _readings(word: str, caps: bool) -> dict:
    """encoding -> (start, end, decoded, strength) for each encoding the word decodes from."""
    found = {}
    start, end = len(word) - len(word.lstrip("'-")), len(word.rstrip("'-"))
    decoded = _mojibake(word[start:end])
    if decoded and decoded != word[start:end] and all(_plausible(c) for c in decoded):
        found["mojibake"] = (start, end, decoded, STRONG)
    for encoding, letters, least in TRIES:
        start, end = _core(word, letters)
        core = word[start:end]
        if not core or any(c in "0123456789" for c in core) or \
                found.get(encoding, (0, 0, "", 0))[3] == STRONG:
            continue
        if encoding == "tcvn3":  # 0x80-0x9F as punctuation first, then as VN1 capitals
            options = [_tcvn3_case(core, d, caps) for d in (_tcvn3(core, False), _tcvn3(core, True)) if d]
        else:
            options = [decode(encoding, core)]
        for decoded in options:
            strength = _strength(decoded, core) if decoded is not None else 0
            if strength >= least and strength > found.get(encoding, (0, 0, "", 0))[3]:
                found[encoding] = (start, end, decoded, strength)
    return found


def _caps(line: str) -> bool:
    """Is the line set in capitals (a .VnTimeH heading)?"""
    upper = lower = 0
    for match in WORD.finditer(line):
        letters = [c for c in match.group() if c.isascii() and c.isalpha()]
        lower += any(c.islower() for c in letters)
        upper += len(letters) >= 2 and not any(c.islower() for c in letters)
    return upper > lower


@dataclass(slots=True)
class Word:
    start: int
    end: int
    text: str
    # "ascii" and "blank" (no letter) tell nothing; "unicode" is good as it is; "legacy" reads
    # well only decoded; "either" reads well both ways; "loose" decodes only to letters;
    # "damaged" lost a byte as UTF-8 read as Windows-1252 and cannot be repaired
    kind: str
    readings: dict
    fixed: frozenset = frozenset()  # the encodings the word reads the same in ("Châm" in VISCII)

    def blocks(self, encoding: str) -> bool:
        return self.kind in ("unicode", "damaged") and encoding not in self.fixed


def words(line: str) -> list[Word]:
    """The words of one line that are not plain ASCII, each with its kind and its readings."""
    if line.isascii() and line.isprintable():
        return []
    found, caps = [], None
    for match in WORD.finditer(line):
        text = match.group()
        if text.isascii() and text.isprintable():
            continue  # the same in every encoding: it neither tells nor changes
        uncased = not any("a" <= c <= "z" for c in text) and sum("A" <= c <= "Z" for c in text) < 2
        if uncased and caps is None:
            caps = _caps(line)
        found.append(Word(match.start(), match.end(), text, *_judge(text, bool(uncased and caps))))
    return found


@lru_cache(maxsize=65536)
def _judge(text: str, caps: bool) -> tuple[str, dict, frozenset]:
    """A word's kind, readings and the encodings it reads the same in."""
    readings, fixed = {}, frozenset()
    as_is = EDGE.sub("", text)
    if text.isascii() and text.isprintable():
        kind = "ascii"
    elif any(c not in PASTABLE for c in text):
        kind = "unicode"
    elif not as_is or UNITS.match(as_is):
        kind = "blank"
    else:
        readings = _readings(text, caps)
        best = max((r[3] for r in readings.values()), default=0)
        if best == 0 and not any(c.isalpha() for c in text):
            kind, readings = "blank", {}
        elif best == 0 or best == LOOSE and is_vietnamese(as_is):
            fixed = frozenset(e for e in ("tcvn3", "vni", "viscii") if decode(e, text) == text)
            kind = "damaged" if DAMAGED.search(text) else "unicode"
        elif best == LOOSE:
            kind = "loose"
        elif "mojibake" in readings or len(as_is) >= 2 and not is_vietnamese(as_is):
            kind = "legacy"
        else:
            kind = "either"
    return kind, readings, fixed


@dataclass(frozen=True)
class Run:
    """Consecutive legacy words of one encoding on one line, and their repair."""

    line: int  # 1-based
    encoding: str
    start: int  # columns in the line (0-based, end exclusive)
    end: int
    before: str
    after: str  # the same as `before` when the text is damaged beyond repair

    @property
    def label(self) -> str:
        return LABELS[self.encoding]

    @property
    def repaired(self) -> bool:
        return self.after != self.before


@dataclass(frozen=True)
class Repaired:
    text: str
    runs: tuple[Run, ...]

    @property
    def changed(self) -> bool:
        return any(run.repaired for run in self.runs)


def _votes(found: list[Word]) -> Counter:
    """How many legacy words read well in each encoding."""
    votes: Counter = Counter()
    for word in found:
        if word.kind == "legacy":
            votes.update(e for e, r in word.readings.items() if r[3] == STRONG)
    return votes


def _side(found: list[Word], chosen: list[str | None], index: int, step: int, encoding: str) -> str:
    """'same', 'other' or 'none': what the nearest word that tells says, seen from `index`."""
    i = index + step
    while 0 <= i < len(found):
        if found[i].kind == "legacy":
            return "same" if chosen[i] == encoding else "other"
        if found[i].blocks(encoding):
            return "other"
        i += step
    return "none"


def _choices(found: list[Word], file_votes: Counter, fallback: str | None) -> list[str | None]:
    """The encoding each word of a line is repaired from (None: left as it is). `fallback`: the
    encoding of a file with no Unicode word, for a line with no word that tells."""
    votes = _votes(found)

    def rank(word: Word, encoding: str) -> tuple:
        return votes[encoding], word.readings[encoding][3], file_votes[encoding], -ENCODINGS.index(encoding)

    chosen: list[str | None] = [max(w.readings, key=lambda e, w=w: rank(w, e)) if w.kind == "legacy"
                                else None for w in found]
    top = max(votes, key=lambda e: (votes[e], file_votes[e]), default=fallback)
    for i, word in enumerate(found):
        if word.kind == "either":
            for encoding in sorted(word.readings, key=lambda e, w=word: rank(w, e), reverse=True):
                sides = {_side(found, chosen, i, -1, encoding), _side(found, chosen, i, 1, encoding)}
                if "same" in sides and "other" not in sides or sides == {"none"} and encoding == fallback:
                    chosen[i] = encoding
                    break
        elif word.kind == "loose":  # between words of its encoding, or on a line with no Unicode
            for encoding in word.readings:
                sides = {_side(found, chosen, i, -1, encoding), _side(found, chosen, i, 1, encoding)}
                if sides == {"same"} or encoding == top and not any(w.blocks(top) for w in found):
                    chosen[i] = encoding
                    break
    return chosen


def repair_line(line: str, number: int = 1, file_votes: Counter | None = None,
                found: list[Word] | None = None, fallback: str | None = None) -> tuple[str, list[Run]]:
    """One line repaired, and its runs: those repaired and those damaged beyond repair."""
    found = words(line) if found is None else found
    if not found:
        return line, []
    chosen = _choices(found, file_votes or Counter(), fallback)
    out, runs, at = [], [], 0
    current: list = []  # the encoding, then (start, end, decoded) of each word
    for word, encoding in zip(found, chosen, strict=True):
        if encoding is None:
            if current and (word.blocks(current[0]) or word.kind in ("either", "loose", "legacy")):
                runs.append(current)
                current = []
            if word.kind == "damaged":
                runs.append(["mojibake", (word.start, word.end, word.text)])
            continue
        start, end, decoded, _ = word.readings[encoding]
        a, b = word.start + start, word.start + end
        out.append(line[at:a] + decoded)
        at = b
        if not current or current[0] != encoding:
            if current:
                runs.append(current)
            current = [encoding]
        current.append((a, b, decoded))
    if current:
        runs.append(current)
    out.append(line[at:])
    made = []
    for encoding, *parts in runs:
        after, cursor = [], parts[0][0]
        for start, end, decoded in parts:
            after.append(line[cursor:start] + decoded)
            cursor = end
        made.append(Run(number, encoding, parts[0][0], cursor, line[parts[0][0]:cursor], "".join(after)))
    return "".join(out), made


def repair(text: str) -> Repaired:
    """`text` (made NFC) with every legacy-encoded word made Unicode; everything else as it was."""
    lines = unicodedata.normalize("NFC", text).split("\n")
    found = [words(line) for line in lines]
    file_votes: Counter = Counter()
    for line_words in found:
        file_votes.update(_votes(line_words))
    top = max(file_votes, key=lambda e: file_votes[e], default=None)
    if any(word.blocks(top) for line_words in found for word in line_words):
        top = None  # some of the file is Unicode: a line is judged by its own words alone
    fixed, runs = [], []
    for number, (line, line_words) in enumerate(zip(lines, found, strict=True), start=1):
        new, found_runs = repair_line(line, number, file_votes, line_words, top)
        fixed.append(new)
        runs.extend(found_runs)
    return Repaired("\n".join(fixed), tuple(runs))
