"""`build.py text fix`: Vietnamese pasted from old fonts repaired to NFC Unicode, in place."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import REPO, copy_tree, run_cli

from leaflets.checks.text import legacy_encoding, text_findings
from leaflets.content import textfix
from leaflets.content.encodings import BYTE_OF, TCVN3, TCVN3_CAPITALS, VISCII, decode, encode
from leaflets.content.legacy import repair

TCVN3_LABEL, VNI_LABEL = "TCVN3 (ABC, .VnTime)", "VNI (VNI-Times)"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- the alphabet ------------------------------------------------------------------------------
# Every precomposed letter Vietnamese writes: 12 vowels with each of five tones, the six vowels
# with a mark of their own untoned, and đ; then the capitals: 67 + 67 = 134.
VOWELS = "a ă â e ê i o ô ơ u ư y".split()
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
LOWER = [c for c in (nfc(v + t) for v in VOWELS for t in TONES) if not c.isascii()] + ["đ"]
ALPHABET = LOWER + [c.upper() for c in LOWER]


def test_the_alphabet_is_complete():
    assert len(ALPHABET) == len(set(ALPHABET)) == 134
    assert all(len(c) == 1 and unicodedata.name(c).startswith("LATIN") for c in ALPHABET)


def syllable(letter: str) -> str:
    """A Vietnamese syllable holding `letter` (bàn, bằn, mỹ, đi), in the letter's case."""
    lower = letter.lower()
    base = unicodedata.normalize("NFD", lower)[0]
    word = "đi" if lower == "đ" else "m" + lower if base == "y" else "b" + lower + "n"
    return word.upper() if letter.isupper() else word


def alphabet_text(capitals: bool = True) -> str:
    """The alphabet in syllables, a line of lower case and (with `capitals`) one of capitals."""
    lines = [" ".join(syllable(c) for c in LOWER)]
    if capitals:
        lines.append(" ".join(syllable(c.upper()) for c in LOWER))
    return "\n".join(lines) + "\n"


LABELS = {"TCVN3": TCVN3_LABEL, "TCVN3 capitals (.VnTimeH)": TCVN3_LABEL, "VNI": VNI_LABEL,
          "VISCII": "VISCII", "UTF-8 read as Windows-1252": "UTF-8 read as Windows-1252"}
ROUND_TRIPS = {  # name -> (how the text is typed, which text)
    "TCVN3": (lambda t: encode("tcvn3", t), alphabet_text()),
    "TCVN3 capitals (.VnTimeH)": (lambda t: encode("tcvn3", t, vntimeh=True),
                                  " ".join(syllable(c.upper()) for c in LOWER) + "\n"),
    "VNI": (lambda t: encode("vni", t), alphabet_text()),
    "VISCII": (lambda t: encode("viscii", t), alphabet_text()),
    "UTF-8 read as Windows-1252": (lambda t: encode("mojibake", t), alphabet_text()),
}


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viscii", "mojibake"])
def test_each_letter_decodes_back(encoding):
    letters = "".join(ALPHABET)
    pasted = encode(encoding, letters)
    assert pasted != letters
    assert decode(encoding, pasted) == letters


@pytest.mark.parametrize("name", list(ROUND_TRIPS))
def test_whole_alphabet_round_trip_through_the_command(tmp_path, name):
    typed, text = ROUND_TRIPS[name]
    pasted = typed(text)
    assert pasted != text and not set(pasted) & set("ăơưđĂƠƯĐ")
    path = tmp_path / "pasted.md"
    path.write_text(pasted, encoding="utf-8")
    result = run_cli(tmp_path, "text", "fix", str(path))
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8") == text
    assert (tmp_path / "pasted.md.bak").read_text(encoding="utf-8") == pasted
    assert f": {LABELS[name]}\n" in result.stdout


# --- the tables against glibc's iconv and the published examples ------------------------------

needs_iconv = pytest.mark.skipif(shutil.which("iconv") is None, reason="no iconv on PATH")


def iconv(data: bytes, source: str, target: str) -> bytes | None:
    done = subprocess.run(["iconv", "-f", source, "-t", target], input=data, capture_output=True)
    return done.stdout if done.returncode == 0 else None


@needs_iconv
@pytest.mark.parametrize("charset, table", [("TCVN5712-1", TCVN3 | TCVN3_CAPITALS), ("VISCII", VISCII)])
def test_tables_agree_with_iconv_byte_by_byte(charset, table):
    if iconv(b"a", charset, "UTF-8") is None:
        pytest.skip(f"this iconv has no {charset}")
    for byte in [*range(0x01, 0x20), *range(0x80, 0x100)]:
        theirs = iconv(bytes([byte]), charset, "UTF-8").decode("utf-8")
        if byte in table:
            assert table[byte] == theirs, hex(byte)
        else:  # the byte means what it means in ASCII or Latin-1: a paste keeps it
            assert theirs == chr(byte), hex(byte)


@needs_iconv
@pytest.mark.parametrize("charset, encoding", [("TCVN5712-1", "tcvn3"), ("VISCII", "viscii")])
def test_alphabet_encodes_as_iconv_does(charset, encoding):
    letters = "".join(ALPHABET)
    theirs = iconv(letters.encode("utf-8"), "UTF-8", charset)
    if theirs is None:
        pytest.skip(f"this iconv has no {charset}")
    assert bytes(BYTE_OF[c] for c in encode(encoding, letters)) == theirs


@pytest.mark.parametrize("pasted, meant", [  # PRINT-SPEC §5 and VNI's own letters
    ("TiÕng ViÖt", "Tiếng Việt"), ("Gi¶m nghÌo bÒn v÷ng", "Giảm nghèo bền vững"),
    ("Tieáng Vieät", "Tiếng Việt"), ("Ngöôøi daân", "Người dân"), ("ñi ÑOÂNG", "đi ĐÔNG"),
    ("Giáº£m nghÃ¨o", "Giảm nghèo"), ("Vi®t Nam", "Việt Nam"),
])
def test_published_examples(pasted, meant):
    assert repair(pasted).text == meant


# --- word runs and mixed files -----------------------------------------------------------------

def test_one_tcvn3_word_in_a_unicode_heading():
    repaired = repair("## Hình thøc")
    assert repaired.text == "## Hình thức"
    assert [(r.encoding, r.before, r.after) for r in repaired.runs] == [("tcvn3", "thøc", "thức")]
    assert legacy_encoding("## Hình thøc") == TCVN3_LABEL  # not VNI, though ø is a VNI mark


GOOD = ("---\ntitle: \"Chung tay vì người nghèo\"\n---\n\n## Hình thức hỗ trợ\n\n"
        "Rơ Châm Thuyền ở xã Đắk Rơ Nga, H'Hiên và Y Hiên thoát nghèo năm 2024.\n\n{tcvn3}\n{tcvn3b}\n\n"
        "{vni}\n\n{viscii}\n\n{mojibake}\n\n"
        "Giảm nghèo bền vững: 1.500.000 đồng/người/tháng, 90% hộ, 25 m², https://example.org/a_b.\n")
PARTS = {"tcvn3": "Chính sách hỗ trợ hộ nghèo về nhà ở, nước sinh hoạt",
         "tcvn3b": "và tiếp cận thông tin, Nghị định 07/2021/NĐ-CP.",
         "vni": "Người dân được vay vốn ưu đãi để phát triển sản xuất.",
         "viscii": "Mỗi xã có một tổ rà soát hộ nghèo, cận nghèo.",
         "mojibake": "Việt Nam không để ai bị bỏ lại phía sau."}


def mixed() -> tuple[str, str]:
    """(the file as pasted, the file as meant): Unicode paragraphs around legacy ones."""
    pasted = GOOD.format(**{k: encode(k.rstrip("b"), v) for k, v in PARTS.items()})
    return pasted, GOOD.format(**PARTS)


def test_mixed_file_repaired_paragraph_by_paragraph(tmp_path):
    pasted, meant = mixed()
    path = tmp_path / "to-roi.md"
    path.write_text(pasted, encoding="utf-8")
    result = run_cli(tmp_path, "text", "fix", str(path))
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8") == meant
    assert (tmp_path / "to-roi.md.bak").read_bytes() == pasted.encode("utf-8")
    out = result.stdout
    assert "repaired (read as UTF-8)" in out
    for where, label in (("lines 9–10", TCVN3_LABEL), ("line 12", VNI_LABEL), ("line 14", "VISCII"),
                         ("line 16", "UTF-8 read as Windows-1252")):
        assert f"  {where}: {label}\n" in out
    assert f"-{encode('vni', PARTS['vni'])}\n+{PARTS['vni']}\n" in out  # the diff
    assert "\n Rơ Châm Thuyền" in out and "-Rơ" not in out  # context, unchanged
    assert "the original is kept as" in out and "to-roi.md.bak" in out


def test_line_ends_bom_and_nfd(tmp_path):
    crlf = tmp_path / "crlf.md"
    crlf.write_bytes(b"\xef\xbb\xbf" + f"Hình thức\r\n{encode('tcvn3', 'Giảm nghèo')}\r\n".encode())
    nfd = tmp_path / "nfd.md"
    nfd.write_text(unicodedata.normalize("NFD", "Giảm nghèo bền vững\n"), encoding="utf-8")
    result = run_cli(tmp_path, "text", "fix", str(crlf), str(nfd))
    assert result.returncode == 0, result.stderr
    assert crlf.read_bytes() == b"\xef\xbb\xbf" + "Hình thức\r\nGiảm nghèo\r\n".encode()
    assert nfd.read_text(encoding="utf-8") == nfc("Giảm nghèo bền vững\n")
    assert "saved as UTF-8 in NFC (no legacy text)" in result.stdout


def test_eight_bit_files_are_read_as_windows_1258_or_legacy_bytes(tmp_path):
    text = nfc("Giảm nghèo bền vững, Đắk Lắk, người dân\n")

    def cp1258(char: str) -> bytes:  # Windows-1258 writes tones as combining marks
        try:
            return char.encode("cp1258")
        except UnicodeEncodeError:
            split = unicodedata.normalize("NFD", char)
            return nfc(split[:-1]).encode("cp1258") + split[-1].encode("cp1258")

    (tmp_path / "w1258.txt").write_bytes(b"".join(cp1258(c) for c in text))
    (tmp_path / "tcvn3.txt").write_bytes(bytes(BYTE_OF[c] for c in encode("tcvn3", text)))
    result = run_cli(tmp_path, "text", "fix", str(tmp_path / "w1258.txt"), str(tmp_path / "tcvn3.txt"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "w1258.txt").read_text(encoding="utf-8") == text
    assert (tmp_path / "tcvn3.txt").read_text(encoding="utf-8") == text
    assert "w1258.txt: repaired (read as Windows-1258)" in result.stdout
    assert "tcvn3.txt: repaired (read as Windows-1252)" in result.stdout


# --- good text is never touched ----------------------------------------------------------------

def content_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "content").rglob("*")
                  if p.is_file() and p.suffix in (".md", ".yaml", ".yml", ".svg", ".txt", ".csv"))


def test_every_sample_file_is_left_as_it_is(tmp_path):
    root = tmp_path / "project"
    copy_tree(REPO / "content", root / "content")  # as they are in the repository
    files = content_files(root)
    assert len(files) >= len(content_files(REPO)) >= 20
    before = {p: p.read_bytes() for p in files}
    result = run_cli(root, "text", "fix", *map(str, files))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("nothing to repair") == len(files) and not result.stderr
    assert {p: p.read_bytes() for p in files} == before
    assert not list((root / "content").rglob("*.bak*"))
    assert run_cli(root, "text", "fix", "--check", *map(str, files)).returncode == 0


def test_minority_names_and_signs_stay():
    text = nfc("Rơ Châm Thuyền, H'Hiên, Y Hiên, Ia Hrú, Đắk Rơ Nga; ĕ ĭ ŏ ŭ ê̆ ô̆ ơ̆ ư̆ ƀ ₫; "
               "½ số hộ, 25 m², µm, “trích dẫn” — 2021–2025, © 2026, ® ™, VÕ Thị Sáu, hoà, thuý, khoẻ")
    assert repair(text).text == text and not repair(text).runs


# --- --check ------------------------------------------------------------------------------------

def test_check_exit_codes_and_writes_nothing(tmp_path):
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text("## Hình thức hỗ trợ\n", encoding="utf-8")
    bad.write_text("## Hình thøc hç trî\n", encoding="utf-8")
    assert run_cli(tmp_path, "text", "fix", "--check", str(good)).returncode == 0
    result = run_cli(tmp_path, "text", "fix", "--check", str(good), str(bad))
    assert result.returncode == 1
    assert "bad.md: would be repaired (read as UTF-8)" in result.stdout
    assert "-## Hình thøc hç trî\n+## Hình thức hỗ trợ" in result.stdout
    assert bad.read_text(encoding="utf-8") == "## Hình thøc hç trî\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.md", "good.md"]


def test_a_second_backup_does_not_replace_the_first(tmp_path):
    path = tmp_path / "a.md"
    (tmp_path / "a.md.bak").write_text("older\n", encoding="utf-8")
    path.write_text("Gi¶m nghÌo\n", encoding="utf-8")
    result = run_cli(tmp_path, "text", "fix", str(path))
    assert result.returncode == 0 and "a.md.bak.1" in result.stdout
    assert (tmp_path / "a.md.bak").read_text(encoding="utf-8") == "older\n"
    assert (tmp_path / "a.md.bak.1").read_text(encoding="utf-8") == "Gi¶m nghÌo\n"


def test_a_relative_file_is_found_in_the_project(make_project):
    # preflight names content/pieces/...: the command it prints works with --project too
    root = make_project({"content/pieces/textfix-pasted-here.md": "Gi¶m nghÌo\n"}, with_samples=False)
    result = run_cli(root, "text", "fix", "content/pieces/textfix-pasted-here.md")
    assert result.returncode == 0, result.stderr
    assert (root / "content/pieces/textfix-pasted-here.md").read_text(encoding="utf-8") == "Giảm nghèo\n"


# --- bad input ----------------------------------------------------------------------------------

def test_bad_files_get_one_line_each_and_the_others_are_done(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    locked = tmp_path / "locked.md"
    locked.write_text("Gi¶m nghÌo\n", encoding="utf-8")
    locked.chmod(0o444)
    good = tmp_path / "good.md"
    good.write_text("Gi¶m nghÌo\n", encoding="utf-8")
    names = ["missing.md", "folder", "photo.png", "locked.md", "good.md"]
    result = run_cli(tmp_path, "text", "fix", *(str(tmp_path / n) for n in names))
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 4 and "Traceback" not in result.stderr
    for name, said in zip(names, errors, strict=False):
        assert said.startswith(str(tmp_path / name) + ": "), said
    assert "No such file" in errors[0] and "folder" in errors[1] and "NUL" in errors[2]
    assert "read-only" in errors[3]
    assert locked.read_text(encoding="utf-8") == "Gi¶m nghÌo\n"
    assert not (tmp_path / "locked.md.bak").exists()
    assert good.read_text(encoding="utf-8") == "Giảm nghèo\n"  # still done, after the others


def test_a_write_that_fails_is_one_line(tmp_path, monkeypatch):
    import errno

    from leaflets.atomic import write_failed

    def refuse(path, data):
        raise write_failed(path, OSError(errno.EROFS, "Read-only file system"))

    monkeypatch.setattr(textfix, "write_atomic", refuse)
    path = tmp_path / "a.md"
    path.write_text("Gi¶m nghÌo\n", encoding="utf-8")
    said, warned = [], []
    assert textfix.fix_files([path], False, said.append, warned.append) == 1
    assert len(warned) == 1 and "a.md.bak" in warned[0] and "Read-only file system" in warned[0]
    assert path.read_text(encoding="utf-8") == "Gi¶m nghÌo\n"


# --- the preflight finding ----------------------------------------------------------------------

def test_preflight_finding_shows_the_repair_and_the_command(tmp_path):
    path = tmp_path / "content" / "pieces" / "to-roi.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\ntitle: x\n---\n\n## Hình thøc hỗ trợ\n\nRơ Châm Thuyền\n", encoding="utf-8")
    found = [p for p in text_findings(path) if p.code == "legacy-encoding"]
    assert [(p.line, p.severity) for p in found] == [(5, "error")]
    message = str(found[0].message)
    assert f"looks like {TCVN3_LABEL} text pasted as Unicode: “Hình thøc hỗ”" in message
    assert "did you mean “Hình thức hỗ”?" in message
    assert "`python build.py text fix content/pieces/to-roi.md` repairs it" in message
