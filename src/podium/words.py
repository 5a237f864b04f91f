"""Content words and their stems, shared by the stages that compare a question with an answer.

A *stem* here is a prefix: the lower-cased word with one common suffix cut off, at most six
letters long (``sanctions`` → ``sanct``... ``negotiations`` → ``negoti``). Because it is a
prefix, whether an answer uses a question's word is a substring search for the stem at a
word start (``present``), done by ``str.find`` in C over the answer's span of the document's
lower-cased text — no tokenising of answers, which are most of a transcript's text.
"""

from __future__ import annotations

import functools
import re

__all__ = ["STOP", "content_stems", "cue_text", "lowered", "present", "stem"]

# Words of three letters or more: shorter ones are no content words.
_WORD = re.compile(r"[a-z][a-z'’]{2,}")
_SUFFIXES = (
    "ations", "ation", "ians", "ian", "ings", "ing", "ments", "ment", "ies", "ia", "ed", "es",
    "s", "ly", "an",
)  # fmt: skip
# Words that say nothing about a question's topic: function words, question scaffolding,
# titles and the small talk of a press conference.
STOP = frozenset(
    """
    a about above after again against all almost also although always am among an and another any
    anyone anything are aren't around as ask asked asking at be because been before being below
    between both but by can can't cannot could couldn't did didn't do does doesn't doing don't done
    down during each either else even ever every few first for from further get gets getting give go
    going got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
    herself him himself his how however i i'd i'll i'm i've if in into is isn't it it's its itself
    just kind know last let let's like ll look lot made make many may me might more most much must
    my myself need never no nor not now of off on once one only or other others ought our ours
    ourselves out over own part people please point put question questions quite rather re really
    regard regarding respect right said same say saying says second see seem she she'd she'll she's
    should shouldn't since so some something still such sure take talk tell than thank thanks that
    that's the their theirs them themselves then there there's these they they'd they'll they're
    they've thing things think third this those though through thus time to today told too two
    under until up upon us ve very view want wanted was wasn't way we we'd we'll we're we've well
    were weren't what what's when where whether which while who whom whose why will with within
    without won't would wouldn't year years yes yet you you'd you'll you're you've your yours
    yourself mr ms mrs madam sir secretary minister ministers president prime foreign affairs
    follow actually able
    """.split()
)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The prefix stem of a lower-case word (see the module's docstring)."""
    w = word.replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'")
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    return w[:6]


@functools.lru_cache(maxsize=8192)
def content_stems(text: str, skip: frozenset[str] = frozenset()) -> frozenset[str]:
    """The stems of ``text``'s content words (not in ``STOP`` nor ``skip``, three letters or more)."""
    low = text.lower()
    if "’" in low:
        low = low.replace("’", "'")
    words = set(_WORD.findall(low))  # each distinct word stemmed once
    words -= STOP
    if skip:
        words -= skip
    return frozenset(map(stem, words))


def lowered(text: str) -> str:
    """``text`` in lower case with every offset kept ("İ" lower-cases to two characters)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low


# The clarity and events stages both read a whole document's cue text: the second gets the
# first's (a string's hash is kept, so the lookup costs little once hashed).
@functools.lru_cache(maxsize=1)
def cue_text(text: str) -> str:
    """The text cue phrases are matched in: ``lowered``, curly apostrophes as ', one line."""
    return lowered(text).replace("’", "'").replace("‘", "'").replace("\n", " ")


def present(low: str, stems: frozenset[str] | set[str], start: int = 0, end: int | None = None) -> set[str]:
    """The stems that open some word of ``low[start:end]`` (``low`` is lower-cased text).

    A stem of three letters must be the whole word (or the word plus ``s``): ``war`` is in
    "wars", not in "warning".
    """
    end = len(low) if end is None else end
    found = set()
    for s in stems:
        i = low.find(s, start, end)
        while i >= 0:
            if i == 0 or not low[i - 1].isalpha():
                j = i + len(s)
                if len(s) > 3 or j >= len(low) or not low[j].isalpha() or (
                    low[j] == "s" and (j + 1 >= len(low) or not low[j + 1].isalpha())
                ):
                    found.add(s)
                    break
            i = low.find(s, i + 1, end)
    return found
