"""One Aho–Corasick automaton over every name and issue term of a knowledge base.

The automaton is case-sensitive and runs over the document text as it is (line breaks and
hyphens read as spaces, which keeps every offset), so lower-case "turkey" never reaches Python:
each alias is entered in the few spellings running text uses — as written, with a capital
first letter, with every word capitalised (names only); straight and curly apostrophes; without
accents. A word written with a capital in the knowledge base must be capitalised in the text
("Turkey", not "turkey"); a word written in lower case may take any case ("Russian
government" = "Russian Government"). Text in capitals ("SECRETARY POMPEO:") is left to the
speakers stage, except abbreviations (``US``, ``UN``: at most four letters), which match in
capitals only — and not amid capitals when they are English words too ("LET US").

Every key starts with a space, so matches start at word starts and the automaton's root has a
single child: pyahocorasick looks children up one by one, and a root with a hundred children
(every letter in both cases) made the scan three times slower. The keys are added in order of
how often English words start with their first letter, for the same reason. A title's keys end
with the first letter of the name after it ("President M"), so that the hundreds of "the
President said" in a briefing cost nothing.

``Matcher.scan(text)`` is one ``iter_long`` pass (leftmost-longest, non-overlapping), then a
word-end check per hit. Names inside a longer match that still count (the country in
"detained in Russia", the issue in "Trade Representative", the country in "the Iran nuclear
deal") are found once, when the automaton is built, and returned after it.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

import ahocorasick

from .loader import ORG_CODES, _iso3166_records, expand_phrase

if TYPE_CHECKING:  # pragma: no cover
    from . import Knowledge, Official

__all__ = ["Hit", "Matcher", "Term"]

log = logging.getLogger(__name__)

# Entity labels (spaCy's names) of each place kind.
_PLACE_LABELS = {
    "country": "GPE",
    "capital": "GPE",
    "city": "GPE",
    "region-of-country": "GPE",
    "demonym": "NORP",
    "metonym": "ORG",
    "government": "ORG",
}
# When one spelling belongs to several tables, the first kind here names the entity.
_KIND_RANK = {"treaty": 0, "org": 1, "region": 2, "place": 3, "person": 4, "outlet": 5}
# Kinds whose matches may hold other names worth keeping (see the module docstring).
_NESTING_KINDS = frozenset({"issue", "title", "treaty"})
# Abbreviations that are also English words: in capitals only when the text around is not.
_CAPS_WORDS = frozenset(
    "us it is am an as at be by do go he if in me my no of oh ok on or so to up we who ice".split()
)
_DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}")
# Letters that start English words, most frequent first, and letters in general (see the
# module docstring): the keys are added in this order.
_INITIALS = "tawiosbhcmfpdlrneguyvkjqzxITWASBHMCPQNOYLDFGREJKUVZX"
_INITIAL_RANK = {c: i for i, c in enumerate(_INITIALS)}
_FREQUENT = " etaoinshrdlcumwfgypbvkjxqz"
_FREQUENT += _FREQUENT[1:].upper()
_BY_FREQUENCY = {c: 0x200 + c for c in range(0x100)} | {
    ord(c): 0x100 + i for i, c in enumerate(_FREQUENT)
}
_NAME_INITIALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZÁÉÓÖÜŞ"
# Word-internal characters read as spaces (hyphens), and line breaks.
_AS_SPACE = ("\n", "-", "\t")
# Words left in lower case when every word of an alias is capitalised.
_SMALL = frozenset("of in on the and for to at de du la le al el da di del von van bin".split())


class Term(NamedTuple):
    """What one spelling stands for."""

    kind: str  # place, region, org, treaty, person, outlet, title, issue
    label: str | None  # entity label (GPE, NORP, ORG, LOC, TREATY, PERSON), None for terms
    kb_id: str | None  # ISO3 for places, the record's id for regions, orgs and treaties
    country: str | None  # the ISO3 a mention stands for (places; orgs that are state bodies)
    issue: str | None  # an ISSUE the mention raises
    detail: str  # place kind, region or org kind, the office phrase of a title, the term...


class Hit(NamedTuple):
    start: int
    end: int
    terms: tuple[Term, ...]  # best entity term first
    outer: Term | None = None  # set when the hit lies inside a longer match


class Reading:
    """What one spelling stands for, flattened for the scan: the terms, and the head term's
    fields (the entity it names, if any) with every issue any of the terms raises."""

    __slots__ = ("terms", "kind", "label", "kb_id", "country", "detail", "issues", "plain")

    def __init__(self, terms: tuple[Term, ...]) -> None:
        head = terms[0]
        self.terms = terms
        self.kind = head.kind
        self.label = head.label
        self.kb_id = head.kb_id
        self.country = head.country
        self.detail = head.detail
        self.issues = tuple(dict.fromkeys(t.issue for t in terms if t.issue is not None))
        # A name that needs no judgement in context: the entity is the match itself.
        self.plain = (
            head.label is not None
            and head.kind in ("place", "region", "org", "treaty", "outlet")
            and head.detail != "demonym"
        )


class _Pattern:
    __slots__ = ("length", "abbreviation", "terms", "open_terms", "exact", "open", "nested")

    def __init__(self, length: int, abbreviation: bool) -> None:
        self.length = length
        self.abbreviation = abbreviation
        self.terms: tuple[Term, ...] = ()
        # The terms that still hold when the word runs on ("sanction*" in "sanctioned").
        self.open_terms: tuple[Term, ...] = ()
        self.exact: Reading | None = None
        self.open: Reading | None = None
        self.nested: tuple[tuple[int, int, Reading], ...] = ()

    def freeze(self) -> None:
        self.exact = Reading(self.terms) if self.terms else None
        self.open = Reading(self.open_terms) if self.open_terms else None

    def reading_at(self, text: str, start: int, end: int) -> Reading | None:
        """What this match stands for at ``text[start:end]`` (None: not a whole word)."""
        reading = self.exact
        if end < len(text) and text[end].isalnum():
            reading = self.open
        if reading is not None and self.abbreviation and not _abbreviation_ok(text, start, end):
            return None
        return reading


def _is_abbreviation(alias: str) -> bool:
    if not alias.isupper():  # quick: most aliases have a lower-case letter
        return False
    return sum(c.isalpha() for c in alias) <= 4


def _strip_accents(s: str) -> str:
    if s.isascii():
        return s
    decomposed = unicodedata.normalize("NFKD", s)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _capitalise_words(s: str) -> str:
    return " ".join(w if w in _SMALL else w[:1].upper() + w[1:] for w in s.split(" "))


def spellings(alias: str, every_word: bool = True) -> set[str]:
    """The spellings under which ``alias`` is looked for in running text: as written, with a
    capital first letter and (``every_word``) with every word capitalised."""
    base = " ".join(alias.split())
    if _is_abbreviation(base):
        forms = {base, base.replace(".", "")} if "." in base else {base}
        return {f for f in forms if f}
    forms = {base, _strip_accents(base)}
    if "." in base:  # "U.S. Government" = "US Government"
        forms.add(_DOTTED.sub(lambda m: m.group().replace(".", ""), base))
    for f in list(forms):
        if "-" in f:
            forms.add(f.replace("-", " "))
        if "'" in f:
            forms.add(f.replace("'", "’"))
        if "’" in f:
            forms.add(f.replace("’", "'"))
    out: set[str] = set()
    for f in forms:  # no all-capitals form: speaker labels are the speakers stage's job
        out |= {f, f[:1].upper() + f[1:]}
        if every_word:
            out.add(_capitalise_words(f))
    return {f for f in out if len(f) > 1}


def _strip_the(alias: str) -> str:
    return alias[4:] if alias[:4] in ("the ", "The ", "THE ") and len(alias) > 4 else alias


class Matcher:
    """The automaton of one ``Knowledge``: built once, then one pass per text."""

    def __init__(self, kb: Knowledge) -> None:
        self._kb = kb
        self._spells: dict[str, tuple[Official, ...]] = {}
        self._spells_in: dict[tuple[str, str | None], tuple[tuple[Official, ...], bool]] = {}
        self._office_kinds: dict[str, str | None] = {}
        # Found per sentence, where it matters (see points_back), not by the automaton: one
        # regex over the phrases, shared beginnings written once (" th(?:is|at) ...").
        back = {
            " " + " ".join(form.rstrip("*").lower().split())
            for t in kb.issue_terms
            if t.issue == "previous"
            for form in expand_phrase(t.phrase)
        }
        self._back = re.compile(_alternatives(sorted(back)) if back else "(?!)")

        def ranked(*groups: Iterable[Term]) -> tuple[Term, ...]:
            terms = dict.fromkeys(t for g in groups for t in g)  # file order kept among equals
            return tuple(sorted(terms, key=lambda t: _KIND_RANK.get(t.kind, 9)))

        merged: dict[str, _Pattern] = {}
        for (form, open_end), terms in _spellings_of(kb).items():
            key = " " + _spaced(form)
            pattern = merged.get(key)
            if pattern is None:
                pattern = merged[key] = _Pattern(len(form), _is_abbreviation(form))
            pattern.terms = ranked(pattern.terms, terms)
            if open_end:
                pattern.open_terms = ranked(pattern.open_terms, terms)
        for pattern in merged.values():
            pattern.freeze()
        stems: dict[str, _Pattern] = {}
        for stem, terms in _titles_of(kb).items():  # one pattern serves every initial
            pattern = stems[stem] = _Pattern(len(stem) + 1, False)
            pattern.terms = pattern.open_terms = tuple(terms)
            pattern.freeze()
            for initial in _NAME_INITIALS:
                merged.setdefault(f"{stem} {initial}", pattern)
        automaton = ahocorasick.Automaton()

        # Children are looked up one by one in the order they were added: frequent letters first.
        def order(key: str) -> tuple[int, str]:
            return _INITIAL_RANK.get(key[1], 99), key[2:].translate(_BY_FREQUENCY)

        for key in sorted(merged, key=order):
            automaton.add_word(key, merged[key])
        automaton.make_automaton()
        self._automaton = automaton
        for stem, pattern in stems.items():
            if " " in stem[1:]:
                pattern.nested = self._nested(stem, pattern)
        for key, pattern in merged.items():
            if pattern.exact is not None and pattern.exact.kind == "title":
                continue  # done above, once per title
            if " " in key[1:] and any(t.kind in _NESTING_KINDS for t in pattern.terms):
                pattern.nested = self._nested(key, pattern)
        log.debug("matcher: %d keys", len(merged))

    def _nested(self, key: str, outer: _Pattern) -> tuple[tuple[int, int, Reading], ...]:
        """Names and terms inside ``key`` worth keeping (leftmost-longest, whole words)."""
        form = key[1:]
        found = []
        for end, p in self._automaton.iter(key):
            if p is outer:
                continue
            start = end - p.length
            reading = p.reading_at(form, start, end)
            if reading is not None:
                found.append((start, end, reading))
        found.sort(key=lambda h: (h[0], -h[1]))
        out = []
        last = 0
        for start, end, reading in found:
            if start >= last:
                out.append((start, end, reading))
                last = end
        return tuple(out)

    def _matches(self, text: str) -> Iterator[tuple[int, int, _Pattern, Reading]]:
        """The automaton's leftmost-longest matches that stand as whole words (or open a longer
        word their key allows), with the reading that applies."""
        n = len(text)
        # The key's leading space stands for the character before the word (or the text's
        # start), so an end index in the scanned text is the exclusive end in ``text``.
        for end, p in self._automaton.iter_long(" " + _spaced(text)):
            start = end - p.length
            if end < n and text[end].isalnum():
                reading = p.open
                if reading is None:
                    continue
            else:
                reading = p.exact
            if p.abbreviation and not _abbreviation_ok(text, start, end):
                continue
            yield start, end, p, reading

    def readings(self, text: str) -> list[tuple[int, int, Reading, Reading | None]]:
        """Every name and term in ``text`` as ``(start, end, reading, outer)`` tuples in text
        order: leftmost-longest, whole words; ``outer`` is the reading of the longer match a
        nested one lies in. The fast form of ``scan``, for stages."""
        out: list[tuple[int, int, Reading, Reading | None]] = []
        append = out.append
        for start, end, p, reading in self._matches(text):
            append((start, end, reading, None))
            if p.nested:
                for s, e, inner in p.nested:
                    append((start + s, start + e, inner, reading))
        return out

    def names_and_issues(
        self, text: str
    ) -> tuple[list[tuple[int, int, Reading, Reading | None]], list[tuple[int, tuple[str, ...]]]]:
        """``readings`` split for a stage's hot loop: the readings that name something (or
        may: titles, blockers), and the bare issue terms as ``(start, issues)`` — two in five
        matches are issue terms, and they need nothing else."""
        names: list[tuple[int, int, Reading, Reading | None]] = []
        issues: list[tuple[int, tuple[str, ...]]] = []
        add_name, add_issue = names.append, issues.append
        for start, end, p, reading in self._matches(text):
            nested = p.nested
            if not nested:
                if reading.kind == "issue":
                    if reading.issues:
                        add_issue((start, reading.issues))
                    continue
                add_name((start, end, reading, None))
                continue
            add_name((start, end, reading, None))
            for s, e, inner in nested:
                add_name((start + s, start + e, inner, reading))
        return names, issues

    def scan(self, text: str) -> list[Hit]:
        """Every name and term in ``text``: leftmost-longest, whole words, in text order."""
        return [
            Hit(s, e, r.terms, outer.terms[0] if outer is not None else None)
            for s, e, r, outer in self.readings(text)
        ]

    def points_back(self, sentence: str) -> bool:
        """Whether ``sentence`` points back to the issue just discussed ("on this issue")."""
        return self._back.search(" " + sentence.lower()) is not None

    def office_kind(self, office: str) -> str | None:
        """``Knowledge.office_kind``, remembered (titles and offices recur)."""
        kind = self._office_kinds.get(office, "")
        if kind == "":
            kind = self._office_kinds[office] = self._kb.office_kind(office)
        return kind

    def spells(self, name: str) -> tuple[Official, ...]:
        """Every spell of every official ``name`` names (``Knowledge.find_officials``),
        remembered: the answer does not depend on the date, and names recur across texts."""
        found = self._spells.get(name)
        if found is None:
            if len(self._spells) > 100_000:  # a bound, for long-running servers
                self._spells.clear()
            found = self._spells[name] = tuple(self._kb.find_officials(name))
        return found

    def spells_in(self, name: str, kind: str | None) -> tuple[tuple[Official, ...], bool]:
        """``spells(name)`` in an office of ``kind`` (``office_kind``; every spell when
        ``kind`` is None), and whether they are more than one person's; remembered."""
        key = (name, kind)
        found = self._spells_in.get(key)
        if found is None:
            spells = self.spells(name)
            if kind is not None:
                office_kind = self.office_kind
                spells = tuple(s for s in spells if office_kind(s.office) == kind)
            if len(self._spells_in) > 100_000:  # a bound, for long-running servers
                self._spells_in.clear()
            found = self._spells_in[key] = (spells, len({s.id for s in spells}) > 1)
        return found

    def __len__(self) -> int:
        return len(self._automaton)


def _spellings_of(kb: Knowledge) -> dict[tuple[str, bool], list[Term]]:
    """Every spelling of every name and term, with what it stands for; ``True`` in the key
    marks a term that may run on ("vaccin*")."""
    entries: dict[tuple[str, bool], list[Term]] = {}

    def add(aliases: Iterable[str], term: Term, open_end: bool = False) -> None:
        for alias in aliases:
            # Terms are capitalised at a sentence's start only ("Sanctions are ...").
            for form in spellings(alias, every_word=term.kind != "issue"):
                terms = entries.setdefault((form, open_end), [])
                if term.kind == "place":  # a later line (a user's file) says it better
                    terms[:] = [t for t in terms if t.kind != "place"]
                if term not in terms:
                    terms.append(term)

    # pycountry's names first, so that places.txt (and a user's file) can say more.
    for rec in _iso3166_records():
        names = [rec[f] for f in ("name", "official_name", "common_name") if rec.get(f)]
        code = rec["alpha_3"]
        add((_strip_the(n) for n in names), Term("place", "GPE", code, code, None, "country"))
    for p in kb.places:
        term = Term("place", _PLACE_LABELS[p.kind], p.country, p.country, None, p.kind)
        add([_strip_the(p.alias)], term)
    for r in kb.regions:
        term = Term("region", "NORP" if r.kind == "people" else "LOC", r.id, None, None, r.kind)
        add((_strip_the(a) for a in (r.name, *r.aliases)), term)
    for o in kb.orgs:
        country = o.country if o.country and o.country not in ORG_CODES else None
        term = Term("org", "ORG", o.id, country, o.issue, o.kind)
        add((_strip_the(a) for a in (o.name, *o.aliases)), term)
    for t in kb.treaties:
        term = Term("treaty", "TREATY", t.id, None, t.issue, "treaty")
        add((_strip_the(a) for a in (t.name, *t.aliases)), term)
    for name in _person_names(kb):
        add([name], Term("person", "PERSON", None, None, None, ""))
    for o in kb.outlets:
        names = [_strip_the(a) for a in (o.name, *o.aliases)]
        # One-word names are too often words ("Time", "Dawn"); capitals are safe from three
        # letters ("CNN", "TASS"). Multi-word names also keep "Washington Post" from being
        # read as Washington.
        names = [a for a in names if " " in a or (len(a) >= 3 and a.isupper())]
        add(names, Term("outlet", "ORG", None, None, None, o.kind))
    for it in kb.issue_terms:
        if it.issue == "previous":
            continue
        term = Term("issue", None, None, None, None if it.issue == "none" else it.issue, it.phrase)
        for form in expand_phrase(it.phrase):
            add([form.rstrip("*")], term, open_end=form.endswith("*"))
    return entries


def _titles_of(kb: Knowledge) -> dict[str, list[Term]]:
    """Title keys without the name's initial (" Foreign Minister"), with their offices.

    A title counts only before a capitalised name ("President Maduro"), so its keys end with
    the name's first letter: "the President said" never reaches Python."""
    titles: dict[str, list[Term]] = {}
    for office in kb.offices:
        if office.kind == "generic":
            continue
        phrase = office.phrase
        forms = {phrase, phrase.rstrip(".")} if office.kind == "honorific" else {phrase}
        term = Term("title", None, None, office.country, None, phrase)
        for form in forms:
            for cased in {_capitalise_words(form), form[:1].upper() + form[1:]}:
                terms = titles.setdefault(" " + _spaced(cased), [])
                if term not in terms:
                    terms.append(term)
    return titles


def _spaced(text: str) -> str:
    """``text`` with line breaks and hyphens as spaces (same length, same offsets)."""
    for c in _AS_SPACE:
        if c in text:
            text = text.replace(c, " ")
    return text


def _alternatives(phrases: Iterable[str]) -> str:
    """A regex for any of ``phrases``, as a trie: a common beginning is tried once."""
    by_first: dict[str, list[str]] = {}
    ends_here = False
    for p in phrases:
        if p:
            by_first.setdefault(p[0], []).append(p[1:])
        else:
            ends_here = True
    branches = [re.escape(c) + _alternatives(rest) for c, rest in by_first.items()]
    if not branches:
        return ""
    found = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:  # a phrase ends where a longer one goes on
        found = "(?:" + found + ")?"
    return found


def _abbreviation_ok(text: str, start: int, end: int) -> bool:
    """``US`` in "the US and" but not in "LET US GO" (an English word amid capitals)."""
    word = text[start:end]
    if "." in word or word.lower() not in _CAPS_WORDS:
        return True
    before = text[max(0, start - 20) : start].split()
    after = text[end : end + 20].split()
    near = (before[-1:] or [""])[0] + (after[:1] or [""])[0]
    return any(c.islower() for c in near)


def _person_names(kb: Knowledge) -> list[str]:
    """Every name under which an official is known (full names, aliases, bare surnames)."""
    names: dict[str, None] = {}
    first_spell: dict[str, object] = {}
    for o in kb.officials:
        first_spell.setdefault(o.id, o)
    for o in first_spell.values():
        names[o.name] = None
        names.update(dict.fromkeys(o.aliases))
        if not o.aliases:  # as the knowledge base does: the last word is the surname
            words = [
                w for w in o.name.split() if w.rstrip(".").lower() not in ("jr", "sr", "ii", "iii")
            ]
            if words:
                names[words[-1]] = None
    return [n for n in names if len(n) > 1]
