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
# A line break (with the spaces around it), or sentence punctuation followed by space and a
# capital, digit or opening quote.
# It opens with a character class (the branch is chosen by lookbehind) so that the regex engine
# skips ahead to the next candidate character: 2.5x faster than "\n\s*|(?P<p>[.!?…]+…)".
_BOUNDARY = re.compile(
    r"[\n.!?…](?:(?<=\n)\s*|"
    r"(?<=[.!?…])(?P<p>[.!?…]*[\"'’”)\]]*)[ \t]+(?=[\"'“‘(\[—–-]*[A-Z0-9À-ÖØ-Þ]))"
)
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_NEXT_WORD = re.compile(r"[ \t]+[\"'“‘(\[—–-]*([\w'’]+)")
_DOTTED = frozenset(("a.m", "p.m", "d.c", "u.s", "u.n", "u.k", "e.u"))


def split_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (absolute when ``offset`` is the text's start).

    One regex pass over the whole text: a line break always ends a sentence;
    punctuation ends one unless the word before it is an abbreviation.
    """
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for m in _BOUNDARY.finditer(text):
        p_end = m.end("p")
        if p_end == -1:
            end = m.start()  # a line break, less the spaces before it
            while end > start and text[end - 1] in " \t":
                end -= 1
        elif text[m.start()] == "." and not _ends_sentence(text, m.start(), p_end):
            continue
        else:
            end = p_end
        if end > start:
            spans.append((offset + start, offset + end))
        start = m.end()
    end = len(text.rstrip())
    if end > start:
        spans.append((offset + start, offset + end))
    return spans


def _ends_sentence(text: str, dot: int, after: int) -> bool:
    """Whether the period at ``dot`` ends a sentence, judged by the word it ends."""
    # the word's start: the last space before the dot (a word is short: look near it first)
    near = max(0, dot - 40)
    start = max(text.rfind(" ", near, dot), text.rfind("\t", near, dot), text.rfind("\n", near, dot))
    if start < 0:
        start = max(text.rfind(" ", 0, dot), text.rfind("\t", 0, dot), text.rfind("\n", 0, dot))
    start += 1
    core = text[start:dot].lstrip("(\"'“‘[")
    if not core:
        return True
    if "." not in core:
        if len(core) == 1:
            return not (core.isalpha() and core.isupper())  # an initial: "Michael R. Pompeo"
        return len(core) > 6 or core.lower() not in ABBREVIATIONS
    if core.lower() in _DOTTED or _ACRONYM.match(core + "."):
        # "U.S." and "p.m." end a sentence only before a typical opener ("in the U.S. We ...").
        nw = _NEXT_WORD.match(text, after)
        return bool(nw and nw.group(1) in OPENERS)
    return True


@stage("sentences", requires=("turns",), provides="sentences")
def sentences(doc: Transcript, ctx: Context) -> None:
    text = doc.text
    result: list[Sentence] = []
    append = result.append
    n = 0
    for turn in doc.turns:
        tid = turn.id
        for a, b in split_spans(turn.text, turn.start):
            n += 1
            append(Sentence(f"s{n}", tid, a, b, text[a:b]))
    doc.sentences = result
