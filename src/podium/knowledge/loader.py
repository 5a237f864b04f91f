"""Parsing of the knowledge files: the grammar, validation, and the key normalisation.

Every data file follows one grammar: one record per line, fields separated by ``|``
(written `` | ``), ``#`` starts a comment, blank lines are ignored, optional fields may be
empty (trailing optional fields may also be left out). Each table fixes its number of
fields and which of them are required; see the header of each file in ``data/``.
"""

from __future__ import annotations

import datetime as _dt
import functools
import importlib.util
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ISSUES",
    "ORG_CODES",
    "ROLES",
    "TABLES",
    "Record",
    "country_names",
    "expand_phrase",
    "fold",
    "parse_text",
    "table_for",
]

# International organisations allowed where a country code is expected (documented in the
# headers of officials.txt and publishers.txt).
ORG_CODES = frozenset({"NATO", "UN", "EU", "WHO", "IAEA", "IMF"})

ROLES = frozenset({"principal", "moderator", "journalist", "interpreter", "other"})
OFFICE_KINDS = frozenset(
    {
        "head_of_state",
        "head_of_government",
        "foreign_minister",
        "defence_minister",
        "minister",
        "spokesperson",
        "diplomat",
        "military",
        "legislator",
        "official",
        "honorific",
        "generic",
    }
)
OUTLET_KINDS = frozenset({"wire", "agency", "broadcaster", "newspaper", "magazine", "online"})
PLACE_KINDS = frozenset(
    {"country", "demonym", "capital", "city", "region-of-country", "metonym", "government"}
)
PUBLISHER_KINDS = frozenset({"government", "ministry", "news", "aggregator", "archive"})
REGION_KINDS = frozenset({"continent", "region", "sea", "people"})
ORG_KINDS = frozenset(
    {"international", "regional", "alliance", "agency", "court", "forum", "state_body",
     "armed_group", "party", "ngo", "company"}
)  # fmt: skip
# The contract's ISSUE vocabulary (contract.md).
ISSUES = (
    "arms_control", "nonproliferation", "terrorism", "sanctions", "elections",
    "democracy_governance", "human_rights", "detained_nationals", "humanitarian",
    "territorial_integrity", "military_force", "maritime_security", "trade_economy", "energy",
    "cyber", "climate_environment", "health", "migration", "summitry", "bilateral_relations",
)  # fmt: skip
# Issue-lexicon values besides ISSUES: "none" blocks the shorter terms inside a phrase
# ("nuclear family"); "previous" marks a phrase that points back ("this issue").
ISSUE_MARKS = ("none", "previous")

_ID = re.compile(r"^[a-z0-9_]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_TRANSLATE = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
    }
)
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_NON_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """The lookup key of a name: accent-free, lower case, punctuation-free, space-separated.

    ``"Michael R. Pompeo"`` → ``"michael r pompeo"``; ``"FERNÁNDEZ"`` → ``"fernandez"``;
    ``"O'Brien"`` → ``"obrien"``; ``"Jean-Pierre"`` → ``"jean pierre"``. Runs of single
    letters are joined, so initials written with or without periods agree:
    ``"U.S."`` = ``"US"`` → ``"us"``, ``"H. R. McMaster"`` = ``"HR McMaster"``.
    """
    if text.isascii():
        s = text.lower().replace("`", "'")
    else:
        s = unicodedata.normalize("NFKD", text.translate(_TRANSLATE))
        if not s.isascii():
            s = "".join(ch for ch in s if not unicodedata.combining(ch))
        s = s.casefold()
    s = _APOSTROPHE.sub("", s)
    tokens = _NON_WORD.sub(" ", s).split()
    if len(tokens) < 2:
        return " ".join(tokens)
    out: list[str] = []
    run: list[str] = []
    for tok in tokens:
        if len(tok) == 1 and tok.isalpha():
            run.append(tok)
            continue
        if run:
            out.append("".join(run) if len(run) > 1 else run[0])
            run = []
        out.append(tok)
    if run:
        out.append("".join(run) if len(run) > 1 else run[0])
    return " ".join(out)


# --------------------------------------------------------------------------------------------
# Country codes (pycountry's ISO 3166-1 table, read without importing pycountry when possible)
# --------------------------------------------------------------------------------------------


def _iso3166_records() -> list[dict[str, str]]:
    """pycountry's ISO 3166-1 records.

    ``import pycountry`` costs ~0.1 s (it imports importlib.metadata for its version), so the
    JSON file it ships is read directly; if its layout ever changes, pycountry is imported.
    """
    spec = importlib.util.find_spec("pycountry")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "databases" / "iso3166-1.json"
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))["3166-1"]
    import pycountry  # pragma: no cover - fallback

    return [  # pragma: no cover
        {
            k: getattr(c, k)
            for k in ("alpha_3", "name", "official_name", "common_name")
            if hasattr(c, k)
        }
        for c in pycountry.countries
    ]


@dataclass(frozen=True)
class Countries:
    codes: frozenset[str]
    names: dict[str, str]


def country_names() -> Countries:
    """ISO3 codes and a dict from folded name / official name / common name to ISO3."""
    codes: set[str] = set()
    names: dict[str, str] = {}
    for rec in _iso3166_records():
        code = rec["alpha_3"]
        codes.add(code)
        for field in ("name", "official_name", "common_name"):
            if rec.get(field):
                key = fold(rec[field])
                if key.startswith("the "):
                    key = key[4:]
                names.setdefault(key, code)
    return Countries(frozenset(codes), names)


# --------------------------------------------------------------------------------------------
# The grammar
# --------------------------------------------------------------------------------------------

Validator = Callable[[str], str | None]  # returns an error message or None


def _one_of(allowed: frozenset[str], what: str) -> Validator:
    return lambda v: (
        None if v in allowed else f"{what} {v!r} is not one of {', '.join(sorted(allowed))}"
    )


def _date(v: str) -> str | None:
    if not _DATE.match(v):
        return f"date {v!r} is not YYYY-MM-DD"
    try:
        _dt.date.fromisoformat(v)
    except ValueError:
        return f"date {v!r} does not exist"
    return None


def _ident(v: str) -> str | None:
    return None if _ID.match(v) else f"id {v!r} must be lower-case letters, digits and _"


def _year(v: str) -> str | None:
    return None if re.fullmatch(r"\d{4}", v) else f"year {v!r} is not four digits"


_ISSUE_VALUES = frozenset(ISSUES)
_LEXICON_VALUES = frozenset(ISSUES + ISSUE_MARKS)


def _issue(v: str) -> str | None:
    return None if v in _ISSUE_VALUES else f"issue {v!r} is not one of {', '.join(ISSUES)}"


def _lexicon_issue(v: str) -> str | None:
    if v in _LEXICON_VALUES:
        return None
    return f"issue {v!r} is not one of {', '.join(ISSUES + ISSUE_MARKS)}"


_BRACES = re.compile(r"\{([^{}]*)\}")


def expand_phrase(phrase: str) -> list[str]:
    """Every form a lexicon phrase stands for: ``{a,b}`` gives alternatives (an empty one
    makes the group optional), a final ``*`` is kept (it lets the last word run on).

    ``"sanction{,s,ed}"`` → ``sanction``, ``sanctions``, ``sanctioned``.
    """
    m = _BRACES.search(phrase)
    if m is None:
        return [" ".join(phrase.split())]
    out: list[str] = []
    for alt in m.group(1).split(","):
        out += expand_phrase(phrase[: m.start()] + alt.strip() + phrase[m.end() :])
    return list(dict.fromkeys(out))


def _phrase(v: str) -> str | None:
    if "{" not in v and "}" not in v and "*" not in v[:-1]:  # most lines: a plain phrase
        return None if len(v.rstrip("*")) >= 2 else f"phrase {v!r} is shorter than two letters"
    rest = _BRACES.sub("", v)
    if "{" in rest or "}" in rest:
        return f"phrase {v!r} has an unbalanced or nested brace"
    if "*" in v[:-1]:
        return f"phrase {v!r} has '*' before its end (only the last word may run on)"
    forms = expand_phrase(v)
    if any(not f.rstrip("*").strip() for f in forms):
        return f"phrase {v!r} expands to an empty form"
    if any(len(f.rstrip("*")) < 2 for f in forms):
        return f"phrase {v!r} has a form shorter than two letters"
    return None


@dataclass(frozen=True)
class Field:
    name: str
    required: bool = True
    check: Validator | None = None
    country: bool = False  # checked against the ISO3 codes (and ORG_CODES)


TABLES: dict[str, tuple[Field, ...]] = {
    "officials": (
        Field("id", check=_ident),
        Field("full name"),
        Field("aliases", required=False),
        Field("office"),
        Field("country", country=True),
        Field("start", check=_date),
        Field("end", required=False, check=_date),
    ),
    "offices": (
        Field("phrase"),
        Field("role", check=_one_of(ROLES, "role")),
        Field("country", required=False, country=True),
        Field("kind", check=_one_of(OFFICE_KINDS, "kind")),
    ),
    "outlets": (
        Field("name"),
        Field("aliases", required=False),
        Field("country", country=True),
        Field("kind", check=_one_of(OUTLET_KINDS, "kind")),
    ),
    "places": (
        Field("alias"),
        Field("country", country=True),
        Field("kind", check=_one_of(PLACE_KINDS, "kind")),
    ),
    "publishers": (
        Field("name"),
        Field("aliases", required=False),
        Field("country", required=False, country=True),
        Field("kind", check=_one_of(PUBLISHER_KINDS, "kind")),
    ),
    "discourse": (Field("word"),),
    "regions": (
        Field("id", check=_ident),
        Field("name"),
        Field("aliases", required=False),
        Field("kind", check=_one_of(REGION_KINDS, "kind")),
    ),
    "orgs": (
        Field("id", check=_ident),
        Field("name"),
        Field("aliases", required=False),
        Field("kind", check=_one_of(ORG_KINDS, "kind")),
        Field("country", required=False, country=True),
        Field("issue", required=False, check=_issue),
    ),
    "treaties": (
        Field("id", check=_ident),
        Field("name"),
        Field("aliases", required=False),
        Field("issue", check=_issue),
        Field("year", required=False, check=_year),
    ),
    "issues": (
        Field("phrase", check=_phrase),
        Field("issue", check=_lexicon_issue),
    ),
}


@dataclass(frozen=True)
class Record:
    source: str
    line: int
    fields: tuple[str, ...]


def table_for(path: str | Path) -> str:
    """The table a file extends, from its name: ``my_officials.txt`` → ``officials``."""
    name = Path(path).name.lower()
    for table in TABLES:
        if name.endswith(f"{table}.txt"):
            return table
    raise ValueError(
        f"{path}: cannot tell which table this file extends; its name must end in one of "
        + ", ".join(f"{t}.txt" for t in TABLES)
    )


def parse_text(text: str, source: str, table: str, codes: frozenset[str]) -> list[Record]:
    """Parse one file's text; a malformed line raises ``ValueError("source:line: why")``.

    ``codes`` are the valid ISO3 codes (``country_names().codes``).
    """
    spec = TABLES[table]
    records: list[Record] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = [f.strip() for f in line.split("|")]
        if len(spec) == 1 and len(fields) == 1 and " " in fields[0]:
            raise ValueError(f"{source}:{lineno}: one word per line, got {fields[0]!r}")
        if len(fields) > len(spec):
            raise ValueError(
                f"{source}:{lineno}: {len(fields)} fields, expected {len(spec)} "
                f"({' | '.join(f.name for f in spec)})"
            )
        if len(fields) < len(spec):
            missing = spec[len(fields) :]
            if any(f.required for f in missing):
                raise ValueError(
                    f"{source}:{lineno}: {len(fields)} fields, expected {len(spec)} "
                    f"({' | '.join(f.name for f in spec)})"
                )
            fields += [""] * len(missing)
        for f, value in zip(spec, fields, strict=True):
            if not value:
                if f.required:
                    raise ValueError(f"{source}:{lineno}: the {f.name} field is empty")
                continue
            if f.check is not None and (problem := f.check(value)):
                raise ValueError(f"{source}:{lineno}: {problem}")
            if f.country and value not in codes and value not in ORG_CODES:
                raise ValueError(
                    f"{source}:{lineno}: {value!r} is not an ISO 3166-1 alpha-3 code "
                    f"nor one of {', '.join(sorted(ORG_CODES))}"
                )
        if table == "officials" and fields[6] and fields[6] < fields[5]:
            raise ValueError(f"{source}:{lineno}: end {fields[6]} is before start {fields[5]}")
        records.append(Record(source, lineno, tuple(fields)))
    return records
