"""Stage ``notes``: what a transcript holds besides speech, kept in its own words.

Reads ``turns``; writes ``notes`` (ParlaMint-style typed notes: interpretation,
inaudible, crosstalk, reaction, gap, sic, other) and marks a turn
``interpreted`` when a note says it was. One regex pass over the whole text;
notes map to turns by offset.
"""

from __future__ import annotations

import bisect
import re

from ..model import Note, Transcript
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
    in_label = bytearray(len(text))
    for t in doc.turns:
        if t.label_start is not None and t.label_end is not None:
            in_label[t.label_start : t.label_end] = b"\x01" * (t.label_end - t.label_start)
    for m in _BRACKETED.finditer(text):
        square = m.group("b") is not None
        inner = m.group("b") if square else m.group("p")
        kind = classify(inner, square)
        if kind is not None and not (kind[0] == "other" and in_label[m.start()]):
            # "[NATO Secretary General]" in a label is the speaker's role, not an insertion.
            add(m.start(), m.end(), *kind)
    if "*" in text:
        for m in _SIC_STAR.finditer(text):
            add(m.start(), m.end(), "sic", "asterisk")
    for t in doc.turns:
        if t.label_end is not None and t.label_end < t.start:
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
