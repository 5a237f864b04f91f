"""Two versions of one event: what B dropped, added or changed compared to A (``podium-compare/1``).

``compare(a, b)`` takes two analysed transcripts (``podium.analyze``) and returns the contract's
compare record: turns, sentences with word operations, speakers with the share of their words
kept, a summary, and — beyond the contract — a confidence, a plain warning when the two inputs
look unrelated, moved passages and a one-line headline.

How it aligns, in time linear in the length of the documents and, beyond one pass over the
units, proportional to their differences:

1. Every sentence, and every stretch of text outside sentences (datelines, headers), becomes a
   *unit*. Units are kept as columns (texts, turns, ids, words); a unit identical and in place
   in the other version costs a few C-level passes (map, zip, compress) and its record.
2. Units identical in both versions anchor the alignment: those unique in both, the longest
   increasing run of them (patience diff), again inside every gap between anchors; gaps small
   enough go to difflib. No pass compares every unit with every other. Inside the gaps left,
   the same again on the units' keys: their words case-folded, punctuation and formatting
   dropped (only these units are folded: equal texts have equal keys, and most of two
   versions is identical).
3. Units left over whose key appears unpaired elsewhere in the other version are *moved*,
   not deleted and re-added.
4. What is left inside each gap is paired by similarity (rapidfuzz): all pairs scored when the
   gap is small, candidates found through shared rare words when it is not; a sentence split
   in two (or merged) in one version meets its parts as one unit.
5. Turns are linked by the words their paired sentences share, speakers by identity (knowledge
   id, then name, then label), so ``SECRETARY POMPEO`` and ``POMPEO`` are one speaker and
   ``THE PRESIDENT:`` → ``MS. JEAN-PIERRE:`` is a label change on the same words.
6. Paired sentences that differ get word operations from the same patience/difflib aligner.

Formatting (whitespace, curly or straight quotes, dash styles, invisible characters, HTML
entities) is folded away unless ``strict=True``.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import accumulate, compress, count, islice, repeat
from operator import add, and_, attrgetter, eq, ge, itemgetter, le, lt, ne, or_

from rapidfuzz import fuzz

from .errors import InputError
from .knowledge import Knowledge, default_knowledge, fold
from .model import Sentence, Transcript

log = logging.getLogger(__name__)

SCHEMA = "podium-compare/1"

# Gaps of at most this many cells (n * m) go to difflib; larger ones are anchored first.
SMALL_GAP = 2_500
# A larger gap with no unique anchor still goes to difflib up to this size (repeated lines).
LARGE_GAP = 40_000
MAX_REPEAT = 8  # items repeated more often than this in a gap never anchor it
# Gaps of at most this many cells have every pair of units scored for similarity.
SCORE_ALL_GAP = 2_500
MIN_SIMILARITY = 0.55
MIN_SIMILARITY_SHORT = 0.75  # a short unit ("Thank you.") pairs only with a near copy
SHORT_WORDS = 5
MOVED_MIN_WORDS = 4  # shorter units are too common to call moved
MOVED_MIN_SIMILARITY = 0.8
COINCIDENCE_WORDS = 8  # a shorter pair across unlinked turns of two speakers is chance
RARE_POSTINGS = 16  # a word in more units than this does not propose candidates
CANDIDATES = 3
# A turn pair is linked when their paired sentences cover this share of the smaller turn.
LINK_SHARE = 0.5
LINK_SHARE_MUTUAL = 0.25
UNRELATED = 0.35
LOOSE = 0.6
MIN_EVIDENCE_WORDS = 40  # below this, even a perfect match is weak evidence of one event

# Formatting folds, each one regex pass (faster than str.translate on non-ASCII text).
_SINGLE_QUOTES = re.compile("[\u2018\u2019\u201a\u201b\u2032\u00b4\u02bc`]")
_DOUBLE_QUOTES = re.compile("[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_DASHES = "\\-\u2010-\u2015\u2212"
_DASH_RUN = re.compile(rf"\s*[{_DASHES}]+\s*")
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# Editorial marks are one token each, so an operation shows the whole mark: a strike-through
# ("<s>2013</s>"), a tag, a bracketed insertion ("[$159 billion]", "[the]*").
_MARKUP = r"<s>.*?</s>|</?[A-Za-z][^<>\n]{0,200}>|\[[^\[\]\n]{0,80}\]\*?"
# Then words (with inner apostrophes, periods and commas: "it's", "U.S", "159,000", and a sic
# mark: "escalazation*"), dash runs, and any other mark on its own, so "Fein?" → "Fain?" is
# the word "Fein" → "Fain".
_TOKEN = re.compile(rf"{_MARKUP}|[{_DASHES}]+|\w+(?:['\u2019.,]\w+)*\*?|[^\w\s{_DASHES}]")
_TOKEN_STRICT = re.compile(rf"\s+|{_TOKEN.pattern}")
_HAS_ALNUM = re.compile(r"[^\W_]")


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------


def fold_format(text: str) -> str:
    """``text`` with formatting folded: curly quotes, invisible characters, entities, NFKC."""
    if "&" in text:
        text = html.unescape(text)
    if "`" in text:
        text = text.replace("`", "'")
    if not text.isascii():
        text = _INVISIBLE.sub("", _DOUBLE_QUOTES.sub('"', _SINGLE_QUOTES.sub("'", text)))
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text)
    return text


def normalise(text: str, strict: bool = False) -> str:
    """What two versions must share to count as the same: the text itself when ``strict``,
    else with formatting folded, dashes of any style and spacing as " - ", spaces collapsed."""
    if strict:
        return text
    return " ".join(_DASH_RUN.sub(" - ", fold_format(text)).split())


def key_words(norm: str) -> list[str]:
    """The words units align on: case-folded, punctuation dropped, so captions and transcripts meet."""
    return _WORD.findall(norm.casefold())


def count_words(text: str) -> int:
    """Words as everywhere in podium's figures: whitespace-separated tokens."""
    return len(text.split())


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Piece:
    """Text no sentence covers (a dateline, a header, an end mark), or sentences merged to meet
    one sentence of the other version: compared like a sentence, so it has a sentence's fields."""

    id: str | None  # None for text outside sentences; "s4+s5" for merged sentences
    turn: str | None
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Unit:
    """A unit with what it is compared by when no identical copy of it is in the other version:
    its folded text (the raw text when strict) and its key (case-folded words)."""

    index: int
    turn: str | None
    id: str | None
    start: int
    end: int
    text: str
    words: int
    norm: str
    key: str


def units(doc: Transcript) -> list[Sentence | Piece]:
    """The units of a transcript in text order: its sentences, plus any text outside them
    (datelines, headers, end marks) a line at a time — so nothing in the text escapes comparison."""
    from .stages.sentences import split_spans

    text, sentences = doc.text, doc.sentences
    starts = list(map(attrgetter("start"), sentences))
    in_order = all(map(le, starts, islice(starts, 1, None)))
    # Spans covered by sentences and speaker labels, in text order (a stable sort by start).
    labelled = [t for t in doc.turns if t.label_start is not None]
    cover_starts = starts + [t.label_start for t in labelled]
    cover_ends = list(map(attrgetter("end"), sentences)) + [t.label_end for t in labelled]
    order = sorted(range(len(cover_starts)), key=cover_starts.__getitem__)
    cover_ends = list(map(cover_ends.__getitem__, order))
    # The stretch before each covered span, from the end of all text covered before it.
    gap_starts = list(accumulate(cover_ends, max, initial=0))
    gap_ends = [*map(cover_starts.__getitem__, order), len(text)]
    stretches = list(map(text.__getitem__, map(slice, gap_starts, gap_ends)))
    # Most stretches are a space or a line break: regex searches over them all, joined, find
    # the few with words in them without a step per stretch.
    joined = "\0".join(stretches)
    m = _HAS_ALNUM.search(joined)
    if not m:
        return list(sentences) if in_order else sorted(sentences, key=attrgetter("start"))
    offsets = list(accumulate(map((1).__add__, map(len, stretches)), initial=0))
    with_words = []
    while m:
        k = bisect_right(offsets, m.start()) - 1
        with_words.append(k)
        m = _HAS_ALNUM.search(joined, offsets[k + 1])

    turns = sorted(doc.turns, key=attrgetter("start"))
    turn_starts = [t.start for t in turns]

    def turn_at(pos: int) -> str | None:
        k = bisect_right(turn_starts, pos) - 1
        return turns[k].id if k >= 0 and pos < turns[k].end else None

    pieces = []
    for k in with_words:
        pos = gap_starts[k]
        for s, e in split_spans(stretches[k], pos):
            if _HAS_ALNUM.search(text, s, e):
                pieces.append(Piece(None, turn_at(s), s, e, text[s:e]))
    if not in_order:  # stable: a sentence and a piece starting at one place keep sentences first
        return sorted([*sentences, *pieces], key=attrgetter("start"))
    out: list[Sentence | Piece] = []
    k = 0
    for piece in pieces:  # in text order: each goes after the sentences starting before it
        at = bisect_right(starts, piece.start, k)
        out.extend(sentences[k:at])
        out.append(piece)
        k = at
    out.extend(sentences[k:])
    return out


@dataclass
class Version:
    """One version as compared: its units in text order, with their texts, turns, ids and word
    counts as columns (an object per unit would cost more than aligning two mostly equal
    versions), and folded units (``Unit``) made only for the units that need them."""

    doc: Transcript
    strict: bool
    units: list[Sentence | Piece]
    text: list[str]
    turn: list[str | None]
    id: list[str | None]
    # Filled by count_words_of (B's from A's identical units: after the first alignment pass).
    words: list[int] = field(default_factory=list)
    turn_words: Counter[str | None] = field(default_factory=Counter)  # turn id (None: outside)
    folded: dict[int, Unit] = field(default_factory=dict)
    # Filled once speakers are resolved (see _identities).
    speaker_of: dict[str | None, str | None] = field(default_factory=dict)
    label_of: dict[str, str] = field(default_factory=dict)  # turn id → label as compared

    def unit(self, k: int) -> Unit:
        """Unit ``k`` with its folded text and key, folded once."""
        u = self.folded.get(k)
        if u is None:
            sp, text = self.units[k], self.text[k]
            folded = normalise(text)
            key = " ".join(key_words(folded)) or folded
            norm = text if self.strict else folded
            u = Unit(k, sp.turn, sp.id, sp.start, sp.end, text, self.words[k], norm, key)
            self.folded[k] = u
        return u


def version(doc: Transcript, strict: bool) -> Version:
    """``doc`` as compared (word counts come later, from ``count_words_of``). A sentence's text
    is the document's text over its span (the contract), so units are the sentences themselves."""
    us = units(doc)
    text = list(map(attrgetter("text"), us))
    turn = list(map(attrgetter("turn"), us))
    ids = list(map(attrgetter("id"), us))
    return Version(doc, strict, us, text, turn, ids)


def count_words_of(A: Version, B: Version, runs: Sequence[Run]) -> None:
    """Words of each unit (``count_words``) and of each turn. A unit of B identical to one of A
    (``runs``: most of B) has its words: only the rest of B is counted."""
    A.words = list(map(len, map(str.split, A.text)))
    words_b = [-1] * len(B.text)
    for i, j, size in runs:
        words_b[j : j + size] = A.words[i : i + size]
    for j in compress(range(len(words_b)), map((-1).__eq__, words_b)):
        words_b[j] = count_words(B.text[j])
    B.words = words_b
    for V in (A, B):
        # A turn's units are mostly one stretch: summed a stretch at a time.
        cumulative = list(accumulate(V.words, initial=0))
        n = len(V.turn)
        starts = [0, *compress(range(1, n), map(ne, islice(V.turn, 1, None), V.turn))] if n else []
        V.turn_words = Counter()
        for start, end in zip(starts, [*starts[1:], n], strict=True):
            V.turn_words[V.turn[start]] += cumulative[end] - cumulative[start]


# --------------------------------------------------------------------------------------------
# Sequence alignment: patience anchors, difflib in small gaps
# --------------------------------------------------------------------------------------------
# Two versions of a text are mostly equal and in order, so the steps over the items (common
# ends, unique items, positions, gaps) are built from map/zip/compress: loops that run in C.


Run = tuple[int, int, int]  # (i, j, size): a[i + k] == b[j + k] for k < size


def _lis(values: list[int]) -> list[int]:
    """Positions of the longest strictly increasing run in ``values`` that patience sorting
    finds. Inside an increasing stretch of ``values``, once one value extends the longest run
    so far every later one does too: those are taken in one step."""
    tails: list[int] = []  # tails[k]: smallest last value of an increasing run of length k + 1
    tail_at: list[int] = []  # its position
    back = [-1] * len(values)
    n = len(values)
    drops = compress(range(1, n), map(ge, values, islice(values, 1, None)))
    start = 0
    for end in [*drops, n]:
        k = start
        while k < end and tails and values[k] <= tails[-1]:
            x = bisect_left(tails, values[k])
            tails[x] = values[k]
            tail_at[x] = k
            back[k] = tail_at[x - 1] if x else -1
            k += 1
        if k < end:  # the rest of the stretch extends the longest run
            back[k] = tail_at[-1] if tail_at else -1
            back[k + 1 : end] = range(k, end - 1)
            tails.extend(values[k:end])
            tail_at.extend(range(k, end))
        start = end
    run: list[int] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        run.append(k)
        k = back[k]
    return run[::-1]


def _anchors(
    a: Sequence[Hashable], b: Sequence[Hashable], alo: int, ahi: int, blo: int, bhi: int
) -> tuple[list[int], list[int]]:
    """Pairs ``(ia[k], jb[k])`` of items unique in both ranges, longest increasing run of them
    (patience diff). With none, items as rare as possible that occur equally often in both, the
    n-th occurrence paired with the n-th (as git's histogram diff), so repetitive text still
    finds anchors."""
    sa, sb = a[alo:ahi], b[blo:bhi]
    count_a, count_b = Counter(sa), Counter(sb)
    once = set(compress(count_a, map((1).__eq__, count_a.values())))
    once &= set(compress(count_b, map((1).__eq__, count_b.values())))
    if once:
        in_both = list(map(once.__contains__, sa))
        at_a = list(compress(range(alo, ahi), in_both))
        at_b = dict(zip(sb, range(blo, bhi), strict=True))  # right for the items that occur once
        js = list(map(at_b.__getitem__, compress(sa, in_both)))
        run = _lis(js)
        if len(run) == len(js):  # all in order: the common case
            return at_a, js
        return list(map(at_a.__getitem__, run)), list(map(js.__getitem__, run))
    rarest = min((n for k, n in count_a.items() if count_b.get(k) == n), default=0)
    if not rarest or rarest > MAX_REPEAT:
        return [], []
    seen_b: dict[Hashable, list[int]] = defaultdict(list)
    for j, k in enumerate(sb, blo):
        if count_b[k] == rarest and count_a[k] == rarest:
            seen_b[k].append(j)
    used: Counter[Hashable] = Counter()
    ia, jb = [], []
    for i, k in enumerate(sa, alo):
        if k in seen_b:
            ia.append(i)
            jb.append(seen_b[k][used[k]])
            used[k] += 1
    run = _lis(jb)
    return list(map(ia.__getitem__, run)), list(map(jb.__getitem__, run))


def _common_head(a: Sequence[Hashable], b: Sequence[Hashable], i: int, j: int, n: int) -> int:
    """How many of the ``n`` items from ``a[i]`` and ``b[j]`` on are equal before one is not."""
    if not n or a[i] != b[j]:
        return 0
    return next(compress(count(), map(ne, a[i : i + n], b[j : j + n])), n)


def _common_tail(a: Sequence[Hashable], b: Sequence[Hashable], i: int, j: int, n: int) -> int:
    """How many of the ``n`` items up to ``a[i - 1]`` and ``b[j - 1]`` are equal, from the end."""
    if not n or a[i - 1] != b[j - 1]:
        return 0
    return next(compress(count(), map(ne, reversed(a[i - n : i]), reversed(b[j - n : j]))), n)


def _stretches(
    ia: Sequence[int], jb: Sequence[int], alo: int, ahi: int, blo: int, bhi: int
) -> tuple[list[int], list[int], list[int], list[int]]:
    """Starts and ends, on each side, of the stretches before, between and after the pairs
    ``(ia[k], jb[k])`` inside ``[alo, ahi) × [blo, bhi)``."""
    return [alo, *map((1).__add__, ia)], [*ia, ahi], [blo, *map((1).__add__, jb)], [*jb, bhi]


def _as_runs(ia: list[int], jb: list[int]) -> list[Run]:
    """Pairs ``(ia[k], jb[k])`` as runs: consecutive pairs stepping by one on both sides."""
    n = len(ia)
    steps_a = map(ne, islice(ia, 1, None), map((1).__add__, ia))
    steps_b = map(ne, islice(jb, 1, None), map((1).__add__, jb))
    starts = [0, *compress(range(1, n), map(or_, steps_a, steps_b))]
    return [(ia[s], jb[s], e - s) for s, e in zip(starts, [*starts[1:], n], strict=True)]


def matching_runs(
    a: Sequence[Hashable], b: Sequence[Hashable], small: int = SMALL_GAP, large: int = LARGE_GAP
) -> list[Run]:
    """Runs ``(i, j, size)`` of equal items, in order and increasing in both (see ``diff``)."""
    runs: list[Run] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        k = _common_head(a, b, alo, blo, min(ahi - alo, bhi - blo))
        if k:
            runs.append((alo, blo, k))
            alo, blo = alo + k, blo + k
        k = _common_tail(a, b, ahi, bhi, min(ahi - alo, bhi - blo))
        if k:
            ahi, bhi = ahi - k, bhi - k
            runs.append((ahi, bhi, k))
        cells = (ahi - alo) * (bhi - blo)
        if not cells:
            continue
        if ahi - alo == 1 or bhi - blo == 1:  # one item on a side: a scan, no SequenceMatcher
            if ahi - alo == 1:
                j = next(compress(range(blo, bhi), map(eq, repeat(a[alo]), b[blo:bhi])), -1)
                if j >= 0:
                    runs.append((alo, j, 1))
            else:
                i = next(compress(range(alo, ahi), map(eq, a[alo:ahi], repeat(b[blo]))), -1)
                if i >= 0:
                    runs.append((i, blo, 1))
            continue
        ia, jb = ([], []) if cells <= small else _anchors(a, b, alo, ahi, blo, bhi)
        if not ia:
            if cells <= large:
                sm = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
                runs.extend(
                    (alo + i, blo + j, size) for i, j, size in sm.get_matching_blocks() if size
                )
            continue
        runs.extend(_as_runs(ia, jb))
        # Look inside each stretch between anchors with something on both sides; most are
        # repeated items ("Thank you.") equal on both sides, matched as they are.
        starts_a, ends_a, starts_b, ends_b = _stretches(ia, jb, alo, ahi, blo, bhi)
        both_sides = map(and_, map(lt, starts_a, ends_a), map(lt, starts_b, ends_b))
        for i1, i2, j1, j2 in compress(
            zip(starts_a, ends_a, starts_b, ends_b, strict=True), both_sides
        ):
            if i2 - i1 == j2 - j1 and a[i1:i2] == b[j1:j2]:
                runs.append((i1, j1, i2 - i1))
            else:
                stack.append((i1, i2, j1, j2))
    runs.sort()
    return runs


def diff(
    a: Sequence[Hashable], b: Sequence[Hashable], small: int = SMALL_GAP, large: int = LARGE_GAP
) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``a[i] == b[j]``, increasing in both.

    Common ends are stripped; a gap of at most ``small`` cells goes to difflib; a larger one is
    cut at the items unique to both sides, and each piece is treated the same way. A large gap
    with no unique item goes to difflib up to ``large`` cells and is otherwise left unmatched
    (for the similarity pass). Work stays near-linear for documents that share most of their text.
    """
    matches: list[tuple[int, int]] = []
    for i, j, size in matching_runs(a, b, small, large):
        matches.extend(zip(range(i, i + size), range(j, j + size), strict=True))
    return matches


def run_gaps(runs: Sequence[Run], n: int, m: int) -> Iterator[tuple[int, int, int, int]]:
    """The stretches ``(i1, i2, j1, j2)`` between consecutive runs (and at both ends)."""
    at_a, at_b, sizes = (list(map(itemgetter(k), runs)) for k in range(3))
    starts_a, ends_a = [0, *map(add, at_a, sizes)], [*at_a, n]
    starts_b, ends_b = [0, *map(add, at_b, sizes)], [*at_b, m]
    either_side = map(or_, map(lt, starts_a, ends_a), map(lt, starts_b, ends_b))
    return compress(zip(starts_a, ends_a, starts_b, ends_b, strict=True), either_side)


# --------------------------------------------------------------------------------------------
# Pairing by similarity
# --------------------------------------------------------------------------------------------


def similarity(u: Unit, v: Unit) -> float:
    """Indel similarity of the two keys (0..1), 0 below the threshold for units this short."""
    lo, hi = sorted((len(u.key), len(v.key)))
    need = MIN_SIMILARITY_SHORT if min(u.words, v.words) < SHORT_WORDS else MIN_SIMILARITY
    if not hi or 2 * lo / (lo + hi) < need:  # the best ratio two lengths allow
        return 0.0
    return fuzz.ratio(u.key, v.key, score_cutoff=need * 100) / 100


def _pair_all(ua: Sequence[Unit], ub: Sequence[Unit]) -> list[tuple[int, int, float]]:
    """Best order-keeping pairing of a small gap: every pair scored, then dynamic programming."""
    n, m = len(ua), len(ub)
    sims = [[similarity(u, v) for v in ub] for u in ua]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below, s = best[i], best[i + 1], sims[i]
        for j in range(m - 1, -1, -1):
            take = s[j] + below[j + 1] if s[j] else 0.0
            row[j] = max(below[j], row[j + 1], take)
    out = []
    i = j = 0
    while i < n and j < m:
        if sims[i][j] and best[i][j] == sims[i][j] + best[i + 1][j + 1]:
            out.append((i, j, sims[i][j]))
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def _candidates(
    ua: Sequence[Unit], ub: Sequence[Unit], min_sim: float = 0.0
) -> list[tuple[int, int, float]]:
    """For each unit of ``ua`` its most similar unit of ``ub`` among those sharing rare words."""
    postings: dict[str, list[int]] = defaultdict(list)
    for j, v in enumerate(ub):
        for w in set(v.key.split()):
            postings[w].append(j)
    found = []
    for i, u in enumerate(ua):
        votes: Counter[int] = Counter()
        for w in set(u.key.split()):
            js = postings.get(w)
            if js and len(js) <= RARE_POSTINGS:
                votes.update(js)
        best_j, best_s = -1, min_sim
        for j, _ in votes.most_common(CANDIDATES):
            s = similarity(u, ub[j])
            if s and s >= best_s:
                best_j, best_s = j, s
        if best_j >= 0:
            found.append((i, best_j, best_s))
    return found


def pair_similar(ua: Sequence[Unit], ub: Sequence[Unit]) -> list[tuple[int, int, float]]:
    """Order-keeping pairs ``(i, j, similarity)`` of similar units in one gap, near-linear."""
    if not ua or not ub:
        return []
    if len(ua) * len(ub) <= SCORE_ALL_GAP:
        return _pair_all(ua, ub)
    found = _candidates(ua, ub)
    sims = {(i, j): s for i, j, s in found}
    chain = [found[k][:2] for k in _lis([j for _, j, _ in found])]
    out: list[tuple[int, int, float]] = []
    i0 = j0 = 0
    for i, j in [*chain, (len(ua), len(ub))]:
        if (i - i0) * (j - j0) <= SCORE_ALL_GAP:  # the rest of a small sub-gap: score it all
            out.extend((i0 + x, j0 + y, s) for x, y, s in _pair_all(ua[i0:i], ub[j0:j]))
        if i < len(ua):
            out.append((i, j, sims[(i, j)]))
        i0, j0 = i + 1, j + 1
    return out


# --------------------------------------------------------------------------------------------
# Word operations
# --------------------------------------------------------------------------------------------


def _tokens(text: str, strict: bool) -> list[tuple[str, int, int]]:
    """(key, start, end) of each token: words and dash runs, plus whitespace when strict."""
    if strict:
        return [(m.group(), m.start(), m.end()) for m in _TOKEN_STRICT.finditer(text)]
    out = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok[0] in "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
            key = "-"
        elif tok.isascii() and "&" not in tok and "`" not in tok:  # nothing to fold (most)
            key = tok
        else:
            key = fold_format(tok)
            if not key.strip():
                continue
        out.append((key, m.start(), m.end()))
    return out


def word_ops(a: str, b: str, strict: bool = False) -> list[dict]:
    """Word-level operations turning ``a`` into ``b``: ``{"op", "a", "b", "a_span", "b_span"}``,
    spans being character offsets into ``a`` and ``b`` (empty at an insertion point)."""
    ta, tb = _tokens(a, strict), _tokens(b, strict)
    ops = []
    runs = matching_runs([t[0] for t in ta], [t[0] for t in tb])
    for i1, i2, j1, j2 in run_gaps(runs, len(ta), len(tb)):
        sa = (ta[i1][1], ta[i2 - 1][2]) if i2 > i1 else _point(ta, i1, len(a))
        sb = (tb[j1][1], tb[j2 - 1][2]) if j2 > j1 else _point(tb, j1, len(b))
        op = "replace" if i2 > i1 and j2 > j1 else "delete" if i2 > i1 else "insert"
        ops.append(
            {
                "op": op,
                "a": a[sa[0] : sa[1]],
                "b": b[sb[0] : sb[1]],
                "a_span": list(sa),
                "b_span": list(sb),
            }
        )
    return ops


def _point(tokens: list[tuple[str, int, int]], k: int, end: int) -> tuple[int, int]:
    p = tokens[k][1] if k < len(tokens) else end
    return p, p


def _words_in(ops: list[dict], side: str) -> int:
    return sum(count_words(op[side]) for op in ops)


# --------------------------------------------------------------------------------------------
# Alignment of two documents' units
# --------------------------------------------------------------------------------------------


@dataclass
class Alignment:
    """Which unit of B each unit of A is paired with, and how. Most pairs are identical units
    in order: those are just the two indices, similarity 1.0."""

    b_of: list[int]  # A index → B index of its pair, -1 when unpaired
    a_of: list[int]  # B index → A index
    # A index → similarity of the pairs found by similarity (1.0 for all others)
    similarity: dict[int, float] = field(default_factory=dict)
    moved: set[int] = field(default_factory=set)  # A indices of pairs found out of order
    by_key: set[int] = field(default_factory=set)  # A indices of pairs equal once folded

    def pair(self, i: int, j: int, similarity: float | None = None, moved: bool = False) -> None:
        self.b_of[i] = j
        self.a_of[j] = i
        if similarity is not None:
            self.similarity[i] = similarity
        if moved:
            self.moved.add(i)

    def unpair(self, i: int) -> None:
        self.a_of[self.b_of[i]] = -1
        self.b_of[i] = -1
        self.similarity.pop(i, None)
        self.moved.discard(i)
        self.by_key.discard(i)

    def paired_a(self) -> list[int]:
        """A indices with a pair, in order."""
        return list(compress(range(len(self.b_of)), map((0).__le__, self.b_of)))

    def unpaired_a(self) -> list[int]:
        return list(compress(range(len(self.b_of)), map((-1).__eq__, self.b_of)))

    def unpaired_b(self) -> list[int]:
        return list(compress(range(len(self.a_of)), map((-1).__eq__, self.a_of)))


def identical_runs(A: Version, B: Version) -> list[Run]:
    """Runs of units with the very same text in both versions, in order: most of two versions,
    paired before anything is folded."""
    return matching_runs(A.text, B.text)


def align_units(A: Version, B: Version, runs: list[Run]) -> Alignment:
    """Pairs of units: identical texts (``runs``, from ``identical_runs``), then
    equal keys inside the gaps, then moved copies, then similar units in gaps, then moved
    near-copies. Only units without an identical copy in order are folded (``Version.unit``):
    equal texts have equal keys, so folding those too would pair them the same way."""
    n, m = len(A.text), len(B.text)
    key_runs = []
    for i1, i2, j1, j2 in run_gaps(runs, n, m):
        ka = [A.unit(i).key for i in range(i1, i2)]
        kb = [B.unit(j).key for j in range(j1, j2)]
        key_runs.extend((i1 + x, j1 + y, size) for x, y, size in matching_runs(ka, kb))
    al = Alignment([-1] * n, [-1] * m)
    for i, j, size in runs + key_runs:
        al.b_of[i : i + size] = range(j, j + size)
        al.a_of[j : j + size] = range(i, i + size)
    for i, _, size in key_runs:
        al.by_key.update(range(i, i + size))
    runs = sorted(runs + key_runs)

    for i, j in _moved_exact(A, B, al):
        al.pair(i, j, moved=True)

    for i1, i2, j1, j2 in run_gaps(runs, n, m):
        ga = [A.unit(i) for i in range(i1, i2) if al.b_of[i] < 0]
        gb = [B.unit(j) for j in range(j1, j2) if al.a_of[j] < 0]
        for x, y, s in pair_similar(ga, gb):
            al.pair(ga[x].index, gb[y].index, s)

    rest_a = [A.unit(i) for i in al.unpaired_a() if A.words[i] >= MOVED_MIN_WORDS]
    rest_b = [B.unit(j) for j in al.unpaired_b() if B.words[j] >= MOVED_MIN_WORDS]
    for x, y, s in _candidates(rest_a, rest_b, MOVED_MIN_SIMILARITY):
        if al.a_of[rest_b[y].index] < 0:
            al.pair(rest_a[x].index, rest_b[y].index, s, moved=True)
    _extend_moved(A, B, al)
    return al


def _moved_exact(A: Version, B: Version, al: Alignment) -> list[tuple[int, int]]:
    """Unpaired units whose exact key is unpaired in the other version too, in A order."""
    free_b: dict[str, list[int]] = defaultdict(list)
    for j in al.unpaired_b():
        if B.words[j] >= MOVED_MIN_WORDS:
            free_b[B.unit(j).key].append(j)
    out = []
    for i in al.unpaired_a():
        if A.words[i] >= MOVED_MIN_WORDS and free_b.get(A.unit(i).key):
            out.append((i, free_b[A.unit(i).key].pop(0)))
    return out


def _extend_moved(A: Version, B: Version, al: Alignment) -> None:
    """Short units next to a moved one that also follow it in the other version moved with it."""
    n, m = len(A.text), len(B.text)
    for i0 in sorted(al.moved):
        j0 = al.b_of[i0]
        for step in (1, -1):
            i, j = i0 + step, j0 + step
            while 0 <= i < n and 0 <= j < m and al.b_of[i] < 0 and al.a_of[j] < 0:
                if A.unit(i).key != B.unit(j).key:
                    break
                al.pair(i, j, moved=True)
                i, j = i + step, j + step


MAX_GROUP = 8  # units of one version merged to meet one sentence of the other


def regroup(A: Version, B: Version, al: Alignment) -> tuple[Version, Version, Alignment]:
    """A sentence split in two in one version ("… Baltimore. (Pronounced…)" as one sentence or
    three) meets its parts as one unit: a changed pair grows by the unpaired sentences next to it
    while that brings the two sides closer, and short runs of unpaired sentences between two
    pairs are tried as wholes. Returns new versions and alignment, merged units replacing parts."""
    n, m = len(A.text), len(B.text)
    b_of, a_of = al.b_of, al.a_of
    groups: list[list] = []  # [i, i_end, j, j_end, similarity], half-open

    def free_a(k: int, turn: str | None) -> bool:
        return 0 <= k < n and b_of[k] < 0 and A.turn[k] == turn

    def free_b(k: int, turn: str | None) -> bool:
        return 0 <= k < m and a_of[k] < 0 and B.turn[k] == turn

    def score(g: list[int]) -> float:
        ka = " ".join(A.unit(k).key for k in range(g[0], g[1]))
        kb = " ".join(B.unit(k).key for k in range(g[2], g[3]))
        return fuzz.ratio(ka, kb) / 100

    claimed_a: set[int] = set()
    claimed_b: set[int] = set()
    # Only pairs found by similarity can differ in key (identical and moved ones are left be).
    for i in sorted(al.similarity):
        j = b_of[i]
        if i in al.moved or A.unit(i).key == B.unit(j).key:
            continue
        g, best = [i, i + 1, j, j + 1], al.similarity[i]
        turn_a, turn_b = A.turn[i], B.turn[j]
        while True:
            options = []
            if g[1] - g[0] < MAX_GROUP:
                if free_a(g[0] - 1, turn_a) and g[0] - 1 not in claimed_a:
                    options.append([g[0] - 1, g[1], g[2], g[3]])
                if free_a(g[1], turn_a) and g[1] not in claimed_a:
                    options.append([g[0], g[1] + 1, g[2], g[3]])
            if g[3] - g[2] < MAX_GROUP:
                if free_b(g[2] - 1, turn_b) and g[2] - 1 not in claimed_b:
                    options.append([g[0], g[1], g[2] - 1, g[3]])
                if free_b(g[3], turn_b) and g[3] not in claimed_b:
                    options.append([g[0], g[1], g[2], g[3] + 1])
            scored = max(((score(o), o) for o in options), default=(0.0, g))
            if scored[0] <= best + 0.02:
                break
            best, g = scored
        if g[1] - g[0] > 1 or g[3] - g[2] > 1:
            groups.append([*g, best])
            claimed_a.update(range(g[0], g[1]))
            claimed_b.update(range(g[2], g[3]))

    # Runs of unpaired units between two consecutive pairs in order, tried as wholes.
    chain_a = [i for i in al.paired_a() if i not in al.moved]
    chain_b = list(map(b_of.__getitem__, chain_a))
    starts_a, ends_a, starts_b, ends_b = _stretches(chain_a, chain_b, 0, n, 0, m)
    both_sides = map(and_, map(lt, starts_a, ends_a), map(lt, starts_b, ends_b))
    for i_lo, i_hi, j_lo, j_hi in compress(
        zip(starts_a, ends_a, starts_b, ends_b, strict=True), both_sides
    ):
        ra = [k for k in range(i_lo, i_hi) if b_of[k] < 0 and k not in claimed_a]
        rb = [k for k in range(j_lo, j_hi) if a_of[k] < 0 and k not in claimed_b]
        if not (ra and rb) or len(ra) + len(rb) < 3 or len(ra) > MAX_GROUP or len(rb) > MAX_GROUP:
            continue
        g = [ra[0], ra[-1] + 1, rb[0], rb[-1] + 1]
        if (
            g[1] - g[0] == len(ra)
            and g[3] - g[2] == len(rb)
            and len(set(A.turn[g[0] : g[1]])) == 1
            and len(set(B.turn[g[2] : g[3]])) == 1
        ):
            sim = score(g)
            if sim >= MIN_SIMILARITY:
                groups.append([*g, sim])
    if not groups:
        return A, B, al

    new_a, where_a = _merged(A, {g[0]: g[1] for g in groups})
    new_b, where_b = _merged(B, {g[2]: g[3] for g in groups})
    inside_a = {k for g in groups for k in range(g[0], g[1])}
    start_b = {g[2] for g in groups}
    merged = Alignment([-1] * len(new_a.text), [-1] * len(new_b.text))
    for i in al.paired_a():
        j = b_of[i]
        if i in inside_a or j in claimed_b or j in start_b:
            continue
        merged.pair(where_a[i], where_b[j], al.similarity.get(i), i in al.moved)
        if i in al.by_key:
            merged.by_key.add(where_a[i])
    for g in groups:
        merged.pair(where_a[g[0]], where_b[g[2]], g[4])
    return new_a, new_b, merged


def _merged(V: Version, spans: dict[int, int]) -> tuple[Version, list[int]]:
    """``V`` with the units of each span ``start → end`` (indices) merged into one; also the new
    index of each old one. Units outside the spans are kept, re-indexed."""
    us: list[Sentence | Piece] = []
    where: list[int] = []
    merged: dict[int, Unit] = {}
    words: list[int] = []
    k = 0
    for start, end in [*sorted(spans.items()), (len(V.units), len(V.units))]:
        where.extend(range(len(us), len(us) + start - k))  # units before the span, as they are
        us.extend(V.units[k:start])
        words.extend(V.words[k:start])
        if start == end:
            break
        where.extend(repeat(len(us), end - start))
        first, last = V.units[start], V.units[end - 1]
        piece = V.doc.text[first.start : last.end]
        ids = [u.id for u in V.units[start:end] if u.id]
        sp = Piece("+".join(ids) if ids else None, first.turn, first.start, last.end, piece)
        # Words and key are the parts': the parts are in one turn, so the turn's words stay.
        w = sum(V.words[start:end])
        key = " ".join(V.unit(x).key for x in range(start, end))
        merged[len(us)] = Unit(
            len(us), sp.turn, sp.id, sp.start, sp.end, piece, w, normalise(piece, V.strict), key
        )
        us.append(sp)
        words.append(w)
        k = end
    members = {x for start, end in spans.items() for x in range(start, end)}
    folded = {}
    for x, u in V.folded.items():
        if x not in members:
            u.index = where[x]
            folded[u.index] = u
    folded.update(merged)
    text = list(map(attrgetter("text"), us))
    turn = list(map(attrgetter("turn"), us))
    ids = list(map(attrgetter("id"), us))
    return Version(V.doc, V.strict, us, text, turn, ids, words, V.turn_words, folded), where


# --------------------------------------------------------------------------------------------
# Speakers
# --------------------------------------------------------------------------------------------


def _identities(a: Transcript, b: Transcript, kb: Knowledge) -> tuple[dict, dict, dict[str, str]]:
    """Speaker id → identity key in each version, and identity key → display name.

    The identity is the knowledge-base id when there is one, else the name, else the label;
    a name or label that a resolved speaker of either version carries maps to that speaker,
    so ``POMPEO`` in one version and ``SECRETARY POMPEO`` in the other are one person."""
    alias: dict[str, str] = {}
    for doc in (a, b):
        for sp in doc.speakers:
            if sp.kb_id:
                key = "kb:" + sp.kb_id
                if sp.name:
                    alias.setdefault("name:" + fold(sp.name), key)
                for label in sp.labels:
                    alias.setdefault("label:" + fold(label), key)

    names: dict[str, str] = {}
    named: set[str] = set()  # identities whose display name is a person's name, not a label

    def identity(sp, date: str | None) -> str:
        if sp.kb_id:
            key = "kb:" + sp.kb_id
        elif sp.name:
            key = (
                alias.get("name:" + fold(sp.name))
                or _kb_key(kb, sp.name, date)
                or "name:" + fold(sp.name)
            )
        else:
            label = sp.labels[0] if sp.labels else sp.id
            key = alias.get("label:" + fold(label)) or "label:" + fold(label)
        if sp.name and key not in named:
            names[key] = sp.name
            named.add(key)
        else:
            names.setdefault(key, sp.labels[0] if sp.labels else sp.id)
        return key

    ids_a = {sp.id: identity(sp, a.meta.date) for sp in a.speakers}
    ids_b = {sp.id: identity(sp, b.meta.date) for sp in b.speakers}
    return ids_a, ids_b, names


def _kb_key(kb: Knowledge, name: str, date: str | None) -> str | None:
    try:
        official = kb.find_official(name, date)
    except (ValueError, TypeError):
        return None
    return "kb:" + official.id if official else None


def _label_key(label: str | None, strict: bool) -> str | None:
    if label is None:
        return None
    return label if strict else fold(label)


# --------------------------------------------------------------------------------------------
# compare()
# --------------------------------------------------------------------------------------------


def compare(
    a: Transcript, b: Transcript, *, strict: bool = False, knowledge: Knowledge | None = None
) -> dict:
    """Compare two versions of one event; the ``podium-compare/1`` record (see the contract).

    ``strict`` reports formatting-only differences (whitespace, quotes, dashes, invisible
    characters) that are otherwise ignored. ``knowledge`` resolves speakers to one identity
    across the versions (the bundled knowledge base by default).
    """
    for side, doc in (("A", a), ("B", b)):
        if not _HAS_ALNUM.search(doc.text):
            raise InputError(
                f"{side} ({doc.source.name}) has no words to compare: pass a transcript with text in it."
            )
    A, B = version(a, strict), version(b, strict)
    runs = identical_runs(A, B)
    count_words_of(A, B, runs)
    al = align_units(A, B, runs)
    A, B, al = regroup(A, B, al)
    ids_a, ids_b, names = _identities(a, b, knowledge or default_knowledge())
    _resolve_speakers(A, ids_a)
    _resolve_speakers(B, ids_b)

    # Turns are linked by the words their paired units share.
    shared, kept = _shared_words(A, B, al)
    links = _link_turns(shared, A.turn_words, B.turn_words)
    _same_label_same_speaker(A, B, links)
    _drop_coincidences(A, B, al, links, shared, kept)

    sentences, changed_units, lost, stats = _sentence_records(A, B, al)
    turns, turn_stats = _turn_records(A, B, al, links, shared, names, changed_units)
    speakers = _speaker_records(A, B, al, names, kept, lost, turns)
    moved = _moved_passages(A, B, al)

    total_a, total_b = sum(A.words), sum(B.words)
    cover_a = _covered_words(A.words, al.b_of, al.similarity.items()) / max(total_a, 1)
    cover_b = _covered_words(
        B.words, al.a_of, ((al.b_of[i], s) for i, s in al.similarity.items())
    ) / max(total_b, 1)
    confidence = max(cover_a, cover_b) * min(1.0, min(total_a, total_b) / MIN_EVIDENCE_WORDS)
    summary = {
        "turns_only_a": turn_stats["only_a"],
        "turns_only_b": turn_stats["only_b"],
        "sentences_changed": stats["changed"],
        "labels_changed": turn_stats["labels_changed"],
        "words_a": total_a,
        "words_b": total_b,
        "turns_a": len(a.turns),
        "turns_b": len(b.turns),
        "speakers_changed": turn_stats["speakers_changed"],
        "labels_lost_a": turn_stats["labels_lost_a"],
        "labels_lost_b": turn_stats["labels_lost_b"],
        "sentences_only_a": stats["only_a"],
        "sentences_only_b": stats["only_b"],
        "sentences_moved": stats["moved"],
        "passages_moved": len(moved),
        "formatting_only": stats["formatting"],
        "words_deleted": stats["words_deleted"],
        "words_inserted": stats["words_inserted"],
    }
    result = {
        "schema": SCHEMA,
        "a": {"name": a.source.name, "sha256": a.source.sha256, "title": a.meta.title},
        "b": {"name": b.source.name, "sha256": b.source.sha256, "title": b.meta.title},
        "strict": strict,
        "confidence": round(confidence, 3),
        "coverage": {"a": round(cover_a, 3), "b": round(cover_b, 3)},
        "warning": _warning(confidence, cover_a, cover_b),
        "turns": turns,
        "sentences": sentences,
        "speakers": speakers,
        "moved": moved,
        "summary": summary,
    }
    result["headline"] = headline(result)
    log.debug(
        "compare %s, %s: %d and %d units", a.source.name, b.source.name, len(A.text), len(B.text)
    )
    return result


def _resolve_speakers(V: Version, ids: dict[str, str]) -> None:
    V.speaker_of = {t.id: ids.get(t.speaker) for t in V.doc.turns}
    V.label_of = {t.id: _label_key(t.label, V.strict) for t in V.doc.turns if t.label}


def _covered_words(
    words: list[int], partner: list[int], scored: Iterable[tuple[int, float]]
) -> float:
    """Words of one version's paired units, each counted by its pair's similarity (``scored``:
    index and similarity of the pairs that are not 1.0)."""
    paired = sum(compress(words, map((0).__le__, partner)))
    pairs = list(scored)
    return paired - sum(words[k] for k, _ in pairs) + sum(s * words[k] for k, s in pairs)


def _weight(A: Version, B: Version, al: Alignment, i: int) -> float:
    """What a pair contributes to linking its turns: its words, discounted by similarity."""
    return al.similarity.get(i, 1.0) * (A.words[i] + B.words[al.b_of[i]]) / 2


def _shared_words(
    A: Version, B: Version, al: Alignment
) -> tuple[defaultdict[tuple[str | None, str | None], float], Counter]:
    """Per pair of turns: the words their paired units share, each pair discounted by its
    similarity (what links turns), and the words of A in those pairs (what B keeps)."""
    shared: defaultdict[tuple[str | None, str | None], float] = defaultdict(float)
    kept: Counter[tuple[str | None, str | None]] = Counter()
    turn_a, turn_b, words_a, words_b = A.turn, B.turn, A.words, B.words
    sims = al.similarity
    for i in al.paired_a():
        j = al.b_of[i]
        link = (turn_a[i], turn_b[j])
        shared[link] += sims.get(i, 1.0) * (words_a[i] + words_b[j]) / 2
        kept[link] += words_a[i]
    return shared, kept


def _link_turns(
    shared: dict[tuple[str | None, str | None], float],
    words_a: Counter[str | None],
    words_b: Counter[str | None],
) -> set[tuple[str | None, str | None]]:
    """Turn pairs whose paired sentences make up most of the smaller turn (or a fair share of
    it when each is the other's best partner)."""
    best_a: dict[str | None, tuple[float, str | None]] = {}
    best_b: dict[str | None, tuple[float, str | None]] = {}
    for (ta, tb), w in shared.items():
        if w > best_a.get(ta, (0.0, None))[0]:
            best_a[ta] = (w, tb)
        if w > best_b.get(tb, (0.0, None))[0]:
            best_b[tb] = (w, ta)
    links = set()
    for (ta, tb), w in shared.items():
        smaller = max(min(words_a[ta], words_b[tb]), 1)
        mutual = best_a[ta][1] == tb and best_b[tb][1] == ta
        if w >= LINK_SHARE * smaller or (mutual and w >= LINK_SHARE_MUTUAL * smaller):
            links.add((ta, tb))
    return links


def _same_label_same_speaker(A: Version, B: Version, links: set) -> None:
    """A version that resolves a speaker less well ("QUESTION" unnamed where the other found
    the reporter's name) does not change the speaker of a linked turn with the same label."""
    for ta, tb in links:
        if ta in A.label_of and tb in B.label_of and A.label_of[ta] == B.label_of[tb]:
            spk_a, spk_b = A.speaker_of.get(ta), B.speaker_of.get(tb)
            if spk_a and spk_b and spk_a != spk_b:
                if spk_b.startswith("label:"):
                    B.speaker_of[tb] = spk_a
                elif spk_a.startswith("label:"):
                    A.speaker_of[ta] = spk_b


def _drop_coincidences(
    A: Version, B: Version, al: Alignment, links: set, shared: dict, kept: Counter
) -> None:
    """A short pair across two turns of different speakers that are not linked is a
    coincidence ("Thank you." said by both sides), not the same words."""
    suspect = {
        (ta, tb)
        for ta, tb in shared
        if ta is not None
        and tb is not None
        and (ta, tb) not in links
        and A.speaker_of.get(ta) != B.speaker_of.get(tb)
    }
    if not suspect:
        return
    turns_a = {ta for ta, _ in suspect}
    for i in compress(range(len(A.turn)), map(turns_a.__contains__, A.turn)):
        j = al.b_of[i]
        if j < 0 or i in al.moved or (A.turn[i], B.turn[j]) not in suspect:
            continue
        if min(A.words[i], B.words[j]) < COINCIDENCE_WORDS:
            shared[(A.turn[i], B.turn[j])] -= _weight(A, B, al, i)
            kept[(A.turn[i], B.turn[j])] -= A.words[i]
            al.unpair(i)


def _sentence_records(
    A: Version, B: Version, al: Alignment
) -> tuple[list[dict], set[int], dict[int, int], Counter]:
    """Sentence records in reading order (moved ones at their place in A); also the A units
    paired but changed, and the words of each A unit that its operations delete or replace."""
    strict = A.strict
    records: list[dict] = []
    changed_units: set[int] = set()
    lost: dict[int, int] = {}
    stats: Counter = Counter()

    def one_side(V: Version, k: int, side: str) -> dict:
        stats["only_" + side] += 1
        here = side == "a"
        text, turn, uid = V.text[k], V.turn[k], V.id[k]
        return {
            "status": "only_" + side,
            "a": text if here else None,
            "b": None if here else text,
            "a_turn": turn if here else None,
            "b_turn": None if here else turn,
            "ops": [],
            "a_id": uid if here else None,
            "b_id": None if here else uid,
            "a_index": k if here else None,
            "b_index": None if here else k,
            "similarity": 0.0,
            "moved": False,
        }

    def both(i: int, j: int) -> dict:
        a, b = A.text[i], B.text[j]
        ops: list[dict] = []
        if a == b:
            status = "same"
        elif A.unit(i).norm == B.unit(j).norm:
            status = "same"
            stats["formatting"] += 1  # norms differ from texts only when not strict
        else:
            ops = word_ops(a, b, strict)
            status = "changed" if ops else "same"
            if not ops:  # equal token by token: a difference of spacing only
                stats["formatting"] += 1
        if status == "changed":
            stats["changed"] += 1
            changed_units.add(i)
            lost[i] = _words_in([op for op in ops if op["op"] != "insert"], "a")
            stats["words_deleted"] += lost[i]
            stats["words_inserted"] += _words_in(ops, "b")
        moved = i in al.moved
        if moved:
            stats["moved"] += 1
        return {
            "status": status,
            "a": a,
            "b": b,
            "a_turn": A.turn[i],
            "b_turn": B.turn[j],
            "ops": ops,
            "a_id": A.id[i],
            "b_id": B.id[j],
            "a_index": i,
            "b_index": j,
            "similarity": round(al.similarity.get(i, 1.0), 3),
            "moved": moved,
        }

    append = records.append
    text_a, text_b, turn_a, turn_b = A.text, B.text, A.turn, B.turn
    id_a, id_b, a_of, moved, scored, by_key = (
        A.id,
        B.id,
        al.a_of,
        al.moved,
        al.similarity,
        al.by_key,
    )
    j = 0  # the next B unit to place
    for i, p in enumerate(al.b_of):
        if p >= 0 and i not in moved:
            while j < p:  # B's units before this pair that have no pair: added in B
                if a_of[j] < 0:
                    append(one_side(B, j, "b"))
                j += 1
            if j == p:  # (j > p only past a pair out of order)
                j += 1
            # Not moved, scored or paired by key: the very same text, in place (most units).
            if i not in scored and i not in by_key:
                append(
                    {
                        "status": "same",
                        "a": text_a[i],
                        "b": text_b[p],
                        "a_turn": turn_a[i],
                        "b_turn": turn_b[p],
                        "ops": [],
                        "a_id": id_a[i],
                        "b_id": id_b[p],
                        "a_index": i,
                        "b_index": p,
                        "similarity": 1.0,
                        "moved": False,
                    }
                )
                continue
        append(both(i, p) if p >= 0 else one_side(A, i, "a"))
    for k in range(j, len(B.text)):
        if a_of[k] < 0:
            append(one_side(B, k, "b"))
    return records, changed_units, lost, stats


def _turn_records(
    A: Version,
    B: Version,
    al: Alignment,
    links: set[tuple[str | None, str | None]],
    shared: dict[tuple[str | None, str | None], float],
    names: dict[str, str],
    changed_units: set[int],
) -> tuple[list[dict], Counter]:
    """Turn records in reading order: linked pairs, and turns found in one version only."""
    turn_a = {t.id: t for t in A.doc.turns}
    turn_b = {t.id: t for t in B.doc.turns}
    order_a = {t.id: k for k, t in enumerate(A.doc.turns)}
    order_b = {t.id: k for k, t in enumerate(B.doc.turns)}
    linked_a = {ta for ta, tb in links if ta is not None and tb is not None}
    linked_b = {tb for ta, tb in links if ta is not None and tb is not None}
    # A turn whose words went into text outside any turn in the other version is linked to
    # that text rather than called missing.
    kept = sorted(
        (
            (ta, tb)
            for ta, tb in links
            if (ta is not None and tb is not None)
            or (ta is not None and ta not in linked_a)
            or (tb is not None and tb not in linked_b)
        ),
        key=lambda link: (order_a.get(link[0], -1), order_b.get(link[1], -1)),
    )
    partners_a = Counter(ta for ta, _ in kept)
    partners_b = Counter(tb for _, tb in kept)

    # A turn is clean when every unit in it is paired in place and unchanged: found from the
    # few units that are not.
    not_in_place = al.moved | changed_units
    dirty_a = {A.turn[i] for i in [*al.unpaired_a(), *not_in_place]}
    dirty_b = {B.turn[j] for j in [*al.unpaired_b(), *(al.b_of[i] for i in not_in_place)]}
    moved_weight: dict[tuple, float] = defaultdict(float)
    for i in sorted(al.moved):
        moved_weight[(A.turn[i], B.turn[al.b_of[i]])] += _weight(A, B, al, i)
    records = []
    stats: Counter = Counter()
    for ta, tb in kept:
        t1, t2 = turn_a.get(ta), turn_b.get(tb)
        spk_a = A.speaker_of.get(ta) if ta else None
        spk_b = B.speaker_of.get(tb) if tb else None
        label_a, label_b = (t1.label if t1 else None), (t2.label if t2 else None)
        # A label missing on one side (captions, unlabelled text) is a lost label, not a change.
        both_labelled = bool(label_a) and bool(label_b)
        label_changed = both_labelled and A.label_of[ta] != B.label_of[tb]  # folded unless strict
        speaker_changed = both_labelled and spk_a != spk_b
        label_lost = "b" if label_a and not label_b else "a" if label_b and not label_a else None
        w = shared[(ta, tb)]
        same = (
            t1 is not None
            and t2 is not None
            and partners_a[ta] == partners_b[tb] == 1
            and ta not in dirty_a
            and tb not in dirty_b
            and not label_changed
            and not speaker_changed
        )
        stats["labels_changed"] += label_changed
        stats["speakers_changed"] += speaker_changed
        if label_lost:
            stats["labels_lost_" + label_lost] += 1
        records.append(
            {
                "status": "same" if same else "changed",
                "a": ta,
                "b": tb,
                "speaker_a": names.get(spk_a) if spk_a else None,
                "speaker_b": names.get(spk_b) if spk_b else None,
                "label_a": label_a,
                "label_b": label_b,
                "similarity": 1.0
                if same
                else round(min(1.0, 2 * w / max(A.turn_words[ta] + B.turn_words[tb], 1)), 3),
                "label_changed": label_changed,
                "speaker_changed": speaker_changed,
                "label_lost": label_lost,
                "moved": moved_weight[(ta, tb)] >= 0.5 * max(w, 1e-9),
                "words_a": A.turn_words[ta] if ta else 0,
                "words_b": B.turn_words[tb] if tb else 0,
                "_order": (order_a.get(ta, -1), order_b.get(tb, -1)),
            }
        )
    for side, V, taken, order in (
        ("a", A, set(partners_a), order_a),
        ("b", B, set(partners_b), order_b),
    ):
        here = side == "a"
        for t in V.doc.turns:
            if t.id in taken:
                continue
            stats["only_" + side] += 1
            name = names.get(V.speaker_of.get(t.id) or "")
            records.append(
                {
                    "status": "only_" + side,
                    "a": t.id if here else None,
                    "b": None if here else t.id,
                    "speaker_a": name if here else None,
                    "speaker_b": None if here else name,
                    "label_a": t.label if here else None,
                    "label_b": None if here else t.label,
                    "similarity": 0.0,
                    "label_changed": False,
                    "speaker_changed": False,
                    "label_lost": None,
                    "moved": False,
                    "words_a": V.turn_words[t.id] if here else 0,
                    "words_b": 0 if here else V.turn_words[t.id],
                    "_order": (order[t.id], -1) if here else (-1, order[t.id]),
                }
            )
    return _reading_order(records), stats


def _reading_order(records: list[dict]) -> list[dict]:
    """Records with an A turn in A order; a B-only turn goes just before the first record whose
    B turn comes after it."""
    with_a = sorted((r for r in records if r["_order"][0] >= 0), key=lambda r: r["_order"])
    only_b = sorted((r for r in records if r["_order"][0] < 0), key=lambda r: r["_order"][1])
    out: list[dict] = []
    k = 0
    for r in with_a:
        while k < len(only_b) and r["_order"][1] >= 0 and only_b[k]["_order"][1] < r["_order"][1]:
            out.append(only_b[k])
            k += 1
        out.append(r)
    out.extend(only_b[k:])
    for r in out:
        del r["_order"]
    return out


def _speaker_records(
    A: Version,
    B: Version,
    al: Alignment,
    names: dict[str, str],
    kept_by_link: Counter,
    lost: dict[int, int],
    turns: list[dict],
) -> list[dict]:
    """Per speaker: words in each version, and the share of A's words B keeps under that speaker
    (``kept_by_link``: A's words in pairs per pair of turns, less what changed pairs lost)."""
    words_a: Counter[str] = Counter()
    words_b: Counter[str] = Counter()
    for turn, n in A.turn_words.items():
        if A.speaker_of.get(turn):
            words_a[A.speaker_of[turn]] += n
    for turn, n in B.turn_words.items():
        if B.speaker_of.get(turn):
            words_b[B.speaker_of[turn]] += n
    kept_by_link = kept_by_link.copy()
    for i, n in lost.items():
        kept_by_link[(A.turn[i], B.turn[al.b_of[i]])] -= min(n, A.words[i])
    kept: Counter[str] = Counter()
    for (ta, tb), n in kept_by_link.items():
        key = A.speaker_of.get(ta)
        if key and key == B.speaker_of.get(tb):
            kept[key] += n
    turns_a = Counter(A.speaker_of[t.id] for t in A.doc.turns if A.speaker_of.get(t.id))
    turns_b = Counter(B.speaker_of[t.id] for t in B.doc.turns if B.speaker_of.get(t.id))
    only_a = Counter(A.speaker_of.get(r["a"]) for r in turns if r["status"] == "only_a")
    only_b = Counter(B.speaker_of.get(r["b"]) for r in turns if r["status"] == "only_b")
    order = [A.speaker_of.get(t.id) for t in A.doc.turns] + [
        B.speaker_of.get(t.id) for t in B.doc.turns
    ]
    out = []
    for key in dict.fromkeys(order):
        if not key:
            continue
        out.append(
            {
                "name": names.get(key, key),
                "words_a": words_a[key],
                "words_b": words_b[key],
                "kept": round(min(kept[key] / words_a[key], 1.0), 3) if words_a[key] else 1.0,
                "id": key,
                "turns_a": turns_a[key],
                "turns_b": turns_b[key],
                "turns_only_a": only_a[key],
                "turns_only_b": only_b[key],
            }
        )
    return out


def _moved_passages(A: Version, B: Version, al: Alignment) -> list[dict]:
    """Runs of moved units that are consecutive in both versions: one passage each."""
    runs: list[list[int]] = []  # A indices
    for i in sorted(al.moved):
        if runs and runs[-1][-1] + 1 == i and al.b_of[runs[-1][-1]] + 1 == al.b_of[i]:
            runs[-1].append(i)
        else:
            runs.append([i])
    out = []
    for run in runs:
        first, last = run[0], run[-1]
        text = " ".join(A.text[i] for i in run)
        out.append(
            {
                "a_turn": A.turn[first],
                "b_turn": B.turn[al.b_of[first]],
                "a_index": [first, last],
                "b_index": [al.b_of[first], al.b_of[last]],
                "sentences": len(run),
                "words": sum(A.words[i] for i in run),
                "text": text if len(text) <= 160 else text[:157] + "...",
            }
        )
    return out


def _warning(confidence: float, cover_a: float, cover_b: float) -> str | None:
    pct = f"{max(cover_a, cover_b):.0%}"
    if confidence < UNRELATED:
        return (
            f"A and B look unrelated: only {pct} of the text of either aligns with the other, "
            "so the differences below are not meaningful; check that both are versions of one event."
        )
    if confidence < LOOSE:
        return (
            f"A and B are only loosely related ({pct} of the text aligns): the pairing of changed "
            "passages may be wrong; treat the word-level changes with caution."
        )
    return None


def headline(result: dict) -> str:
    """One line that says the most important difference first: a speaker missing entirely,
    then turns, sentences, moves and labels."""
    s = result["summary"]
    if result["confidence"] < UNRELATED:
        return (
            f"A and B look unrelated ({max(result['coverage'].values()):.0%} of the text aligns)."
        )
    lacking = []
    for sp in result["speakers"]:
        for side, other in (("a", "b"), ("b", "a")):
            n = sp["turns_only_" + side]
            if n and n == sp["turns_" + side] and not sp["words_" + other]:
                lacking.append(
                    f"{other.upper()} lacks every turn of {sp['name']} "
                    f"({_n(n, 'turn')}, {_n(sp['words_' + side], 'word')})"
                )
    parts = []
    for side in ("a", "b"):
        only = [t for t in result["turns"] if t["status"] == "only_" + side]
        if only and not lacking:
            words = sum(t["words_" + side] for t in only)
            parts.append(f"{_n(len(only), 'turn')} only in {side.upper()} ({_n(words, 'word')})")
    # Sentences of a turn missing as a whole are told by the turn, not again one by one.
    whole = {("a", t["a"]) for t in result["turns"] if t["status"] == "only_a"}
    whole |= {("b", t["b"]) for t in result["turns"] if t["status"] == "only_b"}
    for side in ("a", "b"):
        k = sum(
            1
            for r in result["sentences"]
            if r["status"] == "only_" + side and (side, r[side + "_turn"]) not in whole
        )
        if k:
            parts.append(f"{_n(k, 'sentence')} only in {side.upper()}")
    if s["sentences_changed"]:
        parts.append(f"{_n(s['sentences_changed'], 'sentence')} changed")
    if s["passages_moved"]:
        parts.append(f"{_n(s['passages_moved'], 'passage')} moved")
    relabelled = [t for t in result["turns"] if t["label_changed"]]
    if relabelled:
        shown = "; ".join(f"{t['label_a']} → {t['label_b']}" for t in relabelled[:2])
        more = f" and {len(relabelled) - 2} more" if len(relabelled) > 2 else ""
        parts.append(f"{_n(len(relabelled), 'label')} changed ({shown}{more})")
    for side in ("a", "b"):
        if s["labels_lost_" + side]:
            parts.append(
                f"{_n(s['labels_lost_' + side], 'turn')} without a speaker label in {side.upper()}"
            )
    if lacking:
        return "; ".join(lacking) + (f". Also {', '.join(parts)}." if parts else ".")
    if parts:
        return "; ".join(parts) + "."
    if s["formatting_only"]:
        return (
            f"No differences beyond formatting ({_n(s['formatting_only'], 'sentence')} "
            "differ only in spaces, quotes or dashes; --strict shows them)."
        )
    return "No differences."


def _n(k: int, noun: str) -> str:
    return f"{k:,} {noun}{'' if k == 1 else 's'}"
