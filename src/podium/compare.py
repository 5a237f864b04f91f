"""Two versions of one event: what B dropped, added or changed compared to A (``podium-compare/1``).

``compare(a, b)`` takes two analysed transcripts (``podium.analyze``) and returns the contract's
compare record: turns, sentences with word operations, speakers with the share of their words
kept, a summary, and — beyond the contract — a confidence, a plain warning when the two inputs
look unrelated, moved passages and a one-line headline.

How it aligns, in time near-linear in the length of the documents:

1. Every sentence, and every stretch of text outside sentences (datelines, headers), becomes a
   *unit*.
2. Units identical in both versions anchor the alignment: those unique in both, the longest
   increasing run of them (patience diff), again inside every gap between anchors; gaps small
   enough go to difflib. No pass compares every unit with every other. Inside the gaps left,
   the same again on the units' keys: their words case-folded, punctuation and formatting
   dropped (only these units are folded: most of two versions is identical).
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
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from .errors import InputError
from .knowledge import Knowledge, default_knowledge, fold
from .model import Transcript

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
class Unit:
    """A sentence, or a stretch of text no sentence covers, with what it is compared by."""

    index: int
    turn: str | None
    id: str | None  # the sentence id ("s4+s5" when merged); None for text outside sentences
    start: int
    end: int
    text: str
    words: int
    # Filled by prepare() for units without an identical copy in the other version only:
    # most of two versions are identical, and folding their text is most of the cost.
    norm: str | None = None
    key: str | None = None


def prepare(u: Unit, strict: bool) -> Unit:
    """Fill in what a unit is compared by: its folded text (the raw text when strict) and key."""
    if u.key is None:
        folded = normalise(u.text)
        u.norm = u.text if strict else folded
        u.key = " ".join(key_words(folded)) or folded
    return u


def units(doc: Transcript) -> list[Unit]:
    """The units of a transcript in text order: its sentences, plus any text outside them
    (datelines, headers, end marks) a line at a time — so nothing in the text escapes comparison."""
    from .stages.sentences import split_spans

    covered = sorted(
        [(s.start, s.end) for s in doc.sentences]
        + [(t.label_start, t.label_end) for t in doc.turns if t.label_start is not None]
    )
    turns = sorted(doc.turns, key=lambda t: t.start)
    turn_starts = [t.start for t in turns]

    def turn_at(pos: int) -> str | None:
        k = bisect_right(turn_starts, pos) - 1
        return turns[k].id if k >= 0 and pos < turns[k].end else None

    spans: list[tuple[int, int, str | None, str | None]] = [
        (s.start, s.end, s.turn, s.id) for s in doc.sentences
    ]
    pos = 0
    for start, end in covered + [(len(doc.text), len(doc.text))]:
        if start > pos and _HAS_ALNUM.search(doc.text, pos, start):
            for s, e in split_spans(doc.text[pos:start], pos):
                if _HAS_ALNUM.search(doc.text, s, e):
                    spans.append((s, e, turn_at(s), None))
        pos = max(pos, end)
    spans.sort(key=lambda sp: sp[0])

    text = doc.text
    out = []
    for k, (start, end, turn, sid) in enumerate(spans):
        piece = text[start:end]
        out.append(Unit(k, turn, sid, start, end, piece, len(piece.split())))
    return out


# --------------------------------------------------------------------------------------------
# Sequence alignment: patience anchors, difflib in small gaps
# --------------------------------------------------------------------------------------------


def _lis(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest run of ``pairs`` (sorted by first item) increasing in the second item."""
    tails: list[int] = []  # tails[k]: smallest last j of an increasing run of length k + 1
    tail_at: list[int] = []
    back = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        if not tails or j > tails[-1]:  # the common case between two versions of one text
            back[n] = tail_at[-1] if tail_at else -1
            tails.append(j)
            tail_at.append(n)
            continue
        k = bisect_left(tails, j)
        tails[k] = j
        tail_at[k] = n
        back[n] = tail_at[k - 1] if k else -1
    run: list[tuple[int, int]] = []
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        run.append(pairs[n])
        n = back[n]
    return run[::-1]


def _anchors(
    a: Sequence[Hashable], b: Sequence[Hashable], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Pairs of items unique in both ranges, longest increasing run of them (patience diff).
    With none, items as rare as possible that occur equally often in both, the n-th occurrence
    paired with the n-th (as git's histogram diff), so repetitive text still finds anchors."""
    sa, sb = a[alo:ahi], b[blo:bhi]
    count_a, count_b = Counter(sa), Counter(sb)
    unique = [k for k, n in count_a.items() if n == 1 and count_b.get(k) == 1]
    if unique:
        # Positions through dict(zip()) and map(): C loops, this is the hot path.
        at_a = dict(zip(sa, range(alo, ahi), strict=True))
        at_b = dict(zip(sb, range(blo, bhi), strict=True))
        return _lis(
            sorted(zip(map(at_a.__getitem__, unique), map(at_b.__getitem__, unique), strict=True))
        )
    rarest = min((n for k, n in count_a.items() if count_b.get(k) == n), default=0)
    if not rarest or rarest > MAX_REPEAT:
        return []
    seen_b: dict[Hashable, list[int]] = defaultdict(list)
    for j, k in enumerate(sb, blo):
        if count_b[k] == rarest and count_a[k] == rarest:
            seen_b[k].append(j)
    used: Counter[Hashable] = Counter()
    pairs = []
    for i, k in enumerate(sa, alo):
        if k in seen_b:
            pairs.append((i, seen_b[k][used[k]]))
            used[k] += 1
    return _lis(pairs)


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
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            matches.append((alo, blo))
            alo += 1
            blo += 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi -= 1
            bhi -= 1
            matches.append((ahi, bhi))
        cells = (ahi - alo) * (bhi - blo)
        if not cells:
            continue
        if ahi - alo == 1 or bhi - blo == 1:  # one item on a side: a scan, no SequenceMatcher
            if ahi - alo == 1:
                j = next((j for j in range(blo, bhi) if b[j] == a[alo]), -1)
                if j >= 0:
                    matches.append((alo, j))
            else:
                i = next((i for i in range(alo, ahi) if a[i] == b[blo]), -1)
                if i >= 0:
                    matches.append((i, blo))
            continue
        anchors = [] if cells <= small else _anchors(a, b, alo, ahi, blo, bhi)
        if not anchors:
            if cells <= large:
                sm = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
                for i, j, size in sm.get_matching_blocks():
                    matches.extend((alo + i + k, blo + j + k) for k in range(size))
            continue
        matches.extend(anchors)
        i0, j0 = alo, blo
        for i, j in anchors:
            if i > i0 and j > j0:  # a gap with something on both sides: look inside
                stack.append((i0, i, j0, j))
            i0, j0 = i + 1, j + 1
        if ahi > i0 and bhi > j0:
            stack.append((i0, ahi, j0, bhi))
    matches.sort()
    return matches


def gaps(matches: Sequence[tuple[int, int]], n: int, m: int) -> Iterator[tuple[int, int, int, int]]:
    """The stretches ``(i1, i2, j1, j2)`` between consecutive matches (and at both ends)."""
    i0 = j0 = 0
    for i, j in [*matches, (n, m)]:
        if i > i0 or j > j0:
            yield i0, i, j0, j
        i0, j0 = i + 1, j + 1


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
    chain = _lis([(i, j) for i, j, _ in found])
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
        key = "-" if tok[0] in "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212" else fold_format(tok)
        if key.strip():
            out.append((key, m.start(), m.end()))
    return out


def word_ops(a: str, b: str, strict: bool = False) -> list[dict]:
    """Word-level operations turning ``a`` into ``b``: ``{"op", "a", "b", "a_span", "b_span"}``,
    spans being character offsets into ``a`` and ``b`` (empty at an insertion point)."""
    ta, tb = _tokens(a, strict), _tokens(b, strict)
    ops = []
    for i1, i2, j1, j2 in gaps(diff([t[0] for t in ta], [t[0] for t in tb]), len(ta), len(tb)):
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


@dataclass(slots=True)
class Pair:
    i: int
    j: int
    similarity: float
    moved: bool = False


def align_units(ua: Sequence[Unit], ub: Sequence[Unit], strict: bool = False) -> dict[int, Pair]:
    """Pairs of units by A index: identical texts, then equal keys inside the gaps, then moved
    copies, then similar units in gaps, then moved near-copies."""
    matches = diff([u.text for u in ua], [u.text for u in ub])
    key_matches = []
    for i1, i2, j1, j2 in gaps(matches, len(ua), len(ub)):
        ka = [prepare(u, strict).key for u in ua[i1:i2]]
        kb = [prepare(v, strict).key for v in ub[j1:j2]]
        key_matches.extend((i1 + x, j1 + y) for x, y in diff(ka, kb))
    matches = sorted(matches + key_matches)
    pairs = {i: Pair(i, j, 1.0) for i, j in matches}
    taken_b = {j for _, j in matches}

    moved = _moved_exact(ua, ub, pairs, taken_b)
    for p in moved:
        pairs[p.i] = p
        taken_b.add(p.j)

    for i1, i2, j1, j2 in gaps(matches, len(ua), len(ub)):
        ga = [u for u in ua[i1:i2] if u.index not in pairs]
        gb = [v for v in ub[j1:j2] if v.index not in taken_b]
        for x, y, s in pair_similar(ga, gb):
            pairs[ga[x].index] = Pair(ga[x].index, gb[y].index, s)
            taken_b.add(gb[y].index)

    rest_a = [u for u in ua if u.index not in pairs and u.words >= MOVED_MIN_WORDS]
    rest_b = [v for v in ub if v.index not in taken_b and v.words >= MOVED_MIN_WORDS]
    for x, y, s in _candidates(rest_a, rest_b, MOVED_MIN_SIMILARITY):
        if rest_b[y].index not in taken_b:
            pairs[rest_a[x].index] = Pair(rest_a[x].index, rest_b[y].index, s, moved=True)
            taken_b.add(rest_b[y].index)
    _extend_moved(ua, ub, pairs, taken_b)
    return pairs


def _moved_exact(
    ua: Sequence[Unit], ub: Sequence[Unit], pairs: dict[int, Pair], taken_b: set[int]
) -> list[Pair]:
    """Unpaired units whose exact key is unpaired in the other version too, in A order."""
    free_b: dict[str, list[int]] = defaultdict(list)
    for v in ub:
        if v.index not in taken_b and v.words >= MOVED_MIN_WORDS:
            free_b[v.key].append(v.index)
    out = []
    for u in ua:
        if u.index not in pairs and u.words >= MOVED_MIN_WORDS and free_b.get(u.key):
            out.append(Pair(u.index, free_b[u.key].pop(0), 1.0, moved=True))
    return out


def _extend_moved(
    ua: Sequence[Unit], ub: Sequence[Unit], pairs: dict[int, Pair], taken_b: set[int]
) -> None:
    """Short units next to a moved one that also follow it in the other version moved with it."""
    for p in sorted((p for p in pairs.values() if p.moved), key=lambda p: p.i):
        for step in (1, -1):
            i, j = p.i + step, p.j + step
            while 0 <= i < len(ua) and 0 <= j < len(ub) and i not in pairs and j not in taken_b:
                if ua[i].key != ub[j].key:
                    break
                pairs[i] = Pair(i, j, 1.0, moved=True)
                taken_b.add(j)
                i, j = i + step, j + step


MAX_GROUP = 8  # units of one version merged to meet one sentence of the other


def regroup(
    ua: list[Unit], ub: list[Unit], pairs: dict[int, Pair], text_a: str, text_b: str, strict: bool
) -> tuple[list[Unit], list[Unit], dict[int, Pair]]:
    """A sentence split in two in one version ("… Baltimore. (Pronounced…)" as one sentence or
    three) meets its parts as one unit: a changed pair grows by the unpaired sentences next to it
    while that brings the two sides closer, and short runs of unpaired sentences between two
    pairs are tried as wholes. Returns new unit lists and pairs, merged units replacing parts."""
    taken_b = {p.j: p.i for p in pairs.values()}
    groups: list[list[int]] = []  # [i, i_end, j, j_end], half-open

    def free_a(k: int, turn: str | None) -> bool:
        return 0 <= k < len(ua) and k not in pairs and ua[k].turn == turn

    def free_b(k: int, turn: str | None) -> bool:
        return 0 <= k < len(ub) and k not in taken_b and ub[k].turn == turn

    def score(g: list[int]) -> float:
        ka = " ".join(u.key for u in ua[g[0] : g[1]])
        kb = " ".join(v.key for v in ub[g[2] : g[3]])
        return fuzz.ratio(ka, kb) / 100

    claimed_a: set[int] = set()
    claimed_b: set[int] = set()
    for p in sorted(pairs.values(), key=lambda p: p.i):
        if p.moved or ua[p.i].key == ub[p.j].key:
            continue
        g, best = [p.i, p.i + 1, p.j, p.j + 1], p.similarity
        while True:
            options = []
            if g[1] - g[0] < MAX_GROUP:
                if free_a(g[0] - 1, ua[p.i].turn) and g[0] - 1 not in claimed_a:
                    options.append([g[0] - 1, g[1], g[2], g[3]])
                if free_a(g[1], ua[p.i].turn) and g[1] not in claimed_a:
                    options.append([g[0], g[1] + 1, g[2], g[3]])
            if g[3] - g[2] < MAX_GROUP:
                if free_b(g[2] - 1, ub[p.j].turn) and g[2] - 1 not in claimed_b:
                    options.append([g[0], g[1], g[2] - 1, g[3]])
                if free_b(g[3], ub[p.j].turn) and g[3] not in claimed_b:
                    options.append([g[0], g[1], g[2], g[3] + 1])
            scored = max(((score(o), o) for o in options), default=(0.0, g))
            if scored[0] <= best + 0.02:
                break
            best, g = scored
        if g[1] - g[0] > 1 or g[3] - g[2] > 1:
            groups.append([*g, best])
            claimed_a.update(range(g[0], g[1]))
            claimed_b.update(range(g[2], g[3]))

    # Runs of unpaired units between two consecutive pairs, tried as wholes.
    chain = sorted((p.i, p.j) for p in pairs.values() if not p.moved)
    for (i0, j0), (i1, j1) in zip([(-1, -1), *chain], [*chain, (len(ua), len(ub))], strict=True):
        ra = [k for k in range(i0 + 1, i1) if k not in pairs and k not in claimed_a]
        rb = [k for k in range(j0 + 1, j1) if k not in taken_b and k not in claimed_b]
        if not (ra and rb) or len(ra) + len(rb) < 3 or len(ra) > MAX_GROUP or len(rb) > MAX_GROUP:
            continue
        g = [ra[0], ra[-1] + 1, rb[0], rb[-1] + 1]
        if (
            g[1] - g[0] == len(ra)
            and g[3] - g[2] == len(rb)
            and len({u.turn for u in ua[g[0] : g[1]]}) == 1
            and len({v.turn for v in ub[g[2] : g[3]]}) == 1
        ):
            sim = score(g)
            if sim >= MIN_SIMILARITY:
                groups.append([*g, sim])
    if not groups:
        return ua, ub, pairs

    start_a = {g[0]: g for g in groups}
    start_b = {g[2]: g for g in groups}
    new_a, old_to_new_a = _merged(ua, {g[0]: g[1] for g in groups}, text_a, strict)
    new_b, old_to_new_b = _merged(ub, {g[2]: g[3] for g in groups}, text_b, strict)
    inside_a = {k for g in groups for k in range(g[0], g[1])}
    new_pairs: dict[int, Pair] = {}
    for p in pairs.values():
        if p.i in inside_a or p.j in claimed_b or p.j in start_b:
            continue
        new_pairs[old_to_new_a[p.i]] = Pair(
            old_to_new_a[p.i], old_to_new_b[p.j], p.similarity, p.moved
        )
    for i, g in start_a.items():
        ni = old_to_new_a[i]
        new_pairs[ni] = Pair(ni, old_to_new_b[g[2]], g[4])
    return new_a, new_b, new_pairs


def _merged(
    us: list[Unit], spans: dict[int, int], text: str, strict: bool
) -> tuple[list[Unit], dict[int, int]]:
    """Units with each span ``start → end`` (indices) merged into one; old index → new index.
    Units outside the spans are kept (re-indexed in place)."""
    out: list[Unit] = []
    where: dict[int, int] = {}
    k = 0
    while k < len(us):
        end = spans.get(k, k + 1)
        where[k] = len(out)
        if end == k + 1:
            u = us[k]
            u.index = len(out)
            out.append(u)
        else:
            for m in range(k + 1, end):
                where[m] = len(out)
            first, last = us[k], us[end - 1]
            piece = text[first.start : last.end]
            ids = [u.id for u in us[k:end] if u.id]
            out.append(
                Unit(
                    len(out),
                    first.turn,
                    "+".join(ids) if ids else None,
                    first.start,
                    last.end,
                    piece,
                    sum(u.words for u in us[k:end]),
                    normalise(piece, strict),
                    " ".join(u.key or "" for u in us[k:end]),
                )
            )
        k = end
    return out, where


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


@dataclass
class Side:
    """One version as the record-building steps see it."""

    doc: Transcript
    units: list[Unit]
    speaker_of: dict[str | None, str | None]  # turn id → speaker identity (see _identities)
    label_of: dict[str, str]  # turn id → label as compared (folded unless strict)
    words: Counter[str | None]  # turn id (None: text outside turns) → words


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
    ua, ub = units(a), units(b)
    pairs = align_units(ua, ub, strict)
    ua, ub, pairs = regroup(ua, ub, pairs, a.text, b.text, strict)
    ids_a, ids_b, names = _identities(a, b, knowledge or default_knowledge())
    A = _side(a, ua, ids_a, strict)
    B = _side(b, ub, ids_b, strict)

    # Turns are linked by the words their paired units share.
    shared: dict[tuple[str | None, str | None], float] = defaultdict(float)
    for p in pairs.values():
        shared[(ua[p.i].turn, ub[p.j].turn)] += _weight(p, ua, ub)
    links = _link_turns(shared, A.words, B.words)
    _same_label_same_speaker(A, B, links)
    _drop_coincidences(A, B, pairs, links, shared)

    sentences, changed_units, lost, stats = _sentence_records(ua, ub, pairs, strict)
    turns, turn_stats = _turn_records(A, B, pairs, links, shared, names, changed_units, strict)
    speakers = _speaker_records(A, B, pairs, names, lost, turns)
    moved = _moved_passages(ua, ub, pairs)

    total_a = sum(u.words for u in ua)
    total_b = sum(v.words for v in ub)
    cover_a = sum(p.similarity * ua[p.i].words for p in pairs.values()) / max(total_a, 1)
    cover_b = sum(p.similarity * ub[p.j].words for p in pairs.values()) / max(total_b, 1)
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
    log.debug("compare %s, %s: %d and %d units", a.source.name, b.source.name, len(ua), len(ub))
    return result


def _side(doc: Transcript, us: list[Unit], ids: dict[str, str], strict: bool) -> Side:
    words: Counter[str | None] = Counter()
    for u in us:
        words[u.turn] += u.words
    return Side(
        doc,
        us,
        {t.id: ids.get(t.speaker) for t in doc.turns},
        {t.id: _label_key(t.label, strict) for t in doc.turns if t.label},
        words,
    )


def _weight(p: Pair, ua: Sequence[Unit], ub: Sequence[Unit]) -> float:
    """What a pair contributes to linking its turns: its words, discounted by similarity."""
    return p.similarity * (ua[p.i].words + ub[p.j].words) / 2


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


def _same_label_same_speaker(A: Side, B: Side, links: set) -> None:
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


def _drop_coincidences(A: Side, B: Side, pairs: dict[int, Pair], links: set, shared: dict) -> None:
    """A short pair across two turns of different speakers that are not linked is a
    coincidence ("Thank you." said by both sides), not the same words."""
    ua, ub = A.units, B.units
    for i, p in list(pairs.items()):
        ta, tb = ua[p.i].turn, ub[p.j].turn
        if (
            not p.moved
            and min(ua[p.i].words, ub[p.j].words) < COINCIDENCE_WORDS
            and ta is not None
            and tb is not None
            and (ta, tb) not in links
            and A.speaker_of.get(ta) != B.speaker_of.get(tb)
        ):
            shared[(ta, tb)] -= _weight(p, ua, ub)
            del pairs[i]


def _sentence_records(
    ua: Sequence[Unit], ub: Sequence[Unit], pairs: dict[int, Pair], strict: bool
) -> tuple[list[dict], set[int], dict[int, int], Counter]:
    """Sentence records in reading order (moved ones at their place in A); also the A units
    paired but changed, and the words of each A unit that its operations delete or replace."""
    paired_b = {p.j: p for p in pairs.values()}
    records: list[dict] = []
    changed_units: set[int] = set()
    lost: dict[int, int] = {}
    stats: Counter = Counter()

    def one_side(u: Unit, side: str) -> dict:
        stats["only_" + side] += 1
        here = side == "a"
        return {
            "status": "only_" + side,
            "a": u.text if here else None,
            "b": None if here else u.text,
            "a_turn": u.turn if here else None,
            "b_turn": None if here else u.turn,
            "ops": [],
            "a_id": u.id if here else None,
            "b_id": None if here else u.id,
            "a_index": u.index if here else None,
            "b_index": None if here else u.index,
            "similarity": 0.0,
            "moved": False,
        }

    def both(p: Pair) -> dict:
        u, v = ua[p.i], ub[p.j]
        ops: list[dict] = []
        if u.norm == v.norm:  # identical texts have no norm (None == None): same too
            status = "same"
            if not strict and u.text != v.text:
                stats["formatting"] += 1
        else:
            ops = word_ops(u.text, v.text, strict)
            status = "changed" if ops else "same"
            if not ops:  # equal token by token: a difference of spacing only
                stats["formatting"] += 1
        if status == "changed":
            stats["changed"] += 1
            changed_units.add(u.index)
            lost[u.index] = _words_in([op for op in ops if op["op"] != "insert"], "a")
            stats["words_deleted"] += lost[u.index]
            stats["words_inserted"] += _words_in(ops, "b")
        if p.moved:
            stats["moved"] += 1
        return {
            "status": status,
            "a": u.text,
            "b": v.text,
            "a_turn": u.turn,
            "b_turn": v.turn,
            "ops": ops,
            "a_id": u.id,
            "b_id": v.id,
            "a_index": u.index,
            "b_index": v.index,
            "similarity": round(p.similarity, 3),
            "moved": p.moved,
        }

    j = 0
    for u in ua:
        p = pairs.get(u.index)
        if p is not None and not p.moved:
            while j < p.j:
                if j not in paired_b:
                    records.append(one_side(ub[j], "b"))
                j += 1
            j = max(j, p.j + 1)
        records.append(both(p) if p is not None else one_side(u, "a"))
    for v in ub[j:]:
        if v.index not in paired_b:
            records.append(one_side(v, "b"))
    return records, changed_units, lost, stats


def _turn_records(
    A: Side,
    B: Side,
    pairs: dict[int, Pair],
    links: set[tuple[str | None, str | None]],
    shared: dict[tuple[str | None, str | None], float],
    names: dict[str, str],
    changed_units: set[int],
    strict: bool,
) -> tuple[list[dict], Counter]:
    """Turn records in reading order: linked pairs, and turns found in one version only."""
    ua, ub = A.units, B.units
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

    # A turn is clean when every unit in it is paired in place and unchanged.
    clean_a: dict[str | None, bool] = defaultdict(lambda: True)
    clean_b: dict[str | None, bool] = defaultdict(lambda: True)
    by_b = {p.j: p for p in pairs.values()}
    for u in ua:
        p = pairs.get(u.index)
        if p is None or p.moved or u.index in changed_units:
            clean_a[u.turn] = False
    for v in ub:
        p = by_b.get(v.index)
        if p is None or p.moved or p.i in changed_units:
            clean_b[v.turn] = False
    moved_weight: dict[tuple, float] = defaultdict(float)
    for p in pairs.values():
        if p.moved:
            moved_weight[(ua[p.i].turn, ub[p.j].turn)] += _weight(p, ua, ub)

    records = []
    stats: Counter = Counter()
    for ta, tb in kept:
        t1, t2 = turn_a.get(ta), turn_b.get(tb)
        spk_a = A.speaker_of.get(ta) if ta else None
        spk_b = B.speaker_of.get(tb) if tb else None
        label_a, label_b = (t1.label if t1 else None), (t2.label if t2 else None)
        # A label missing on one side (captions, unlabelled text) is a lost label, not a change.
        both_labelled = bool(label_a) and bool(label_b)
        label_changed = both_labelled and _label_key(label_a, strict) != _label_key(label_b, strict)
        speaker_changed = both_labelled and spk_a != spk_b
        label_lost = "b" if label_a and not label_b else "a" if label_b and not label_a else None
        w = shared[(ta, tb)]
        same = (
            t1 is not None
            and t2 is not None
            and partners_a[ta] == partners_b[tb] == 1
            and clean_a[ta]
            and clean_b[tb]
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
                else round(min(1.0, 2 * w / max(A.words[ta] + B.words[tb], 1)), 3),
                "label_changed": label_changed,
                "speaker_changed": speaker_changed,
                "label_lost": label_lost,
                "moved": moved_weight[(ta, tb)] >= 0.5 * max(w, 1e-9),
                "words_a": A.words[ta] if ta else 0,
                "words_b": B.words[tb] if tb else 0,
                "_order": (order_a.get(ta, -1), order_b.get(tb, -1)),
            }
        )
    for side, version, taken, order in (
        ("a", A, set(partners_a), order_a),
        ("b", B, set(partners_b), order_b),
    ):
        here = side == "a"
        for t in version.doc.turns:
            if t.id in taken:
                continue
            stats["only_" + side] += 1
            name = names.get(version.speaker_of.get(t.id) or "")
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
                    "words_a": version.words[t.id] if here else 0,
                    "words_b": 0 if here else version.words[t.id],
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
    A: Side,
    B: Side,
    pairs: dict[int, Pair],
    names: dict[str, str],
    lost: dict[int, int],
    turns: list[dict],
) -> list[dict]:
    """Per speaker: words in each version, and the share of A's words B keeps under that speaker."""
    words_a: Counter[str] = Counter()
    words_b: Counter[str] = Counter()
    for turn, n in A.words.items():
        if A.speaker_of.get(turn):
            words_a[A.speaker_of[turn]] += n
    for turn, n in B.words.items():
        if B.speaker_of.get(turn):
            words_b[B.speaker_of[turn]] += n
    kept: Counter[str] = Counter()
    for p in pairs.values():
        u, v = A.units[p.i], B.units[p.j]
        key = A.speaker_of.get(u.turn)
        if key and key == B.speaker_of.get(v.turn):
            kept[key] += max(u.words - lost.get(p.i, 0), 0)
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


def _moved_passages(ua: Sequence[Unit], ub: Sequence[Unit], pairs: dict[int, Pair]) -> list[dict]:
    """Runs of moved units that are consecutive in both versions: one passage each."""
    runs: list[list[Pair]] = []
    for p in sorted((p for p in pairs.values() if p.moved), key=lambda p: p.i):
        if runs and runs[-1][-1].i + 1 == p.i and runs[-1][-1].j + 1 == p.j:
            runs[-1].append(p)
        else:
            runs.append([p])
    out = []
    for run in runs:
        first, last = run[0], run[-1]
        text = " ".join(ua[p.i].text for p in run)
        out.append(
            {
                "a_turn": ua[first.i].turn,
                "b_turn": ub[first.j].turn,
                "a_index": [first.i, last.i],
                "b_index": [first.j, last.j],
                "sentences": len(run),
                "words": sum(ua[p.i].words for p in run),
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
