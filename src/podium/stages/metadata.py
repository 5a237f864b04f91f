"""Metadata lines: titles, datelines, publisher lines, times, venues and end marks.

These recognisers look at one line at a time and say what kind of metadata it
is, if any; ``segment`` decides where they may occur (the header before the
first label, and the tail after the last turn).
"""

from __future__ import annotations

import re
from datetime import date

from ..knowledge import Knowledge

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE_PATTERNS = [
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})", re.I),
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d{2})", re.I),
    re.compile(r"(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})"),
    re.compile(r"(?P<mnum>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)\d{2})"),
    re.compile(r"(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>(?:19|20)\d{2})"),
]
_TIME = re.compile(
    r"(?P<time>\d{1,2}(?::\d{2})?\s*(?:[AaPp]\.?\s?[Mm]\.?)(?:\s+(?:[A-Z]{2,5}|local(?: time)?))?)"
)
_TIME_LINE = re.compile(r"^\(?\s*" + _TIME.pattern + r"\s*\)?\.?$")
_END_LINE = re.compile(
    r"^(?:\*\s*){3}$|^(?:#\s*){2,3}$|^-{3,}$|^(?:END|End|\[END\]|\(END\))(?:\s*(?:OF\s+)?(?:TRANSCRIPT|BRIEFING|CALL))?[\s.:]*"
    r"(?:" + _TIME.pattern + r")?\s*\.?$"
)
_VENUE_WORDS = re.compile(
    r"\b(?:Room|Teleconference|Conference Call|Telephonic|Via Telephone|Aboard|En Route|Garden|"
    r"Hall|Hotel|Palace|Cent(?:er|re)|Building|Airport|Ministry|Base|Residence|Embassy|Lawn|"
    r"Library|Auditorium|Office Building|Theater|Theatre|Airfield|Air Force One|Marine One|Videoconference|"
    r"Video Conference|Zoom|Virtual)\b"
)
_SENTENCE_END = re.compile(r"[.?!]['\"’”)]?$")
_HEADING_STOP = frozenset(
    "for immediate release|office of the press secretary|the white house|transcript|"
    "as prepared for delivery|embargoed|check against delivery".split("|")
)
_HEADING_STOP_WORDS = tuple(h + " " for h in _HEADING_STOP)  # a stock heading with more after it
_EVENT_TYPES = [
    (re.compile(r"joint press (?:availability|conference|statements?)", re.I), "joint_press_availability"),
    (re.compile(r"background (?:press )?(?:call|briefing)", re.I), "background_briefing"),
    (re.compile(r"press (?:call|teleconference)|conference call|teleconference", re.I), "press_call"),
    (re.compile(r"gaggle", re.I), "press_gaggle"),
    (re.compile(r"(?:press|news) conference", re.I), "press_conference"),
    (re.compile(r"(?:press )?briefing", re.I), "press_briefing"),
    (re.compile(r"press availability|media availability|stakeout|doorstep", re.I), "press_availability"),
    (re.compile(r"interview", re.I), "interview"),
    (re.compile(r"remarks|statements?|speech|address", re.I), "remarks"),
]


def parse_date(s: str) -> str | None:
    """The first date in ``s`` as YYYY-MM-DD (month-first for ``10/11/2022``), or None."""
    if "19" not in s and "20" not in s:
        return None  # every pattern ends in a year of this century or the last
    for pat in _DATE_PATTERNS:
        m = pat.search(s)
        if not m:
            continue
        gd = m.groupdict()
        month = MONTHS[gd["month"].lower().rstrip(".")] if gd.get("month") else int(gd["mnum"])
        try:
            return date(int(gd["year"]), month, int(gd["day"])).isoformat()
        except ValueError:
            continue
    return None


_DATE_WORDS = re.compile(
    r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\b(?:released|dated|on|as of|updated|published)\b", re.I
)
_NOT_ALPHANUMERIC = re.compile(r"[\W_]")


def is_date_line(line: str) -> bool:
    """A line that is a date and little else ("May 14, 2019", "(August 9, 2022)", "Tuesday, 14 May 2017")."""
    if parse_date(line) is None:
        return False
    rest = line
    for pat in _DATE_PATTERNS:
        rest = pat.sub("", rest)
    rest = _DATE_WORDS.sub("", rest)
    rest = _TIME.sub("", rest)
    return len(_NOT_ALPHANUMERIC.sub("", rest)) <= 12


def time_of(line: str) -> str | None:
    m = _TIME_LINE.match(line.strip())
    return m.group("time") if m else None


def time_in(line: str) -> str | None:
    """The first clock time anywhere in ``line`` ("END 3:30 p.m. EDT" → "3:30 p.m. EDT")."""
    m = _TIME.search(line)
    return m.group("time") if m else None


_RELEASE_NUMBER = re.compile(r"^#\s?\d+-[\d/]+$")  # "#29-03/17/2009", the release's serial


def is_end_line(line: str) -> bool:
    s = line.strip()
    return bool(_END_LINE.match(s) or _END_SEQUENCE.match(s) or _RELEASE_NUMBER.match(s))


def is_venue_line(line: str) -> bool:
    s = line.strip()
    if not s or len(s.split()) > 12 or _SENTENCE_END.search(s) and not s.endswith("."):
        return False
    if s.lower().startswith(("via ", "aboard ", "en route", "onboard ")):
        return True
    return bool(_VENUE_WORDS.search(s)) and not s.endswith(".") and s[:1].isupper()


_SEPARATOR = re.compile(r"^[_\-=*~#.·•\s]{3,}$")
_EDITORIAL = re.compile(
    r"^\**\s*(?:\[|\()?(?:please see below|see below|this transcript|transcript (?:has been|was)|"
    r"editor'?s note|note to editors|correction|corrected|updated?|addendum|as prepared|check against)"
    r"|^\*+\s*\S|^note\s*:",
    re.I,
)
_DATELINE = re.compile(r"^(?P<place>[A-Z][\w.'’ -]{1,40}),\s+(?P<region>[A-Z][\w.'’ -]{1,30})\.?$")


# "… Have a good day. END 12:59 P.M. EST" — the end mark after the last sentence on its line.
_END_TOKEN = (
    r"(?:END|FIN|#\s*#\s*#|##|#\d+-[\d/]+|"
    r"\d{1,2}(?::\d{2})?\s*[AaPp]\.?\s?[Mm]\.?(?:\s*[A-Z]{2,5}\b|\s+(?:[A-Z][a-z]+\s){1,3}Time)?)"
)
_END_SEQUENCE = re.compile(r"^(?:END|FIN)\b(?:\s+(?:" + _END_TOKEN + r"|\d{1,2}:\d{2}))*\s*\W?$")
RUN_IN_END = re.compile(r"(?<=[.?!”\")])\s+(" + _END_TOKEN + r"(?:\s+" + _END_TOKEN + r")*)\s*$")
# The same match, opening with the sentence end itself rather than a lookbehind, which the regex
# engine would try at every position of a line: searched from one character earlier, it finds
# the same end mark (group "mark") after the same blanks (group "gap").
RUN_IN_END_AFTER_STOP = re.compile(
    r"[.?!”\")](?P<gap>\s+)(?P<mark>" + _END_TOKEN + r"(?:\s+" + _END_TOKEN + r")*)\s*$"
)
# The characters an end mark can end with (see _END_TOKEN): END, FIN, ###, #29-03/17/2009, 12:59 PM,
# 12:59 P.M. EST, 3:30 p.m. Eastern Time; also a digit, and a full stop after "M" or "m".
_END_MARK_LAST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ#/me")


def may_end_an_end_mark(text: str, end: int) -> bool:
    """Whether the character before ``end`` can be the last of an end mark: a cheap test that
    rules out most paragraphs (which end in "?", a quotation mark or most words before a full
    stop) before ``RUN_IN_END_AFTER_STOP`` is searched for."""
    last = text[end - 1 : end]
    if last in _END_MARK_LAST or last.isdecimal():
        return True
    return last == "." and text[end - 2 : end - 1] in ("M", "m")


_CLOSING_NOTE = re.compile(
    r"^(?:to view|view|click|for more|for the full|read the|watch the|download|the slides|slides)\b.*"
    r"(?:https?://|www\.|\bhere\b)",
    re.I,
)


def is_closing_note(line: str) -> bool:
    """The publisher's pointer at the end of a transcript ("To view the slides, visit https://...")."""
    return bool(_CLOSING_NOTE.match(line.strip()))


def is_separator(line: str) -> bool:
    return bool(_SEPARATOR.match(line.strip()))


def is_editorial(line: str) -> bool:
    """Publisher's remarks about the transcript itself ("**Please see below for a correction...")."""
    return bool(_EDITORIAL.match(line.strip()))


def parse_dateline(line: str, kb: Knowledge) -> tuple[str, str] | None:
    """``Hanoi, Vietnam`` / ``Dover, Delaware`` → (place, ISO3)."""
    m = _DATELINE.match(line.strip().strip("()[]"))
    if not m:
        return None
    code = kb.country_code(m.group("region")) or kb.country_code(m.group("place"))
    return (line.strip().strip("()[]"), code) if code else None


def is_short_heading(line: str) -> bool:
    """A short capitalised line with no sentence end: "National Security Council", "Crowne Plaza"."""
    s = line.strip()
    words = s.split()
    if not words or len(words) > 10 or _SENTENCE_END.search(s):
        return False
    caps = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return caps / len(words) >= 0.5


def is_stock_heading(line: str) -> bool:
    """Boilerplate header lines: "For Immediate Release", "Office of the Press Secretary"."""
    s = line.strip().lower().rstrip(".")
    return s in _HEADING_STOP or s.startswith(_HEADING_STOP_WORDS)


def is_heading_line(line: str) -> bool:
    """A short header line that is not speech: all-caps headings, "For Immediate Release"..."""
    s = line.strip()
    if s.lower().rstrip(".") in _HEADING_STOP:
        return True
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and len(s.split()) <= 80 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def looks_like_title(line: str) -> bool:
    """A first line that reads as a headline: short, no sentence end, mostly capitalised words."""
    s = line.strip()
    words = s.split()
    if not words or len(words) > 30:
        return False
    if _SENTENCE_END.search(s) and not s.endswith((".)", "”", '"')) and len(words) > 3:
        # Headlines rarely end in a full stop; "Remarks by the President." would.
        return False
    caps = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return caps / len(words) >= 0.5


_SOURCE_PARTS = re.compile(r"\s+[|•·]\s+|\s+[–—-]{1,2}\s+")
_PLACE_AND_COUNTRY = re.compile(r"^(?P<place>[^()]+?)\s*\((?P<country>[^()]+)\)$")


def parse_source_line(line: str, kb: Knowledge) -> dict[str, str] | None:
    """``VOLTAIRE NETWORK | SOCHI (RUSSIAN FEDERATION)`` → publisher, place, country."""
    s = line.strip()
    parts = [p.strip() for p in _SOURCE_PARTS.split(s) if p.strip()]
    found: dict[str, str] = {}
    for part in parts:
        pub = kb.find_publisher(part)
        if pub is not None and "publisher" not in found:
            found["publisher"] = pub.name
            if pub.country:
                found["publisher_country"] = pub.country
            continue
        m = _PLACE_AND_COUNTRY.match(part)
        if m:
            country = kb.country_code(m.group("country"))
            if country:
                found["place"] = _titlecase(m.group("place"))
                found["country"] = country
                continue
        code = kb.country_code(part)
        if code and len(part.split()) <= 4:
            found["place"] = _titlecase(part)
            found["country"] = code
    if len(parts) >= 2 and "publisher" not in found and "place" in found:
        # An unknown publisher beside a known place: "SOME OUTLET | MOSCOW".
        others = [p for p in parts if _titlecase(p) != found["place"] and "(" not in p]
        if others:
            found["publisher"] = _titlecase(others[0])
    if "publisher" in found or ("place" in found and len(parts) >= 2):
        return found
    return None


def _titlecase(s: str) -> str:
    if s.isupper():
        return " ".join(w.capitalize() for w in s.split())
    return s


def event_type(title: str | None) -> str | None:
    if not title:
        return None
    for pat, name in _EVENT_TYPES:
        if pat.search(title):
            return name
    return None
