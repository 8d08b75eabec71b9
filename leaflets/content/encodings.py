"""The legacy Vietnamese encodings as tables: a pasted string decoded from each, and back.

Text typed in an old font reaches Unicode as the Windows-1252 (or Latin-1)
characters on the font's code points. The tables are made from the published
encodings: TCVN 5712:1993 (TCVN3, the ABC fonts .VnTime and .VnTimeH: VN3
lower case, VN1 capitals), VNI for Windows (VNI-Times) and VISCII 1.1; UTF-8
read as Windows-1252 needs none. tests/test_text_fix.py checks them against
glibc's iconv (TCVN5712-1, VISCII), which the tool itself never needs.
Which encoding a word is in, and whether to repair it, is legacy.py's
question.
"""

from __future__ import annotations

import unicodedata

from ..i18n import N_

# the names shown to the user (translated where shown)
LABELS = {"tcvn3": "TCVN3 (ABC, .VnTime)", "vni": "VNI (VNI-Times)", "viscii": "VISCII",
          "mojibake": N_("UTF-8 read as Windows-1252")}
ENCODINGS = tuple(LABELS)  # also the order of preference when a word reads well in two

# --- what a paste turns bytes into ---------------------------------------------------------
# Windows-1252 where it defines a character; the five bytes it leaves undefined
# (0x81 0x8D 0x8F 0x90 0x9D) come through as C1 controls, as Windows pastes them.
CP1252 = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)}
BYTE_OF = {ch: b for b, ch in CP1252.items()}
BYTE_OF.update({chr(b): b for b in range(0x80, 0xA0)})  # the same bytes read as Latin-1


def cp1252_bytes(text: str) -> bytes | None:
    """The bytes `text` was when read as Windows-1252 (or Latin-1); None if it cannot have been."""
    try:
        return bytes(BYTE_OF[c] for c in text)
    except KeyError:
        return None


# --- the tables: byte -> letter -------------------------------------------------------------
def _table(start: int, letters: str) -> dict[int, str]:
    return {start + i: c for i, c in enumerate(letters) if c != "."}


# TCVN3 (TCVN 5712:1993). .VnTime uses lower-case letters at 0xA8-0xFE and
# Ă Â Ê Ô Ơ Ư Đ at 0xA1-0xA7; the other capitals (VN1) sit between them and
# on 0x80-0x9F and a few C0 codes; 0xB0-0xB4 are combining tone marks.
TCVN3 = _table(0xA1, "ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹ"
                     "ềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ")
TCVN3_CAPITALS = _table(0x80, "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ") | _table(0x01, "ÚỤ.ỪỬỮ") \
    | _table(0x11, "ỨỰỲỶỸÝỴ")
# VISCII 1.1: every letter precomposed; six capitals on C0 control codes.
VISCII = _table(0x80, "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲÕắằặấầẩậẽẹếềểễệốồổỗỠƠộờởịỰỨỪỬơớƯ"
                      "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳĐứÒÓÔạỷừửÙÚỹỵÝỡưàáâãảăữẫèéêẻìíĩỉđựòóôõỏọụùúũủýợỮ") | \
    {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"}

# VNI for Windows: a base letter, then a mark character: tone ù ø û õ ï (sắc, huyền, hỏi, ngã,
# nặng); circumflex with a tone â á à å ã ä; breve with a tone ê é è ú ü ë. ô ö ñ are ơ ư đ;
# i takes í ì æ ó ò, and ỵ is î.
_TONE = "\u0301\u0300\u0309\u0303\u0323"
_VNI_TONE, _VNI_CIRCUMFLEX, _VNI_BREVE = "ùøûõï", "âáàåãä", "êéèúüë"


def _vni_pairs() -> dict[str, str]:
    out = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
    for base in "aeouyôö":
        letter = out.get(base, base)
        for mark, tone in zip(_VNI_TONE, _TONE, strict=True):
            out[base + mark] = letter + tone
    for base in "aeo":
        for mark, tone in zip(_VNI_CIRCUMFLEX, " " + _TONE, strict=True):
            out[base + mark] = base + "\u0302" + tone.strip()
    for mark, tone in zip(_VNI_BREVE, " " + _TONE, strict=True):
        out["a" + mark] = "a\u0306" + tone.strip()
    out |= {k.upper(): v.upper() for k, v in out.items()}
    return {k: unicodedata.normalize("NFC", v) for k, v in out.items()}


VNI = _vni_pairs()
VNI_MARKS = set(_VNI_TONE + _VNI_CIRCUMFLEX + _VNI_BREVE + (_VNI_TONE + _VNI_CIRCUMFLEX + _VNI_BREVE).upper())


# --- decoding one word ----------------------------------------------------------------------
def _by_table(word: str, table: dict[int, str]) -> str | None:
    raw = cp1252_bytes(word)
    if raw is None:
        return None
    return unicodedata.normalize("NFC", "".join(table.get(b, word[i]) for i, b in enumerate(raw)))


def tcvn3(word: str, capitals: bool) -> str | None:
    table = TCVN3 | TCVN3_CAPITALS if capitals else TCVN3
    return _by_table(word, table)


def _vni(word: str) -> str | None:
    out, i = [], 0
    while i < len(word):
        pair = word[i:i + 2]
        if len(pair) == 2 and pair in VNI:
            out.append(VNI[pair])
            i += 2
        elif word[i] in VNI and word[i] not in VNI_MARKS:
            out.append(VNI[word[i]])
            i += 1
        elif word[i] in VNI_MARKS:
            return None  # a mark with no letter before it: not VNI
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def mojibake(word: str) -> str | None:
    raw = cp1252_bytes(word)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return unicodedata.normalize("NFC", text)


def decode(encoding: str, text: str) -> str | None:
    """`text` (pasted as Windows-1252) decoded from `encoding`, character for character;
    None when it cannot be in that encoding. TCVN3 capitals are taken as lower case unless
    they are VN1 codes: the caller decides the case (see `repair`)."""
    if encoding == "tcvn3":
        return tcvn3(text, capitals=True)
    if encoding == "vni":
        return _vni(text)
    if encoding == "viscii":
        return _by_table(text, VISCII)
    return mojibake(text)


def encode(encoding: str, text: str, *, vntimeh: bool = False) -> str:
    """Unicode `text` as it looks typed in `encoding` and pasted as Windows-1252 (for tests and
    examples). TCVN3 capitals take their VN1 codes, or with `vntimeh` the lower-case codes that
    .VnTimeH shows as capitals."""
    text = unicodedata.normalize("NFC", text)
    if encoding == "mojibake":
        return "".join(CP1252[b] for b in text.encode("utf-8"))
    if encoding == "vni":
        table = {v: k for k, v in sorted(VNI.items(), key=lambda kv: -len(kv[0]))}
        return "".join(table.get(c, c) for c in text)
    table = {v: CP1252[b] for b, v in (VISCII if encoding == "viscii" else TCVN3_CAPITALS | TCVN3).items()}
    if encoding == "tcvn3" and vntimeh:
        return "".join(table.get(c) if c in table and (c.islower() or c in "ĂÂÊÔƠƯĐ")
                       else table.get(c.lower(), c) for c in text)
    return "".join(table.get(c, c) for c in text)
