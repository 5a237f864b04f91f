"""Stage ``clarity``: how clearly each answer replies to its sub-question.

Reads ``exchanges``; fills each answer's ``clarity``, ``evasion`` and ``confidence`` (the
contract's CLARITY and EVASION vocabularies, after the QEvasion taxonomy of Thomas et al.,
EMNLP 2024) and adds ``clarity_cue``: the phrase or measure that decided.

``judge`` is rule-based and fast: the cue phrases of ``knowledge/data/clarity_cues.txt``
(the strongest wins; a cue late in the answer, or a non-reply opener followed by a long
on-topic answer, counts for less), the overlap between the question's content words and the
answer's, whether a yes/no question gets a yes/no-ish reply, and the answer's length.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass

from ..model import Transcript
from ..pipeline import Context, stage

__all__ = ["CLARITY_OF", "EVASIONS", "Cue", "Judgment", "clarity", "cues", "judge"]

CLARITY_OF = {
    "explicit": "clear_reply",
    "implicit": "ambivalent",
    "dodging": "ambivalent",
    "deflection": "ambivalent",
    "partial": "ambivalent",
    "general": "ambivalent",
    "contradictory": "ambivalent",
    "declining_to_answer": "clear_non_reply",
    "claims_ignorance": "clear_non_reply",
    "clarification": "clear_non_reply",
}
EVASIONS = tuple(CLARITY_OF)
NON_REPLY = frozenset(e for e, c in CLARITY_OF.items() if c == "clear_non_reply") | {"deflection"}


@dataclass(frozen=True)
class Judgment:
    clarity: str
    evasion: str
    confidence: float
    cue: str


@dataclass(frozen=True)
class Cue:
    pattern: str
    evasion: str
    weight: float
    regex: re.Pattern[str]
    # A literal the text must contain for the cue to match (a cheap test before the regex).
    anchor: str = ""


# -- the cue file --------------------------------------------------------------------------

_IRREGULAR = {
    "i'm": ("i am",),
    "can't": ("cannot", "can not"),
    "won't": ("will not",),
    "let's": (),
    "that's": ("that is",),
    "it's": ("it is",),
    "what's": ("what is",),
    "there's": ("there is",),
    "he's": ("he is", "he has"),
    "she's": ("she is", "she has"),
}
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'ve", " have"), ("'d", " would"))
# Texts are matched with their whitespace collapsed to single spaces, so a space is literal.
_ANY_WORDS = r"(?:[^ .?!;]+ ){0,4}?"
_ONE_WORD = r"(?:[^ .?!;]+ )?"


def _expansions(tok: str) -> tuple[str, ...]:
    if tok in _IRREGULAR:
        return _IRREGULAR[tok]
    for short, long in _SUFFIXES:
        if tok.endswith(short) and len(tok) > len(short):
            return (tok[: -len(short)] + long,)
    return ()


def _token(tok: str) -> str:
    """One phrase token as a regex that ends by consuming the whitespace after it."""
    if tok == "*":
        return _ANY_WORDS
    if tok == "?":
        return _ONE_WORD
    alts = [re.escape(a) for a in (tok, *_expansions(tok))]
    return (alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")") + " "


def _phrase_regex(phrase: str) -> re.Pattern[str]:
    toks = phrase.lower().replace("’", "'").split()
    while toks and toks[-1] in ("*", "?"):
        toks.pop()
    body = "".join(_token(t) for t in toks).removesuffix(" ")
    # No look-behind: a pattern that opens with a literal lets the regex engine skip ahead
    # fast; _find checks the word boundary before the match instead.
    return re.compile(body + r"(?![\w'])")


def _find(rx: re.Pattern[str], text: str, end: int | None = None) -> re.Match[str] | None:
    """The first match of ``rx`` in ``text[:end]`` that starts at a word boundary."""
    pos = 0
    end = len(text) if end is None else end
    while (m := rx.search(text, pos, end)) is not None:
        s = m.start()
        if s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "'_"):
            return m
        pos = s + 1
    return None


_COMMON = frozenset(
    "going have that this what with there about your would could should will from they them "
    "their when which were been into than then just also some only other".split()
)


def _anchor(pattern: str) -> str:
    """The longest token of a phrase that every match contains verbatim ("" for a regex)."""
    if pattern.startswith("re:"):
        return ""
    toks = [t for t in pattern.lower().replace("’", "'").split() if t not in ("*", "?")]
    plain = [t for t in toks if not _expansions(t)]
    rare = [t for t in plain if t not in _COMMON]
    return max(rare or plain, key=len, default="")


def parse_cues(text: str, source: str = "clarity_cues.txt") -> tuple[Cue, ...]:
    """Parse cue records (grammar in the file's header); raise ValueError naming the line."""
    out: list[Cue] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if "#" in line and not line.startswith("re:"):  # a regex may contain '#'
            line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.rsplit(" | ", 2)]
        if len(parts) != 3:
            raise ValueError(f"{source}:{n}: expected 'pattern | evasion | weight', got {raw!r}")
        pattern, evasion, weight_s = parts
        if evasion not in CLARITY_OF:
            raise ValueError(f"{source}:{n}: unknown evasion {evasion!r}")
        try:
            weight = float(weight_s)
        except ValueError:
            raise ValueError(f"{source}:{n}: weight {weight_s!r} is not a number") from None
        if not 0 < weight <= 1:
            raise ValueError(f"{source}:{n}: weight {weight} is not in (0, 1]")
        try:
            if pattern.startswith("re:"):
                rx = re.compile(pattern[3:])
            else:
                rx = _phrase_regex(pattern)
        except re.error as e:
            raise ValueError(f"{source}:{n}: bad pattern {pattern!r}: {e}") from None
        out.append(Cue(pattern, evasion, weight, rx, _anchor(pattern)))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def cues() -> tuple[Cue, ...]:
    """The package's cue table, parsed once."""
    data = importlib.resources.files("podium.knowledge").joinpath("data", "clarity_cues.txt")
    return parse_cues(data.read_text(encoding="utf-8"), "podium/knowledge/data/clarity_cues.txt")


# -- lexical features ----------------------------------------------------------------------

_STOP = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each even ever few for from further get gets getting got had
    hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
    himself his how how's however i i'd i'll i'm i've if in into is isn't it it's its itself
    just let's like made make many may me might more most much must mustn't my myself no nor
    not now of off on once one only or other ought our ours ourselves out over own really
    said same say says see shan't she she'd she'll she's should shouldn't so some still such
    sure take than that that's the their theirs them themselves then there there's these they
    they'd they'll they're they've thing things think this those though through to too under
    until up upon us very want was wasn't way we we'd we'll we're we've well were weren't what
    what's when when's where where's whether which while who who's whom why why's will with
    won't would wouldn't yes yet you you'd you'll you're you've your yours yourself yourselves
    mr mrs ms president minister secretary sir question questions ask asked asking know going
    go tell told right people time now today year years lot kind look something anything
    regarding respect view whether regard
    """.split()
)
_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")
_SUFFIX_RE = re.compile(r"(?:'s|ations?|ments?|ings?|ies|ied|ed|es|s|ly|al)$")


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    w = word.replace("’", "'")
    s = _SUFFIX_RE.sub("", w)
    return s if len(s) >= 3 else w


@functools.lru_cache(maxsize=2048)
def content_stems(text: str) -> frozenset[str]:
    # Cached: one answer is judged against each sub-question it answers.
    words = set(_WORD.findall(text.lower().replace("’", "'")))  # each distinct word stemmed once
    return frozenset(_stem(w) for w in words if len(w) > 2 and w not in _STOP)


def overlap(question: str, answer: str) -> float:
    """Share of the question's content stems that the answer uses (0 when it has none)."""
    q = content_stems(question)
    if not q:
        return 0.0
    return len(q & content_stems(answer)) / len(q)


_YESNO_Q = re.compile(
    r"^\W*(?:(?:and|but|so|now|also|then|mr\.? \w+|madam \w+|sir)[, ]+)*"
    r"(?:is|are|was|were|do|does|did|will|would|can|could|should|shall|have|has|had|may|might|"
    r"must|isn't|aren't|wasn't|weren't|don't|doesn't|didn't|won't|wouldn't|can't|couldn't|"
    r"shouldn't|haven't|hasn't)\b",
    re.I,
)


def is_yes_no_question(question: str) -> bool:
    # The last sentence of the sub-question is usually the question itself.
    parts = [p for p in re.split(r"(?<=[.?!:])\s+", question.strip()) if p]
    last = parts[-1] if parts else question
    return bool(_YESNO_Q.match(last)) or bool(_YESNO_Q.match(question))


# -- the judgment --------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.?!;]")
_BUT = re.compile(r"\b(?:but|although|though|however)\b")
_HEAD = 300  # characters that count as the opening of an answer
# Overlap thresholds for answers with no decisive cue.
_CLEAR = 0.6
_CLEAR_YES_NO = 0.75
_RELATED = 0.25


def _judgment(evasion: str, confidence: float, cue: str) -> Judgment:
    return Judgment(CLARITY_OF[evasion], evasion, round(max(0.0, min(1.0, confidence)), 2), cue)


@functools.lru_cache(maxsize=1)
def _cue_index() -> tuple[dict[str, list[Cue]], list[Cue]]:
    anchored: dict[str, list[Cue]] = {}
    free: list[Cue] = []
    for c in cues():
        if c.anchor:
            anchored.setdefault(c.anchor, []).append(c)
        else:
            free.append(c)
    return anchored, free


@functools.lru_cache(maxsize=1024)
def _cue_hits(text: str) -> tuple[tuple[Cue, int, int, str], ...]:
    """Every cue found in a normalised answer, with where it matched (cached per answer)."""
    anchored, free = _cue_index()
    hits = []
    # One substring test per distinct anchor, then only the cues whose anchor is there.
    candidates = [c for a, group in anchored.items() if a in text for c in group] + free
    for c in candidates:
        # "the answer is" says little deep in a long answer
        head_only = c.evasion == "explicit" and not c.pattern.startswith("re:")
        m = _find(c.regex, text, _HEAD if head_only else None)
        if m is not None:
            hits.append((c, m.start(), m.end(), m.group(0).strip()))
    return tuple(hits)


def judge(question: str, answer: str) -> Judgment:
    """Judge how clearly ``answer`` replies to ``question`` (see the module's docstring)."""
    text = " ".join(answer.lower().replace("’", "'").split())
    if not text:
        return _judgment("declining_to_answer", 0.3, "empty answer")
    n_words = text.count(" ") + 1
    ov = overlap(question, answer)
    yes_no = is_yes_no_question(question)

    best: tuple[float, Cue, str] | None = None
    for c, m_start, m_end, matched in _cue_hits(text):
        score = c.weight
        if m_start >= _HEAD:
            # deeper in a long answer a stock phrase says less about the answer as a whole
            score *= 0.55 if c.evasion in NON_REPLY else 0.7
        if c.evasion in NON_REPLY:
            # "I haven't seen the report, but ..." goes on to answer anyway
            rest = _SENTENCE_END.split(text[m_end : m_end + 200], 1)[0]
            if _BUT.search(rest):
                score *= 0.6
            after = text.count(" ", m_end) + 1
            if after > 60 and ov >= _RELATED:
                score *= 0.7 if ov < _CLEAR else 0.5
            elif after > 150:
                score *= 0.8
        if c.evasion == "explicit" and not yes_no and c.pattern.startswith("re:^"):
            score *= 0.6
        if best is None or score > best[0]:
            best = (score, c, matched)

    if best is not None and best[0] >= 0.45:
        score, c, matched = best
        return _judgment(c.evasion, 0.35 + 0.6 * score, matched)

    if n_words <= 5:
        # a terse reply with no evasion cue ("Of course.", "Not yet.") is usually a direct one
        return _judgment("explicit", 0.5, "short reply without an evasion cue")
    # a yes/no question answered without a yes or a no needs more of its words back
    if ov >= (_CLEAR_YES_NO if yes_no else _CLEAR):
        return _judgment("explicit", 0.4 + 0.3 * ov, f"overlap {ov:.2f} with the question")
    if ov >= _RELATED:
        return _judgment("implicit", 0.4, f"overlap {ov:.2f} with the question")
    return _judgment("dodging", 0.4 + 0.2 * (_RELATED - ov), f"overlap {ov:.2f} with the question")


# -- the stage -----------------------------------------------------------------------------


@stage("clarity", requires=("exchanges",), provides="clarity")
def clarity(doc: Transcript, ctx: Context) -> None:
    for ex in doc.exchanges:
        for sq in ex.get("sub_questions") or ():
            for ans in sq.get("answers") or ():
                j = judge(sq.get("text") or "", ans.get("text") or "")
                ans["clarity"] = j.clarity
                ans["evasion"] = j.evasion
                ans["confidence"] = j.confidence
                ans["clarity_cue"] = j.cue
