"""Vietnamese words of several syllables, for keeping them whole at the end of a line.

Vietnamese writes a space between the syllables of a word ("giảm nghèo",
"hộ gia đình"), so a line may break inside a word. In display type that
reads badly ("CHUNG TAY VÌ NGƯỜI / NGHÈO"); `join_words` puts a no-break
space between the syllables of each word it knows, so the line breaks only
between words.

Words come from a list (`words-vi.txt` beside this module): the compounds of
this campaign and common words of public notices, matched by backward
maximum matching (from the end of a phrase, the longest listed word first;
for Vietnamese it errs less than matching from the front: "người dân tộc"
is người | dân tộc, not người dân | tộc). A run of two to four capitalised
syllables inside a phrase is a name and kept whole ("Sơn Nguyên",
"Nguyễn Thị Thúy"); a longer run is Title Case text, not a name.

Why a list and not a statistical segmenter: pyvi (a CRF model) was measured
on this project's headings and missed the campaign's own compounds (giảm
nghèo, người nghèo, bỏ lại, chung tay), and costs about 2 s to import and a
scientific Python stack to install; see the commit that added this module.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

NBSP = "\u00a0"
WORD_LIST = Path(__file__).with_name("words-vi.txt")
LONGEST = 4  # syllables in the longest word looked up
_NAME_MAX = 4  # syllables; a longer run of capitals is Title Case text, not a name
# Punctuation that may cling to a syllable: opening before it, closing after it.
_OPENING = "“‘\"'([{«"
_CLOSING = "”’\"')]}»,.;:!?…–—-\u00a0"  # (a dash may be held to its word: "nghèo\u00a0–")
# A syllable: letters only (with combining marks, should any survive NFC).
_SYLLABLE = re.compile(r"^[^\W\d_]+$")
# New-style tone placement (hoà, thuý) folded to the old style (hòa, thúy) for lookups.
_TONED = {"à": "a", "á": "a", "ả": "a", "ã": "a", "ạ": "a", "è": "e", "é": "e", "ẻ": "e",
          "ẽ": "e", "ẹ": "e", "ỳ": "y", "ý": "y", "ỷ": "y", "ỹ": "y", "ỵ": "y"}
_MARK = {"à": "\u0300", "á": "\u0301", "ả": "\u0309", "ã": "\u0303", "ạ": "\u0323"}
_MARK.update({k: _MARK[v] for k, v in zip("èéẻẽẹ", "àáảãạ", strict=True)})
_MARK.update({k: _MARK[v] for k, v in zip("ỳýỷỹỵ", "àáảãạ", strict=True)})
_NEW_STYLE = re.compile(r"([ou])([àáảãạèéẻẽẹỳýỷỹỵ])$")


def fold(syllable: str) -> str:
    """A syllable as looked up: lower case, NFC, the tone mark on the old-style vowel."""
    text = unicodedata.normalize("NFC", syllable).casefold()

    def old_style(match: re.Match) -> str:
        vowel, toned = match.groups()
        return unicodedata.normalize("NFC", vowel + _MARK[toned]) + _TONED[toned]

    return _NEW_STYLE.sub(old_style, text)


def load_words(path: Path = WORD_LIST) -> frozenset[tuple[str, ...]]:
    """The words of a list file, each a tuple of folded syllables (single syllables are skipped)."""
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        syllables = tuple(fold(s) for s in line.split())
        if len(syllables) > 1:
            words.add(syllables)
    return frozenset(words)


@cache
def known_words() -> frozenset[tuple[str, ...]]:
    return load_words()


def _core(token: str) -> tuple[str, str, str]:
    """(opening punctuation, syllable, closing punctuation) of a space-separated token."""
    start, end = 0, len(token)
    while start < end and token[start] in _OPENING:
        start += 1
    while end > start and token[end - 1] in _CLOSING:
        end -= 1
    return token[:start], token[start:end], token[end:]


def _is_capitalised(syllable: str) -> bool:
    return syllable[:1].isupper() and (len(syllable) == 1 or syllable[1:].islower())


def groups(tokens: list[str], words: frozenset[tuple[str, ...]] | None = None) -> list[int]:
    """How many of the space-separated `tokens`, in order, each word takes (1 for most).

    A token is a syllable with the punctuation that clings to it ("nghèo,",
    "“Vì"); punctuation ends a word: "nghèo," never joins what follows it.
    A token holding a no-break space or a digit is never part of a longer word.
    """
    words = known_words() if words is None else words
    parts = [_core(t) for t in tokens]
    joins = [False] * max(len(tokens) - 1, 0)
    _join_names(parts, joins)
    end = len(tokens)
    while end > 0:
        size = 1
        for n in range(min(LONGEST, end), 1, -1):
            span = range(end - n, end)
            if not all(_SYLLABLE.match(parts[i][1]) for i in span):
                continue
            if any(parts[i][2] for i in span[:-1]) or any(parts[i][0] for i in span[1:]):
                continue
            if tuple(fold(parts[i][1]) for i in span) in words:
                size = n
                break
        for i in range(end - size, end - 1):
            joins[i] = True
        end -= size
    sizes: list[int] = [1] if tokens else []
    for joined in joins:
        if joined:
            sizes[-1] += 1
        else:
            sizes.append(1)
    return sizes


def segment(text: str, words: frozenset[tuple[str, ...]] | None = None) -> list[list[str]]:
    """The words of `text`, each the list of its space-separated tokens."""
    tokens = text.split(" ")
    out, at = [], 0
    for size in groups(tokens, words):
        out.append(tokens[at:at + size])
        at += size
    return out


def _join_names(parts, joins) -> None:
    """Join runs of 2–4 capitalised syllables inside a phrase: names (Sơn Nguyên, Y Hiên)."""
    capital = [bool(_SYLLABLE.match(core)) and _is_capitalised(core) for _, core, _ in parts]
    i = 0
    while i < len(parts):
        if not capital[i]:
            i += 1
            continue
        j = i + 1
        while j < len(parts) and capital[j] and not parts[j - 1][2] and not parts[j][0]:
            j += 1
        # The first capital of a phrase is the sentence's, not a name's: the text's
        # start, or after punctuation, a dash or a number.
        starts = i == 0 or bool(parts[i][0]) or bool(parts[i - 1][2]) or \
            not _SYLLABLE.match(parts[i - 1][1])
        first = i + 1 if starts else i
        if 2 <= j - first <= _NAME_MAX:
            for k in range(first, j - 1):
                joins[k] = True
        i = j


def join_words(text: str, words: frozenset[tuple[str, ...]] | None = None) -> str:
    """`text` with the syllables of each word joined by no-break spaces."""
    return " ".join(NBSP.join(group) for group in segment(text, words))
