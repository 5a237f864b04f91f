"""Stage ``notes``: what a transcript holds besides speech, kept in its own words.

Reads ``turns``; writes ``notes`` (ParlaMint-style typed notes: interpretation,
inaudible, crosstalk, reaction, gap, sic, other) and marks a turn
``interpreted`` when a note says it was. One regex pass over the whole text;
notes map to turns by offset.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ..model import Note, Transcript, Turn
from ..pipeline import Context, stage

_LANG = (
    r"english|russian|french|spanish|german|chinese|mandarin|cantonese|arabic|ukrainian|japanese|"
    r"korean|hebrew|turkish|persian|farsi|dari|pashto|italian|portuguese|polish|hindi|urdu|greek|"
    r"dutch|swedish|finnish|norwegian|danish|czech|hungarian|romanian|serbian|croatian|vietnamese|"
    r"thai|indonesian|malay|tagalog|swahili|georgian|armenian|azerbaijani|kazakh|uzbek|belarusian"
)
# Ordered: the first category whose pattern matches the note's inner text wins.
CATEGORIES: list[tuple[str, str | None, re.Pattern[str]]] = [
    ("sic", None, re.compile(r"^sic[.!]?$", re.I)),
    (
        "interpretation",
        None,
        re.compile(
            r"^(?:via|through|by)\s+(?:an?\s+|the\s+)?inter\w*|as interpreted|^interpret(?:ed|ation)\b|"
            r"^(?:speaks|speaking|spoken|continues|answers|replies)\s+(?:in\s+)?(?:" + _LANG + r")\b|"
            r"^in\s+(?:" + _LANG + r")\b|no translation|^(?:re)?translat\w*|^(?:english|simultaneous) translation|"
            r"through (?:a )?translator|^interpreter\b",
            re.I,
        ),
    ),
    (
        "inaudible",
        None,
        re.compile(
            r"inaudible|unintelligible|indiscernible|audio (?:drops?|cuts? out|breaks? up|is lost)|"
            r"not audible|garbled|muffled|off[- ]mic",
            re.I,
        ),
    ),
    (
        "crosstalk",
        None,
        re.compile(
            r"cross[- ]?talk|overlapping|speaking (?:simultaneously|at once)|simultaneous(?:ly)? (?:speak|talk)|"
            r"multiple (?:reporters|speakers|people)|reporters? (?:speak|talk|shout|ask)\w*|all talking",
            re.I,
        ),
    ),
    (
        "reaction",
        None,
        re.compile(
            r"^(?:laughter|laughs|laughing|applause|chuckles?|coughs?|clears? (?:his |her )?throat|sneezes?|"
            r"sighs?|boos?|booing|cheers?|cheering|groans?|murmurs?|whistles?|gasps?|"
            r"(?:a |the )?(?:reporter|audience|crowd|president|secretary)\w* (?:laugh|applaud|sneez|cough|cheer)\w*|"
            r"laughter and applause|applause and laughter)",
            re.I,
        ),
    ),
    (
        "gap",
        None,
        re.compile(
            r"^(?:\.\s*){3}$|^…$|^(?:break|gap|pause|interruption) in (?:the )?(?:transcript|recording|audio|tape|feed)|"
            r"omitted|not transcribed|redacted|(?:audio|video|feed|recording|transcript|call) "
            r"(?:ends|lost|interrupted|cut off|stops|resumes|drops)|technical difficult|off the record|"
            r"in progress|tape (?:break|change)",
            re.I,
        ),
    ),
]
_BRACKETED = re.compile(r"\((?P<p>[^()\n]{1,120})\)|\[(?P<b>[^\[\]\n]{1,120})\]")
_STRIKE = re.compile(r"<s>[^<\n]{0,200}</s>(?:\s*\[[^\[\]\n]{0,120}\])?")
# A transcriber's doubt mark: a word immediately followed by one asterisk ("Prime*").
_SIC_STAR = re.compile(r"(?<![\w*])[^\W\d_][\w'’-]*\*(?![\w*])")
_STAGE_DIRECTION = re.compile(r"^[A-Z][^()]{2,118}\.$")
_TIMESTAMP = re.compile(r"\(?\[?\d{1,2}:\d{2}(?::\d{2})?\]?\)?")
_SHORTEST_TIMESTAMP = 4  # "1:05"


def _bracketed(text: str) -> Iterator[re.Match[str]]:
    """``_BRACKETED.finditer(text)``, its candidates found by ``str.find``.

    The regex engine steps through a long text a character at a time looking for an opening
    bracket; ``str.find`` skips to the next one many times faster, and a match can start at
    nothing else.
    """
    find = text.find
    next_round = find("(")
    next_square = find("[")
    while next_round != -1 or next_square != -1:
        both = next_round != -1 and next_square != -1
        k = min(next_round, next_square) if both else max(next_round, next_square)
        m = _BRACKETED.match(text, k)
        pos = k + 1
        if m:
            yield m
            pos = m.end()
        if next_round != -1 and next_round < pos:
            next_round = find("(", pos)
        if next_square != -1 and next_square < pos:
            next_square = find("[", pos)


def _sic_stars(text: str) -> Iterator[re.Match[str]]:
    """``_SIC_STAR.finditer(text)``, tried only at the words before each asterisk.

    The pattern opens with a lookbehind, which the regex engine tries at every position; a
    match ends at an asterisk and starts after the last blank or line break before it.
    """
    find, rfind = text.find, text.rfind
    pos = 0
    while (star := find("*", pos)) != -1:
        word_start = max(pos, rfind(" ", pos, star) + 1, rfind("\n", pos, star) + 1)
        # The end bound still shows the character after the asterisk to the lookahead.
        m = _SIC_STAR.search(text, word_start, star + 2)
        pos = star + 1
        if m:
            yield m


def classify(inner: str, square: bool) -> tuple[str, str | None] | None:
    """The note type of a bracketed text, or None when it is speech (e.g. "401(k)")."""
    s = inner.strip()
    for note_type, subtype, pat in CATEGORIES:
        if pat.search(s):
            return note_type, subtype
    if square:
        return "other", "insertion"  # editorial insertions: "[senior administration official]"
    if _STAGE_DIRECTION.match(s) and len(s.split()) <= 12:
        return "other", "stage_direction"  # "(Cell phone rings.)"
    return None


@stage("notes", requires=("turns",), provides="notes")
def notes(doc: Transcript, ctx: Context) -> None:
    text = doc.text
    found: list[tuple[int, int, str, str | None]] = []
    taken = bytearray(len(text))

    def add(a: int, b: int, note_type: str, subtype: str | None) -> None:
        if any(taken[a:b]):
            return
        taken[a:b] = b"\x01" * (b - a)
        found.append((a, b, note_type, subtype))

    for m in _STRIKE.finditer(text):
        add(m.start(), m.end(), "other", "correction")
    in_label: bytearray | None = None  # built when first needed: most brackets are not "other"
    for m in _bracketed(text):
        square = m.group("b") is not None
        inner = m.group("b") if square else m.group("p")
        kind = classify(inner, square)
        if kind is not None and kind[0] == "other":
            if in_label is None:
                in_label = _label_mask(doc.turns, len(text))
            if in_label[m.start()]:
                continue  # "[NATO Secretary General]" in a label is the speaker's role, not an insertion.
        if kind is not None:
            add(m.start(), m.end(), *kind)
    for m in _sic_stars(text):
        add(m.start(), m.end(), "sic", "asterisk")
    for t in doc.turns:
        if t.label_end is not None and t.start - t.label_end >= _SHORTEST_TIMESTAMP:
            m = _TIMESTAMP.search(text, t.label_end, t.start)
            if m:
                add(m.start(), m.end(), "other", "timestamp")

    starts = [t.label_start if t.label_start is not None else t.start for t in doc.turns]
    result = []
    for a, b, note_type, subtype in sorted(found):
        k = bisect.bisect_right(starts, a) - 1
        turn = doc.turns[k] if k >= 0 and a < doc.turns[k].end else None
        result.append(Note(note_type, turn.id if turn else None, a, b, text[a:b], subtype))
        if turn is not None and note_type == "interpretation":
            if not re.search(r"\bin english\b|no translation", text[a:b], re.I):
                turn.interpreted = True
    doc.notes = result


def _label_mask(turns: list[Turn], size: int) -> bytearray:
    """One byte per character of the text: 1 inside a speaker label."""
    mask = bytearray(size)
    for t in turns:
        if t.label_start is not None and t.label_end is not None:
            mask[t.label_start : t.label_end] = b"\x01" * (t.label_end - t.label_start)
    return mask
