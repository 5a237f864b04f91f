"""Stage ``speakers``: labels → people, with roles, countries and outlets.

Reads ``turns`` and ``meta``; writes ``speakers`` and fills each turn's
``speaker`` and ``kind``. One speaker per person, not per label:
``SECRETARY POMPEO``, ``Secretary Pompeo`` and the title's "Michael R. Pompeo"
are one person; ``THE PRESIDENT`` is the head of state the title or the
knowledge base names at the document's date. Reporters' ``Q``/``QUESTION``
turns are separate speakers unless the text ties them together (a
self-introduction, the moderator's call, a vocative that opens the answer
naming the same person). People named in the title, or addressed by a
question, who never speak become speakers with ``present: false`` and an
``absent_principal`` warning. Every name, country and outlet keeps where it
came from in ``evidence``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from ..knowledge import Knowledge, Office, Official, fold
from ..model import Speaker, Transcript, Turn
from ..pipeline import Context, stage
from .labels import _strip_role

_NAME = r"[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|[A-Z]\.|de|da|van|von|bin|al|la|le|del))*?\s+[A-Z][\w'’-]+"
_INTRO_LEAD = (
    r"^(?:\s*\([^)]*\)\s*|\s*\[[^\]]*\]\s*)*"  # notes such as "(Via interpreter)"
    r"(?:(?:Great|Yes|Hi|Hello|Okay|OK|Sure|So|Well)[.!,]?\s+)*"
    r"(?:(?:Thank you|Thanks|Good (?:morning|afternoon|evening)|Hello|Hi)[^.!?]{0,60}[.!]\s*)*"
)
_INTRO_IAM = re.compile(
    _INTRO_LEAD
    + r"(?:I'm|I am|My name is|This is|It's)\s+(?P<name>"
    + _NAME
    + r")(?:\s*(?:,|from|with|of)\s+(?P<outlet>(?:the\s+)?[A-Z][^.,;!?]{1,60}))?"
)
_INTRO_COMMA = re.compile(
    _INTRO_LEAD + r"(?P<name>" + _NAME + r"),\s+(?:from\s+|with\s+)?(?P<outlet>[^.;!?,]{2,60})[.,]"
)
_OUTLET_WORDS = re.compile(
    r"\b(?:newspaper|channel|TV|television|radio|news|agency|times|post|journal|daily|gazette|"
    r"magazine|press|broadcasting|network|wire|tribune|herald|telegraph|media|online|\d{1,3})$",
    re.I,
)
_CALL = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:Go ahead|Yes|Yeah|Please|Okay|OK|Sure|All right|Over to you|Let's go to|"
    r"Let me go to|We'll go to|Next question(?: from)?|The floor is yours|Then)\s*,?\s+)?"
    r"(?P<who>[A-Z][\w'’&.-]*(?:\s+(?:[A-Z0-9][\w'’&.-]*|newspaper|channel|agency|television|"
    r"radio|magazine|daily|news)){0,4}),?\s+(?:please|go ahead|you have the floor)\b"
    r"|(?:^|[.!?]\s+)(?:Go ahead|Yes|Yeah|Okay|OK|Sure|All right|Next),\s+(?P<first>[A-Z][a-z]+)\s*[.!]?\s*$"
)
# Every match of _CALL contains one of these (a test that spares most turns the regex, which
# tries every position of the text).
_CALL_WORDS = (
    "please", "go ahead", "you have the floor",
    "Go ahead,", "Yes,", "Yeah,", "Okay,", "OK,", "Sure,", "All right,", "Next,",
)
# One search for any of them (faster than a test per word on a turn's tail).
_CALL_GUARD = re.compile("|".join(map(re.escape, _CALL_WORDS)))
_VOCATIVE = re.compile(r"^(?:\s*\([^)]*\)\s*)?(?P<name>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?),\s")
_ADDRESS = re.compile(
    r"\b(?:questions?|one|this)\s+(?:is\s+)?(?:to|for)\s+(?P<who>(?:the\s+)?(?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?"
    r"(?:[A-Z][\w'’-]+\s+){0,3}[A-Z][\w'’-]+)"
    r"|(?:^|[.?!]\s+|\n)(?:And\s+|But\s+|So\s+)?(?P<voc>(?:Mr|Ms|Mrs|Madam|Dr)\.?\s+(?:[A-Z][\w'’-]+\s+){0,2}[A-Z][\w'’-]+)"
    r",\s*(?:if I could|can|could|would|will|why|what|how|do|does|did|is|are|was|were|have|has|when|where|who|I|let)\b"
)
_TITLE_SPLIT = re.compile(r"\s*(?:[,;]|\band\b|\bAnd\b|\bAND\b|&|\bwith\b|\bWith\b|\bWITH\b)\s*")
_TITLE_STOP = frozenset(
    fold(w)
    for w in """
    press briefing conference availability joint remarks statement statements call background
    senior administration official officials team response house white public health room
    meeting meetings summit media news transcript gaggle q&a session participants members
    department ministry office council committee task force the a an of on at in to for
    """.split()
)


@dataclass(slots=True)
class ParsedLabel:
    label: str
    generic: Office | None = None
    honorific: str | None = None
    office: Office | None = None
    office_text: str | None = None
    name: str | None = None
    qualifier: str | None = None  # country from "President of Russia ..."
    role_text: str | None = None
    outlet: str | None = None
    outlet_country: str | None = None
    person: str | None = None  # a reporter's name beside an outlet: "NRK [Ingrid Bergan]"


@dataclass(slots=True)
class Person:
    """A speaker being built: every label and turn that belongs to one person."""

    key: str
    labels: list[str] = field(default_factory=list)
    parsed: list[ParsedLabel] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    name: str | None = None
    title: str | None = None
    role: str | None = None
    country: str | None = None
    outlet: str | None = None
    present: bool = True
    official: Official | None = None
    evidence: dict[str, str] = field(default_factory=dict)

    def set(self, attr: str, value: str | None, why: str) -> None:
        if value and not getattr(self, attr):
            setattr(self, attr, value)
            self.evidence[attr] = why


_NUMBERED_GENERIC = re.compile(r"^(?:speaker|participant|reporter|questioner|voice)\s*\d+$", re.I)
_RUN_IN_HONORIFIC = re.compile(r"^((?:MR|MS|MRS|DR|Mr|Ms|Mrs|Dr)\.)(?=\w)")


def parse_label(label: str, kb: Knowledge) -> ParsedLabel:
    core, role_text = _strip_role(label.strip())
    p = ParsedLabel(label=label, role_text=role_text)
    generic = kb.generic_label(core)
    if generic is not None:
        p.generic = generic
        return p
    if _NUMBERED_GENERIC.match(core):
        p.generic = kb.generic_label(core.split()[0]) or Office(core.split()[0].lower(), "other", None, "generic")
        return p
    # "MR.PESICKA": an honorific run into the name.
    words = _RUN_IN_HONORIFIC.sub(r"\1 ", core).split()
    if words and words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    if words and words[0].lower().rstrip(".") in kb.honorifics:
        p.honorific = words.pop(0)
    # The longest office phrase at the front: "UNDER SECRETARY BASS", "FOREIGN MINISTER LAVROV".
    for n in range(min(6, len(words)), 0, -1):
        office = kb.find_office(" ".join(words[:n]))
        if office is not None and office.kind not in ("honorific", "generic"):
            p.office, p.office_text = office, " ".join(words[:n])
            words = words[n:]
            break
    if p.office is not None and words and words[0].lower() == "of":
        for n in range(min(4, len(words) - 1), 0, -1):
            code = kb.country_code(" ".join(words[1 : 1 + n]))
            if code:
                p.qualifier = code
                p.office_text = f"{p.office_text} {' '.join(words[: 1 + n])}"
                words = words[1 + n :]
                break
    if words and words[0].lower().rstrip(".") in kb.honorifics:
        p.honorific = p.honorific or words.pop(0)
    p.name = " ".join(words) or None
    if p.name is None and p.office is None and p.honorific is None:
        p.name = core
    if p.office is None and p.honorific is None and p.name and not kb.find_officials(p.name):
        outlet = kb.find_outlet(p.name)
        if outlet is not None:
            p.outlet, p.outlet_country = outlet.name, outlet.country
            p.name = None  # the label names an outlet, not a person
    if role_text and p.outlet and p.name is None and re.fullmatch(_NAME, role_text.strip()):
        p.person = role_text.strip()
    elif role_text:
        outlet = kb.find_outlet(role_text) or kb.outlet_in(role_text)
        if outlet is not None and p.office is None:
            p.outlet, p.outlet_country = outlet.name, outlet.country
        elif p.office is None:
            for n in range(len(role_text.split()), 0, -1):
                for i in range(0, len(role_text.split()) - n + 1):
                    office = kb.find_office(" ".join(role_text.split()[i : i + n]))
                    if office is not None and office.kind not in ("honorific", "generic"):
                        p.office, p.office_text = office, role_text
                        break
                if p.office is not None:
                    break
    return p


_PREFIXED = re.compile(r"^(Mc|Mac|La|Le|De|Di|Da|Du|Van|Von|O'|O’)([A-ZÀ-Þ]{2,})$")


def _display(name: str) -> str:
    """``POMPEO`` → ``Pompeo``, ``LaHOOD`` → ``LaHood``, ``SHERWOOD-RANDALL`` → ``Sherwood-Randall``."""

    def word(w: str) -> str:
        m = _PREFIXED.match(w)
        if m:
            return m.group(1) + m.group(2).capitalize()
        if w.isupper() and not (len(w) <= 2 and w.endswith(".")):
            return "-".join(part.capitalize() for part in w.split("-"))
        return w

    return " ".join(word(w) for w in name.split())


def _surname(name: str) -> str:
    words = name.split()  # the same words as re.split(r"\s+") without the empty ones
    return fold(words[-1]) if words else ""


_PARTICIPANTS = re.compile(r"\b(?:by|By|BY|with|With|WITH)\s+")
_TAIL = re.compile(
    r"\s+(?:on|On|ON|in|In|IN|at|At|AT|aboard|Aboard|[Ee]n [Rr]oute|during|During|following|Following|"
    r"after|After|before|Before|previewing|Previewing|regarding|Regarding|about|About|"
    r"(?:to|To|TO)(?! the (?:Vice )?President))\s+|\s*[|:(]\s*|\s+[-–—]{1,2}\s+|,\s*(?:\d|[A-Z][a-z]+\.? \d)"
)
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.|de|da|van|von|bin|al|der|del|la|le)$")


def title_people(title: str | None, kb: Knowledge) -> list[tuple[str, str | None, str | None]]:
    """The participants a title names ("Press Briefing by Press Secretary Jen Psaki and ...").

    Only the participant list counts: the words after "by"/"with" (or the whole
    title when it opens with names, "X And Y At a Joint Press Availability"), up
    to where the title turns to place, topic or date. People a title is *about*
    ("Background Press Call on the President's Meeting with President Xi") are not
    participants.
    """
    if not title:
        return []
    m = _PARTICIPANTS.search(title)
    if m:
        before = title[: m.start()]
        if _TAIL.search(" " + before + " ") and not re.search(r"\bRemarks\b", before):
            return []
        segment = title[m.end() :]
    else:
        segment = title
    tail = _TAIL.search(segment)
    if tail:
        segment = segment[: tail.start()]
    people: list[tuple[str, str | None, str | None]] = []
    for part in _TITLE_SPLIT.split(segment):
        found = _title_person(part, kb)
        if found:
            people.append(found)
    return people


def _title_person(part: str, kb: Knowledge) -> tuple[str, str | None, str | None] | None:
    """(name, office as written, country of a trailing "of <Country>") or None."""
    words = part.split()
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    # "President Yoon Suk Yeol of the Republic of Korea": the trailing country is the person's.
    country = None
    for i in range(len(words) - 1, 0, -1):
        if words[i].lower() == "of":
            country = kb.country_code(" ".join(words[i + 1 :]).removeprefix("the "))
            if country:
                words = words[:i]
                break
    office_text = None
    for n in range(min(8, len(words) - 1), 0, -1):
        office = kb.find_office(" ".join(words[:n]))
        if office is not None and office.kind not in ("honorific", "generic"):
            office_text = " ".join(words[:n])
            words = words[n:]
            break
    honorific = False
    while words and words[0].lower().rstrip(".") in kb.honorifics:
        words, honorific = words[1:], True
    # The name runs from here to the first lower-case word: "Nguyen Phu Trong of the Communist
    # Party" → "Nguyen Phu Trong"; "for Strategic Communications" → nothing.
    cut = next((i for i, w in enumerate(words) if not _NAME_TOKEN.match(w) or w.islower()), len(words))
    if cut == 0 and office_text:
        # "Advisor for Strategic Communications Ben Rhodes": the office's scope, then the name —
        # the last two words of a run of three or more.
        last_lower = max(i for i, w in enumerate(words) if not _NAME_TOKEN.match(w) or w.islower())
        run = words[last_lower + 1 :]
        words = run[-2:] if len(run) >= 3 and all(_NAME_TOKEN.match(w) for w in run) else []
    else:
        words = words[:cut]
    if not words or len(words) > 5:
        return None
    for n in range(min(4, len(words)), 0, -1):
        cand = " ".join(words[-n:])
        first = fold(words[-n])
        for official in kb.find_officials(cand):
            # The run must start with a word of the person's own name, not "Affairs Jake Sullivan".
            known = {t for alias in (official.name, *official.aliases) for t in fold(alias).split()}
            # A lone surname only when it is the whole run: "Deputy NEC Director Daleep Singh"
            # is not Rajnath Singh because "Singh" alone is one of his names.
            if first in known and (n > 1 or ((office_text or honorific) and len(words) == 1)):
                return cand, office_text, country
    if not (office_text or honorific):
        return None  # an unknown name needs an office or honorific before it to count
    if len(words) < 2:
        return None  # "Press Secretary Josh": a lone word the knowledge base does not know
    # After a known office the whole run is the name ("General Secretary Nguyen Phu Trong").
    n = len(words) if office_text or honorific else 2
    if len(words) > n and kb.find_office(" ".join(words[:-n])) is None:
        return None  # "Deputy National Security Advisor" with an unknown office is not a name
    name_words = words[-n:]
    if any(fold(w) in _TITLE_STOP or kb.find_office(w) is not None for w in name_words):
        return None
    name = " ".join(name_words)
    if kb.country_code(name) or kb.find_outlet(name):
        return None
    return name, office_text, country


@stage("speakers", requires=("turns",), provides="speakers")
def speakers(doc: Transcript, ctx: Context) -> None:
    kb = ctx.knowledge
    date = doc.meta.date
    publisher = kb.find_publisher(doc.meta.publisher) if doc.meta.publisher else None
    home = publisher.country if publisher is not None and publisher.kind in ("government", "ministry") else None
    persons: dict[str, Person] = {}
    order: list[str] = []

    def person(key: str) -> Person:
        if key not in persons:
            persons[key] = Person(key)
            order.append(key)
        return persons[key]

    parsed_cache: dict[str, ParsedLabel] = {}
    journalist_count = 0
    named: dict[str, str] = {}  # surname key -> person key
    # Title people first so that labels attach to them.
    title_names = title_people(doc.meta.title, kb)
    for name, office_text, country in title_names:
        sur = _surname(name)
        if sur in named:
            continue
        p = person(f"name:{sur}")
        p.set("name", name, "title")
        if office_text:
            p.set("title", office_text, "title")
        p.set("country", country, "title")
        p.present = False
        named[sur] = p.key
        for token in fold(name).split():
            # "PRESIDENT YOON" is the title's "Yoon Suk Yeol": any word of the name may be the label's.
            if len(token) > 2:
                named.setdefault(token, p.key)

    canonical = _typo_labels(doc.turns, kb)
    key_of: dict[str, str] = {}  # label -> person key, for every label but a reporter's
    for turn in doc.turns:
        if turn.label is None:
            continue
        pl = parsed_cache.get(turn.label)
        if pl is None:
            pl = parsed_cache[turn.label] = parse_label(canonical.get(turn.label, turn.label), kb)
            pl.label = turn.label
        if pl.generic is not None and pl.generic.role == "journalist":
            journalist_count += 1
            key = f"journalist:{journalist_count}"  # one speaker per reporter's turn
        elif turn.label in key_of:
            key = key_of[turn.label]  # a briefing repeats its few labels hundreds of times
        elif pl.generic is not None:
            key = f"generic:{fold(_strip_role(turn.label)[0])}"
        elif pl.outlet is not None and not pl.office and not pl.honorific:
            key = f"outlet:{fold(pl.outlet)}:{fold(pl.person or '')}"
        elif pl.name:
            sur = _surname(pl.name)
            key = named.setdefault(sur, f"name:{sur}")
            given = fold(pl.name).split()[0] if len(pl.name.split()) >= 2 else None
            other = persons.get(key)
            if given and other is not None and other.name and len(other.name.split()) >= 2:
                if fold(other.name).split()[0] != given:
                    key = f"name:{fold(pl.name)}"  # "MS. NATALIE BIDEN" is not Joe Biden
        elif pl.office is not None:
            key = _office_holder_key(pl, persons, kb, date, home)
        else:
            key = f"label:{fold(turn.label)}"
        key_of.setdefault(turn.label, key)
        p = persons.get(key) or person(key)
        p.present = True
        if turn.label not in p.labels:
            p.labels.append(turn.label)
            p.parsed.append(pl)
        p.turns.append(turn)

    for p in persons.values():
        _describe(p, kb, date, home)
    _merge_same_official(persons, order)

    _answerers(doc, persons)
    _unlabelled_turns(doc, persons, person, title_names)
    _journalists(doc, persons, kb)
    _addressed(doc, persons, person, kb, date)
    _merge_named_journalists(persons, order)

    speakers_out: list[Speaker] = []
    used: set[str] = set()
    for key in order:
        p = persons.get(key)
        if p is None or (not p.turns and p.present):
            continue
        sid = _slug(p, used)
        used.add(sid)
        speakers_out.append(
            Speaker(
                id=sid,
                name=p.name,
                labels=p.labels,
                role=p.role or "principal",
                title=p.title,
                country=p.country,
                outlet=p.outlet,
                present=p.present,
                evidence=p.evidence,
                kb_id=p.official.id if p.official else None,
            )
        )
        for t in p.turns:
            t.speaker = sid
        if p.evidence.get("role") == _ONE_WORD:
            doc.warn(
                "unknown_label",
                f"label {p.labels[0]!r} names no known person, office or role; kept as a speaker of role 'other'",
                speaker=sid,
            )
        if not p.present and (p.role or "principal") == "principal":
            doc.warn(
                "absent_principal",
                f"{p.name or sid} is named in the {p.evidence.get('present', 'title')} but has no turn "
                "in this version of the transcript",
                speaker=sid,
            )
    doc.speakers = speakers_out
    _turn_kinds(doc)


_ONE_WORD = "a one-word label naming no known person"
_GENERIC_WORDS = ("moderator", "operator", "question", "participant", "interpreter", "reporter")


def _typo_labels(turns: list[Turn], kb: Knowledge) -> dict[str, str]:
    """Misspelt labels → the label they misspell ("THE PRESIDNET" → "THE PRESIDENT").

    A rare label within two edits of a more frequent label of the same document,
    or of a generic role word ("MOERATOR"), is read as that label; the turn keeps
    the label as written.
    """
    counts = Counter(t.label for t in turns)  # in the order labels first appear
    counts.pop(None, None)
    by_count = sorted(counts, key=lambda lb: -counts[lb])
    folded = {lb: fold(lb) for lb in by_count}
    surname_length = {lb: len(_surname(lb)) for lb in by_count}
    out: dict[str, str] = {}
    for label in by_count:
        key = folded[label]
        if len(key) < 5 or kb.generic_label(label) is not None:
            continue
        for other in by_count:
            if counts[other] <= counts[label] or other in out:
                continue
            # Short surnames differ by one letter between different people (KIRK, KIRBY).
            limit = 1 if min(surname_length[label], surname_length[other]) < 7 else 2
            if abs(len(folded[other]) - len(key)) <= limit and Levenshtein.distance(key, folded[other]) <= limit:
                out[label] = other
                break
        else:
            if " " not in key:
                for word in _GENERIC_WORDS:
                    if Levenshtein.distance(key, word) <= 2 and len(key) >= 6:
                        out[label] = word.upper()
                        break
    return out


def _office_holder_key(pl: ParsedLabel, persons: dict[str, Person], kb: Knowledge, date, home) -> str:
    """``THE PRESIDENT`` → the title's president, else the office holder the knowledge base names."""
    phrase = pl.office.phrase if pl.office else ""
    for key, p in persons.items():
        office = kb.find_office(p.title) if p.title and key.startswith("name:") else None
        if office is not None and office.phrase == phrase:
            return key
    country = pl.qualifier or home
    holder = _holder(kb, phrase, country, date)
    if holder is not None:
        return f"official:{holder.id}"  # merged with "PRESIDENT BIDEN" later, by official id
    return f"office:{phrase}:{country or ''}"


def _holder(kb: Knowledge, phrase: str, country: str | None, date: str | None) -> Official | None:
    """The one person who held ``phrase`` (e.g. "president") for ``country`` at ``date``."""
    if not (phrase and country and date):
        return None
    target = fold(phrase)
    found = {
        o.id: o
        for o in kb.officials
        if o.country == country
        and (o.start or "") <= date
        and (not o.end or date <= o.end)
        and fold(o.office).split(" of ")[0] == target
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _describe(p: Person, kb: Knowledge, date: str | None, home: str | None) -> None:
    """Name, title, role, country and official from the labels and the knowledge base."""
    names: list[str] = []
    hint = None  # the first office a label names
    for pl in p.parsed:
        if pl.generic is not None:
            p.set("role", pl.generic.role, f"label {pl.label!r}")
            continue
        if pl.name:
            names.append(pl.name)
        if hint is None and pl.office is not None:
            hint = pl.office.phrase
        if pl.outlet and not pl.office and not pl.honorific and not pl.name:
            p.set("outlet", pl.outlet, f"label {pl.label!r}")
        if pl.outlet and (pl.role_text or pl.name is None):
            p.set("role", "journalist", f"label {pl.label!r} names an outlet")
            p.set("outlet", pl.outlet, f"label {pl.label!r}")
            p.set("country", pl.outlet_country, "outlet")
            p.set("name", pl.person, f"label {pl.label!r}")
        if pl.office is not None:
            p.set("title", _display(pl.office_text or pl.office.phrase), f"label {pl.label!r}")
            p.set("role", pl.office.role, f"office {pl.office.phrase!r}")
            p.set("country", pl.qualifier or pl.office.country, f"label {pl.label!r}")
    if p.name is None and names:
        longest = max(names, key=lambda n: len(n.split()))
        p.set("name", _display(longest), "label")
    if p.key.startswith("official:") and p.name is None:
        holder = kb.official(p.key.split(":", 1)[1], date)
        if holder is not None:
            p.name = holder.name
            p.evidence["name"] = f"knowledge {holder.id}: office holder at the date"
    lookup = p.name or ""
    if lookup and p.role not in ("journalist", "moderator", "interpreter") and not p.outlet:
        official = kb.find_official(lookup, date, hint)
        if (
            official is not None
            and len(lookup.split()) == 1
            and hint is None
            and p.evidence.get("name") != "title"
            and home
            and official.country != home
        ):
            # "MR. PARK" at a White House briefing is not the President of South Korea: a bare
            # surname resolves abroad only with an office or the title to back it.
            official = None
        if official is not None:
            p.official = official
            if p.name is None or len(official.name.split()) >= len(p.name.split()):
                p.name = official.name
                p.evidence["name"] = f"knowledge {official.id}"
            # The knowledge base's office ("Secretary of State") beats the label's ("SECRETARY").
            p.title = official.office
            p.evidence["title"] = f"knowledge {official.id}"
            p.set("country", official.country, f"knowledge {official.id}")
    if p.key.startswith("name:") and p.name is None:
        p.set("name", p.key.split(":", 1)[1].title(), "label")
    if p.key.startswith("name:") and p.official is None and "title" not in p.evidence:
        bare = all(
            pl.office is None and pl.honorific is None and not pl.role_text and pl.name and " " not in pl.name
            for pl in p.parsed
        )
        if bare and p.parsed:
            # "CUSTOMER:", "PROTESTOR:": one unknown word, no office, no honorific. Whether such a
            # speaker is a principal is decided later by whether they answer questions.
            p.set("role", "other", _ONE_WORD)
    p.set("role", "principal", "default")
    if p.role == "principal" and not p.country and home and p.present:
        p.set("country", home, "publisher")


def _answerers(doc: Transcript, persons: dict[str, Person]) -> None:
    """A speaker of unknown role whose turns mostly follow reporters' questions is answering them."""
    role_of: dict[str, str | None] = {}
    index: dict[str, int] = {}
    for p in persons.values():
        if p.role != "other" or not p.turns:
            continue
        generic_other = bool(p.parsed) and all(
            pl.generic is not None and pl.generic.role == "other" for pl in p.parsed
        )
        if p.evidence.get("role", "").startswith("label") and not generic_other:
            continue
        if not index:  # for the first speaker that gets this far, before any role changes
            role_of = {t.id: q.role for q in persons.values() for t in q.turns}
            index = {t.id: i for i, t in enumerate(doc.turns)}
        asking = sum(1 for t in p.turns if "?" in t.text)
        if generic_other and asking * 2 > len(p.turns):
            # "Speaker 1:", "PARTICIPANT:" whose turns are questions: a reporter.
            p.role = "journalist"
            p.evidence["role"] = "asks questions"
            continue
        after_question = sum(
            1
            for t in p.turns
            if index[t.id] > 0
            and role_of.get(doc.turns[index[t.id] - 1].id) == "journalist"
            and "?" in doc.turns[index[t.id] - 1].text
        )
        if after_question * 2 >= len(p.turns):
            p.role = "principal"
            p.evidence["role"] = "answers reporters' questions"


def _unlabelled_turns(doc, persons, person, title_names) -> None:
    for turn in doc.turns:
        if turn.label is not None:
            continue
        # The opening statement's speaker: the title's one person, where there is one.
        if len(title_names) == 1:
            p = persons[f"name:{_surname(title_names[0][0])}"]
            p.present = True
            p.evidence.setdefault("unlabelled_turn", "title names one person")
        else:
            p = person("unlabelled")
            p.role = "other"
            p.evidence["role"] = "no label and no single person in the title"
        p.turns.insert(0, turn)


def _outlet_name(text: str, kb: Knowledge) -> tuple[str, str | None] | None:
    text = text.strip().rstrip(".")
    outlet = kb.find_outlet(text) or kb.outlet_in(text)
    if outlet is not None:
        return outlet.name, outlet.country
    if _OUTLET_WORDS.search(text) and len(text.split()) <= 6:
        return text, None
    return None


def _journalists(doc: Transcript, persons: dict[str, Person], kb: Knowledge) -> None:
    """Names and outlets of reporters: self-introductions, the moderator's call, vocatives."""
    by_turn = {t.id: p for p in persons.values() for t in p.turns}
    turns = doc.turns
    owner = [by_turn.get(t.id) for t in turns]  # each turn's person, by position
    for i, p in enumerate(owner):
        if p is None or p.role != "journalist":
            continue
        turn = turns[i]
        # (endpos 300: as if matched in the turn's first 300 characters)
        m = _INTRO_IAM.match(turn.text, 0, 300) or _INTRO_COMMA.match(turn.text, 0, 300)
        if m:
            name = m.group("name")
            outlet = m.group("outlet") if "outlet" in m.groupdict() else None
            found = _outlet_name(outlet, kb) if outlet else None
            if m.re is _INTRO_COMMA and found is None:
                pass  # "Thank you, Mr. Secretary, ..." is not an introduction
            elif not kb.find_office(name.split()[0]) and not kb.is_discourse(name.split()[0]):
                p.set("name", name, "self-introduction")
                if found:
                    p.set("outlet", found[0], "self-introduction")
                    p.set("country", found[1], "outlet")
        if i > 0 and (p.name is None or p.outlet is None):
            prev = turns[i - 1]
            prev_p = owner[i - 1]
            if prev_p is not None and prev_p.role in ("moderator", "principal"):
                # the guard has no anchor: searching from 200 before the end is the tail's search
                called = _CALL_GUARD.search(prev.text, len(prev.text) - 200)
                calls = _CALL.finditer(prev.text[-200:]) if called else ()
                for cm in calls:
                    who = cm.group("who") or cm.group("first")
                    if not who or kb.is_discourse(who.split()[0]):
                        continue
                    found = _outlet_name(who, kb)
                    if found:
                        p.set("outlet", found[0], "moderator's call")
                        p.set("country", found[1], "outlet")
                    elif not kb.country_code(who) and not kb.find_office(who.split()[0]):
                        p.set("name", who, "called on by name")
        if i + 1 < len(turns):
            nxt = turns[i + 1]
            nxt_p = owner[i + 1]
            if nxt_p is not None and nxt_p.role == "principal":
                vm = _VOCATIVE.match(nxt.text)
                if vm:
                    who = vm.group("name")
                    if (
                        not kb.is_discourse(who.split()[0])
                        and kb.find_office(who.split()[0]) is None
                        and kb.country_code(who) is None
                        and not kb.find_officials(who)
                    ):
                        p.set("name", who, "vocative in the answer")


_JOINT_EVENTS = frozenset({"joint_press_availability", "press_conference", "press_availability"})


def _addressed(doc, persons, person, kb: Knowledge, date) -> None:
    """People a question is put to who never speak: absent principals of a joint event.

    At a daily briefing "a question for the President" names someone who was never
    expected on the podium, so only joint events and press conferences add them.
    """
    if doc.meta.event_type not in _JOINT_EVENTS:
        return
    known_ids = {q.official.id for q in persons.values() if q.official}
    known_words = {
        w for q in persons.values() if q.name and q.role != "journalist" for w in fold(q.name).split()
    }
    journalist_turns = {t.id for q in persons.values() if q.role == "journalist" for t in q.turns}
    for turn in doc.turns:
        if turn.id not in journalist_turns:
            continue
        for m in _ADDRESS.finditer(turn.text):
            who = (m.group("who") or m.group("voc") or "").strip()
            words = [w for w in who.split() if w.lower().rstrip(".") not in kb.honorifics and w.lower() != "the"]
            while len(words) > 1 and kb.find_office(words[0]) is not None:
                words = words[1:]
            if not words or fold(words[-1]) in known_words:
                continue
            official = kb.find_official(" ".join(words), date)
            if official is None or official.id in known_ids:
                continue
            q = person(f"name:{_surname(official.name)}")
            q.present = False
            q.official = official
            q.set("name", official.name, f"knowledge {official.id}")
            q.set("title", official.office, f"knowledge {official.id}")
            q.set("country", official.country, f"knowledge {official.id}")
            q.set("role", "principal", "addressed by a question")
            q.evidence["present"] = "questions"
            known_ids.add(official.id)
            known_words.update(fold(official.name).split())


def _merge_same_official(persons: dict[str, Person], order: list[str]) -> None:
    """Two persons the knowledge base resolves to one official are one speaker."""
    seen: dict[str, Person] = {}
    for key in list(order):
        p = persons.get(key)
        if p is None or p.official is None:
            continue
        first = seen.get(p.official.id)
        if first is None:
            seen[p.official.id] = p
            continue
        keep, drop = (first, p) if first.present or not p.present else (p, first)
        keep.labels += [lb for lb in drop.labels if lb not in keep.labels]
        keep.parsed += drop.parsed
        keep.turns = sorted(keep.turns + drop.turns, key=lambda t: t.start)
        keep.present = keep.present or drop.present
        for attr in ("name", "title", "country"):
            keep.set(attr, getattr(drop, attr), drop.evidence.get(attr, ""))
        seen[p.official.id] = keep
        del persons[drop.key]


def _merge_named_journalists(persons: dict[str, Person], order: list[str]) -> None:
    """Two reporter turns that name the same person are one speaker."""
    seen: dict[str, Person] = {}
    for key in list(order):
        p = persons.get(key)
        if p is None or p.role != "journalist" or not key.startswith("journalist:") or not p.name:
            continue
        k = fold(p.name)
        if k in seen:
            first = seen[k]
            first.turns.extend(p.turns)
            first.turns.sort(key=lambda t: t.start)
            for attr in ("outlet", "country"):
                if getattr(p, attr):
                    first.set(attr, getattr(p, attr), p.evidence.get(attr, ""))
            del persons[key]
        else:
            seen[k] = p


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(p: Person, used: set[str]) -> str:
    if p.key.startswith("journalist:") and not p.name:
        base = "journalist-" + p.key.split(":", 1)[1]
    elif p.name:
        base = _NOT_SLUG.sub("-", fold(p.name)).strip("-")
    else:
        base = _NOT_SLUG.sub("-", fold(p.key.split(":", 1)[-1])).strip("-")
    base = base or "speaker"
    sid, n = base, 2
    while sid in used:
        sid, n = f"{base}-{n}", n + 1
    return sid


# Words that make a reporter's turn a question without a question mark: case-blind
# r"\b(?:whether|wonder if|could you|can you|would you|tell us|I want to ask|my question|a
# question|follow up)\b". Written to open with a character class (each first letter in every
# form re.I would match it in: "i" also matches "İ" and "ı") so that the engine skips ahead to
# candidates; the look-behind stands for the \b before the word.
_QUESTIONING = re.compile(
    r"[WwCcTtIiİıMmAaFf](?<!\w.)"
    r"(?i:(?<=w)(?:hether|onder if|ould you)|(?<=c)(?:ould you|an you)|(?<=t)ell us|(?<=i) want to ask"
    r"|(?<=m)y question|(?<=a) question|(?<=f)ollow up)\b"
)


def _turn_kinds(doc: Transcript) -> None:
    roles = {s.id: s.role for s in doc.speakers}
    asked = False
    for t in doc.turns:
        role = roles.get(t.speaker, "other")
        if role == "journalist":
            questioning = "?" in t.text or _QUESTIONING.search(t.text)
            t.kind = "question" if questioning else "other"
            asked = asked or bool(questioning)
        elif role == "moderator":
            t.kind = "moderation"
        elif role == "principal":
            t.kind = "answer" if asked else "statement"
        else:
            t.kind = "other"
        if role == "moderator" and "?" not in t.text:
            asked = False
