"""Stage ``events``: who does what to whom, sentence by sentence, in PLOVER terms.

For each sentence a side's speaker states (principals' turns, never questions), ``classify``
finds the cue phrases of ``knowledge/data/event_cues.txt`` with one Aho-Corasick pass, keeps
the strongest (a later cue, or one inside an if-clause, a relative clause or a "despite" phrase
counts for less), reads negation, conditionals and the future from the few words before it,
and finds the actors: the grammatical subject before the cue (a principal's "we"/"I" is the
speaker's country; "Foreign Minister Lavrov raised…" is Russia's act) and the first country
after it ("I urged Russia to…" → RUS). Everything is lexical and local — no parser: one
automaton pass over the document, then work only for the sentences that hold a cue.

Diplomatic speech the rules are written for:

- negation: "we do not recognize…" turns SUPPORT into REJECT (the cue file says so);
  "We fundamentally do not seek a war…" is no event at all;
- conditionals: "if American interests are attacked, we will… respond" is THREATEN, flagged
  hypothetical; a hostile act in the main clause of a conditional becomes a THREATEN too;
- mutual acts (agreeing, talks, cooperation, "we have disagreement"): a first-person "we"
  with no named partner has the other side of the press conference as its target.
"""

from __future__ import annotations

import bisect
import functools
import importlib.resources
import itertools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import ahocorasick

from ..knowledge import ORG_CODES, Knowledge
from ..model import Sentence, Speaker, Transcript, Turn
from ..pipeline import Context, stage
from ..words import cue_text

__all__ = [
    "PLOVER",
    "Cue",
    "CueTable",
    "EventGuess",
    "Mention",
    "Resolver",
    "classify",
    "cue_table",
    "events",
    "main_clauses",
    "mentions",
    "parse_cues",
]

PLOVER = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
MUTUAL_TYPES = frozenset({"CONSULT", "COOPERATE"})
# Material acts that, announced rather than done, are threats (CAMEO 13x) or promises (03x).
HOSTILE_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"})
COOPERATIVE_TYPES = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE"})
MAX_GAP = 3  # words a `*` may stand for
MIN_SCORE = 0.3  # below this the best cue is too weak to state an event


# -- the cue file --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    pattern: str
    type: str | None  # None: a blocking phrase
    weight: float
    negated: str | None  # type under negation; "" = no event; None = same type, flagged
    mutual: bool
    line: int
    other: bool  # an event only when said of another party (not "we", "I")
    # The pattern's parts between `*` gaps, each as the tuple of its spellings.
    segments: tuple[tuple[str, ...], ...] = ()


_TYPE_FIELD = re.compile(r"^([A-Z]+)(?:/(mutual|other))?$")


def _verb_forms(lemma: str, irregular: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """A verb's regular forms (both spellings where a final consonant may double)."""
    vowels = "aeiou"
    forms = [lemma]
    if lemma.endswith("ee"):
        forms += [lemma + "s", lemma + "d", lemma + "ing"]
    elif lemma.endswith("ie"):
        forms += [lemma + "s", lemma + "d", lemma[:-2] + "ying"]
    elif lemma.endswith("e"):
        forms += [lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    elif lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in vowels:
        forms += [lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    elif lemma.endswith(("s", "x", "z", "ch", "sh")):
        forms += [lemma + "es", lemma + "ed", lemma + "ing"]
    else:
        forms += [lemma + "s", lemma + "ed", lemma + "ing"]
        if (
            len(lemma) >= 3
            and lemma[-1] not in vowels + "wxy"
            and lemma[-2] in vowels
            and lemma[-3] not in vowels
        ):  # ban → banned; visit → visited: both spellings, the wrong one never matches
            forms += [lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]
    forms += irregular.get(lemma, ())
    return tuple(dict.fromkeys(forms))


def _expand(segment: list[str], irregular: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    alternatives = [
        _verb_forms(tok[:-1], irregular) if tok.endswith("+") and len(tok) > 1 else (tok,)
        for tok in segment
    ]
    return tuple(" ".join(p) for p in itertools.product(*alternatives))


def parse_cues(text: str, source: str = "<cues>") -> tuple[Cue, ...]:
    """Parse a cue file (grammar: the header of ``event_cues.txt``); errors name the line."""
    irregular: dict[str, tuple[str, ...]] = {}
    records: list[tuple[int, str, list[str]]] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("@"):
            m = re.match(r"^@forms\s+([a-z-]+)\s*:\s*(.+)$", line)
            if not m:
                raise ValueError(f"{source}:{n}: expected '@forms lemma: form, form', got {raw!r}")
            forms = tuple(f.strip().lower() for f in m.group(2).split(",") if f.strip())
            if not forms or not all(re.fullmatch(r"[a-z'-]+", f) for f in forms):
                raise ValueError(f"{source}:{n}: bad verb forms {m.group(2)!r}")
            irregular[m.group(1)] = irregular.get(m.group(1), ()) + forms
            continue
        records.append((n, raw, [p.strip() for p in line.split("|")]))

    out: list[Cue] = []
    for n, raw, parts in records:
        if len(parts) not in (3, 4) or not all(parts[:3]):
            raise ValueError(
                f"{source}:{n}: expected 'pattern | TYPE | weight [| NEGATED]', got {raw!r}"
            )
        pattern, type_s, weight_s = parts[:3]
        tokens = pattern.lower().replace("’", "'").split()
        if (
            tokens[0] == "*"
            or tokens[-1] == "*"
            or any(a == b == "*" for a, b in itertools.pairwise(tokens))
        ):
            raise ValueError(f"{source}:{n}: a '*' must stand between two words in {pattern!r}")
        if any(not re.fullmatch(r"[\w'.-]+\+?|\*", t) for t in tokens):
            raise ValueError(f"{source}:{n}: bad word in pattern {pattern!r}")
        if type_s == "-":
            cue_type, mutual, other = None, False, False
        else:
            m = _TYPE_FIELD.match(type_s)
            if not m or m.group(1) not in PLOVER:
                raise ValueError(f"{source}:{n}: unknown event type {type_s!r}")
            cue_type = m.group(1)
            mutual = m.group(2) == "mutual" or cue_type in MUTUAL_TYPES
            other = m.group(2) == "other"
        try:
            weight = float(weight_s)
        except ValueError:
            raise ValueError(f"{source}:{n}: weight {weight_s!r} is not a number") from None
        if not 0 < weight <= 1:
            raise ValueError(f"{source}:{n}: weight {weight} is not in (0, 1]")
        negated: str | None = None
        if len(parts) == 4:
            if parts[3] == "-":
                negated = ""
            elif parts[3] in PLOVER:
                negated = parts[3]
            else:
                raise ValueError(f"{source}:{n}: unknown negated type {parts[3]!r}")
        segments = [list(g) for k, g in itertools.groupby(tokens, lambda t: t == "*") if not k]
        expanded = tuple(_expand(seg, irregular) for seg in segments)
        out.append(Cue(pattern, cue_type, weight, negated, mutual, n, other, expanded))
    return tuple(out)


class _Entry(NamedTuple):
    """A cue an anchor may belong to, with what checking it in a sentence needs."""

    cue: Cue
    length: int  # the anchor's length
    mid_word: bool  # the key starts mid-word ("n't tolerate")
    needles: tuple[str, ...]  # a string each other segment contains (none: one segment)
    after: tuple[dict[str, tuple[str, ...]], ...]  # the segments after the anchor, by first word
    before: tuple[dict[str, tuple[str, ...]], ...]  # those before it, nearest first, by last word


@dataclass(frozen=True)
class CueTable:
    cues: tuple[Cue, ...]
    # " anchor " → (_Entry, ...), matched against the scan text (see _scan_text), where every
    # word stands between spaces
    automaton: ahocorasick.Automaton


# Very frequent words make poor anchors: each occurrence costs a check.
_COMMON = frozenset(
    """will would work take back put give end call move ask keep open use order share help
    look send set make go leave stand hold raise show mass station stop block launch fire
    reach strike sign lift ease allow grant deliver supply establish restore express voice
    withdraw deploy impose maintain provide cut""".split()
)


_FUNCTION_WORDS = frozenset(
    "to on for with of in the a an from by at up out off down over into about against".split()
)


def _anchor(cue: Cue) -> int:
    """The segment the automaton looks for: the least frequent-looking one."""

    def rarity(k: int) -> tuple[int, int]:
        seg = cue.segments[k]
        one_word = len(seg[0].split()) == 1
        level = 2
        if one_word and any(a in _FUNCTION_WORDS for a in seg):
            level = 0
        elif one_word and any(a in _COMMON for a in seg):
            level = 1
        return (level, min(len(a) for a in seg))

    return max(range(len(cue.segments)), key=rarity)


def _by_word(alternatives: tuple[str, ...], index: int) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for a in alternatives:
        key = a.split()[index]
        out[key] = (*out.get(key, ()), a)
    return out


def build_table(cues: tuple[Cue, ...]) -> CueTable:
    keys: dict[str, list[tuple[int, int, int, bool]]] = {}
    anchors = tuple(_anchor(c) for c in cues)
    for i, cue in enumerate(cues):
        k = anchors[i]
        for a in cue.segments[k]:
            keys.setdefault(f" {a} ", []).append((i, k, len(a), False))
            if a.startswith("not ") and k == 0:  # "won't tolerate", "cannot tolerate"
                keys.setdefault(f"n't{a[3:]} ", []).append((i, k, len(a), True))
                keys.setdefault(f" can{a} ", []).append((i, k, len(a) + 3, False))
    forward = tuple(tuple(_by_word(seg, 0) for seg in c.segments) for c in cues)
    backward = tuple(tuple(_by_word(seg, -1) for seg in c.segments) for c in cues)
    needles = tuple(
        tuple(os.path.commonprefix(seg) for k, seg in enumerate(c.segments) if k != anchors[i])
        for i, c in enumerate(cues)
    )
    automaton = ahocorasick.Automaton()
    for key, entries in keys.items():
        # each entry carries what checking it needs, so that _hits looks nothing up
        automaton.add_word(
            key,
            tuple(
                _Entry(
                    cues[i],
                    length,
                    mid_word,
                    needles[i],
                    forward[i][k + 1 :],
                    backward[i][:k][::-1],
                )
                for i, k, length, mid_word in entries
            ),
        )
    automaton.make_automaton()
    return CueTable(cues, automaton)


@functools.lru_cache(maxsize=4)
def cue_table(extra: tuple[str, ...] = ()) -> CueTable:
    """The package's cue table, then each ``extra`` cue file, with their automaton; built
    once per process (the stage reads ``extra`` from ``ctx.options["event_cues"]``)."""
    data = importlib.resources.files("podium.knowledge").joinpath("data", "event_cues.txt")
    text = data.read_text(encoding="utf-8")
    cues = parse_cues(text, "podium/knowledge/data/event_cues.txt")
    for path in extra:
        cues += parse_cues(Path(path).read_text(encoding="utf-8-sig"), str(path))
    return build_table(cues)


# -- finding cues --------------------------------------------------------------------------


# Everything but letters, digits, ' - and _ becomes a space (non-ASCII is "?" first), so the
# automaton finds whole words by their surrounding spaces. Bytes translate at memory speed.
_SCAN_BYTES = bytes(
    c if chr(c).isascii() and (chr(c).isalnum() or chr(c) in "'-_") else 32 for c in range(256)
)


def _scan_text(low: str) -> str:
    """``low`` between two spaces with its punctuation blanked (offset p is p + 1 here)."""
    blank = low.encode("ascii", "replace").translate(_SCAN_BYTES).decode("ascii")
    return f" {blank} "


def _scan_said(low: str, said: list[tuple[Sentence, Speaker]]) -> tuple[str, list[int]]:
    """The sides' sentences in ``_scan_text`` form, one after another between single spaces
    (questions and headers, most of a briefing's anchors, are left out), and where each
    sentence starts in it."""
    blank = low.encode("ascii", "replace").translate(_SCAN_BYTES)  # one byte per character
    pieces = [blank[s.start : s.end] for s, _ in said]
    starts = []
    at = 1
    for piece in pieces:
        starts.append(at)
        at += len(piece) + 1
    return f" {b' '.join(pieces).decode('ascii')} ", starts


def _word_char(c: str) -> bool:
    return c.isalnum() or c in "-_"


_EDGE = "\"'()“”[],.;:!?"


def _follows(low: str, pos: int, index: dict[str, tuple[str, ...]]) -> int | None:
    """End of a spelling in ``index`` (by first word) starting within MAX_GAP words after
    ``pos``; a gap does not run past ; : ? !"""
    n = len(low)
    i = pos
    for _ in range(MAX_GAP + 1):
        while i < n and low[i] == " ":
            i += 1
        j = low.find(" ", i)
        j = n if j < 0 else j
        word = low[i:j].strip(_EDGE)
        for a in index.get(word, ()):
            e = i + len(a)
            if low.startswith(a, i) and (e == n or not _word_char(low[e])):
                return e
        if j == i or low[j - 1] in ";:?!":
            return None
        i = j
    return None


def _precedes(low: str, pos: int, index: dict[str, tuple[str, ...]]) -> int | None:
    """Start of a spelling in ``index`` (by last word) ending within MAX_GAP words before
    ``pos``; a gap does not run past ; : ? !"""
    i = pos
    for _ in range(MAX_GAP + 1):
        while i > 0 and low[i - 1] == " ":
            i -= 1
        j = low.rfind(" ", 0, i) + 1
        word = low[j:i].strip(_EDGE)
        for a in index.get(word, ()):
            e = j + low[j:i].find(word) + len(word)  # "would, in particular, welcome"
            b = e - len(a)
            if b >= 0 and low.startswith(a, b) and (b == 0 or not _word_char(low[b - 1])):
                return b
        if j == i or low[i - 1] in ";:?!":
            return None
        i = j
    return None


class _Hit(NamedTuple):
    start: int
    end: int
    cue: Cue


_Raw = tuple[int, tuple[_Entry, ...]]  # (end of the key, the entries of the key)


def _scan(scan: str, table: CueTable, lo: int = 0, hi: int | None = None) -> list[_Raw]:
    """Anchors in the scan text between ``lo`` and ``hi`` (ends: just past the anchor)."""
    hi = len(scan) if hi is None else hi
    return list(table.automaton.iter(scan, lo, hi))


def _gapped_span(
    low: str,
    start: int,
    stop: int,
    needles: tuple[str, ...],
    after: tuple[dict[str, tuple[str, ...]], ...],
    before: tuple[dict[str, tuple[str, ...]], ...],
) -> tuple[int, int] | None:
    """The whole span of a cue with gaps whose anchor spans ``start``–``stop``, or None when
    its other segments are not within reach."""
    for x in needles:
        if x not in low:
            return None  # a word the cue needs is not in the sentence at all
    end: int | None = stop
    for index in after:
        end = _follows(low, end, index)
        if end is None:
            return None
    first: int | None = start
    for index in before:
        first = _precedes(low, first, index)
        if first is None:
            return None
    return first, end


def _hits(low: str, raw: list[_Raw], shift: int) -> list[_Hit]:
    """The cues of ``low`` from its anchors (``raw`` positions minus ``shift`` are offsets
    into ``low``), gaps checked, blocking phrases and the cues inside them removed."""
    found: list[_Hit] = []
    blocks: list[_Hit] = []
    n = len(low)
    for last, entries in raw:
        # the key ends with a space at ``last``: the anchor ends just before it
        stop = last - shift
        for cue, length, mid_word, needles, after, before in entries:
            start = stop - length
            if start < 0 or stop > n or (mid_word and (start == 0 or not low[start - 1].isalpha())):
                continue
            end = stop
            if needles:  # a cue of one segment (most) needs nothing more
                span = _gapped_span(low, start, stop, needles, after, before)
                if span is None:
                    continue
                start, end = span
            (found if cue.type else blocks).append(_Hit(start, end, cue))
    if len(found) < 2 and not blocks:
        return found
    kept = []
    for h in found:
        if any(b.start <= h.start and h.end <= b.end for b in blocks):
            continue
        # a longer cue around this one speaks for it ("lift the sanctions" over "sanctions")
        if any(
            o is not h
            and o.start <= h.start
            and h.end <= o.end
            and (o.end - o.start > h.end - h.start or o.cue.weight > h.cue.weight)
            for o in found
        ):
            continue
        kept.append(h)
    kept.sort(key=lambda h: (h.start, -h.end))
    return kept


# -- context around a cue ------------------------------------------------------------------

_NEGATORS = frozenset(
    "not never no nor neither without cannot unable fail fails failed failing".split()
)
# Every word ``_negator`` can return contains one of these (a quick test before it runs).
# (It opens with a character class, so the engine skips ahead to a candidate letter.)
_NEGATION_HINT = re.compile(
    r"[nwcuf](?:(?<=n)'t|(?<!\w.)(?:(?<=n)(?:ot|ever|o|or|either)|(?<=w)ithout|(?<=c)annot|"
    r"(?<=u)nable|(?<=f)ail))"
)
_MODALS = frozenset("would could might should may".split())
_FUTURE = re.compile(
    r"(?:\b(?:will|shall|gonna|going to|about to|plans? to|planning to|intends? to)|'ll)\b"
)
# Words that announce an act: "said they would boycott", "offered to negotiate".
_INTENT = re.compile(
    r"(?:\b(?:will|would|shall|gonna|going to|plans? to|planning to|intends? to|"
    r"ready to|prepared to|willing to|offer(?:s|ed)? to|promise[sd]? to|pledge[sd]? to|"
    r"vow(?:s|ed)? to|sworn to|swore to|threaten(?:s|ed)? to|agree[sd]? to|decided to)|'ll|'d)\b"
)
_ONGOING = frozenset({"continue", "continues", "keep", "keeps", "remain", "still"})
# "X must…", "Y should…": said of another party, a demand.
_DEONTIC = re.compile(r"\b(?:must|should|ought to|needs? to|has to|have to)\b")
_REPORTING = re.compile(r"\b(?:said|says|say|told|tells|stated|announced|declared|insisted)\b")
_RELATIVE = frozenset({"who", "which", "whom", "whose"})
_LAST_CLAUSE_MARK = re.compile(r"(?s:.*)[,;:(–—]")
# "if" or "unless" as words, written to open with a character class (twice as fast as
# "\b(?:if|unless)\b", the same matches)
_IF = re.compile(r"[iu](?<!\w.)(?:(?<=i)f|(?<=u)nless)\b")


def _clause_before(low: str, start: int, span: int = 60) -> str:
    """The words of the clause just before ``start`` (back to a comma or a semicolon)."""
    pre = low[max(0, start - span) : start]
    m = _LAST_CLAUSE_MARK.match(pre)  # one match backing off from the end, not six rfinds
    return pre[m.end() :] if m is not None else pre


_NEW_VERB_PHRASE = frozenset({"and", "or", "but", "then", "while", "because", "so"})


def _negator(words: list[str]) -> str | None:
    """The negation among the words before a cue, if one bears on it."""
    for i in range(len(words) - 1, -1, -1):
        if words[i] in _NEW_VERB_PHRASE:  # "we do not recognize it and call on China to…"
            words = words[i + 1 :]
            break
    for i, w in enumerate(words):
        w = w.strip("\"'()")
        if (w in _NEGATORS or w.endswith("n't")) and not (
            i + 1 < len(words) and words[i + 1] == "only"  # "not only … but"
        ):
            return w
    return None


# ";", a dash between spaces, or "but" — written to open with a character class so that the
# engine skips ahead to candidates (the plain alternation tries every position).
_SEGMENT_BREAK = re.compile(r"[;\sb](?:(?<=;)|(?<=\s)(?:[–—]|--)\s|(?<!\w.)(?<=b)ut\b)")


def main_clauses(low: str) -> list[int]:
    """Starts of the sentence's main clauses (split at ";", a dash, "but")."""
    if (
        ";" not in low
        and "but" not in low
        and "–" not in low
        and "—" not in low
        and "--" not in low
    ):
        return [0]  # the usual case, without the regex
    return [0] + [m.start() for m in _SEGMENT_BREAK.finditer(low)]


def _if_clause(low: str, start: int, end: int, seg_start: int, seg_end: int) -> tuple[bool, bool]:
    """(the cue is inside an if/unless clause, its clause is conditional)."""
    inside = False
    conditional = False
    for m in _IF.finditer(low, seg_start, seg_end):
        if m.start() < start:
            conditional = True
            inside = not any(c in low[m.end() : start] for c in ",;")
        elif m.start() - end < 40 and "," not in low[end : m.start()]:
            conditional = True  # "we will respond if attacked"
    return inside, conditional


# -- actors --------------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z]\.(?:[A-Za-z]\.)+|[^\W\d_][\w'’\-]*")
_CONNECTORS = frozenset({"of", "the", "and", "de", "del", "da", "al", "bin", "la", "le", "el"})
_NOT_NAMES = frozenset(
    """a an the so and but or if on in as at for to of by we i it its this that these those
    there here our my he she they their his her you your mr mrs ms dr sir madam well now then
    also yes no okay ok thank thanks please let today yesterday tomorrow monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july
    august september october november december""".split()
)
_PREPOSITIONS = frozenset(
    """of in to with for from by at on about against into over than like between among toward
    towards around near across through throughout under regarding concerning despite after
    before behind inside within during""".split()
)
# Prepositions that introduce what an act is about or where, not whom it is done to.
_TOPIC_PREPOSITIONS = frozenset(
    """about regarding concerning in around near across throughout inside within during
    through""".split()
)
_GOVERNMENT_WORDS = frozenset({"regime", "government", "authorities", "leadership", "people"})
_PASSIVE_AUX = frozenset({"was", "were", "been", "being", "is", "are"})
_TARGET_REACH = 90  # characters after the cue in which its object is looked for
_ATTRIBUTION = re.compile(
    r",[^,;]{0,60}\b(?:said|says|say|reported|reports|announced|told|confirmed|added|"
    r"according to|stated|noted)\b[^,;]{0,40}$"
)


# The longest match of _ATTRIBUTION: ",", 60, "according to", 40 (it must end the sentence).
_ATTRIBUTION_REACH = 1 + 60 + len("according to") + 40


class Mention(NamedTuple):
    """A country named in a sentence (or a first-person word: ``code`` None, ``first_person``)."""

    start: int
    end: int
    text: str
    code: str | None
    first_person: bool = False


Resolve = Callable[[str], "str | None"]


class Resolver:
    """Country of a name: a place alias (knowledge), else an official in office at the date.

    What a name resolves to is kept per resolver (one per document date); whether a name can
    name an official at all is kept per knowledge base, as most capitalised words cannot.
    """

    def __init__(self, kb: Knowledge, date: str | None = None) -> None:
        self.kb = kb
        self.date = date
        self.people: dict[str, str | None] = {}

    def __call__(self, name: str) -> str | None:
        return self.place(name) or (self.person(name) if _may_be_person(self.kb, name) else None)

    def place(self, name: str) -> str | None:
        """Country of a place name only ("Bosnia and Herzegovina"), never of a person."""
        return _place(self.kb, name)

    def person(self, name: str) -> str | None:
        """Country of the official ``name`` names at the resolver's date."""
        if name not in self.people:
            official = self.kb.find_official(_person_name(name), self.date)
            self.people[name] = _country(official.country if official is not None else None)
        return self.people[name]


def _country(code: str | None) -> str | None:
    # organisations (NATO, UN...) are not countries: the contract's places are ISO3
    return code if code is not None and len(code) == 3 and code not in ORG_CODES else None


def _person_name(name: str) -> str:
    return name.removesuffix("'s").removesuffix("’s")


@functools.lru_cache(maxsize=65536)
def _place(kb: Knowledge, name: str) -> str | None:
    return _country(kb.country_code(name))


@functools.lru_cache(maxsize=65536)
def _may_be_person(kb: Knowledge, name: str) -> bool:
    person = _person_name(name)
    return person.lower() not in _NOT_NAMES and bool(kb.find_officials(person))


@functools.lru_cache(maxsize=1)
def _default_resolver() -> Resolver:
    from ..knowledge import default_knowledge

    return Resolver(default_knowledge())


_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_NAME_WORD = rf"(?:[A-Z]\.(?:[A-Z]\.)+|(?!I\b|I['’])[{_UPPER}][\w'’\-]*)"
# First-person words, or a run of capitalised words (with "of", "the", "and" inside).
_MENTION = re.compile(
    r"\b(?:(?P<fp>I|[Ww]e|[Oo]ur|[Mm]y)(?=['’]|\b)|"
    rf"(?P<run>{_NAME_WORD}(?:\s+(?:(?:of|the|and|de|del|da|al|bin|la|le|el)\s+)?{_NAME_WORD})*))"
)


def _split_run(run: str, resolve: Resolve) -> tuple[tuple[int, int, str | None, bool], ...]:
    """The names in a run of capitalised words, longest first, left to right: (start, end,
    country of a place, whether it names an official)."""
    kb = resolve.kb if isinstance(resolve, Resolver) else None
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(run)]
    out = []
    k = 0
    while k < len(tokens):
        for n in range(min(6, len(tokens) - k), 0, -1):
            first, last = tokens[k], tokens[k + n - 1]
            head = first[2].lower()
            if head in _NOT_NAMES and (n == 1 or head != "the"):
                continue
            if first[2] in _CONNECTORS or last[2] in _CONNECTORS:
                continue
            text = run[first[0] : last[1]]
            two_people = n > 2 and " and " in text  # "Lavrov and President Putin": no one
            if kb is None:
                code, person = (None if two_people else resolve(text)), False
                found = code is not None
            else:
                code = _place(kb, text)
                person = code is None and not two_people and _may_be_person(kb, text)
                found = code is not None or person
            if found:
                out.append((first[0], last[1], code, person))
                k += n
                break
        else:
            k += 1
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def _run_names(kb: Knowledge, run: str) -> tuple[tuple[int, int, str | None, bool], ...]:
    return _split_run(run, Resolver(kb))


def mentions(sentence: str, resolve: Resolve) -> list[Mention]:
    """Countries (by name, alias, demonym, capital or official) and first-person words."""
    out: list[Mention] = []
    kb = resolve.kb if isinstance(resolve, Resolver) else None
    for m in _MENTION.finditer(sentence):
        if m.lastgroup == "fp":
            out.append(Mention(m.start(), m.end(), m.group(0), None, True))
            continue
        run = m.group(0)
        names = _run_names(kb, run) if kb is not None else _split_run(run, resolve)
        if not names:
            continue
        base = m.start()
        for a, b, code, person in names:
            text = run[a:b]
            if person:
                code = resolve.person(text)
            if code is not None:
                out.append(Mention(base + a, base + b, text, code))
    return out


# A partner phrase right after a mutual cue ("talked with …", "agree with …").
_NAMED_PARTNER = re.compile(
    r".{0,5}\b(?:with|to)\s+(?!me\b|us\b|you\b|each other\b|one another\b)\w"
)
_CLAUSE_OPENER = r"\b(?:that|said|says|told|announced|declared)\s|[;:]\s"
# The last clause opener before a position: the greedy prefix backs off from the end, so the
# cost is the distance from the opener, not the sentence's length.
_LAST_CLAUSE_OPENER = re.compile(rf"(?s:.*)(?:{_CLAUSE_OPENER})")


def _in_if(low: str, pos: int) -> bool:
    """Whether ``pos`` lies in an if/unless clause (no comma since the "if")."""
    at = max(low.rfind("if ", 0, pos), low.rfind("unless ", 0, pos))
    if at < 0 or (at > 0 and low[at - 1].isalnum()):
        return False
    return not any(c in low[at:pos] for c in ",;")


def _word_before(low: str, pos: int) -> str:
    pre = low[max(0, pos - 24) : pos].rsplit(None, 1)
    return pre[-1].strip(",.;:\"'()") if pre else ""


def _words_before(low: str, pos: int, n: int) -> list[str]:
    return [w.strip(",.;:\"'()") for w in low[max(0, pos - 12 * n) : pos].rsplit(None, n)[-n:]]


def _coordinated(low: str, a: Mention, b: Mention) -> bool:
    """``a`` and ``b`` joined as one phrase: "the United States and Russia"."""
    if a.first_person or b.first_person:
        return False
    return low[a.end : b.start].strip() in ("and", "&", "and the", ", and", ", and the")


def _can_act(low: str, m: Mention, start: int, any_clause: bool) -> bool:
    """Whether the mention ``m`` can be the subject of the cue at ``start``."""
    # "our talks", "my conversations": the possessor acts, whatever stands before it
    possessive = m.first_person and len(low[m.end : start].split()) <= 2
    if not possessive and _word_before(low, m.start) in _PREPOSITIONS:
        return False
    # "if American interests…, we will"
    return any_clause or not _in_if(low, m.start)


def _actors(
    low: str, found: list[Mention], start: int, end: int, mutual: bool
) -> tuple[Mention | None, Mention | None]:
    """The source and the target of the act whose cue spans ``start``–``end``."""
    before = [m for m in found if m.end <= start]
    # mentions inside a cue with a gap are its objects: "summoned Niger's ambassador"
    after = [m for m in found if m.start > start]
    iffy = "if " in low or "unless " in low
    # in a sentence with no if-clause, or a cue inside one, any name can act
    any_clause = not iffy or _in_if(low, start)
    # The subject opens the clause the cue is in ("…made clear that we will…"); failing
    # that, the nearest name before the cue acts. Which clause opener is last matters only
    # among two names or more, and only from the first of them on.
    opener = 0
    if len(before) > 1:
        last_opener = _LAST_CLAUSE_OPENER.match(low, before[0].start, start)
        if last_opener is not None:
            opener = last_opener.end()
    source = None
    for m in before:
        if m.start >= opener and _can_act(low, m, start, any_clause):
            source = m
            break
    if source is None:
        for m in reversed(before):
            if _can_act(low, m, start, any_clause):
                source = m
                break
    partner: Mention | None = None
    if source is not None:
        # "The United States and Russia agree": the first of the pair acts, the second is
        # its partner
        later = [m for m in before if m.start > source.start]
        if later and _coordinated(low, source, later[0]):
            partner = later[0]
    # passive: "… was attacked by X"
    by = low[end : end + 8].lstrip()
    if by.startswith("by ") and _word_before(low, start) in _PASSIVE_AUX:
        agent = next((m for m in after if m.start <= end + 30 and not m.first_person), None)
        if agent is not None:
            return agent, source

    limit = min(len(low), end + _TARGET_REACH)
    tail = _ATTRIBUTION.search(low, max(end, len(low) - _ATTRIBUTION_REACH))
    if tail is not None:
        limit = min(limit, tail.start())
    semi = low.find(";", end)
    if semi != -1:
        limit = min(limit, semi)
    src_code = source.code if source is not None else None
    # "we talked about Syria": a mutual act of the speaker's side has the other side as its
    # partner; only "with X" / "to X" names another one
    partners_only = mutual and source is not None and source.first_person
    target: Mention | None = None
    for m in after:
        if m.start >= limit:
            break
        if m.first_person or m is partner:
            continue
        if m.code == src_code and (
            source is None or source.first_person or m.text.lower() == source.text.lower()
        ):
            continue  # the same actor again; another of its country may be acted upon
        before_words = _words_before(low, m.start, 2)
        prep = before_words[-1] if before_words else ""
        if prep == "the" and len(before_words) > 1:
            prep = before_words[-2]
        if partners_only and prep not in ("with", "to"):
            continue
        if prep in _TOPIC_PREPOSITIONS:
            if not (prep == "in" and _words_before(low, m.start, 2)[0] in _GOVERNMENT_WORDS):
                continue
        if mutual and prep in ("on", "over"):
            continue
        target = m
        break
    if target is None and partner is not None:
        target = partner
    if target is None and not partners_only:
        for m in reversed(before):
            if m is source or m.first_person or (m.code is not None and m.code == src_code):
                continue
            if _word_before(low, m.start) in ("to", "at", "against", "toward", "towards", "with"):
                target = m
                break
    return source, target


# -- the classifier ------------------------------------------------------------------------


class EventGuess(NamedTuple):
    type: str
    cue: str  # the matched words as written (with the negation when it changed the type)
    start: int  # the cue's offsets in the sentence
    end: int
    confidence: float
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    source: str | None = None  # ISO3
    source_text: str | None = None
    target: str | None = None
    target_text: str | None = None
    first_person: bool = False  # the source is the speaker ("we", "I", "our")
    mutual: bool = False  # an act between the two sides (agree, talk, disagree)
    places: tuple[str, ...] = ()  # every country the sentence names


def classify(
    sentence: str,
    *,
    speaker_country: str | None = None,
    resolve: Resolve | None = None,
    table: CueTable | None = None,
) -> EventGuess | None:
    """The PLOVER event ``sentence`` states, or None (no act or position, or a question).

    ``speaker_country`` is the country a first-person "we"/"I" stands for; ``resolve`` maps a
    name to a country code (default: the package's knowledge base, no date).
    """
    table = table or cue_table()
    low = cue_text(sentence)
    hits = _hits(low, _scan(_scan_text(low), table), 1)
    if not hits:
        return None
    return _decide(sentence, low, hits, resolve or _default_resolver(), speaker_country)


def _decide(
    sentence: str,
    low: str,
    hits: list[_Hit],
    resolve: Resolve,
    speaker_country: str | None,
    named: Callable[[int], list[Mention]] | None = None,
) -> EventGuess | None:
    if low.rstrip().endswith("?"):
        return None  # a question states no act
    has_if = "if " in low or "unless " in low
    starts = main_clauses(low) if len(hits) > 1 or has_if else [0]
    ends = [*starts[1:], len(low)]
    best: tuple[float, _Hit, str, int, bool, int, str] | None = None
    rank = 0
    segment = 0
    for h in hits:
        seg = bisect.bisect_right(starts, h.start) - 1 if len(starts) > 1 else 0
        rank = rank + 1 if seg == segment else 0  # later cues of a clause are its complements
        segment = seg
        cue = h.cue
        pre = _clause_before(low, h.start, 64)
        words = pre.rsplit(None, 4)[-4:]
        negator = (
            None
            if low.startswith(("not ", "n't"), h.start) or not _NEGATION_HINT.search(pre)
            else _negator(words)
        )
        cue_type = cue.type or ""
        cue_start = h.start
        if negator is not None and cue.negated is not None:
            if cue.negated == "":
                continue  # "we do not seek a war": no event
            cue_type = cue.negated
            # the negation is part of what was said: "do not recognize"
            at = low.rfind(negator, max(0, h.start - 60), h.start)
            cue_start = at if at >= 0 else h.start
            negator = None
        score = cue.weight * (1.0 - 0.15 * min(rank, 4))
        if has_if and _if_clause(low, h.start, h.end, starts[seg], ends[seg])[0]:
            score *= 0.6
        clause = pre[-40:]
        if (
            "despite " in clause
            or "spite of " in clause
            or "regardless of " in clause
            or "notwithstanding " in clause
        ):
            score *= 0.6  # a concession: "despite …", "in spite of …"
        if not _RELATIVE.isdisjoint(words[-3:]):
            score *= 0.75
        if negator is not None:
            score *= 0.85
        if best is None or score > best[0]:
            best = (score, h, cue_type, cue_start, negator is not None, seg, pre)
    if best is None or best[0] < MIN_SCORE:
        return None
    score, h, cue_type, cue_start, negated, seg, before = best

    words = before.rsplit(None, 8)[-8:]
    near = " ".join(words)
    # the cue's own words count too: "will most certainly respond", "would… welcome"
    spoken = near + " " + low[cue_start : h.end]
    hypothetical = not _MODALS.isdisjoint(spoken.split()) or "'d " in spoken
    future = bool(_FUTURE.search(spoken))
    inside_if, conditional = (
        _if_clause(low, h.start, h.end, starts[seg], ends[seg]) if has_if else (False, False)
    )
    hypothetical = hypothetical or conditional
    announced = (not negated and bool(_INTENT.search(near)) and not (_ONGOING & set(words))) or (
        cue_type in HOSTILE_TYPES and conditional and not inside_if
    )
    if announced and cue_type in HOSTILE_TYPES:
        cue_type = "THREATEN"  # "they would boycott", "if they…, we will impose sanctions"
    elif announced and cue_type in COOPERATIVE_TYPES:
        cue_type = "AGREE"  # "will provide aid", "offered to negotiate"
    mutual = (h.cue.mutual and cue_type == h.cue.type) or cue_type in MUTUAL_TYPES

    # (first-person words after the cue never act in it: the stage's ``named`` leaves them out)
    found = named(h.start) if named is not None else mentions(sentence, resolve)
    source, target = _actors(low, found, h.start, h.end, mutual)
    if h.cue.other and (source is None or source.first_person):
        # "we must…": no demand; the sentence may still state something else
        rest = [x for x in hits if x is not h]
        return _decide(sentence, low, rest, resolve, speaker_country, named) if rest else None
    deontic = h.cue.other or (cue_type != "REQUEST" and _DEONTIC.search(before))
    if deontic and not (source is not None and source.first_person):
        # "Sudan must return the helicopter": whoever says so demands it of the subject
        cue_type, mutual = "REQUEST", False
        target = source
        source = None
        said = _REPORTING.search(low, 0, h.start)
        if said is not None:
            source = next(
                (m for m in reversed(found) if m.end <= said.start() and m is not target), None
            )
        elif speaker_country is not None:
            source = Mention(0, 0, "", None, True)  # said by the speaker
    first_person = source is not None and source.first_person
    src_code = speaker_country if first_person else (source.code if source else None)
    if target is not None and target.code == src_code:
        target = None
    if mutual and target is None and _NAMED_PARTNER.match(low, h.end - 5):
        mutual = False  # "share with our European friends": a partner, but not the other side
    if target is None and not mutual:
        # a sentence that names one other country before the act: it is the one acted upon
        others = {m.code for m in found if m.code and m.code != src_code and m.end <= h.start}
        if len(others) == 1:
            target = next(m for m in found if m.code in others)
    confidence = score * (1.0 if src_code else 0.85)
    if hypothetical or negated:
        confidence *= 0.9
    return EventGuess(
        type=cue_type,
        cue=sentence[cue_start : h.end],
        start=cue_start,
        end=h.end,
        confidence=round(min(0.99, 0.3 + 0.7 * confidence), 2),
        negated=negated,
        hypothetical=hypothetical,
        future=future,
        source=src_code,
        source_text=(source.text or None) if source else None,
        target=target.code if target else None,
        target_text=target.text if target else None,
        first_person=first_person,
        mutual=mutual,
        places=tuple(dict.fromkeys([m.code for m in found if m.code])),
    )


# -- the stage -----------------------------------------------------------------------------


# "I", "we", "our", "my" as words. Written to open with a character class, not "\b", so that
# the regex engine skips ahead to a candidate letter (twice as fast as the plain form).
_FIRST_PERSON = re.compile(
    r"[IWwOoMm](?<!\w.)(?:(?<=I)|(?<=[Ww])e|(?<=[Oo])ur|(?<=[Mm])y)(?=['’]|\b)"
)


def _entity_mentions(
    doc: Transcript, kb: Knowledge, said: list[tuple[Sentence, Speaker]]
) -> dict[int, list[Mention]]:
    """The entities layer's countries as mentions, grouped by the said sentence they fall in
    (offsets into it), in text order: what ``mentions`` would find by its own regex, found
    once for the whole document and made sentence-relative once, not per decided sentence."""
    people: dict[str, str | None] = {}
    named: list[tuple[int, int, str, str]] = []
    for e in doc.entities:
        code = None
        if e.kb_id and len(e.kb_id) == 3 and e.kb_id.isupper():
            code = _country(e.kb_id)
        elif e.label == "PERSON" and e.kb_id:
            if e.kb_id not in people:
                official = kb.official(e.kb_id, doc.meta.date)
                people[e.kb_id] = _country(official.country if official is not None else None)
            code = people[e.kb_id]
        if code is not None:
            named.append((e.start, e.end, e.text, code))
    named.sort(key=_first)  # stable: entities at one offset keep their order
    starts = [s.start for s, _ in said]
    groups: dict[int, list[Mention]] = {}
    for start, end, text, code in named:
        i = bisect.bisect_right(starts, start) - 1
        if i < 0:
            continue
        s = said[i][0]
        if start < s.end and end <= s.end:
            base = s.start
            groups.setdefault(i, []).append(Mention(start - base, end - base, text, code))
    return groups


def _first(item: tuple) -> int:
    return item[0]


def _with_first_person(text: str, named: list[Mention], until: int) -> list[Mention]:
    """A sentence's named mentions with its first-person words up to ``until`` (found here:
    only the sentences that state an act need them, and only before the act's cue)."""
    mine = [
        Mention(m.start(), m.end(), m.group(0), None, True)
        for m in _FIRST_PERSON.finditer(text, 0, until)
    ]
    if not named:
        return mine
    if not mine:
        return list(named)
    out = named + mine
    out.sort(key=_start_of)  # stable: a name before a first-person word at one offset
    return out


def _start_of(m: Mention) -> int:
    return m.start


def _speaks_for_a_side(turn: Turn | None, speaker: Speaker | None) -> bool:
    """Principals' (and unlabelled officials') statements and answers; never questions."""
    if turn is None or speaker is None or turn.kind in ("question", "moderation"):
        return False
    return speaker.role in ("principal", "other")


def _principal_countries(doc: Transcript) -> list[str]:
    return list(
        dict.fromkeys(s.country for s in doc.speakers if s.role == "principal" and s.country)
    )


@stage("events", requires=("sentences", "speakers"), provides="events")
def events(doc: Transcript, ctx: Context) -> None:
    table = cue_table(tuple(str(p) for p in ctx.options.get("event_cues", ())))
    resolve = Resolver(ctx.knowledge, doc.meta.date)
    speakers = {s.id: s for s in doc.speakers}
    sides = _principal_countries(doc)
    # A principal the knowledge base cannot place speaks for the country all the others share.
    fallback_home = sides[0] if len(sides) == 1 else None
    side_of: dict[str, Speaker] = {}  # turn id → its speaker, for the turns of the sides
    for turn in doc.turns:
        speaker = speakers.get(turn.speaker)
        if speaker is not None and _speaks_for_a_side(turn, speaker):
            side_of[turn.id] = speaker
    # the sides' sentences, in text order
    said = [(s, side_of[s.turn]) for s in doc.sentences if s.turn in side_of]
    if not said:
        doc.events = []
        return
    # One lowered copy of the text and one pass of the automaton over the sides' sentences
    # (a pass per sentence would cost more); anchors then go to their sentences, in order.
    named = _entity_mentions(doc, ctx.knowledge, said) if doc.entities else None
    lowered = cue_text(doc.text)
    scan, starts = _scan_said(lowered, said)
    groups: dict[int, list[_Raw]] = {}
    i = 0
    n = len(said)
    for item in _scan(scan, table):
        stop = item[0]  # where the anchor ends (its key's closing space) in the scan text
        while i + 1 < n and starts[i + 1] < stop:
            i += 1
        if stop - starts[i] <= said[i][0].end - said[i][0].start:
            groups.setdefault(i, []).append(item)
    found: list[dict] = []
    for i, group in groups.items():
        s, speaker = said[i]
        home = speaker.country or fallback_home
        low = lowered[s.start : s.end]
        hits = _hits(low, group, starts[i])
        if not hits:
            continue
        found_names = (
            functools.partial(_with_first_person, s.text, named.get(i, [])) if named is not None else None
        )
        g = _decide(s.text, low, hits, resolve, home, found_names)
        if g is None:
            continue
        target, target_text = g.target, g.target_text
        if target is None and g.first_person and g.mutual and home is not None:
            others = [c for c in sides if c != home]
            if len(others) == 1:  # "we talked about…" at a joint press conference
                target = others[0]
        found.append(
            {
                "id": f"e{len(found) + 1}",
                "sentence": s.id,
                "speaker": speaker.id,
                "source": g.source,
                "type": g.type,
                "target": target,
                "places": list(dict.fromkeys([*s.places, *g.places])),
                "issues": list(s.issues),
                "cue": g.cue,
                "confidence": g.confidence,
                "negated": g.negated,
                "hypothetical": g.hypothetical,
                "future": g.future,
                "source_text": g.source_text,
                "target_text": target_text,
                "mutual": g.mutual,
                "start": s.start + g.start,
                "end": s.start + g.end,
            }
        )
    doc.events = found
