"""Stage ``sentences``: split every turn into sentences.

Reads ``turns``; writes ``sentences``. A rule splitter tuned for official
speech: a boundary is sentence punctuation followed by space and a capital,
digit or opening quote, except after titles and abbreviations (``Mr.``,
``Gen.``, ``p.m.``), initials (``Michael R. Pompeo``) and acronyms
(``U.S. Government``) — an acronym ends a sentence only when a typical
sentence opener follows (``in the U.S. We``). A line break always ends a
sentence, so a sentence never crosses a paragraph or a turn.
"""

from __future__ import annotations

import re

from ..model import Sentence, Transcript
from ..pipeline import Context, stage

ABBREVIATIONS = frozenset(
    """
    mr mrs ms messrs mmes dr st jr sr gen lt col maj capt cmdr adm sgt gov sen rep sec amb
    prof rev hon pres supt insp det no nos vol vols fig figs art arts para paras pp approx est
    dept univ assn bros inc corp ltd co cf vs al ca jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun ft mt
    """.split()
)
# Words that open sentences; after an acronym ("U.S.", "p.m.") they mark a boundary.
OPENERS = frozenset(
    """
    The A An And But So This That These Those They He She It I We You Our My Your His Her Their Its
    There Here In On At As If When What Why How Who Which Where Now Well Let Thank Thanks Yes No
    Q Okay OK All And Also Again Then Today Tomorrow Yesterday For With After Before Because
    Many Some Most Every Each One Two Three Let's I'm I've I'll It's That's We're We've We'll
    """.split()
)
_CANDIDATE = re.compile(r"[.!?…]+[\"'’”)\]]*(?=[ \t]+[\"'“‘(\[—–-]*[A-Z0-9À-ÖØ-Þ])")
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_NEXT_WORD = re.compile(r"[ \t]+[\"'“‘(\[—–-]*([\w'’]+)")


def split_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (absolute when ``offset`` is the text's start)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        start = line_start + (len(line) - len(line.lstrip()))
        for m in _CANDIDATE.finditer(line):
            punct_at = m.start()
            if line[punct_at] == "." and m.group(0).startswith(".") and not _ends_sentence(line, m):
                continue
            end = line_start + m.end()
            if end > start:
                spans.append((offset + start, offset + end))
            nxt = m.end()
            while nxt < len(line) and line[nxt] in " \t":
                nxt += 1
            start = line_start + nxt
        end = line_start + len(line.rstrip())
        if end > start:
            spans.append((offset + start, offset + end))
    return spans


def _ends_sentence(line: str, m: re.Match[str]) -> bool:
    # The word the period ends (a backward scan, not a regex over the whole line).
    end = m.start() + 1
    start = max(line.rfind(" ", 0, end), line.rfind("\t", 0, end)) + 1
    word = line[start:end]
    if not word:
        return True
    core = word.lstrip("(\"'“‘[").rstrip(".")
    if not core:
        return True
    if len(core) == 1 and core.isalpha() and core.isupper():
        return False  # an initial: "Michael R. Pompeo"
    lowered = core.lower()
    if lowered in ABBREVIATIONS and "." not in core:
        return False
    if _ACRONYM.match(core + ".") or lowered in ("a.m", "p.m", "d.c", "u.s", "u.n", "u.k", "e.u"):
        nw = _NEXT_WORD.match(line, m.end())
        return bool(nw and nw.group(1) in OPENERS)
    return True


@stage("sentences", requires=("turns",), provides="sentences")
def sentences(doc: Transcript, ctx: Context) -> None:
    text = doc.text
    result: list[Sentence] = []
    n = 0
    for turn in doc.turns:
        for a, b in split_spans(turn.text, turn.start):
            n += 1
            result.append(Sentence(id=f"s{n}", turn=turn.id, start=a, end=b, text=text[a:b]))
    doc.sentences = result
