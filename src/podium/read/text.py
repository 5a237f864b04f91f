"""Bytes to text: encoding detection and the one normalization podium applies.

Strict UTF-8 is tried first and costs one decode; only text that is not valid UTF-8
(and carries no BOM) goes through guessing, which reports what it guessed.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import InputError

log = logging.getLogger(__name__)

__all__ = ["Decoded", "decode", "normalize", "canonical_encoding", "looks_binary"]

# How much of the input the cheap checks (binary, UTF-16, scoring) look at.
_SAMPLE = 64 * 1024
_SCORE_SAMPLE = 16 * 1024

# C0 control bytes that do not occur in text (TAB, LF, VT, FF, CR and ESC are allowed).
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B))
_NON_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_C1_BYTES = bytes(range(0x80, 0xA0))
_HIGH_BYTES = bytes(range(0x80, 0x100))

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # (bom, codec used to decode, name reported)
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)

# Single-byte and CJK encodings a transcript may come in, in order of preference when
# two of them decode the input to the same text. "latin-1" first: it only wins a tie,
# and ties with cp1252 only when no byte in 0x80-0x9F occurs.
_GUESS_CANDIDATES = (
    "latin-1",
    "cp1252",
    "cp1251",
    "cp1250",
    "iso8859-2",
    "koi8-r",
    "iso8859-15",
    "cp1253",
    "cp1254",
    "cp1257",
    "cp1255",
    "cp1256",
    "cp874",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
)
# What charset-normalizer may propose (it is unreliable on short inputs, so it only
# nominates a candidate and breaks near-ties; it does not decide alone).
_CN_ISOLATION = [
    "cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r",
    "iso8859_5", "cp866", "mac_cyrillic", "cp1253", "iso8859_7", "cp1254", "iso8859_9",
    "cp1255", "iso8859_8", "cp1256", "iso8859_6", "cp1257", "iso8859_13",
    "cp874", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr", "mac_roman",
]  # fmt: skip
_CN_BONUS = 0.3
_GARBAGE_FLOOR = 0.2
_GARBAGE_FLOOR_UNNOMINATED = 0.6

# Punctuation and symbols of legitimately encoded text (mojibake rarely makes them).
_COMMON_SYMBOLS = frozenset(
    "\u00a0\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u00ab\u00bb\u2039\u203a"
    "\u2022\u00b7\u20ac\u00a3\u00a5\u00a2\u00b0\u00a7\u00a9\u00ae\u2122\u00d7\u00b1\u2116"
    "\u00bf\u00a1\u2020\u2021"
)

_HTML_ALIASES = {
    # WHATWG: these labels mean windows-1252 in HTML.
    "ascii": "cp1252",
    "latin-1": "cp1252",
}

_STRAY_RE = re.compile("[\udc80-\udcff]")


@dataclass
class Decoded:
    """The result of decoding: text (not yet normalized), the encoding, warnings."""

    text: str
    encoding: str
    warnings: list[tuple[str, str]] = field(default_factory=list)


def normalize(text: str) -> str:
    """The only change podium makes to a document's text.

    Strip one leading BOM character, turn ``\\r\\n`` and ``\\r`` into ``\\n``, apply NFC.
    Nothing else changes, so offsets into the result stay true to what was written.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def canonical_encoding(name: str) -> str:
    """Python's canonical name for an encoding label, with ``latin-1`` spelled so."""
    canonical = codecs.lookup(name).name
    return "latin-1" if canonical == "iso8859-1" else canonical


def looks_binary(data: bytes) -> bool:
    """True when the (non-UTF-16) bytes hold a NUL or too many control characters to be text."""
    sample = data[:_SAMPLE]
    if not sample:
        return False
    if b"\0" in sample:
        return True
    controls = len(sample.translate(None, _NON_CONTROL_BYTES))
    return controls > 0.03 * len(sample)


def decode(data: bytes, name: str, declared: str | None = None) -> Decoded:
    """Decode raw bytes to text, reporting how.

    Order: a BOM; UTF-16 recognised by its NUL bytes; (binary input is refused here);
    a charset the document declares (HTML); strict UTF-8; UTF-8 with a few stray
    single-byte characters; a guess among common single-byte and CJK encodings. Anything but BOM-marked, declared or valid
    UTF-8 input carries an ``encoding_repaired`` warning. Binary or undecodable input
    raises ``InputError``.
    """
    for bom, codec, reported in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), reported)
            except UnicodeDecodeError:
                text = data.decode(codec, errors="replace")
                return Decoded(
                    text,
                    reported,
                    [(
                        "encoding_repaired",
                        f"{name}: starts with a {reported} byte-order mark but has invalid "
                        f"bytes, replaced with \ufffd; check the text",
                    )],
                )  # fmt: skip

    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        text, codec = utf16
        return Decoded(text, codec, [_guessed(name, codec)])

    if looks_binary(data):
        raise InputError(_binary_message(name))

    if declared:
        decoded = _decode_declared(data, name, declared)
        if decoded is not None:
            return decoded

    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass

    mixed = _mostly_utf8(data, name)
    if mixed is not None:
        return mixed
    return _guess(data, name)


def _guessed(name: str, encoding: str) -> tuple[str, str]:
    return ("encoding_repaired", f"{name}: decoded as {encoding} (guessed); check accented letters")


def _binary_message(name: str) -> str:
    return (
        f"{name} looks like a binary file, not text: pass a transcript as "
        f".txt, .html, .docx or .pdf."
    )


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 recognised by NULs falling on one byte parity, decoded strictly."""
    sample = data[: _SAMPLE & ~1]
    if len(sample) < 2 or b"\0" not in sample:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd and even <= odd * 0.05:
        codec = "utf-16-le"
    elif even and odd <= even * 0.05:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    head = text[: _SAMPLE // 2]
    odd_chars = sum(
        1
        for c in head
        if (unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs") and c not in "\t\n\r\x0b\x0c")
    )
    if odd_chars > 0.02 * len(head):
        return None
    return text, codec


def _decode_declared(data: bytes, name: str, declared: str) -> Decoded | None:
    """Decode with the charset an HTML document declares; None to fall back to detection."""
    try:
        codec = canonical_encoding(declared.strip().strip("'\""))
    except LookupError:
        log.debug("%s: unknown declared charset %r", name, declared)
        return None
    if codec.startswith(("utf-16", "utf-32")):
        return None  # a UTF-16 document would have had a BOM or NULs; the label is wrong
    if codec == "utf-8":
        try:
            return Decoded(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            return None
    codec = _HTML_ALIASES.get(codec, codec)
    if not data.isascii():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return Decoded(
                text,
                "utf-8",
                [(
                    "encoding_repaired",
                    f"{name}: declares {declared} but is valid UTF-8; decoded as utf-8, "
                    f"check accented letters",
                )],
            )  # fmt: skip
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if codec == "cp1252" and not _has_c1(data):
        codec = "latin-1"  # the same text; report the smaller claim
    return Decoded(text, codec)


def _has_c1(data: bytes) -> bool:
    return len(data.translate(None, _C1_BYTES)) != len(data)


def _stray_and_good(text: str) -> tuple[int, int]:
    """Undecodable bytes (surrogate escapes) and valid non-ASCII characters in ``text``."""
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    stray = len(_STRAY_RE.findall(text)) if non_ascii else 0
    return stray, non_ascii - stray


def _mostly_utf8(data: bytes, name: str) -> Decoded | None:
    """UTF-8 with a few stray cp1252 bytes (a paste from another file) keeps its UTF-8.

    Legacy single-byte text almost never forms valid multi-byte UTF-8 sequences by
    chance, so at least as many valid sequences as stray bytes means UTF-8 with a paste
    in it. The head of the file is checked first, so legacy text is rejected cheaply.
    """
    stray, good = _stray_and_good(data[:_SAMPLE].decode("utf-8", errors="surrogateescape"))
    if good < stray:
        return None
    text = data.decode("utf-8", errors="surrogateescape")
    stray, good = _stray_and_good(text)
    if not stray or good < stray:
        return None
    table = {}
    for b in range(0x80, 0x100):
        try:
            table[0xDC00 + b] = bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            table[0xDC00 + b] = chr(b)
    return Decoded(
        text.translate(table),
        "utf-8",
        [(
            "encoding_repaired",
            f"{name}: decoded as utf-8 with {stray} invalid byte(s) read as cp1252 (guessed); "
            f"check accented letters",
        )],
    )  # fmt: skip


def _guess(data: bytes, name: str) -> Decoded:
    """Choose among common encodings by how plausible the decoded text looks."""
    sample = data[:_SAMPLE]  # must decode strictly
    scored = data[:_SCORE_SAMPLE]  # is scored (scoring runs in Python: keep it short)
    nominated = _charset_normalizer_guess(scored)

    candidates = list(_GUESS_CANDIDATES)
    if nominated and nominated not in candidates:
        candidates.append(nominated)

    groups: dict[str, list[str]] = {}  # decoded sample -> encodings giving it, in preference
    for enc in candidates:
        try:
            codecs.getincrementaldecoder(enc)(errors="strict").decode(sample, final=False)
            text = codecs.getincrementaldecoder(enc)(errors="strict").decode(scored, final=False)
        except (UnicodeDecodeError, LookupError):
            continue
        groups.setdefault(text, []).append(enc)

    # Scores are per non-ASCII byte, so a CJK character (two bytes) is weighed fairly
    # against two single-byte letters. charset-normalizer's nomination counts only
    # once there is something to go on; on a few accented letters it is a coin toss.
    high = len(scored) - len(scored.translate(None, _HIGH_BYTES))
    bonus = _CN_BONUS if high >= 24 else 0.0
    best: tuple[float, int, str] | None = None
    for text, encs in groups.items():
        score = _plausibility(text, _CJK_FAMILY.get(encs[0])) / max(high, 1)
        if nominated in encs:
            score += bonus
        rank = -candidates.index(encs[0])
        if best is None or (score, rank) > best[:2]:
            best = (score, rank, encs[0])
    # Real text scores about 1; random bytes stay well below (their best decoding is
    # usually a Cyrillic or CJK jumble, which charset-normalizer also rejects).
    floor = _GARBAGE_FLOOR if nominated else _GARBAGE_FLOOR_UNNOMINATED
    if best is None or best[0] < floor:
        raise InputError(
            f"{name} could not be decoded as text in any known encoding: "
            f"save it as UTF-8 text and try again."
        )
    encoding = best[2]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        # The sample decoded but a later byte does not: keep the guess, mark the damage.
        text = data.decode(encoding, errors="replace")
    reported = canonical_encoding(encoding)
    log.debug("%s: guessed %s (score %.2f, nominated %s)", name, reported, best[0], nominated)
    return Decoded(text, reported, [_guessed(name, reported)])


def _charset_normalizer_guess(sample: bytes) -> str | None:
    from charset_normalizer import from_bytes

    match = from_bytes(sample, cp_isolation=_CN_ISOLATION).best()
    if match is None:
        return None
    try:
        enc = canonical_encoding(match.encoding)
    except LookupError:
        return None
    return enc


_CJK_FAMILY = {
    "gb18030": "zh", "gbk": "zh", "gb2312": "zh", "big5": "big5", "big5hkscs": "big5",
    "cp950": "big5", "shift_jis": "ja", "cp932": "ja", "euc_jp": "ja", "euc_kr": "ko",
    "cp949": "ko", "johab": "ko",
}  # fmt: skip
# Where each family's frequent Han characters sit: (codec, first lead byte, last lead byte).
_COMMON_HAN = {
    "zh": ("gb2312", 0xB0, 0xD7),  # GB2312 level 1
    "big5": ("big5", 0xA4, 0xC6),  # Big5 frequently used characters
    "ja": ("shift_jis", 0x88, 0x9F),  # JIS X 0208 level 1
}


def _script(c: str) -> str:
    head = unicodedata.name(c, "").split(" ", 1)[0]
    if head in ("CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"):
        return "HAN"
    return head


def _cjk_score(c: str, family: str | None) -> float:
    """+1.8 for a character the encoding's language uses often (it took two bytes)."""
    if "\u3040" <= c <= "\u30ff":  # kana: Japanese only
        return 1.8 if family == "ja" else 0.3
    if "\uac00" <= c <= "\ud7af" or "\u1100" <= c <= "\u11ff" or "\u3130" <= c <= "\u318f":
        return 1.8 if family == "ko" else 0.3  # Hangul: Korean only
    common = _COMMON_HAN.get(family or "")
    if common is None:
        return 0.3
    codec, lo, hi = common
    try:
        return 1.8 if lo <= c.encode(codec)[0] <= hi else 0.3
    except UnicodeEncodeError:
        return 0.3


def _plausibility(text: str, family: str | None = None) -> float:
    """How much the non-ASCII characters of ``text`` look like real writing.

    Sensible text scores about +1 per non-ASCII byte, mojibake 0 or below. A non-ASCII
    letter scores +1 (+0.8 beyond Latin-1, so Western text wins a tie with Central
    European; +1.8 for a common CJK character of ``family``, which takes two bytes,
    +0.3 for a rare one), but -2 when its word mixes scripts or switches from lower to
    upper case, -1 as the fourth or later accented Latin letter in a row (Cyrillic read
    as cp1252 looks like that) and 0 next to a digit. Typographic punctuation scores
    +1, control and unassigned characters -5, other symbols -1.
    """
    total = 0.0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c.isascii():
            if not c.isalpha():
                i += 1
                continue
        elif not c.isalpha() and unicodedata.category(c) != "Mn":
            if c in _COMMON_SYMBOLS or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef":
                total += 1
            elif unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs"):
                total -= 5
            else:
                total -= 1
            i += 1
            continue
        # a word: letters and combining marks
        j = i
        while j < n and (text[j].isalpha() or unicodedata.category(text[j]) == "Mn"):
            j += 1
        word = text[i:j]
        by_digit = (i > 0 and text[i - 1].isdigit()) or (j < n and text[j].isdigit())
        i = j
        if word.isascii():
            continue
        mixed = len({_script(ch) for ch in word if ch.isalpha()}) > 1
        run = 0
        prev = ""
        for ch in word:
            if ch.isascii():
                run = 0
            elif unicodedata.category(ch) == "Mn":
                if not prev.isalpha() or unicodedata.category(prev) == "Mn":
                    total -= 1
            else:
                run += 1
                script = _script(ch)
                if mixed or (ch.isupper() and prev.islower()):
                    total -= 2
                elif run >= 4 and script == "LATIN":
                    total -= 1
                elif by_digit:
                    pass
                elif script in ("HAN", "HANGUL"):
                    total += _cjk_score(ch, family)
                elif script == "LATIN" and ch > "\u00ff":
                    total += 0.8
                else:
                    total += 1
            prev = ch
    return total
