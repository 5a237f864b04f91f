"""The speaker-label grammar.

A label opens a line and names who speaks. The forms published transcripts use::

    label      := q_form | named ":" | named NEWLINE-ONLY ":"
    q_form     := ("Q" | "A") ( ".:" | "." | ":" )?        -- "Q" bare needs a space after it;
                                                            -- "A" needs its "." or ":"
    named      := caps_label | title_label
    caps_label := CAPS_TOKEN+ role?                         -- SECRETARY POMPEO, MS. PSAKI, MR PRICE,
                                                            -- SECRETARY LaHOOD, MR. McDONOUGH
    title_label:= Title_Token (connector | Title_Token)* role?   -- Sergey Lavrov,
                                                            -- President of Russia Vladimir Putin
    role       := "[" text "]" | "(" text ")"               -- JENS STOLTENBERG [NATO Secretary General]
    after      := timestamp?  text                          -- Ned Price: (00:01) ...

Title-case labels are ambiguous with list headings ("Key points:"), so one is
accepted only with evidence: it is a generic role word (Question, Moderator),
carries an office or honorific (President, Minister, Mr.), is a person or
outlet the knowledge base knows, is followed by a timestamp, or recurs as a
label in the same document. Never labels: digits (times such as ``2:39 p.m.``,
``END 2:30``), sentences (a lowercase word that is not a connector), and the
headings listed in ``NOT_LABELS``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..knowledge import Knowledge

# First words that make a "label" a heading or an editorial line instead.
NOT_LABELS = frozenset(
    """
    note notes nb ps p.s editor editor's editors source sources update updated correction
    clarification subject re date time location venue where when what why how who which see
    example examples headline tags topics topic photo video audio related transcript end
    disclaimer attachment attachments background read watch listen follow share also
    first second third fourth fifth finally then today tomorrow yesterday tonight
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    the this that these those our my your his her their its here there it we i you they he she
    and but or so if because as for to in on at by with from of about after before
    agenda summary schedule schedules key highlights bottom line
    step phase part chapter section item items one two three four five six seven eight nine ten
    http https www email e-mail tel phone fax web website url
    q&a
    """.split()
)
# Lower-case words allowed inside a name or office ("President of Russia", "Ursula von der Leyen").
CONNECTORS = frozenset(
    "of the de da di del della der den van von bin bint al el la le du dos das y and for on to".split()
)
_CAPS_TOKEN = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ0-9'’.\-]+|(?:Mc|Mac|La|Le|De|Di|Da|Du|Van|Von|O'|O’|St\.?)[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-]*)$"
)
_TITLE_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w'’.\-]*|[A-Z]\.)$")
_GENERIC_NUMBERED = re.compile(
    r"^(?:speaker|participant|reporter|questioner|voice|unidentified speaker|audience member|q)\s*\d{1,3}$",
    re.IGNORECASE,
)
# "Q", "Q:", "Q.", "Q.:" and "A.", "A:", "A.:" at the start of a line, and the blanks after it
# (a "Q" directly followed by anything else, as in "Q&A", is no label).
_Q_FORM = re.compile(r"(?P<label>(?:Q|A)(?:\.:|\.|:)|Q)(?=[ \t]|$)[ \t]*")
_TIMESTAMP = (
    r"[ \t]*(?P<ts>\(\d{1,2}:\d{2}(?::\d{2})?\)|\[\d{1,2}:\d{2}(?::\d{2})?\]|\d{1,2}:\d{2}:\d{2})(?=\s|$)"
)
# The text before a line's first colon (possessive: a shorter label cannot reach another colon, and
# a paragraph without one fails at once instead of being retried at every length); then, from
# the colon's end, an optional timestamp and the blanks before the speech.
_COLON_LABEL = re.compile(r"(?P<label>[^\n:]{1,90}+)[ \t]*:(?!//)(?P<after>(?:" + _TIMESTAMP + r")?[ \t]*)")
_ROLE_SUFFIX = re.compile(r"\s*(?P<role>\[[^\]\n]{1,80}\]|\([^)\n]{1,80}\))\s*$")
# Editorial lines that look like caps labels ("NOTE:", "EDITOR'S NOTE:", "END").
EDITORIAL = frozenset(
    """
    note notes nb ps p.s editor editor's editors source sources update updated correction
    correction corrected clarification end subject re date time location venue disclaimer attachment
    attachments tags photo video audio transcript agenda summary schedule http https www
    q&a who what when where why how today tonight tomorrow yesterday open closed pool
    background contact contacts media
    """.split()
)
_BAD_CHARS = re.compile(r"[?!;\"“”=<>{}|@#%*/\\]")
_HAS_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class LabelMatch:
    """A label found at the start of a line (offsets relative to the line)."""

    label: str  # as written, without the colon (e.g. "SECRETARY POMPEO", "Q")
    label_end: int  # end of the label including its colon/period
    content_start: int  # where the speech starts (after spaces and any timestamp)
    shape: str  # "q", "caps", "title"
    role_text: str | None = None  # a bracketed role, e.g. "NATO Secretary General"
    timestamp: tuple[int, int] | None = None  # span of a "(00:01)" timestamp
    needs_evidence: bool = False  # title-case labels wait for the document-level check


def _strip_role(label: str) -> tuple[str, str | None]:
    m = _ROLE_SUFFIX.search(label)
    if m and m.start() > 0:
        return label[: m.start()].rstrip(), m.group("role")[1:-1].strip()
    return label, None


def _shape(core: str) -> str | None:
    tokens = core.split()
    if not tokens or len(tokens) > 10:
        return None
    if all(_CAPS_TOKEN.match(t) or t in CONNECTORS for t in tokens):
        if any(sum(c.isupper() for c in t) >= 2 or (len(t) == 1 and t.isupper()) for t in tokens):
            return "caps"
    if _TITLE_TOKEN.match(tokens[0]) and all(
        _TITLE_TOKEN.match(t) or t in CONNECTORS for t in tokens
    ):
        return "title"
    return None


def match_label(line: str, kb: Knowledge) -> LabelMatch | None:
    """Parse a speaker label at the start of ``line`` (which has no newline), or None."""
    # offsets into the line, not a stripped copy: a line is often a whole paragraph
    lead = 0
    if line[:1].isspace():
        n = len(line)
        while lead < n and line[lead].isspace():
            lead += 1
        if lead == n:
            return None
    elif not line:
        return None
    if line[lead] in "QA":
        m = _Q_FORM.match(line, lead)
        if m:
            # "Q Good afternoon." / "Q" alone / "A. Yes" — but not "A lot" or "Q&A".
            return LabelMatch(m.group("label").rstrip(".:"), m.end("label"), m.end(), "q")
    elif line.find(":", lead, lead + 96) == -1:
        return None  # most lines: no colon where a label could end, no Q/A form
    m = _COLON_LABEL.match(line, lead)
    if not m:
        return None
    raw = m.group("label").strip()
    found = _classify(raw, kb)
    if found is None:
        return None
    shape, role, evidence = found
    ts_start, ts_end = m.span("ts")
    timestamp = (ts_start, ts_end) if ts_start != -1 else None
    lm = LabelMatch(raw, m.start("after"), m.end(), shape, role, timestamp)
    if shape == "title":
        lm.needs_evidence = not (evidence or timestamp is not None)
    return lm


@lru_cache(maxsize=8192)
def _classify(raw: str, kb: Knowledge) -> tuple[str, str | None, bool] | None:
    """(shape, bracketed role, evidence) for the text before a colon, or None when it is no label.

    Cached: a briefing repeats its few labels hundreds of times. ``evidence`` says
    whether a title-case label is backed by more than its shape (a role, an office,
    a known person or outlet); a timestamp after it, checked per line, also counts.
    """
    core, role = _strip_role(raw)
    words = core.split()
    if not words:
        return None
    first = words[0].lower().rstrip(".,")
    if first in EDITORIAL or core.lower() in EDITORIAL:
        return None
    if _BAD_CHARS.search(core) or core.endswith((",", "-", "–", "—")):
        return None
    generic_numbered = bool(_GENERIC_NUMBERED.match(core))
    if _HAS_DIGIT.search(core) and not generic_numbered and not _is_outlet(core, kb):
        return None
    shape = "caps" if generic_numbered and core.isupper() else _shape(core)
    if generic_numbered and shape is None:
        shape = "title"
    if shape is None:
        return None
    if shape == "title" and first in NOT_LABELS:
        # "The President:" is a label, "The plan:" is not.
        if not (first == "the" and len(words) > 1 and kb.find_office(" ".join(words[1:3]))):
            return None
    if shape == "caps" and len(words) == 1 and len(core) < 2:
        return None
    evidence = shape != "title" or bool(role) or _title_has_evidence(core, kb)
    return shape, role, evidence


def _is_outlet(core: str, kb: Knowledge) -> bool:
    return kb.find_outlet(core) is not None


def _title_has_evidence(core: str, kb: Knowledge) -> bool:
    if kb.generic_label(core) is not None or _GENERIC_NUMBERED.match(core):
        return True
    words = core.split()
    for i in range(len(words)):
        # An office or honorific anywhere in the label: "President of Russia Vladimir Putin".
        for j in range(min(len(words), i + 4), i, -1):
            if kb.find_office(" ".join(words[i:j])) is not None:
                return True
    if kb.find_officials(core) and len(words) >= 2:
        return True
    return _is_outlet(core, kb)
