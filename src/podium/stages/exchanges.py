"""Stage ``exchanges``: question turns → sub-questions → addressees → answers.

Reads ``turns``, ``speakers`` and ``sentences``; writes ``exchanges`` (plain contract dicts).

* An exchange is a run of journalist turns that ask something (one or several questioners: a
  follow-up from the same speaker stays in the exchange, several outlets asking in a row before
  one answer share it) and the principal turns that follow, up to the next exchange. Moderator
  turns break nothing; a journalist turn that asks nothing ("Thank you.") is no exchange.
* Each question turn is split (on ``doc.sentences``, and after a lead-in's colon) into the
  questions it asks: direct (``?``), indirect (``whether ...``), requests (``Tell us ...``).
  Lead-ins (``A second question to Secretary Pompeo.``), preambles and thanks are context.
* Addressees come from explicit cues (``question to X``, ``for X``, ``both ministers``) and
  vocatives (``Mr. Secretary, ...``), resolved against the speakers' names, labels and titles;
  a cue carries over to the following questions of the turn; with no cue, the principals who
  answer. Consecutive questions with no context between them form a *cluster* that is answered
  together.
* Each principal answer turn is cut into units (paragraphs, and within a paragraph at a
  sentence that opens with a pointer) and every unit is linked to a cluster: an explicit
  pointer (``Your first question was``, ``As for its extension``), then clear lexical overlap,
  then order (the unit before it, or the first cluster not yet answered).
* ``unanswered_by``: the addressees of a sub-question with no linked answer from them.

Every label keeps its evidence: ``addressee_cues`` beside ``addressees``, ``cue`` on answers.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass, field
from typing import Any

from ..knowledge import fold
from ..model import Sentence, Speaker, Transcript, Turn
from ..pipeline import Context, stage
from ..words import STOP, content_stems, lowered, present

_CUE_KINDS = ("indirect", "request", "group", "pointer", "follow_up", "backchannel")


@functools.lru_cache(maxsize=1)
def load_cues() -> dict[str, tuple[str, ...]]:
    """The cue phrases of ``data/question_cues.txt`` by kind (parsed once)."""
    text = (
        importlib.resources.files("podium.knowledge")
        .joinpath("data/question_cues.txt")
        .read_text("utf-8")
    )
    found: dict[str, list[str]] = {k: [] for k in _CUE_KINDS}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split(" | ")]
        if len(parts) != 2 or parts[1] not in found or not parts[0]:
            raise ValueError(f"question_cues.txt line {n}: expected 'phrase | kind', got {raw!r}")
        found[parts[1]].append(parts[0].lower().replace("’", "'"))
    return {k: tuple(v) for k, v in found.items()}


def _alternation(phrases: tuple[str, ...]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace("'", "['’]").replace(r"\ ", r"\s+") for p in ordered)


def _trie_alternation(phrases: tuple[str, ...]) -> str:
    """The strings of ``_alternation(phrases)`` as one regex that shares the phrases' common
    starts ("could you tell us|could you explain" → "could you (?:tell us|explain)"): the engine
    tries a handful of branches at a position instead of every phrase. For patterns whose
    match is only tested, not read: which phrase matches first may differ."""
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            atom = "['’]" if ch == "'" else r"\s+" if ch == " " else re.escape(ch)
            node = node.setdefault(atom, {})
        node[""] = {}  # a phrase ends here

    def branch(node: dict[str, dict]) -> str:
        alts = [atom + branch(child) for atom, child in node.items() if atom]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(trie)


# -- static patterns ------------------------------------------------------------------------

_HON = r"(?:Mr|Ms|Mrs|Madam|Madame|Dr|Sir)\.?"
_CAP = r"[A-Z][\w'’-]+"
_WHO = rf"(?:the\s+)?(?:{_HON}\s+)?(?:{_CAP}\s+){{0,3}}{_CAP}"
_LEAD = (
    r"^(?:\([^)]*\)\s*)*(?:(?:And|But|So|Also|Now|Then|Okay|OK|Well|Yes|Finally|Lastly|"
    r"First(?:ly)?|Second(?:ly)?|Third(?:ly)?|Next)\b,?\s+)*"
)
_VOC_HON = re.compile(_LEAD + rf"(?P<cue>{_HON}\s+(?:{_CAP}\s+){{0,2}}{_CAP})\s*,")
_VOC_NAME = re.compile(_LEAD + rf"(?P<cue>(?:{_CAP}\s+){{0,2}}{_CAP})\s*,\s")
_VOC_END = re.compile(rf",\s*(?P<cue>{_HON}\s+(?:{_CAP}\s+){{0,2}}{_CAP})\s*[.?!]*[\"”’)]*\s*$")
_YOU_AND = re.compile(r"\b(?:for|to)\s+you\s+and\b", re.I)
_HON_HINT = re.compile(r"\b(?:Mr|Ms|Mrs|Madam|Madame|Dr|Sir)\b")
# Leading notes such as "(Via interpreter)"; matched at an offset (no "^": it would hold only
# at the string's start).
_PAREN_LEAD = re.compile(r"(?:\s*[\(\[][^)\]]*[\)\]])+\s*")
_THANKS = re.compile(
    r"^(?:\W*(?:thank you|thanks|great|good (?:morning|afternoon|evening)|hi|hello|okay|ok|yes|sure|"
    r"all right|sorry)\b)[^?]{0,60}$",
    re.I,
)


def _is_thanks(seg: str) -> bool:
    # After a word character, a match of _THANKS is a greeting of 14 characters at most and
    # 60 more (and a final newline): most sentences are longer, and need no regex.
    if len(seg) > 75 and (seg[0].isalnum() or seg[0] == "_"):
        return False
    return _THANKS.match(seg) is not None


_CLOSING = re.compile(
    r"^\W*(?:(?:well|okay|ok|all right|so|and)\W+)?(?:thank you|thanks|good (?:morning|afternoon|evening|night)|"
    r"hi|hello|bye|goodbye)\b(?!\s+(?:\w+\s+)?(?:for\s+)?(?:the|your|that|this)\s+question)[^?]{0,160}$",
    re.I,
)
# A principal calling on the next reporter: "Next question goes to Trevor of Reuters.",
# "If I may invite Shintomi-san of Kyodo News.", "Mr. Sugimoto, with Sankei Newspaper."
_CALL_UNIT = re.compile(
    r"\b(?:next question|go ahead|invite|call on|let me go to|let's go to|I'll go to|we'll go to|goes to|"
    r"you have the floor|the floor is yours|last question|final question)\b"
    r"|\b(?:with|from|of)\s+(?:the\s+)?[A-Z][\w’'&.-]*(?:\s+[A-Z][\w’'&.-]*)*\s*[.!]?\s*$",
)
_ORDINAL_START = re.compile(
    r"^(?:\([^)]*\)\s*)*(?:and\s+|also\s+|then\s+)?(?:(?:first|second|third|fourth)(?:ly)?\b|finally\b|lastly\b|"
    r"(?:my|a|the|one)\s+(?:first|second|third|next|last|final|other|follow-up|quick)\s+(?:question|one)\b|"
    r"another\s+(?:question|one)\b|one more\b)",
    re.I,
)
_ORDINALS = {
    "first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4,
    "former": 0, "last": -1, "latter": -1, "final": -1, "other": None,
}  # fmt: skip
# What may open a sentence before a pointer: notes, "And", "So, "...
_POINTER_LEAD = r"^(?:\([^)]*\)\s*)*(?:(?:and|so|now|then|but|well|okay)\s*,?\s+)*"
_ORDINAL = (
    r"(?:(?:on|to|as for|as to|regarding|turning to|with regard to|about|for)\s+)?(?:your|the)\s+"
    r"(?P<ord>first|second|third|fourth|fifth|last|final|latter|former|other)\b"
)
_ORDINAL_POINTER = re.compile(
    _POINTER_LEAD + _ORDINAL + r"(?P<tail>\s+(?:question|part|point|one|issue|thing|matter)s?\b)?",
    re.I,
)
_COLON = re.compile(r":\s+(?=\S)")
_QUESTION_WORD = re.compile(r"\bquestions?\b", re.I)


def _says_question(text: str) -> bool:
    # "que" in lower case is in every match of _QUESTION_WORD (in any case; an "s" or "i" of
    # the rest may be another letter that folds to it): most turns need no regex
    return "que" in text.lower() and _QUESTION_WORD.search(text) is not None


_CALL = re.compile(
    r"^\W*(?:(?:yes|yeah|okay|ok|sure|all right|please)\W+)*(?:go ahead|next question|you have the floor|"
    r"(?:[A-Z][a-z]+\W+)?(?:go ahead|please))\W*(?:[A-Z][a-z]+)?\W*$",
    re.I,
)
# (?i:to|for) spelled so that the pattern opens with a character class: the regex engine
# then skips straight to the t's and f's instead of trying the words at every position.
_TO_OR_FOR = r"[TtFf][Oo](?:(?<=[Tt].)|(?<=[Ff].)[Rr])"  # (the "o" first: most t's have none)


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """Regexes built from the cue file (compiled once)."""
    cues = load_cues()
    group = _alternation(cues["group"])
    who = rf"(?:(?i:{group})\b|{_WHO})"
    voc = rf"(?:{_HON}\s+(?:{_CAP}\s+){{0,2}}{_CAP}\s*,\s*|(?:{_CAP}\s+){{0,2}}{_CAP}\s*,\s*)?"
    multi = tuple(p for p in cues["pointer"] if " " in p or p in ("regarding",))
    return {
        # What every explicit cue contains: "to"/"for", then a capital (after "the" or not)
        # or a group ("both ministers"); a cheap test before the full pattern.
        "explicit_hint": re.compile(
            rf"{_TO_OR_FOR}\s+(?:(?i:(?:the\s+)?(?:{group}))\b|(?i:you(?:\s+too)?\s*,)|(?:(?i:the)\s+)?[A-Z])"
        ),
        # Closer to the explicit pattern, each opening with a class (see _TO_OR_FOR): "to"/"for",
        # a name and the end of a clause; "you, <name>"; "question(s)/one (is) to/for <name>".
        "explicit_near": re.compile(
            rf"{_TO_OR_FOR}\s+(?:{who}(?=\s*[,:.?;]|\s*$)|(?i:you(?:\s+too)?\s*,))"
        ),
        "explicit_near_q": re.compile(
            rf"[QqOo](?:(?<=[Qq])uestions?|(?<=[Oo])ne)\s+(?:is\s+)?(?:to|for)\s+{who}"
        ),
        "group": re.compile(rf"^(?:the\s+)?(?:{_trie_alternation(cues['group'])})$", re.I),
        # The lookahead holds wherever a branch can match (their first letters in any case, or
        # the start): the other positions, most of them, are let go after one test instead of
        # every branch.
        "explicit": re.compile(
            r"(?=(?i:[qofstnla,;:])|^)"
            rf"(?:(?P<cue>\b(?:[Qq]uestions?|[Oo]ne)\s+(?:is\s+)?(?:to|for)\s+(?P<who>{who}))"
            rf"|(?:^|[,;:]\s+|\b(?i:first|second|third|next|finally|lastly|also|and|then|now),?\s+)"
            rf"(?P<cue2>(?i:for|to)\s+(?P<who2>{who}))(?=\s*[,:.?;]|\s*$)"
            # "First for you, Dr. Jha, and then ...", "And then, for you, Karine:"
            rf"|(?P<cue3>\b(?i:for|to)\s+you(?:\s+too)?\s*,\s*"
            rf"(?P<who3>(?:{_HON}\s+)?(?:{_CAP}\s+){{0,2}}{_CAP})))"
        ),
        "asks": re.compile(
            _LEAD
            + voc
            + rf"(?i:(?:please\s+)?(?:{_trie_alternation(cues['indirect'] + cues['request'])}))\b"
        ),
        "pointer": re.compile(
            r"^(?:\([^)]*\)\s*)*(?:(?:and|so|now|then|but|well|okay|first|second|finally)\s*,?\s+)*"
            rf"(?P<lead>{_alternation(cues['pointer'])})\s+(?P<topic>[^,.;:?!]{{2,120}})",
            re.I,
        ),
        # A trie, not the phrases one by one: its match is read, and it is the same (of the
        # phrases that open the text, the trie, like the alternation, tries the longest first).
        "follow_up": re.compile(
            rf"^(?:[—–-]+|\.\.\.|…)?\s*(?:{_trie_alternation(cues['follow_up'])})\b", re.I
        ),
        "backchannel": re.compile(
            rf"^\W*(?:(?:{_alternation(cues['backchannel'])})\b[\s.,!—–-]*)+$", re.I
        ),
        # A sentence that opens with a pointer, of either kind (one match, not two).
        "split": re.compile(
            _POINTER_LEAD + rf"(?:(?:{_trie_alternation(multi)})\b|{_ORDINAL})",
            re.I,
        ),
    }


# -- helpers ----------------------------------------------------------------------------------


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading notes such as "(Via interpreter)" and surrounding space."""
    # index steps, not slices: the span is often a whole paragraph, its edges rarely spaces
    while start < end and text[start].isspace():
        start += 1
    if start < end and text[start] in "([":
        m = _PAREN_LEAD.match(text, start, end)
        if m and m.end() < end:
            start = m.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass(slots=True)
class _Cluster:
    turn: str
    addressees: list[str]
    cues: list[str]
    context: list[str] = field(default_factory=list)
    subs: list[dict[str, Any]] = field(default_factory=list)
    tokens: frozenset[str] = frozenset()
    start: int = 0


@dataclass
class _People:
    principals: list[Speaker]
    name_words: dict[str, set[str]]
    title_words: dict[str, list[str]]
    skip: frozenset[str]
    by_id: dict[str, Speaker]
    resolved: dict[str, list[str]] = field(default_factory=dict)
    own: dict[str, set[str]] = field(default_factory=dict)  # see own_names

    @classmethod
    def of(cls, doc: Transcript) -> _People:
        principals = [s for s in doc.speakers if s.role == "principal"]
        name_words: dict[str, set[str]] = {}
        title_words: dict[str, list[str]] = {}
        skip: set[str] = set()
        # (name, title, labels) → (words, title words): most reporters are an unnamed "Q"
        seen: dict[tuple[str | None, ...], tuple[set[str], list[str]]] = {}
        for s in doc.speakers:
            key = (s.name, s.title, *s.labels)
            if key in seen:
                words, title = seen[key]
            else:
                words = set(fold(s.name).split()) if s.name else set()
                title = fold(s.title).split() if s.title else []
                for label in s.labels:
                    words.update(set(fold(label).split()).difference(title))
                words = {w for w in words.difference(STOP) if len(w) > 2}
                skip.update(words)
                seen[key] = words, title
            if s.role == "principal":
                name_words[s.id] = words
                title_words[s.id] = title
        return cls(principals, name_words, title_words, frozenset(skip), {s.id: s for s in doc.speakers})

    def own_names(self, speaker_id: str) -> set[str]:
        """The folded name and outlet of a speaker, which a reporter's turn may say (kept: a
        reporter asks several times)."""
        own = self.own.get(speaker_id)
        if own is None:
            q = self.by_id.get(speaker_id)
            if q is None or not (q.name or q.outlet):
                own = set()  # most reporters: an unnamed "Q"
            else:
                own = {fold(x) for x in (q.name, q.outlet) if x}
            self.own[speaker_id] = own
        return own

    def resolve(self, phrase: str) -> list[str]:
        """Speaker ids a cue phrase ("Secretary Pompeo", "Mr. Foreign Minister") names."""
        if phrase not in self.resolved:  # a briefing says "Mr. President" many times
            self.resolved[phrase] = self._resolve(phrase.strip())
        return self.resolved[phrase]

    def _resolve(self, phrase: str) -> list[str]:
        if _patterns()["group"].match(phrase):
            return [p.id for p in self.principals]
        words = [
            w
            for w in fold(phrase).split()
            if w not in ("mr", "ms", "mrs", "madam", "madame", "dr", "sir", "the")
        ]
        if not words:
            return []
        hits = {p.id: sum(w in self.name_words[p.id] for w in words) for p in self.principals}
        best = max(hits.values(), default=0)
        if best:
            return [pid for pid, n in hits.items() if n == best]
        # An office: the phrase's head word in the title, and most of its other words ("foreign
        # minister" ⊆ "minister of foreign affairs"; "federal chancellor" ~ "chancellor of
        # germany"); then the title that opens with the phrase and says least beyond it wins.
        scored = []
        for p in self.principals:
            title = self.title_words[p.id]
            if not title or words[-1] not in title:
                continue
            missing = sum(w not in title for w in words)
            if missing <= len(words) // 2:
                scored.append((missing, title[0] != words[0], len(title), p.id))
        if not scored:
            return []
        scored.sort()
        return [pid for *key, pid in scored if key == list(scored[0][:3])]


def _find_cue(text: str, people: _People) -> tuple[list[str], str] | None:
    """The addressees a sentence names, with the words that decided them."""
    pats = _patterns()
    found: tuple[list[str], str] | None = None
    # the full pattern has no prefix the engine can skip to: two cheaper necessary tests first
    likely = pats["explicit_hint"].search(text) and (
        pats["explicit_near"].search(text) or pats["explicit_near_q"].search(text)
    )
    for m in pats["explicit"].finditer(text) if likely else ():
        who = m.group("who") or m.group("who2") or m.group("who3")
        ids = people.resolve(who)
        if ids:
            found = (ids, (m.group("cue") or m.group("cue2") or m.group("cue3")).strip())
            break
    # "Mr President, a question for you and for the Federal Chancellor": both
    if found is not None and not _YOU_AND.search(text):
        return found
    if "," not in text:
        return found  # every vocative is set off by a comma
    # every match of _HON_HINT holds one of these substrings, which most sentences lack: they
    # settle those before any regex runs
    honorific = (
        "Mr" in text or "Ms" in text or "Dr" in text or "Madam" in text or "Sir" in text
    ) and _HON_HINT.search(text)
    vocatives = (_VOC_HON, _VOC_END, _VOC_NAME) if honorific else (_VOC_NAME,)
    for rx in vocatives:
        m = rx.search(text)
        if m:
            ids = people.resolve(m.group("cue"))
            if ids:
                cue = f"vocative '{m.group('cue')}'"
                if found is None:
                    return ids, cue
                return [*ids, *(i for i in found[0] if i not in ids)], f"{cue} + {found[1]}"
    return found


def _form(seg: str) -> str | None:
    """The form of question a segment of a question turn asks, or None for context."""
    marked = "?" in seg
    if not marked and (_is_thanks(seg) or _cut_off(seg)):
        return None  # thanks, or a question cut off before it was asked ("I wanted to ask —")
    if marked and seg.rstrip(" \"'”’)]").endswith("?"):
        form = "direct"
    elif _patterns()["asks"].match(seg):
        form = "indirect"
    else:
        return None
    # "Can you hear me?" on a call asks nothing of substance (looked at only for a segment
    # that would ask: half of them ask nothing anyway)
    return None if _PHATIC.match(seg) else form


# -- the stage --------------------------------------------------------------------------------


@stage("exchanges", requires=("turns", "speakers", "sentences"), provides="exchanges")
def exchanges(doc: Transcript, ctx: Context) -> None:
    roles = {s.id: s.role for s in doc.speakers}
    people = _People.of(doc)
    by_turn: dict[str, list[Sentence]] = {}
    for s in doc.sentences:
        in_turn = by_turn.get(s.turn)
        if in_turn is None:
            by_turn[s.turn] = [s]
        else:
            in_turn.append(s)

    # 1. Group turns into exchanges.
    groups: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    last_question: Turn | None = None
    last_cut_off = False  # whether the last question turn stops mid-sentence
    asked_before = False  # whether the last question turn asked something in so many words
    handover: tuple[list[str], str] | None = None
    for turn in doc.turns:
        role = roles.get(turn.speaker, "other")
        if role == "journalist":
            segs, asked = _question_segments(doc, turn, by_turn.get(turn.id, []))
            cut_off = _cut_off(turn.text)
            # a turn cut off mid-question ("Just to follow up on the aid bill —") asks too
            asks = asked or cut_off
            how = _follows_up(turn, last_question, last_cut_off, current, people) if current else None
            if not asks and how is None:
                continue  # asks nothing: no exchange, and it breaks nothing
            if how is not None and last_question is not None and (
                how == _CONTINUES or not asked_before or last_cut_off
            ):
                # "Yeah." while the reporter was cut off, or to a remark, is no answer
                while current["answers"] and _is_backchannel(current["answers"][-1]):
                    current["answers"].pop()
            if current is None or (current["answers"] and how is None):
                current = {
                    "questioners": [],
                    "questions": [],
                    "answers": [],
                    "follow_ups": [],
                    "handovers": {},
                }
                groups.append(current)
            if how in (None, _SAME):
                if turn.speaker not in current["questioners"]:
                    current["questioners"].append(turn.speaker)
            elif turn.speaker not in current["questioners"]:
                # an unnamed "Q" taken for the reporter who asked before, with the cue
                current["follow_ups"].append({"turn": turn.id, "speaker": turn.speaker, "cue": how})
            current["questions"].append((turn, segs))
            if handover is not None:
                current["handovers"][turn.id] = handover
            handover = None
            last_question = turn
            last_cut_off = cut_off
            asked_before = asked
        else:
            if role == "principal" and current is not None:
                current["answers"].append(turn)
            # "The next question is for the Federal Chancellor. ARD, please.": from the
            # moderator, or a principal chairing, the addressee of the next question
            if role == "moderator" or (
                role == "principal" and len(turn.text) < 240 and _says_question(turn.text)
            ):
                found = _find_cue(turn.text, people)
                handover = (found[0], f"{role}: {found[1]}") if found else None

    # 2. Build each exchange.
    out: list[dict[str, Any]] = []
    for n, g in enumerate(groups, 1):
        out.append(_build(doc, people, by_turn, g, f"x{n}"))
    doc.exchanges = out


_PHATIC = re.compile(
    r"^\W*(?:(?:hi|hello|okay|ok|sorry|yes|thanks|thank you)\W+)*(?:can you (?:all )?hear me(?: (?:now|okay|ok|all right))?|"
    r"am i (?:un)?muted|is (?:this|my mic|my microphone) (?:on|working)|hello|are you there)\W*$",
    re.I,
)
_PERMISSION = re.compile(
    r"(?:\W*(?:and|so|but|okay|ok|jen|sir)\W+)*(?:can|could|may)\s+i\s+(?:just\s+)?(?:ask|follow(?:[\s-]+up)?|"
    r"get|have|jump in|add)\b[^?]{0,60}\?\s*$",
    re.I,
)
_SAME = "same questioner"
_CONTINUES = "continues the interrupted question"
_DASHES = ("—", "–", "--", "...", "…")
_CLOSING_QUOTES = ('"', "”", "’")


def _cut_off(text: str) -> bool:
    """Whether a turn or segment stops mid-sentence with a dash or an ellipsis."""
    text = text.rstrip()
    if text[-1:] in _CLOSING_QUOTES:  # (a tuple: "" is not in it)
        text = text.rstrip('"”’').rstrip()
    return text.endswith(_DASHES)


_DASH_START = re.compile(r"^(?:\s*\([^)]*\))*\s*(?:[—–]|--|\.\.\.|…)")


def _follows_up(
    turn: Turn, last: Turn | None, last_cut_off: bool, current: dict[str, Any], people: _People
) -> str | None:
    """How a reporter's turn belongs to the current exchange, or None if it opens a new one:
    the same questioner; a turn that picks up an interrupted one ("— that Speaker Pelosi took
    out ..." after "Yeah."); an unnamed reporter's follow-up ("So you're saying ...")."""
    if turn.speaker in current["questioners"]:
        return _SAME
    answers = current["answers"]
    if last is not None and (last_cut_off or _opens_with_dash(turn.text)):
        if all(_is_backchannel(a) for a in answers if a.start > last.start):
            return _CONTINUES
    speaker = people.by_id.get(turn.speaker)
    if answers and speaker is not None and not speaker.name and not speaker.outlet:
        m = _patterns()["follow_up"].match(_without_lead_note(turn.text))
        if m:
            return f"follow-up '{m.group(0).strip(' —–-')}'"
    return None


def _opens_with_dash(text: str) -> bool:
    # _DASH_START opens with a space, a note's "(" or the dash: a look at the first character
    # spares the regex for most turns
    first = text[:1]
    return (first in "(—–-.…" or first.isspace()) and _DASH_START.match(text) is not None


def _without_lead_note(text: str) -> str:
    """``text`` less a leading note such as "(Via interpreter)"."""
    first = text[:1]
    if first in "([" or first.isspace():  # what _PAREN_LEAD opens with
        m = _PAREN_LEAD.match(text)
        if m is not None:
            return text[m.end() :]
    return text


def _is_backchannel(turn: Turn) -> bool:
    return len(turn.text) < 40 and bool(_patterns()["backchannel"].match(turn.text))


# A segment of a question turn: start, end, form (None for context), its text and the sentence
# it is part of.
_Segment = tuple[int, int, str | None, str, Sentence]


def _question_segments(
    doc: Transcript, turn: Turn, sentences: list[Sentence]
) -> tuple[list[_Segment], bool]:
    """Every segment of a question turn; and whether any asks."""
    text = doc.text
    segs: list[_Segment] = []
    asking: list[int] = []  # the indices of the segments that ask
    if not sentences:
        sentences = [Sentence("", turn.id, turn.start, turn.end, turn.text)]
    for s in sentences:
        parts: tuple[tuple[int, int], ...] = ((s.start, s.end),)
        m = _COLON.search(s.text) if ":" in s.text else None
        if m:
            head = s.text[: m.start()]
            if _QUESTION_WORD.search(head) or _patterns()["explicit"].search(head + ":"):
                parts = ((s.start, s.start + m.start() + 1), (s.start + m.end(), s.end))
        for a, b in parts:
            a, b = _trim(text, a, b)
            if b <= a:
                continue
            # most sentences need no trimming: their own text is the segment's
            seg = s.text if a == s.start and b == s.end else text[a:b]
            form = _form(seg)
            if form:
                asking.append(len(segs))
            segs.append((a, b, form, seg, s))
    # "Can I follow up on that?" only asks leave to ask: context when a question follows
    for i in asking[:-1]:
        a, b, _, seg, s = segs[i]
        if _PERMISSION.match(text, a, b):
            segs[i] = (a, b, None, seg, s)
    return segs, bool(asking)  # (the last that asks still does)


def _names_any(seg: str, folded_names: set[str]) -> bool:
    folded = fold(seg)
    return any(name and name in folded for name in folded_names)


def _build(
    doc: Transcript,
    people: _People,
    by_turn: dict[str, list[Sentence]],
    g: dict[str, Any],
    xid: str,
):
    text = doc.text
    answers: list[tuple[Turn, tuple[int, int]]] = []  # with the span of their units
    for t in g["answers"]:
        span = _answer_span(text, t)
        if span is not None:
            answers.append((t, span))
    answerers: list[str] = []
    for t, _ in answers:
        if t.speaker not in answerers:
            answerers.append(t.speaker)
    if answerers:
        default = (answerers, "answered")
    elif len(present := [p.id for p in people.principals if p.present]) == 1:
        default = (present, "only principal")
    else:
        default = ([], "")

    # Sub-questions, grouped in clusters.
    clusters: list[_Cluster] = []
    counter = 0
    for turn, segs in g["questions"]:
        own = people.own_names(turn.speaker)
        start = g["handovers"].get(turn.id, default)
        addressees, cues = start[0], [start[1]] * len(start[0])
        context: list[str] = []
        open_cluster: _Cluster | None = None
        for a, b, form, seg, sentence in segs:
            found = _find_cue(seg, people)
            if found:
                addressees, cues = found[0], [found[1]] * len(found[0])
                open_cluster = None
            if form is None:
                if _is_thanks(seg) or (own and _names_any(seg, own)):
                    continue
                context.append(seg)
                open_cluster = None
                continue
            if open_cluster is None or _ORDINAL_START.match(seg):
                open_cluster = _Cluster(turn.id, list(addressees), list(cues), context, start=a)
                clusters.append(open_cluster)
                context = []
            counter += 1
            # A segment lies in its sentence, and sentences do not overlap: the sentence's
            # places and issues are the segment's.
            places = list(sentence.places)
            issues = list(sentence.issues)
            open_cluster.subs.append(
                {
                    "id": f"{xid}.q{counter}",
                    "text": seg,
                    "start": a,
                    "end": b,
                    "form": form,
                    # the preamble the question rests on ("What are those things?" needs it)
                    "context": " ".join(open_cluster.context),
                    "addressees": list(open_cluster.addressees),
                    "addressee_cues": list(open_cluster.cues),
                    "places": places,
                    "issues": issues,
                    "answers": [],
                    "unanswered_by": [],
                }
            )

    # Answers: an answer turn answers the questions of the last run of question turns before
    # it (a follow-up's answer answers the follow-up; a second principal answers the same run).
    # Runs of question turns with no answer between them, each as (first start, last start).
    runs: list[list[int]] = []
    answer_starts = [t.start for t, _ in answers]
    for q, _ in g["questions"]:
        if runs and not any(runs[-1][1] < a < q.start for a in answer_starts):
            runs[-1][1] = q.start
        else:
            runs.append([q.start, q.start])
    for t, span in answers:
        before: list[_Cluster] = []
        # the last run before the answer that asks something ("But that sounds like ..."
        # asks nothing itself: its answer goes on answering the question before it)
        for first, _last in reversed(runs):
            if first >= t.start:
                continue
            before = [c for c in clusters if first <= c.start < t.start]
            if before:
                break
        mine = [c for c in before if t.speaker in c.addressees] or before
        if not mine:
            continue
        if len(mine) == 1:
            # One question (cluster) before this answer: the whole answer is its answer.
            for s in mine[0].subs:
                s["answers"].append(_answer(t, span[0], span[1], text, "single question"))
        else:
            units = _units(doc, t, by_turn.get(t.id, []))
            for c in mine:  # content words, needed only to tell several questions apart
                if not c.tokens:
                    c.tokens = content_stems(" ".join(c.context + [q["text"] for q in c.subs]), people.skip)
            links = _link(units, mine, people, text)
            _attach(t, units, links, mine, text)

    subs = [s for c in clusters for s in c.subs]
    for s in subs:
        answered = {a["speaker"] for a in s["answers"]}
        s["unanswered_by"] = [a for a in s["addressees"] if a not in answered]
    return {
        "id": xid,
        "questioner": g["questioners"][0],
        "questioners": list(g["questioners"]),
        "question_turns": [t.id for t, _ in g["questions"]],
        "answer_turns": [t.id for t, _ in answers],
        "follow_ups": g["follow_ups"],
        "sub_questions": subs,
    }


def _unit(text: str, a: int, b: int) -> tuple[int, int] | None:
    """``text[a:b]`` trimmed, or None if nothing is left or it is a closing or a call on the
    next reporter."""
    x, y = _trim(text, a, b)
    if y <= x:
        return None
    if y - x <= 240:  # closings and calls are short: most paragraphs need no regex
        seg = text[x:y]
        if _CLOSING.match(seg) or _is_call(seg):
            return None
    return x, y


def _answer_span(text: str, turn: Turn) -> tuple[int, int] | None:
    """From the start of the first unit of an answer turn to the end of its last (see
    ``_units``; None if it has none), looked for from both ends: the paragraphs between need
    no look."""
    body, base = turn.text, turn.start
    a = 0
    while True:
        nl = body.find("\n", a)
        b = len(body) if nl < 0 else nl
        first = _unit(text, base + a, base + b)
        if first is not None:
            break
        if nl < 0:
            return None
        a = nl + 1
    end = len(body)
    while end > b:  # the paragraphs after the first unit's, from the last
        nl = body.rfind("\n", b, end)
        last = _unit(text, base + nl + 1, base + end)
        if last is not None:
            return first[0], last[1]
        end = nl
    return first


def _units(doc: Transcript, turn: Turn, sentences: list[Sentence]) -> list[tuple[int, int]]:
    """Paragraphs of an answer turn (less closings and calls on the next reporter), cut
    again before a sentence that opens with a pointer."""
    text = doc.text
    split = _patterns()["split"]
    cuts = {s.start for s in sentences if split.match(s.text)}
    units: list[tuple[int, int]] = []
    pos = turn.start
    for line in turn.text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        if not line.strip():
            continue
        inner = sorted(c for c in cuts if a < c < b) if cuts else []
        for c in [*inner, b]:
            unit = _unit(text, a, c)
            if unit is not None:
                units.append(unit)
            a = c
    return units


def _is_call(seg: str) -> bool:
    if len(seg) > 160:  # a call on the next reporter is short; most units are not
        return False
    return _calls_next(seg) or (
        "?" not in seg and len(seg.split()) <= 15 and bool(_CALL_UNIT.search(seg))
    )


def _calls_next(seg: str) -> bool:
    # Every match of _CALL says "go ahead", "please", "next question" or "you have the floor":
    # in lower case it holds "ahead", "plea", "que" or "floor" (an "s" or "i" may be another
    # letter that folds to it), which most units do not.
    low = seg.lower()
    if "ahead" in low or "plea" in low or "que" in low or "floor" in low:
        return _CALL.match(seg) is not None
    return False


def _link(
    units, clusters: list[_Cluster], people: _People, text: str
) -> list[list[tuple[int, str]]]:
    """For each unit, the (cluster index, cue) pairs it answers."""
    pointer = _patterns()["pointer"]
    every = frozenset().union(*(c.tokens for c in clusters))
    links: list[list[tuple[int, str]]] = []
    done: set[int] = set()
    previous: list[tuple[int, str]] = []
    for a, b in units:
        seg = text[a:b]
        found: list[tuple[int, str]] = []
        m = _ORDINAL_POINTER.match(seg)
        if m:
            idx = _ORDINALS[m.group("ord").lower()]
            if idx is None:
                idx = next((i for i in range(len(clusters)) if i not in done), None)
            if idx is not None and -len(clusters) <= idx < len(clusters):
                found = [(idx % len(clusters), f"pointer '{m.group(0).strip()}'")]
        if not found:
            m = pointer.match(seg)
            if m:
                topic = content_stems(m.group("topic"), people.skip)
                hits = [len(topic & c.tokens) for c in clusters]
                best = max(hits, default=0)
                if best and hits.count(best) == 1:
                    words = " ".join(m.group(0).split()[:8])
                    found = [(hits.index(best), f"pointer '{words}'")]
        used = present(lowered(seg), every)
        shared = [len(used & c.tokens) for c in clusters]
        if not found:
            order = sorted(range(len(clusters)), key=lambda i: -shared[i])
            best = order[0]
            second = shared[order[1]] if len(order) > 1 else 0
            if len(clusters) == 1:
                cue = "single question" if len(units) == 1 else _overlap(shared[0], clusters[0])
                found = [(0, cue if len(units) == 1 or shared[0] else "order")]
            elif shared[best] >= 2 and shared[best] > second:
                found = [(best, _overlap(shared[best], clusters[best]))]
            elif previous:
                found = [(i, "order") for i, _ in previous]
            else:
                first = next((i for i in range(len(clusters)) if i not in done), 0)
                found = [(first, "order")]
        if len(units) == 1:
            # One paragraph for several questions: it also answers every one it clearly shares words with.
            have = {i for i, _ in found}
            found += [
                (i, _overlap(n, clusters[i]))
                for i, n in enumerate(shared)
                if n >= 2 and i not in have
            ]
        links.append(found)
        done.update(i for i, _ in found)
        previous = found
    return links


def _overlap(n: int, c: _Cluster) -> str:
    return f"overlap {n / max(1, len(c.tokens)):.2f}"


def _attach(turn: Turn, units, links, clusters: list[_Cluster], text: str) -> None:
    """Answers for every sub-question: one per run of consecutive units linked to its cluster."""
    for ci, c in enumerate(clusters):
        for a, b, cues in _runs(units, links, ci):
            for s in c.subs:
                s["answers"].append(_answer(turn, a, b, text, "; ".join(cues)))


def _answer(turn: Turn, a: int, b: int, text: str, cue: str) -> dict[str, Any]:
    return {
        "speaker": turn.speaker,
        "turn": turn.id,
        "start": a,
        "end": b,
        # often the whole turn: its text, not a copy
        "text": turn.text if a == turn.start and b == turn.end else text[a:b],
        "cue": cue,
        "clarity": None,
        "evasion": None,
        "confidence": None,
    }


def _runs(units, links, ci: int) -> list[tuple[int, int, list[str]]]:
    """(start, end, cues) of each run of consecutive units linked to cluster ``ci``."""
    runs: list[list[Any]] = []  # [start, end, cues, last unit index]
    for ui, ((a, b), found) in enumerate(zip(units, links, strict=True)):
        cues = [cue for i, cue in found if i == ci]
        if not cues:
            continue
        if runs and runs[-1][3] == ui - 1:
            runs[-1][1] = b
            runs[-1][2] += [x for x in cues if x not in runs[-1][2]]
            runs[-1][3] = ui
        else:
            runs.append([a, b, cues, ui])
    return [(a, b, cues) for a, b, cues, _ in runs]
