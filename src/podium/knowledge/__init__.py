"""podium's knowledge base: officials, offices, outlets, places, publishers, discourse words,
regions, organisations, treaties and the issue lexicon.

Knowledge is data: versioned, commented text files in ``data/`` (one grammar, described in
``loader.py`` and in each file's header). A user extends the base with files of the same
grammar, the file's name deciding which table it extends::

    kb = Knowledge.load(extra=["my_officials.txt", "newsroom_outlets.txt"])
    kb.find_official("FOREIGN MINISTER LAVROV", "2019-05-14").country   # 'RUS'

``default_knowledge()`` is the package's own base, loaded once per process. ``kb.matcher``
finds every name and issue term of the base in a text in one pass (``matcher.py``).
"""

from __future__ import annotations

import datetime as _dt
import functools
import importlib.resources
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .loader import (
    ISSUES,
    ORG_CODES,
    TABLES,
    Record,
    country_names,
    expand_phrase,
    fold,
    parse_text,
    table_for,
)
from .matcher import Hit, Matcher, Term

__all__ = [
    "ISSUES",
    "ORG_CODES",
    "Hit",
    "IssueTerm",
    "Knowledge",
    "Matcher",
    "Office",
    "Official",
    "Org",
    "Outlet",
    "Place",
    "Publisher",
    "Region",
    "Term",
    "Treaty",
    "default_knowledge",
    "expand_phrase",
    "fold",
]


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Official:
    """One spell of one person in one office (the same ``id`` on several spells)."""

    id: str
    name: str
    aliases: tuple[str, ...]
    office: str
    country: str  # ISO3, or an organisation code (NATO, UN, EU, WHO, IAEA, IMF)
    start: str  # YYYY-MM-DD
    end: str | None  # YYYY-MM-DD (the successor's first day), None while in office

    def in_office(self, date: str) -> bool:
        """Whether the spell covers ``date`` (YYYY-MM-DD; the end day is the successor's)."""
        return self.start <= date and (self.end is None or date < self.end)


@dataclass(frozen=True)
class Office:
    phrase: str
    role: str  # principal, moderator, journalist, interpreter, other
    country: str | None
    kind: str  # head_of_state, ..., honorific, generic


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...]
    country: str
    kind: str  # wire, agency, broadcaster, newspaper, magazine, online


@dataclass(frozen=True)
class Place:
    alias: str
    country: str
    kind: str  # country, demonym, capital, city, region-of-country, metonym, government


@dataclass(frozen=True)
class Publisher:
    name: str
    aliases: tuple[str, ...]
    country: str | None
    kind: str  # government, ministry, news, aggregator, archive


@dataclass(frozen=True)
class Region:
    """A region, sea or group of peoples: no ISO3 of its own (kept out of ``places``)."""

    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str  # continent, region, sea, people


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str  # international, regional, alliance, agency, court, forum, state_body, ...
    country: str | None  # ISO3 of the state it is an organ of (IRGC → IRN), else None
    issue: str | None  # the issue a mention raises (IAEA → nonproliferation), else None


@dataclass(frozen=True)
class Treaty:
    id: str
    name: str
    aliases: tuple[str, ...]
    issue: str
    year: str | None


@dataclass(frozen=True)
class IssueTerm:
    phrase: str  # as written: may hold {a,b} alternatives and a final *
    issue: str  # an ISSUE, "none" (blocks shorter terms) or "previous" ("this issue")


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

_STOP = frozenset(
    {"of", "the", "and", "for", "on", "in", "to", "at", "de", "du", "des", "la", "le", "del", "da"}
)
# Words that may stand before or after a name besides offices, honorifics and places.
_TITLE_EXTRA = frozenset(
    {"former", "acting", "then", "incoming", "outgoing", "new", "current", "interim", "designate",
     "elect", "foreign", "affairs", "ministry", "government", "federal", "state", "national",
     "deputy", "vice", "first", "chief", "senior", "special", "presidential", "his", "her",
     "excellency", "majesty", "highness", "royal", "mister"}
)  # fmt: skip
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Words an outlet's name may be followed by: "Kommersant newspaper", "Russia 24 Channel".
_OUTLET_SUFFIXES = tuple(
    tuple(s.split())
    for s in (
        "tv channel", "television channel", "news agency", "information agency", "press agency",
        "publishing house", "broadcasting company", "newspaper", "daily", "channel", "tv",
        "television", "agency", "radio", "magazine", "website", "online", "network", "news",
        "international", "group",
    )
)  # fmt: skip
_PARENS = re.compile(r"\s*\([^()]*\)\s*$")
_POSSESSIVE = re.compile(r"['’]s$")
_MAX_SPAN = 8


def _split_aliases(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split(",") if a.strip())


def _strip_the(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


def _is_abbreviation(alias: str) -> bool:
    """``US``, ``U.S.``, ``DPRK``: capitals only, at most four letters."""
    letters = [c for c in alias if c.isalpha()]
    return 0 < len(letters) <= 4 and all(c.isupper() for c in letters)


def _as_date(date: str | _dt.date | None) -> str | None:
    """``2019-05-14``, ``2019-05`` (→ 15th) or ``2019`` (→ 1 July) as YYYY-MM-DD; None if unusable."""
    if date is None:
        return None
    if isinstance(date, _dt.date):
        return date.isoformat()[:10]
    s = str(date).strip()
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", s)
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is None:
        return f"{year}-07-01"
    return f"{year}-{month}-{day or '15'}"


def _days(a: str, b: str) -> int:
    return abs((_dt.date.fromisoformat(a) - _dt.date.fromisoformat(b)).days)


def _distance(spell: Official, date: str) -> int:
    """Days between ``date`` and the spell (0 inside it)."""
    if spell.in_office(date):
        return 0
    if date < spell.start:
        return _days(spell.start, date)
    return _days(date, spell.end or date)


def _tokens_with_source(text: str) -> list[tuple[str, str]]:
    """Folded tokens of ``text``, each with the raw whitespace-separated word it came from."""
    out: list[tuple[str, str]] = []
    for raw in text.split():
        for tok in fold(raw).split():
            out.append((tok, raw))
    return out


# --------------------------------------------------------------------------------------------
# The knowledge base
# --------------------------------------------------------------------------------------------


class Knowledge:
    """The loaded tables and their lookup indexes (built once; lookups are dict-based)."""

    def __init__(
        self,
        *,
        officials: Sequence[Official] = (),
        offices: Sequence[Office] = (),
        outlets: Sequence[Outlet] = (),
        places: Sequence[Place] = (),
        publishers: Sequence[Publisher] = (),
        discourse: Iterable[str] = (),
        regions: Sequence[Region] = (),
        orgs: Sequence[Org] = (),
        treaties: Sequence[Treaty] = (),
        issue_terms: Sequence[IssueTerm] = (),
        country_table: dict[str, str] | None = None,
    ) -> None:
        self.officials: tuple[Official, ...] = tuple(officials)
        self.offices: tuple[Office, ...] = tuple(
            sorted(offices, key=lambda o: (-len(o.phrase), o.phrase))
        )
        self.outlets: tuple[Outlet, ...] = tuple(outlets)
        self.places: tuple[Place, ...] = tuple(places)
        self.publishers: tuple[Publisher, ...] = tuple(publishers)
        self.discourse_words: frozenset[str] = frozenset(
            w.replace("’", "'").lower() for w in discourse
        )
        self.regions: tuple[Region, ...] = tuple(regions)
        self.orgs: tuple[Org, ...] = tuple(orgs)
        self.treaties: tuple[Treaty, ...] = tuple(treaties)
        self.issue_terms: tuple[IssueTerm, ...] = tuple(issue_terms)
        self._countries: dict[str, str] = dict(country_table or {})
        self._index_offices(offices)
        self._index_places()
        self._index_outlets_and_publishers()
        self._index_officials()

    # -- loading -----------------------------------------------------------------------------

    @classmethod
    def load(cls, extra: Iterable[str | Path] = ()) -> Knowledge:
        """The package's data files, then each ``extra`` file (its name picks the table)."""
        countries = country_names()
        records: dict[str, list[Record]] = {table: [] for table in TABLES}
        data = importlib.resources.files(__package__).joinpath("data")
        for table in TABLES:
            text = data.joinpath(f"{table}.txt").read_text(encoding="utf-8")
            records[table] += parse_text(
                text, f"podium/knowledge/data/{table}.txt", table, countries.codes
            )
        for path in extra:
            table = table_for(path)
            text = Path(path).read_text(encoding="utf-8-sig")
            records[table] += parse_text(text, str(path), table, countries.codes)
        return cls(
            officials=_build_officials(records["officials"]),
            offices=[
                Office(r.fields[0].lower(), r.fields[1], r.fields[2] or None, r.fields[3])
                for r in records["offices"]
            ],
            outlets=[
                Outlet(f[0], _split_aliases(f[1]), f[2], f[3])
                for f in (r.fields for r in records["outlets"])
            ],
            places=[Place(*r.fields) for r in records["places"]],
            publishers=[
                Publisher(f[0], _split_aliases(f[1]), f[2] or None, f[3])
                for f in (r.fields for r in records["publishers"])
            ],
            discourse=[r.fields[0] for r in records["discourse"]],
            regions=[
                Region(f[0], f[1], _split_aliases(f[2]), f[3])
                for f in (r.fields for r in records["regions"])
            ],
            orgs=[
                Org(f[0], f[1], _split_aliases(f[2]), f[3], f[4] or None, f[5] or None)
                for f in (r.fields for r in records["orgs"])
            ],
            treaties=[
                Treaty(f[0], f[1], _split_aliases(f[2]), f[3], f[4] or None)
                for f in (r.fields for r in records["treaties"])
            ],
            issue_terms=[IssueTerm(*r.fields) for r in records["issues"]],
            country_table=countries.names,
        )

    # -- names in running text ---------------------------------------------------------------

    @cached_property
    def matcher(self) -> Matcher:
        """One multi-pattern automaton over every name and issue term (built on first use)."""
        return Matcher(self)

    @cached_property
    def _by_alias(self) -> dict[str, Region | Org | Treaty]:
        found: dict[str, Region | Org | Treaty] = {}
        for x in (*self.regions, *self.orgs, *self.treaties):  # a later line overrides
            for alias in (x.name, *x.aliases):
                found[_strip_the(fold(alias))] = x
        return found

    def find_org(self, name: str) -> Org | None:
        """The organisation ``name`` names: ``"the UN Security Council"``, ``"Hizballah"``."""
        found = self._by_alias.get(_strip_the(fold(name)))
        return found if isinstance(found, Org) else None

    def find_treaty(self, name: str) -> Treaty | None:
        """The treaty or agreement ``name`` names: ``"New START"``, ``"the Iran deal"``."""
        found = self._by_alias.get(_strip_the(fold(name)))
        return found if isinstance(found, Treaty) else None

    def find_region(self, name: str) -> Region | None:
        """The region ``name`` names: ``"the Middle East"``, ``"Western Hemisphere"``."""
        found = self._by_alias.get(_strip_the(fold(name)))
        return found if isinstance(found, Region) else None

    def issues_in(self, text: str) -> list[str]:
        """The issues the lexicon finds in ``text``, in order of first mention."""
        out: dict[str, None] = {}
        for hit in self.matcher.scan(text):
            for term in hit.terms:
                if term.issue in ISSUES:
                    out[term.issue] = None
        return list(out)

    # -- offices -----------------------------------------------------------------------------

    def _index_offices(self, offices: Sequence[Office]) -> None:
        self._office_by_key: dict[str, Office] = {}
        self._generic_by_key: dict[str, Office] = {}
        honorifics: set[str] = set()
        for o in offices:  # file order: a later line (a user's file) overrides an earlier one
            key = fold(o.phrase)
            if o.kind == "generic":
                self._generic_by_key[key] = o
                continue
            self._office_by_key[key] = o
            if o.kind == "honorific":
                honorifics |= {o.phrase, o.phrase.rstrip("."), o.phrase.replace(".", ""), key}
        self.honorifics: frozenset[str] = frozenset(honorifics)
        self._honorific_keys = frozenset(
            k for k, o in self._office_by_key.items() if o.kind == "honorific"
        )
        self._office_span = max((len(k.split()) for k in self._office_by_key), default=1)

    def is_discourse(self, word: str) -> bool:
        """Whether ``word`` opens sentences without being a name ("Well", "Ma'am", "Folks")."""
        return word.replace("’", "'").lower().strip(".,!?") in self.discourse_words

    def find_office(self, phrase: str) -> Office | None:
        """The office (or honorific) a phrase names: ``"Foreign Minister"``, ``"MR."``.

        Falls back to the generic labels (``"moderator"``); a leading "the" is ignored.
        """
        key = fold(phrase)
        found = self._office_by_key.get(key)
        if found is None and key.startswith("the "):
            found = self._office_by_key.get(key[4:])
        if found is None:
            found = self._generic_by_key.get(key) or self._generic_by_key.get(_strip_the(key))
        return found

    def generic_label(self, label: str) -> Office | None:
        """A label naming a role, not a person: ``Q.``, ``QUESTION:``, ``THE MODERATOR``."""
        key = fold(label)
        return self._generic_by_key.get(key) or self._generic_by_key.get(_strip_the(key))

    def office_kind(self, office: str) -> str | None:
        """The kind of the office a title or an office name holds: ``"Senator from Ohio"`` →
        ``"legislator"``, ``"Secretary of State"`` → ``"foreign_minister"`` (not honorifics)."""
        return self._office_kind_in(fold(office).split())

    def _office_kind_in(self, tokens: Sequence[str]) -> str | None:
        """The kind of the longest office phrase inside ``tokens`` (not honorifics)."""
        for n in range(min(self._office_span, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                o = self._office_by_key.get(" ".join(tokens[i : i + n]))
                if o is not None and o.kind != "honorific":
                    return o.kind
        return None

    # -- places ------------------------------------------------------------------------------

    def _index_places(self) -> None:
        self._place_by_key: dict[str, tuple[str, bool]] = {}
        for p in self.places:
            self._place_by_key[_strip_the(fold(p.alias))] = (p.country, _is_abbreviation(p.alias))

    def country_code(self, name: str) -> str | None:
        """ISO3 for a country name, alias, demonym, capital, city or metonym, else None.

        ``"RUSSIAN FEDERATION"``, ``"Sochi"``, ``"the Kremlin"``, ``"Russians"`` → ``"RUS"``.
        Abbreviations (``US``, ``UK``) match only when written in capitals.
        """
        text = _POSSESSIVE.sub("", name.strip())
        key = _strip_the(fold(text))
        if not key:
            return None
        found = self._place_by_key.get(key)
        if found is not None:
            code, abbreviation = found
            if not abbreviation or text.isupper():
                return code
            return None
        return self._countries.get(key)

    # -- outlets and publishers --------------------------------------------------------------

    def _index_outlets_and_publishers(self) -> None:
        self._outlet_by_key: dict[str, Outlet] = {}
        self._outlet_abbrev: set[str] = set()
        for o in self.outlets:
            for alias in (o.name, *o.aliases):
                key = fold(alias)
                self._outlet_by_key[key] = o
                if _is_abbreviation(alias):
                    self._outlet_abbrev.add(key)
        self._outlet_span = max((len(k.split()) for k in self._outlet_by_key), default=1)
        self._publisher_by_key: dict[str, Publisher] = {}
        for p in self.publishers:
            for alias in (p.name, *p.aliases):
                key = fold(alias)
                self._publisher_by_key[key] = p
                self._publisher_by_key.setdefault(_strip_the(key), p)
        self._publisher_span = max((len(k.split()) for k in self._publisher_by_key), default=1)

    def find_outlet(self, text: str) -> Outlet | None:
        """The outlet ``text`` names exactly (case-insensitive), allowing a trailing generic
        word: ``"Kommersant newspaper"`` → Kommersant, ``"Russia 24 Channel"`` → Russia 24."""
        key = fold(_PARENS.sub("", text))
        if not key:
            return None
        tokens = key.split()
        while tokens:
            key = " ".join(tokens)
            for candidate in (key, _strip_the(key), f"the {key}"):
                found = self._outlet_by_key.get(candidate)
                if found is not None:
                    return found
            for suffix in _OUTLET_SUFFIXES:
                if len(tokens) > len(suffix) and tuple(tokens[-len(suffix) :]) == suffix:
                    tokens = tokens[: -len(suffix)]
                    break
            else:
                return None
        return None

    def outlet_in(self, text: str) -> Outlet | None:
        """The longest outlet name or alias occurring as whole words inside ``text``.

        Inside running text a name must start with a capital (``Time`` but not ``time``),
        and an abbreviation must be written in capitals (``AP``, ``RT``).
        """
        return self._longest_in(text, self._outlet_by_key, self._outlet_span, self._outlet_abbrev)

    def find_publisher(self, text: str) -> Publisher | None:
        """The publisher ``text`` names (case-insensitive): ``"VOLTAIRE NETWORK"``."""
        key = fold(_PARENS.sub("", text))
        return self._publisher_by_key.get(key) or self._publisher_by_key.get(_strip_the(key))

    def publisher_in(self, text: str) -> Publisher | None:
        """The longest publisher name or alias occurring as whole words inside ``text``."""
        return self._longest_in(text, self._publisher_by_key, self._publisher_span, frozenset())

    @staticmethod
    def _longest_in(text: str, index: dict, span: int, abbreviations) -> object | None:
        toks = _tokens_with_source(text)
        words = [t for t, _ in toks]
        for n in range(min(span, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                key = " ".join(words[i : i + n])
                found = index.get(key)
                if found is None:
                    continue
                raws = [raw for _, raw in toks[i : i + n]]
                if key in abbreviations:
                    if all(r.isupper() or not any(c.isalpha() for c in r) for r in raws):
                        return found
                    continue
                lead = next((r for r in raws if fold(r) not in _STOP), raws[0])
                if not lead[:1].isalpha() or lead[:1].isupper():
                    return found
        return None

    # -- officials ---------------------------------------------------------------------------

    def _index_officials(self) -> None:
        self._spells: dict[str, list[Official]] = {}
        for o in self.officials:
            self._spells.setdefault(o.id, []).append(o)
        self._person_by_key: dict[str, list[str]] = {}
        self._given_initials: dict[str, frozenset[str]] = {}
        for pid, spells in self._spells.items():
            first = spells[0]
            keys: set[str] = set()
            initials: set[str] = set()
            for form in (first.name, *first.aliases):
                words = fold(form).split()
                while words and words[0] in self._honorific_keys:
                    words = words[1:]
                if not words:
                    continue
                keys.add(" ".join(words))
                core = [w for w in words if w not in _NAME_SUFFIXES]
                if len(core) >= 2:
                    keys.add(" ".join(core))
                    initials.add(core[0][0])
                    no_initials = [w for w in core if len(w) > 1]
                    if len(no_initials) >= 2:
                        keys.add(" ".join(no_initials))
            if not first.aliases:  # no alias at all: the last word is the surname
                core = [w for w in fold(first.name).split() if w not in _NAME_SUFFIXES]
                if core:
                    keys.add(core[-1])
            for key in keys:
                ids = self._person_by_key.setdefault(key, [])
                if pid not in ids:
                    ids.append(pid)
            self._given_initials[pid] = frozenset(initials)
        self._name_span = max((len(k.split()) for k in self._person_by_key), default=1)
        # Words that may surround a name in a label or a title: offices, honorifics, places.
        vocab: set[str] = set(_STOP | _TITLE_EXTRA)
        for key in self._office_by_key:
            vocab.update(key.split())
        self._office_tokens: dict[str, frozenset[str]] = {}
        self._office_kind: dict[str, str | None] = {}
        for office in dict.fromkeys(o.office for o in self.officials):
            toks = fold(office).split()
            vocab.update(toks)
            self._office_tokens[office] = frozenset(toks) - _STOP
            self._office_kind[office] = self._office_kind_in(toks)
        for p in self.places:
            if p.kind != "government":  # "Assad regime" must not make "assad" a title word
                vocab.update(_strip_the(fold(p.alias)).split())
        self._title_words = frozenset(vocab)

    def _match(self, name: str) -> tuple[list[str], list[str]]:
        """Person ids ``name`` names, and the words around the name (office, place...)."""
        words = fold(name).split()
        while words and (words[0] in self._honorific_keys or words[0] == "the"):
            words = words[1:]
        if not words:
            return [], []
        key = " ".join(words)
        if key in self._person_by_key:
            return list(self._person_by_key[key]), []
        for n in range(min(self._name_span, len(words)), 0, -1):
            found: list[str] = []
            around: list[str] = []
            for i in range(len(words) - n + 1):
                ids = self._person_by_key.get(" ".join(words[i : i + n]))
                if not ids:
                    continue
                before, after = words[:i], words[i + n :]
                if any(w not in self._title_words and w not in _NAME_SUFFIXES for w in after):
                    continue
                names = [w for w in before if w not in self._title_words and len(w) > 1]
                if len(names) > 2:
                    continue
                for pid in ids:
                    if all(w[0] in self._given_initials[pid] for w in names) and pid not in found:
                        found.append(pid)
                        around = [w for w in before + after if w in self._title_words]
            if found:
                return found, around
        return [], []

    def find_officials(self, name: str) -> list[Official]:
        """Every spell of every person ``name`` names: a full name, an alias or a bare
        surname, in any case, with or without accents, honorifics, initials or an office
        (``"Michael R. Pompeo"``, ``"POMPEO"``, ``"Secretary Pompeo"``)."""
        ids, _ = self._match(name)
        return [spell for pid in ids for spell in self._spells[pid]]

    def official(self, official_id: str, date: str | _dt.date | None = None) -> Official | None:
        """The spell of person ``official_id`` in office at ``date`` (else the latest)."""
        spells = self._spells.get(official_id)
        if not spells:
            return None
        day = _as_date(date)
        current = [s for s in spells if day is not None and s.in_office(day)]
        return (current or sorted(spells, key=lambda s: s.start or ""))[-1]

    def find_official(
        self,
        name: str,
        date: str | _dt.date | None = None,
        office_hint: str | None = None,
    ) -> Official | None:
        """The spell ``name`` most likely refers to, or None when it cannot be decided.

        With ``date``, spells in office that day win, else the nearest; ``office_hint``
        (e.g. ``"foreign minister"`` from a label) and the words around the name
        (``"President of Russia Vladimir Putin"``) favour matching offices and countries.
        Several people and nothing to choose between them (bare ``"Kim"``) → None.
        """
        ids, around = self._match(name)
        if not ids:
            return None
        hint_words = fold(office_hint).split() if office_hint else around
        hint_tokens = frozenset(hint_words) - _STOP
        hint_kind = self._office_kind_in(hint_words) if hint_words else None
        hint_countries = self._countries_in(
            around + (fold(office_hint).split() if office_hint else [])
        )

        def score(spell: Official) -> int:
            s = len(hint_tokens & self._office_tokens[spell.office])
            if hint_kind is not None and hint_kind == self._office_kind[spell.office]:
                s += 2
            if spell.country in hint_countries:
                s += 1
            return s

        spells = [spell for pid in ids for spell in self._spells[pid]]
        day = _as_date(date)
        if day is not None:
            current = [s for s in spells if s.in_office(day)]
            if current:
                pool = current
            else:
                nearest = min(_distance(s, day) for s in spells)
                pool = [s for s in spells if _distance(s, day) == nearest]
        else:
            pool = spells
        people = list(dict.fromkeys(s.id for s in pool))
        if len(people) > 1:
            best = max(score(s) for s in pool)
            winners = list(dict.fromkeys(s.id for s in pool if score(s) == best))
            if best == 0 or len(winners) > 1:
                return None
            people = winners
        mine = [s for s in pool if s.id == people[0]]
        return max(mine, key=lambda s: (score(s), s.end is None, s.end or "", s.start))

    def _countries_in(self, words: Sequence[str]) -> frozenset[str]:
        found: set[str] = set()
        for n in range(min(4, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                key = " ".join(words[i : i + n])
                hit = self._place_by_key.get(key)
                if hit is not None and not hit[1]:
                    found.add(hit[0])
                elif key in self._countries:
                    found.add(self._countries[key])
        return frozenset(found)


def _build_officials(records: list[Record]) -> list[Official]:
    """Officials from their lines, aliases merged per id; an id must keep one full name."""
    names: dict[str, str] = {}
    aliases: dict[str, dict[str, None]] = {}
    for r in records:
        pid, name, alias_field = r.fields[0], r.fields[1], r.fields[2]
        if names.setdefault(pid, name) != name:
            raise ValueError(
                f"{r.source}:{r.line}: id {pid!r} is {names[pid]!r} elsewhere, not {name!r}"
            )
        aliases.setdefault(pid, {}).update(dict.fromkeys(_split_aliases(alias_field)))
    return [
        Official(f[0], f[1], tuple(aliases[f[0]]), f[3], f[4], f[5], f[6] or None)
        for f in (r.fields for r in records)
    ]


@functools.lru_cache(maxsize=1)
def default_knowledge() -> Knowledge:
    """The package's knowledge base, loaded once per process."""
    return Knowledge.load()
