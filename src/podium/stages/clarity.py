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
from typing import Any

import ahocorasick

from ..model import Transcript
from ..pipeline import Context, stage
from ..words import content_stems, cue_text, lowered, present

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
    # Literals of which every match contains one (found in one automaton pass over the answer
    # before any regex runs); empty when no literal is sure.
    anchors: tuple[str, ...] = ()


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
# Cues are matched in the answer's lower-cased text with ’ read as ' (same offsets as the
# original, so a match quotes the answer's own words); a space in a cue is any whitespace.
_GAP = r"\s+"
_ANY_WORDS = r"(?:[^\s.?!;]+\s+){0,4}?"
_ONE_WORD = r"(?:[^\s.?!;]+\s+)?"


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
    alts = [re.escape(a).replace(r"\ ", _GAP) for a in (tok, *_expansions(tok))]
    return (alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")") + _GAP


def _phrase_regex(phrase: str) -> re.Pattern[str]:
    toks = phrase.lower().replace("’", "'").split()
    while toks and toks[-1] in ("*", "?"):
        toks.pop()
    body = "".join(_token(t) for t in toks).removesuffix(_GAP)
    # No look-behind: a pattern that opens with a literal lets the regex engine skip ahead
    # fast; _find checks the word boundary before the match instead.
    return re.compile(body + r"(?![\w'])")


def _regex_with_gaps(pattern: str) -> str:
    """A ``re:`` cue with each space outside a character class read as any whitespace."""
    out, in_class, escaped = [], False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch == " " and not in_class:
            out.append(_GAP)
            continue
        out.append(ch)
    return "".join(out)


def _find(rx: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """The first match of ``rx`` in ``text[start:end]`` that starts at a word boundary."""
    pos = start
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


def _literal_runs(pattern: str) -> list[str]:
    """Runs of literal words that every match of a ``re:`` cue contains: letters and spaces
    outside any group or class, whose first word opens a word (after a space, the pattern's
    start, ``^``, ``\\b``, ``\\s`` or ``\\W``)."""
    runs: list[str] = []
    depth, run, at_start = 0, "", True
    for part in re.findall(r"\\.|\[(?:\\.|[^\]])*\]|.", pattern, re.S):
        if part == "|" and depth == 0:
            return []  # alternatives at the top: nothing is sure
        if part == "(" or part == ")" or depth or part.startswith("[") or part in "?*+{":
            depth += (part == "(") - (part == ")")
            if part in "?*+{" and not depth and run:
                run = run[:-1]  # the last letter may be missing or repeated
            if run.strip() and (at_start or run[0] == " "):
                runs.append(run)
            run, at_start = "", False
            continue
        if part.isalpha() or part in (" ", "'"):
            run += part
            continue
        if run.strip() and (at_start or run[0] == " "):
            runs.append(run)
        run, at_start = "", part in ("^", r"\b", r"\s", r"\W")
    if run.strip() and (at_start or run[0] == " "):
        runs.append(run)
    return [" ".join(r.split()) for r in runs]


def _guard_words(pattern: str) -> tuple[str, ...]:
    """Words of which every match of a regex contains one, read off a group of alternatives
    that is neither inside another group nor repeated: the words of three letters or more that
    open its alternatives ("(?:brief|talk\\s+about)" → brief, talk), of the group with the
    fewest (the fewest extra words for the automaton); () when the regex has no such group or
    may match otherwise."""
    if "(?" in pattern.replace("(?:", ""):
        return ()  # flags, look-arounds, named or conditional groups: keep to plain regexes
    tokens = re.findall(r"\\.|\[(?:\\.|[^\]])*\]|.", pattern, re.S)
    best: tuple[str, ...] = ()
    depth, alternatives = 0, [[]]
    for k, tok in enumerate(tokens):
        if tok == "|" and depth == 0:
            return ()  # alternatives at the top: nothing is sure
        if tok == ")":
            depth -= 1
            if depth == 0:
                quantified = k + 1 < len(tokens) and tokens[k + 1] in ("?", "*", "+", "{")
                words = tuple(dict.fromkeys(_opening_word(alt) for alt in alternatives))
                if not quantified and min(map(len, words)) >= 3 and (not best or len(words) < len(best)):
                    best = words
                continue
        if depth == 1 and tok == "|":
            alternatives.append([])
        elif depth >= 1:
            alternatives[-1].append(tok)
        if tok == "(":
            if depth == 0:
                alternatives = [[]]
            depth += 1
    return best


def _opening_word(alternative: list[str]) -> str:
    """The letters that open one alternative of a group (its tokens, "?:" skipped), less a
    last letter that a quantifier makes optional."""
    toks = alternative[2:] if alternative[:2] == ["?", ":"] else alternative
    word = ""
    for tok in toks:
        if not (len(tok) == 1 and tok.isalpha()):
            return word[:-1] if tok in ("?", "*", "+", "{") else word
        word += tok
    return word


_MAX_ALTERNATIVES = 8


def _anchors(pattern: str) -> tuple[str, ...]:
    """The literals of which every match of the cue contains one: for a phrase, its longest
    run of words between wildcards, in each of its spellings ("i don't know", "i do not
    know"); for a regex, its longest sure run of words; () if nothing is sure."""
    if pattern.startswith("re:"):
        runs = [r for r in _literal_runs(pattern[3:].removeprefix("^")) if len(r) > 1]
        rare = [r for r in runs if r not in _COMMON]
        best = max(rare or runs, key=len, default="")
        return (best,) if best else ()
    candidates: list[tuple[str, ...]] = []
    spellings: list[str] = [""]
    for tok in pattern.lower().replace("’", "'").split() + ["*"]:
        if tok in ("*", "?"):
            if spellings != [""]:
                candidates.append(tuple(sp.strip() for sp in spellings))
            spellings = [""]
            continue
        forms = (tok, *_expansions(tok))
        if len(spellings) * len(forms) > _MAX_ALTERNATIVES:
            if spellings != [""]:
                candidates.append(tuple(sp.strip() for sp in spellings))
            spellings = [""]
        spellings = [f"{sp} {f}" for sp in spellings for f in forms]
    # The run whose shortest spelling is longest is the rarest to find by chance.
    return max(candidates, key=lambda c: min(len(x) for x in c), default=())


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
                rx = re.compile(_regex_with_gaps(pattern[3:].removeprefix("^")))
            else:
                rx = _phrase_regex(pattern)
        except re.error as e:
            raise ValueError(f"{source}:{n}: bad pattern {pattern!r}: {e}") from None
        out.append(Cue(pattern, evasion, weight, rx, _anchors(pattern)))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def cues() -> tuple[Cue, ...]:
    """The package's cue table, parsed once."""
    data = importlib.resources.files("podium.knowledge").joinpath("data", "clarity_cues.txt")
    return parse_cues(data.read_text(encoding="utf-8"), "podium/knowledge/data/clarity_cues.txt")


_CueIndex = tuple[Any, tuple[Cue, ...], re.Pattern[str] | None, tuple[tuple[Cue, bool], ...]]


@functools.lru_cache(maxsize=1)
def _cue_index() -> _CueIndex:
    """An automaton over the cues' anchor words, the cues tied to the answer's opening
    (``^``) with one regex that tries them all (see ``_all_at_once``), and the cues with no
    sure anchor (searched in the opening only), each with whether it has guard words.

    The automaton's value for a word is (word, the cues it anchors, the free cues it guards):
    a free cue with guard words (``_guard_words``) is searched only when one of them occurs
    in the opening, which the same automaton pass finds."""
    plain = re.compile("").flags
    by_anchor: dict[str, list[Cue]] = {}
    guarded_by: dict[str, list[int]] = {}
    opening, free = [], []
    for c in cues():
        if c.pattern.startswith("re:^"):
            opening.append(c)
        elif c.anchors:
            for anchor in c.anchors:
                by_anchor.setdefault(anchor, []).append(c)
        else:
            guards = _guard_words(c.regex.pattern) if c.regex.flags == plain else ()
            for word in guards:
                guarded_by.setdefault(word, []).append(len(free))
            free.append((c, bool(guards)))
    automaton = ahocorasick.Automaton()
    for word in {**by_anchor, **guarded_by}:
        automaton.add_word(word, (word, tuple(by_anchor.get(word, ())), tuple(guarded_by.get(word, ()))))
    if by_anchor or guarded_by:
        automaton.make_automaton()
    else:
        automaton = None
    return automaton, tuple(opening), _all_at_once(opening), tuple(free)


def _all_at_once(opening: list[Cue]) -> re.Pattern[str] | None:
    """One regex that matches where every cue of ``opening`` matches, each cue's match in its
    own group: ``(?:(?=(?P<c0>...))|)(?:(?=(?P<c1>...))|)...``. A lookahead finds the match
    the cue's regex would, and an empty branch stands in when it fails, so the whole always
    matches: one call instead of one per cue. None when a cue's regex has groups or flags of
    its own (numbering, back-references and global flags would not carry over)."""
    plain = re.compile("").flags
    if not opening or any(c.regex.groups or c.regex.flags != plain for c in opening):
        return None
    return re.compile(
        "".join(f"(?:(?=(?P<c{i}>{c.regex.pattern}))|)" for i, c in enumerate(opening))
    )


# -- lexical features ----------------------------------------------------------------------


def overlap(question: str, answer: str) -> float:
    """Share of the question's content stems that the answer uses (0 when it has none)."""
    q = content_stems(question)
    return len(present(lowered(answer), q)) / len(q) if q else 0.0


_YESNO_Q = re.compile(
    r"^\W*(?:(?:and|but|so|now|also|then|mr\.? \w+|madam \w+|sir)[, ]+)*"
    r"(?:is|are|was|were|do|does|did|will|would|can|could|should|shall|have|has|had|may|might|"
    r"must|isn't|aren't|wasn't|weren't|don't|doesn't|didn't|won't|wouldn't|can't|couldn't|"
    r"shouldn't|haven't|hasn't)\b",
    re.I,
)


# Up to the last sentence break ([.?!:] and space): greedy, so it backs off from the end.
_BEFORE_LAST_SENTENCE = re.compile(r".*[.?!:]\s+", re.S)


@functools.lru_cache(maxsize=4096)
def is_yes_no_question(question: str) -> bool:
    # The last sentence of the sub-question is usually the question itself.
    stripped = question.strip()
    m = _BEFORE_LAST_SENTENCE.match(stripped)
    last = stripped[m.end() :] if m else (stripped or question)
    return bool(_YESNO_Q.match(last)) or (last is not question and bool(_YESNO_Q.match(question)))


# -- the judgment --------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.?!;]")
_BUT = re.compile(r"\b(?:but|although|though|however)\b")
_HEAD = 300  # characters that count as the opening of an answer
# Overlap thresholds for answers with no decisive cue.
_CLEAR = 0.6
_CLEAR_YES_NO = 0.75
_RELATED = 0.25


def _judgment(evasion: str, confidence: float, cue: str) -> Judgment:
    return Judgment(CLARITY_OF[evasion], evasion, _clamped(confidence), cue)


@functools.lru_cache(maxsize=1024)  # few distinct values; round() to digits is slow
def _clamped(confidence: float) -> float:
    return round(max(0.0, min(1.0, confidence)), 2)


def cue_hits(text: str, low: str, start: int, end: int) -> list[tuple[Cue, int, int, str]]:
    """Every cue in the answer ``text[start:end]`` (``low`` is ``cue_text(text)``), once, with
    where it matched and the answer's own words."""
    return _cue_hits(_cue_index(), text, low, start, end)


def _cue_hits(index: _CueIndex, text: str, low: str, start: int, end: int) -> list[tuple[Cue, int, int, str]]:
    """``cue_hits`` with the cue index given (the stage looks it up once per document)."""
    automaton, opening, at_once, free = index
    hits = []
    if at_once is None:
        for c in opening:
            m = c.regex.match(low, start, end)
            if m is not None:
                hits.append((c, m.start(), m.end(), text[m.start() : m.end()].strip()))
    elif (m := at_once.match(low, start, end)) is not None and m.lastindex is not None:
        for c, (a, b) in zip(opening, m.regs[1:], strict=True):
            if a >= 0:
                hits.append((c, a, b, text[a:b].strip()))
    head = min(end, start + _HEAD)
    uses: dict[str, list[int]] = {}
    groups: dict[str, tuple[Cue, ...]] = {}
    unlocked: set[int] = set()  # the free cues one of whose guard words is in the opening
    if automaton is not None and end > start:
        # iter() over a slice: given start/end it still reads the whole document on every call
        for last, (anchor, group, guards) in automaton.iter(low[start:end]):
            if guards and start + last < head:
                unlocked.update(guards)
            if not group:
                continue
            first = start + last - len(anchor) + 1
            if first > 0 and (low[first - 1].isalnum() or low[first - 1] in "'_"):
                continue
            uses.setdefault(anchor, []).append(first)
            groups[anchor] = group
    for i, (c, guarded) in enumerate(free):
        if guarded and i not in unlocked:
            continue  # no match can lack all its guard words
        m = _find(c.regex, low, start, head)
        if m is not None:
            hits.append((c, m.start(), m.end(), text[m.start() : m.end()].strip()))
    for anchor, firsts in uses.items():
        for c in groups[anchor]:
            # "the answer is" says little deep in a long answer
            stop = head if c.evasion == "explicit" else end
            # A match contains its anchor: search a window around each use of it.
            for first in firsts:
                lo, hi = max(start, first - 160), min(stop, first + len(anchor) + 200)
                if lo >= hi:
                    break
                m = _find(c.regex, low, lo, hi)
                if m is not None:
                    hits.append((c, m.start(), m.end(), text[m.start() : m.end()].strip()))
                    break
    return hits


def judge(question: str, answer: str) -> Judgment:
    """Judge how clearly ``answer`` replies to ``question`` (see the module's docstring)."""
    low = cue_text(answer)
    start = len(answer) - len(answer.lstrip())
    end = len(answer.rstrip())
    return judge_span(question, answer, low, start, end, cue_hits(answer, low, start, end))


def judge_span(
    question: str,
    text: str,
    low: str,
    start: int,
    end: int,
    hits: list[tuple[Cue, int, int, str]],
) -> Judgment:
    """Judge the answer ``text[start:end]`` given its cue ``hits`` (see ``judge``; ``low`` is
    ``cue_text(text)``)."""
    return _judgment(*_verdict(_Question(question), low, start, end, hits))


class _Question:
    """A sub-question as judged: its words, and their content stems and whether it asks yes
    or no, worked out when a judgment first needs them (a strong cue decides without)."""

    __slots__ = ("text", "_stems", "_yes_no")

    def __init__(self, text: str, stems: frozenset[str] | None = None) -> None:
        self.text = text
        self._stems = stems
        self._yes_no: bool | None = None

    @property
    def stems(self) -> frozenset[str]:
        if self._stems is None:
            self._stems = content_stems(self.text)
        return self._stems

    @property
    def yes_no(self) -> bool:
        if self._yes_no is None:
            self._yes_no = is_yes_no_question(self.text)
        return self._yes_no

    def overlap(self, low: str, start: int, end: int) -> float:
        """Share of the content stems used in the answer ``low[start:end]`` (0 with none)."""
        q = self.stems
        return len(present(low, q, start, end)) / len(q) if q else 0.0


def _verdict(
    question: _Question, low: str, start: int, end: int, hits: list[tuple[Cue, int, int, str]]
) -> tuple[str, float, str]:
    """``judge_span``'s evasion, unclamped confidence and cue. Words are counted by spaces:
    ``cue_text`` made every newline one."""
    if end <= start:
        return "declining_to_answer", 0.3, "empty answer"
    ov: float | None = None  # the overlap with the question, when first needed

    best: tuple[float, Cue, str] | None = None
    for c, m_start, m_end, matched in hits:
        score = c.weight
        if m_start - start >= _HEAD:
            # deeper in a long answer a stock phrase says less about the answer as a whole
            score *= 0.55 if c.evasion in NON_REPLY else 0.7
        if c.evasion in NON_REPLY:
            # "I haven't seen the report, but ..." goes on to answer anyway
            rest = _SENTENCE_END.split(low[m_end : min(end, m_end + 200)], 1)[0]
            if _BUT.search(rest):
                score *= 0.6
            after = low.count(" ", m_end, end)
            if after > 60:
                if ov is None:
                    ov = question.overlap(low, start, end)
                if ov >= _RELATED:
                    score *= 0.7 if ov < _CLEAR else 0.5
                elif after > 150:
                    score *= 0.8
        if c.evasion == "explicit" and c.pattern.startswith("re:^") and not question.yes_no:
            score *= 0.6
        if best is None or score > best[0]:
            best = (score, c, matched)

    if best is not None and best[0] >= 0.45:
        score, c, matched = best
        return c.evasion, 0.35 + 0.6 * score, matched

    if low.count(" ", start, end) < 5:  # five words or fewer
        # a terse reply with no evasion cue ("Of course.", "Not yet.") is usually a direct one
        return "explicit", 0.5, "short reply without an evasion cue"
    if ov is None:
        ov = question.overlap(low, start, end)
    # a yes/no question answered without a yes or a no needs more of its words back (asked
    # only between the two thresholds: above both, or below both, the answer is the same)
    if ov >= _CLEAR_YES_NO or (ov >= _CLEAR and not question.yes_no):
        return "explicit", 0.4 + 0.3 * ov, f"overlap {ov:.2f} with the question"
    if ov >= _RELATED:
        return "implicit", 0.4, f"overlap {ov:.2f} with the question"
    return "dodging", 0.4 + 0.2 * (_RELATED - ov), f"overlap {ov:.2f} with the question"


# -- the stage -----------------------------------------------------------------------------


def _question_of(sq: dict[str, Any]) -> _Question:
    """The words a sub-question is judged on: its own, with its preamble when it says little
    by itself ("What are those things?")."""
    own = sq.get("text") or ""
    context = sq.get("context") or ""
    if not context:
        return _Question(own)
    stems = content_stems(own)
    if len(stems) < 3:
        # no word runs across the joining space: the stems of the parts make the whole's
        return _Question(f"{context} {own}", content_stems(context) | stems)
    return _Question(own, stems)


def _is_span(text: str, a: int, b: int, part: Any) -> bool:
    """Whether ``text[a:b] == part``, compared in place (answers are long)."""
    if isinstance(part, str) and 0 <= a <= b <= len(text):
        return len(part) == b - a and text.startswith(part, a)
    return text[a:b] == part


@stage("clarity", requires=("exchanges",), provides="clarity")
def clarity(doc: Transcript, ctx: Context) -> None:
    text = doc.text
    low = cue_text(text) if doc.exchanges else ""
    index = _cue_index()
    hits_of: dict[tuple[int, int], list] = {}  # an answer shared by several sub-questions
    for ex in doc.exchanges:
        for sq in ex.get("sub_questions") or ():
            answers = sq.get("answers")
            if not answers:
                continue
            question = _question_of(sq)
            for ans in answers:
                a, b = ans.get("start"), ans.get("end")
                if (
                    isinstance(a, int)
                    and isinstance(b, int)
                    and _is_span(text, a, b, ans.get("text"))
                ):
                    hits = hits_of.get((a, b))
                    if hits is None:
                        hits = hits_of[a, b] = _cue_hits(index, text, low, a, b)
                    evasion, confidence, cue = _verdict(question, low, a, b, hits)
                    confidence = _clamped(confidence)
                else:
                    j = judge(question.text, ans.get("text") or "")
                    evasion, confidence, cue = j.evasion, j.confidence, j.cue
                ans["clarity"] = CLARITY_OF[evasion]
                ans["evasion"] = evasion
                ans["confidence"] = confidence
                ans["clarity_cue"] = cue
