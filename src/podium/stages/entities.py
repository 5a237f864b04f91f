"""Stage ``entities``: names in the text, and each sentence's places and issues.

Reads ``turns``, ``speakers``, ``sentences`` and ``meta``; writes ``entities`` and fills each
sentence's ``places`` (ISO3, in order of first mention) and ``issues`` (the contract's ISSUE
vocabulary). One pass of the knowledge base's automaton (``Knowledge.matcher``) over the
whole text finds countries and their aliases, regions, organisations, treaties, officials,
outlets, titles and issue terms; hits are then mapped to sentences by offset.

- Places: a country, demonym ("Russian colleagues"), capital ("Tehran"), metonym ("the
  Kremlin") or government ("the regime in Tehran") is its country; an official is the
  country they served at the transcript's date (``Knowledge.find_official``); a state body
  (the IRGC) its state; a country named in a treaty ("the Iran nuclear deal") counts too.
- People: officials of the knowledge base by full name; by surname alone when a title stands
  before it ("Foreign Minister Lavrov"), when the document names them in full or with a
  title elsewhere, or when they are in office at the transcript's date ("Putin" in 2019, but
  not "Rice"); anyone else after a capitalised title or honorific ("President Maduro",
  "Mr. Guaidó", "Foreign Minister Zarif"). Speaker labels in capitals ("SECRETARY POMPEO:")
  are left to the speakers layer: the matcher reads capitals only in abbreviations.
- Issues: the lexicon's terms, treaties and organisations. A sentence with no issue of its
  own that points back ("On this we both agree.", "It is one of ...") takes the issues of the
  sentence before it in the same paragraph.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from operator import attrgetter, itemgetter

from ..knowledge import ORG_CODES, Knowledge, Official
from ..model import Entity, Transcript
from ..pipeline import Context, stage

__all__ = ["entities", "find_entities"]

# A name after a title: capitalised words, with the particles names carry ("bin", "al-").
_NAME_AFTER = re.compile(
    r"[ \t]+(?P<name>(?:[A-ZÀ-Þ][\w'’-]*\.?[ \t]+(?:(?:al|el|bin|ibn|de|da|di|del|der|van|von|la|le|du|dos)[ \t]+)?){0,3}"
    r"[A-ZÀ-Þ][\w'’-]*\w)"
)
_POSSESSIVE = ("'s", "’s")
# Capitalised words that follow a title without being a name ("General Assembly", "President
# Obama's Administration", "Secretary of State", month and day names, pronouns).
_NOT_NAMES = frozenset(
    """
    The A An Of And Or In On At To For By From With As I We You He She It They This That These
    Those Our My Your His Her Their Its Who What When Where Why How Yes No Thank Thanks Well So
    Assembly Council Committee Commission Department Ministry Office Agency Administration
    Government Court Party Union League Forum Conference Summit Group Bank Fund Service Services
    Forces Force Army Navy Guard Corps Command Affairs Security Defense Defence Staff Motors
    Electric Dynamics Accounting Counsel Assistant Deputy Vice Acting Former General Secretary
    Minister President Prime Chairman Chair Director Mr Mrs Ms Dr Sir Madam Madame Senator
    Ambassador Governor Mayor Speaker Leader Spokesman Spokesperson House State States Federal
    National International Foreign Chief Special Senior First Second Third Today Tomorrow
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Q Question Answer Okay OK
    """.split()
)
# A sentence that opens with one of these points back to the one before it.
_BACK_OPENERS = ("It ", "It’s ", "It's ", "That ", "That’s ", "That's ", "This ", "These ", "Those ")  # fmt: skip
# Sentences that point back are short ("On this we both agree."); a long one has its own say.
_BACK_MAX = 160
# Words before a demonym that make it a language ("in Russian)", "speaks English").
_SPEAKING = ("speak ", "speaks ", "spoke ", "speaking ", "into ", "in fluent ")
_IN = (" in ", "(in ", " In ", "(In ")
# Titles that say which office a person holds; the others ("Mr.", "Secretary", "Chairman")
# fit too many offices to rule anyone out.
_DECISIVE_KINDS = frozenset(
    {"head_of_state", "head_of_government", "foreign_minister", "defence_minister",
     "spokesperson", "diplomat", "legislator", "military"}
)  # fmt: skip
# Kinds of place a treaty's name may name for the sentence ("Iran nuclear deal": yes; "Minsk
# agreements": a city, no).
_TREATY_PLACE_KINDS = frozenset({"country", "demonym"})
# Keys: where an entity (or a sentence) starts and ends, an ``(offset, ...)`` pair's offset.
_START = attrgetter("start")
_END = attrgetter("end")
_OFFSET = itemgetter(0)
_UNKNOWN = object()  # a name not looked up yet (None: looked up, nobody)


def find_entities(
    text: str, kb: Knowledge, date: str | None = None
) -> tuple[list[Entity], list[tuple[int, str]], list[tuple[int, tuple[str, ...]]]]:
    """The entities of ``text`` in text order, the places it mentions as ``(offset, ISO3)``
    and the issues as ``(offset, issues)``, both in text order."""
    found: list[Entity] = []
    places: list[tuple[int, str]] = []
    names, issues = kb.matcher.names_and_issues(text)
    add_entity, add_place, add_issue = found.append, places.append, issues.append
    people = _People(kb, text, date)
    for start, end, r, outer in names:
        if r.plain and outer is None:  # most matches: a country, a capital, an organisation
            add_entity(Entity(text[start:end], r.label, start, end, r.kb_id))
            if r.country is not None:
                add_place((start, r.country))
            if r.issues:
                add_issue((start, r.issues))
            continue
        kind = r.kind
        if r.issues and (outer is None or outer.kind == "title"):
            add_issue((start, r.issues))
        if kind == "issue":
            continue
        if outer is not None:
            if outer.kind == "treaty" and kind == "place" and r.detail in _TREATY_PLACE_KINDS:
                add_place((start, r.country))
            if outer.kind == "treaty" or kind == "title":
                continue
        if kind == "title":  # the match ends with the first letter of the name after it
            person = people.after_title(end - 2, r.detail)
            if person is not None:
                add_entity(person)
                if people.last_country:
                    add_place((person.start, people.last_country))
            continue
        if kind == "person":
            people.add(start, end)
            continue
        if r.label is None:
            continue  # an issue term, or a phrase that hides the terms inside it
        if kind == "place" and r.detail == "demonym" and _is_language(text, start, end):
            continue
        add_entity(Entity(text[start:end], r.label, start, end, r.kb_id))
        if r.country is not None:
            add_place((start, r.country))
    late = people.resolve()
    if late:
        for entity, country in late:
            found.append(entity)
            if country:
                places.append((entity.start, country))
        found.sort(key=_START)
        places.sort(key=_OFFSET)
    issues.sort(key=_OFFSET)  # terms of names came after the bare terms
    return found, places, issues


def _is_language(text: str, start: int, end: int) -> bool:
    """Whether a demonym names a language here: "(in Russian)", "speaks English"."""
    around = max(0, start - 10)
    if text.endswith(_SPEAKING, around, start):
        return True
    return text.endswith(_IN, around, start) and (end >= len(text) or text[end] in ".,;:)!?\n")


class _People:
    """Officials and titled names of one document, resolved at its date (cached per name)."""

    def __init__(self, kb: Knowledge, text: str, date: str | None) -> None:
        self.kb = kb
        self.text = text
        self.date = date
        self.pending: list[tuple[int, int]] = []
        self.sure: set[str] = set()  # people named in full or with a title
        self.titled: dict[tuple[str, str], tuple[int, Official | None] | tuple[()]] = {}
        self.cache: dict[tuple[str, str | None], Official | None] = {}
        self.last_country: str | None = None

    def lookup(self, name: str, hint: str | None) -> Official | None:
        key = (name, hint)
        found = self.cache.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            found = self.cache[key] = self._official(name, hint)
        return found

    def _official(self, name: str, hint: str | None) -> Official | None:
        matcher = self.kb.matcher
        kind = matcher.office_kind(hint) if hint is not None else None
        # "Senator Sanders" is no press secretary Sanders, "President Kennedy" no health
        # secretary: such a title must match an office the person held.
        decisive = kind in _DECISIVE_KINDS
        spells, several = matcher.spells_in(name, kind if decisive else None)
        if not spells:
            return None
        date = self.date
        if several or not date or len(date) != 10:
            found = self.kb.find_official(name, date, hint)  # the base's full judgement
            return found if found in spells else None
        # One person: the spell that day, else the last one begun before it, else the first.
        for s in spells:
            if s.in_office(date):
                return s
        before = [s for s in spells if s.start <= date]
        return max(before, key=_START) if before else min(spells, key=_START)

    def add(self, start: int, end: int) -> None:
        self.pending.append((start, end))

    def resolve(self) -> list[tuple[Entity, str | None]]:
        """Knowledge-base names: full ones first, then bare surnames (see the docstring)."""
        text = self.text
        sure = self.sure
        resolved: list[tuple[int, int, str, Official | None, bool]] = []
        for start, end in self.pending:
            name = text[start:end]
            official = self.lookup(name, None)
            strong = " " in name
            if strong and official is not None:
                sure.add(official.id)
            resolved.append((start, end, name, official, strong))
        out: list[tuple[Entity, str | None]] = []
        date = self.date or ""
        for start, end, name, official, strong in resolved:
            if not strong:
                if official is None or name in _NOT_NAMES:
                    continue  # "May" alone is a month
                # A bare surname is someone in office that day ("Putin", "Lavrov"), or someone
                # the text names in full or with a title elsewhere ("President Obama").
                if official.id not in sure and len(date) == 10 and not official.in_office(date):
                    continue
            kb_id = official.id if official is not None else None
            out.append((Entity(name, "PERSON", start, end, kb_id), _country(official)))
        return out

    def after_title(self, end: int, title: str) -> Entity | None:
        """The capitalised name right after a title ending at ``end`` ("President Maduro")."""
        self.last_country = None
        m = _NAME_AFTER.match(self.text, end)
        if m is None:
            return None
        # "President Biden" comes back a hundred times a briefing: judge each form once.
        key = (m.group("name"), title)
        parsed = self.titled.get(key)
        if parsed is None:
            parsed = self.titled[key] = self._name(key[0], title)
        if not parsed:
            return None
        length, official = parsed
        start = m.start("name")
        self.last_country = _country(official)
        if official is not None:
            self.sure.add(official.id)
        kb_id = official.id if official is not None else None
        return Entity(self.text[start : start + length], "PERSON", start, start + length, kb_id)

    def _name(self, run: str, title: str) -> tuple[int, Official | None] | tuple[()]:
        """How much of a run of capitalised words after a title is a name, and whose."""
        length = _name_length(run, self.kb)
        if not length:
            return ()
        return length, self.lookup(run[:length], title)


@lru_cache(maxsize=8192)  # "President Biden" recurs across texts: read each run once
def _name_length(run: str, kb: Knowledge) -> int:
    """How much of a run of capitalised words after a title is a name (0: none of it)."""
    words = run.split()
    kept: list[str] = []
    shouting = words[0].isupper()
    for w in words:
        bare = w.rstrip(".")
        if bare in _NOT_NAMES or kb.is_discourse(bare):
            break
        if not shouting and len(bare) > 1 and bare.isupper():
            break  # "President Biden SAID" is not part of the name
        if w.endswith(_POSSESSIVE):
            kept.append(w[:-2])
            break
        kept.append(w)
        if w.endswith(".") and len(bare) > 1:
            break  # "President Xi." ends the sentence
    while kept and (len(kept[-1].rstrip(".")) == 1 or kept[-1].islower()):
        kept.pop()  # an initial or a particle does not end a name
    if kept:
        kept[-1] = kept[-1].rstrip(".")
    if not kept:
        return 0
    return run.index(kept[-1], sum(len(w) for w in kept[:-1])) + len(kept[-1])


def _country(official: Official | None) -> str | None:
    if official is None or official.country in ORG_CODES:
        return None
    return official.country


@stage("entities", requires=("turns", "speakers", "sentences"), provides="entities")
def entities(doc: Transcript, ctx: Context) -> None:
    ran_before = bool(doc.entities)
    found, places, issues = find_entities(doc.text, ctx.knowledge, doc.meta.date)
    doc.entities = found
    sentences = doc.sentences
    if ran_before:  # a second run starts afresh
        for s in sentences:
            s.places = []
            s.issues = []
    # Both lists are in text order, as the sentences are: one walk each. ``bound`` is the end
    # of the sentence at hand; a mention at or past it looks for its sentence by bisection.
    ends = list(map(_END, sentences))
    last = len(sentences)
    i = start = bound = 0
    have: list[str] = []
    for pos, code in places:
        if pos >= bound:
            i = bisect.bisect_right(ends, pos, i)  # the first sentence ending after pos
            if i == last:
                break
            s = sentences[i]
            start, bound, have = s.start, s.end, s.places
        if pos >= start and code not in have:
            have.append(code)
    with_issues: list[int] = []
    i = start = bound = 0
    for pos, found_issues in issues:
        if pos >= bound:
            i = bisect.bisect_right(ends, pos, i)
            if i == last:
                break
            s = sentences[i]
            start, bound, have = s.start, s.end, s.issues
        if pos < start:
            continue
        if not have:
            with_issues.append(i)
        for x in found_issues:
            if x not in have:
                have.append(x)
    _issues_from_before(doc, ctx.knowledge, with_issues)


def _issues_from_before(doc: Transcript, kb: Knowledge, with_issues: list[int]) -> None:
    """A sentence with no issue that points back ("On this we agree.") takes the issues of
    the sentence before it, in the same turn and paragraph."""
    sentences, text = doc.sentences, doc.text
    points_back = kb.matcher.points_back
    last = len(sentences) - 1
    for i in with_issues:
        prev = sentences[i]
        for j in (i + 1, i + 2):  # at most two sentences on
            if j > last:
                break
            cur = sentences[j]
            if cur.issues or cur.turn != prev.turn or len(cur.text) > _BACK_MAX:
                break
            if text.find("\n", prev.end, cur.start) >= 0:
                break
            if not cur.text.startswith(_BACK_OPENERS) and not points_back(cur.text):
                break
            cur.issues = list(prev.issues)
            prev = cur
