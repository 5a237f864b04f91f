"""Display names for the contract's codes: countries, issues, roles, clarity, PLOVER types."""

from __future__ import annotations

from functools import lru_cache

ROLE_ORDER = ("principal", "moderator", "journalist", "interpreter", "other")

CLARITY_LABELS = {
    "clear_reply": "clear reply",
    "ambivalent": "ambivalent",
    "clear_non_reply": "clear non-reply",
}

EVASION_LABELS = {
    "explicit": "explicit",
    "implicit": "implicit",
    "dodging": "dodging",
    "deflection": "deflection",
    "partial": "partial",
    "general": "general",
    "contradictory": "contradictory",
    "declining_to_answer": "declining to answer",
    "claims_ignorance": "claims ignorance",
    "clarification": "asks for clarification",
}

# PLOVER types in order from cooperation to conflict, with their quad class (for colours).
PLOVER = (
    ("AGREE", "verbal-coop"),
    ("CONSULT", "verbal-coop"),
    ("SUPPORT", "verbal-coop"),
    ("CONCEDE", "verbal-coop"),
    ("COOPERATE", "material-coop"),
    ("AID", "material-coop"),
    ("RETREAT", "material-coop"),
    ("REQUEST", "verbal-conflict"),
    ("ACCUSE", "verbal-conflict"),
    ("REJECT", "verbal-conflict"),
    ("THREATEN", "verbal-conflict"),
    ("PROTEST", "verbal-conflict"),
    ("SANCTION", "material-conflict"),
    ("MOBILIZE", "material-conflict"),
    ("COERCE", "material-conflict"),
    ("ASSAULT", "material-conflict"),
)
PLOVER_ORDER = {t: i for i, (t, _) in enumerate(PLOVER)}
PLOVER_CLASS = dict(PLOVER)
QUAD_COLOURS = {
    "verbal-coop": "#2e7d5b",
    "material-coop": "#1f5f99",
    "verbal-conflict": "#c07a12",
    "material-conflict": "#b3261e",
    "other": "#666666",
}
STANCE_COLOURS = {"agree": "#2e7d5b", "disagree": "#b3261e", "mixed": "#c07a12"}

NOTE_LABELS = {
    "sic": "sic: the transcript flags this as written",
    "interpretation": "interpretation",
    "inaudible": "inaudible",
    "crosstalk": "crosstalk",
    "reaction": "reaction",
    "gap": "passage omitted",
    "other": "note",
}


def issue_label(code: str | None) -> str:
    return (code or "").replace("_", " ")


@lru_cache(maxsize=2048)
def country_name(code: str | None) -> str:
    """``RUS`` → ``Russian Federation``; unknown codes are returned as they are."""
    if not code:
        return ""
    try:
        import pycountry

        c = pycountry.countries.get(alpha_3=code.upper())
    except (ImportError, KeyError, LookupError):
        c = None
    if c is None:
        return code
    return getattr(c, "common_name", None) or c.name


def focus_label(code: str | None) -> str:
    """A relation's focus is a country (ISO3) or an issue."""
    if code and len(code) == 3 and code.isupper():
        return country_name(code)
    return issue_label(code)


def plover_class(event_type: str | None) -> str:
    return PLOVER_CLASS.get(event_type or "", "other")
