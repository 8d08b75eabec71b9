"""Is this a Vietnamese syllable? The test that tells repaired legacy text from good text.

Legacy Vietnamese encodings put their letters on Latin-1 code points, so a
word pasted in TCVN3 or VNI is also a string of Unicode letters: "thøc",
"Tieáng". What gives it away is that it is no Vietnamese syllable, while its
decoding ("thức", "Tiếng") is one. A syllable is an initial consonant, a
rhyme (an optional medial o/u, a vowel nucleus, an optional final) and at
most one tone mark, with the spelling rules (k/gh/ngh before i, e, ê, y;
only sắc or nặng before a final c, ch, p or t; ă and â never end a
syllable). The rules are strict on purpose: a random decoding rarely passes
them, and good text is never judged by them alone (see legacy.py).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONES = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi", "\u0323": "nặng"}
INITIALS = ("ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr",
            "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
# nucleus -> the finals it takes ("" = an open syllable)
_NUCLEI = {
    "a": " c ch i m n ng nh o p t u y", "ă": "c m n ng p t", "â": "c m n ng p t u y",
    "e": " c m n ng o p t", "ê": " ch m n nh p t u", "i": " a ch m n nh p t u",
    "iê": "c m n ng p t u", "y": "", "yê": "m n ng t u", "o": " c i m n ng p t",
    "oo": "c ng", "ô": " c i m n ng p t", "ơ": " i m n p t", "u": " a c i m n ng p t",
    "uô": "c i m n ng t", "ư": " a c i m n ng t u", "ươ": "c i m n ng p t u",
}
# after a medial o or u (hoa, khoẻ, xoăn; tuần, thuê, huy, khuya, thuở, quyết)
_AFTER_O = {"a": " c ch i m n ng nh o p t y", "ă": "c m n ng t", "e": " n o t"}
_AFTER_U = {"â": "n ng t y", "ê": " ch n nh", "y": " a ch n nh p t u", "yê": "n t", "ơ": ""}


def _rhymes() -> frozenset[str]:
    out = set()
    for table, medial in ((_NUCLEI, ""), (_AFTER_O, "o"), (_AFTER_U, "u")):
        for nucleus, finals in table.items():
            for final in finals.split(" "):
                out.add(medial + nucleus + final)
    return frozenset(out)


RHYMES = _rhymes()
STOPS = ("c", "ch", "p", "t")
FRONT = ("i", "e", "ê", "y")  # the vowels k, gh and ngh go before, and c, g, ng do not
SEPARATORS = re.compile("[-'’‐\u00a0]")


def split_tone(syllable: str) -> tuple[str, list[str]]:
    """The syllable without tone marks (NFC, lower case) and the tone marks it had; a mark on
    a consonant (the tilde of ñ) counts as a second tone, which no syllable has."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tones, base = [], ""
    for char in decomposed:
        if char in TONES:
            tones.append(char)
            if base not in "aeiouy":
                tones.append(char)
        elif not unicodedata.combining(char):
            base = char
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    return bare, tones


def _rhyme_ok(initial: str, rhyme: str, tone: str | None) -> bool:
    if rhyme not in RHYMES:
        return False
    if rhyme.endswith(STOPS) and tone not in ("\u0301", "\u0323"):
        return False
    first = rhyme[0]
    if initial in ("k", "gh", "ngh") and first not in FRONT:
        return False
    if initial in ("c", "ng") and first in FRONT:
        return False
    if initial == "g" and first in ("e", "ê"):
        return False
    if initial == "qu" and first in ("u", "ư", "o"):
        return False
    return not (rhyme.startswith("yê") and initial not in ("", "qu"))


VOWELS = "aăâeêioôơuưy"
MODIFIED = "ăâêôơư"


def _tone_ok(initial: str, rhyme: str, where: int) -> bool:
    """The tone sits where either spelling puts it (hoà and hòa, thuý and thúy): on the vowel
    with a mark (ơ of ươ), else the last vowel before a final consonant, else the first of an
    open diphthong (mái, mía) or the middle of three (ngoài); oa, oe, uy open take either."""
    vowels = [i for i, c in enumerate(rhyme) if c in VOWELS]
    if initial in ("qu", "gi") and rhyme[:1] in "uiy" and len(vowels) == 1:
        return True
    if len(vowels) <= 1:
        return True
    cluster = "".join(rhyme[i] for i in vowels)
    marked = [i for i in vowels if rhyme[i] in MODIFIED]
    if marked:
        return where == marked[-1]
    if vowels[-1] != len(rhyme) - 1:  # a final consonant follows
        return where == vowels[-1]
    if cluster in ("oa", "oe", "uy"):
        return where in vowels
    if len(vowels) == 3:
        return where == vowels[1]
    return where == vowels[0]


@lru_cache(maxsize=65536)
def is_syllable(text: str) -> bool:
    """True when `text` is one Vietnamese syllable (any case, tone anywhere on the rhyme)."""
    if not text or not text.isalpha():
        return False
    bare, tones = split_tone(text)
    if len(tones) > 1 or not bare.isalpha():
        return False
    tone = tones[0] if tones else None
    for initial in INITIALS:
        if not bare.startswith(initial):
            continue
        rhyme = bare[len(initial):]
        if initial == "gi" and (not rhyme or rhyme[0] not in "aăâeêoôơuư"):
            continue  # "gì", "gìn": g + i...
        if initial == "gi" and rhyme.startswith("ê"):
            rhyme = "i" + rhyme  # giếng = gi + (i)ếng
        if rhyme and _rhyme_ok(initial, rhyme, tone) and (
                tone is None or _tone_ok(initial, rhyme, _tone_index(text) - len(initial))):
            return True
    return False


def _tone_index(text: str) -> int:
    """Which letter of the syllable carries its tone mark."""
    for i, char in enumerate(text):
        if any(c in TONES for c in unicodedata.normalize("NFD", char)):
            return i
    return -1


def case_ok(word: str) -> bool:
    """lower, Title or UPPER case: never a capital inside a lower-case word ("TiÕng")."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return True
    rest = "".join(letters[1:])
    return rest == rest.lower() or "".join(letters) == "".join(letters).upper()


def pieces(word: str) -> list[str]:
    """A word's syllables: "H'Mông" -> ["H", "Mông"], "Ê-đê" -> ["Ê", "đê"]."""
    return [p for p in SEPARATORS.split(word) if p]


def is_vietnamese(word: str) -> bool:
    """Every syllable of `word` is Vietnamese or plain ASCII letters (a name, an English word),
    each in a sensible case."""
    parts = pieces(word)
    return bool(parts) and all(case_ok(p) and (p.isascii() and p.isalpha() or is_syllable(p))
                               for p in parts)
