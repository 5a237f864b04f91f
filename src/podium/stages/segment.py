"""Stage ``segment``: the text → metadata spans and labelled turns.

Reads ``text`` (and the caller's hints); writes ``turns`` (plus ``meta`` and
``meta_spans``, the header it had to read to find where speech starts). Each
turn's ``speaker`` is left empty here; the ``speakers`` stage resolves labels
to people.
"""

from __future__ import annotations

import re
from collections import Counter

from ..knowledge import fold
from ..model import Meta, MetaSpan, Transcript, Turn
from ..pipeline import Context, stage
from . import metadata as md
from .labels import LabelMatch, match_label
from .notes import classify as classify_note

# A last turn that ends in none of these stops mid-sentence.
_CLOSERS = frozenset(".?!\"”’')]…*")
# How many non-empty lines at the top may be metadata before speech must begin.
HEADER_LINES = 40


# First characters of a line that may open a label without a colon near it ("Q Why?").
_MAY_OPEN_LABEL = frozenset("QA \t")
# A time run into the label that follows it, when a converter joined two lines:
# "10:00 A.M. EST MR. CARNEY: Welcome aboard".
# It opens with the time's colon, a literal the regex engine can scan for quickly.
_TIME_THEN_LABEL = re.compile(
    r":\d{2}\s*[AaPp]\.?\s?[Mm]\.?(?:\s+[A-Z]{2,4})?\s+(?=(?:Q\s|[A-Z][A-Z.' -]{1,60}:))"
)


def _lines(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        spans.append((pos, end))
        pos = end + 1
    return spans


# In a transcript flattened to one long line, a caps label or "Q" after a sentence end.
_FLAT_LABEL = re.compile(r"(?<=[.?!\"”’)\]—-])[ \t]+(?=(?:Q[ \t]|[A-Z][A-Z.'’ -]{1,50}:[ \t]))")
_END_REACH = 200  # characters from a line's end within which a run-in end mark is looked for
FLAT_LINE = 3000  # a line this long is a page of text run together, not a paragraph


def _line_from(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[pos : len(text) if end == -1 else end]


def _split_run_in_labels(text: str, spans: list[tuple[int, int]], kb) -> list[tuple[int, int]]:
    """Cut lines where a speaker label runs on inside them, so each label opens a line.

    Two cases from converted pages: a time run into the label ("10:00 A.M. EST
    MR. CARNEY: Welcome"), and a whole transcript flattened into one line. The
    candidates come from one scan of the whole text; most documents have none.
    """
    cuts = [
        m.end()
        for m in _TIME_THEN_LABEL.finditer(text)
        if m.start() and text[m.start() - 1].isdigit() and match_label(_line_from(text, m.end()), kb)
    ]
    for a, b in spans:
        if b - a > FLAT_LINE:
            for fm in _FLAT_LABEL.finditer(text, a, b):
                before = text[max(a, fm.start() - 5) : fm.start()].split()
                if before and before[-1].lower().rstrip(".") in kb.honorifics:
                    continue  # inside "MR. DONILON:", not before it
                lm = match_label(text[fm.end() : min(b, fm.end() + 120)], kb)
                if lm is not None and lm.shape in ("q", "caps"):
                    cuts.append(fm.end())
    if not cuts:
        return spans
    cuts = sorted(set(cuts))
    out = []
    k = 0
    for a, b in spans:
        start = a
        while k < len(cuts) and cuts[k] < b:
            if cuts[k] > start:
                out.append((start, cuts[k]))
                start = cuts[k]
            k += 1
        out.append((start, b))
    return out


def _accept_title_labels(matches: list[LabelMatch | None]) -> None:
    """Title-case labels without other evidence count when they recur as labels."""
    counts = Counter(fold(m.label) for m in matches if m is not None and m.needs_evidence)
    for i, m in enumerate(matches):
        if m is None or not m.needs_evidence:
            continue
        if counts[fold(m.label)] >= 2 and 1 <= len(m.label.split()) <= 5:
            m.needs_evidence = False
        else:
            matches[i] = None


@stage("segment", requires=("text",), provides="turns")
def segment(doc: Transcript, ctx: Context) -> None:
    text = doc.text
    kb = ctx.knowledge
    spans = _split_run_in_labels(text, _lines(text), kb)
    lines = [text[a:b] for a, b in spans]
    # Only lines that could open with a label are parsed: one C-level scan finds them.
    # Only lines that could open with a label are parsed: a Q/A form, or a colon within reach.
    find = text.find
    matches: list[LabelMatch | None] = [
        match_label(line, kb)
        if line[:1] in _MAY_OPEN_LABEL or find(":", a, min(b, a + 97)) != -1
        else None
        for (a, b), line in zip(spans, lines, strict=True)
    ]
    _accept_title_labels(matches)

    first_label = next((i for i, m in enumerate(matches) if m is not None), len(lines))
    meta = doc.meta if doc.meta is not None else Meta()
    doc.meta = meta
    header_end = _read_header(doc, ctx, spans, lines, first_label)

    turns: list[Turn] = []
    if header_end is not None:
        # Speech before the first label: an unlabelled opening turn.
        start, end = header_end
        turns.append(Turn(id="", speaker="", label=None, start=start, end=end, text=text[start:end]))
        doc.warn(
            "unlabelled_text",
            "text before the first speaker label is not metadata; it is kept as an unlabelled turn",
            start=start,
            end=end,
        )

    label_lines = [i for i, m in enumerate(matches) if m is not None]
    for k, i in enumerate(label_lines):
        m = matches[i]
        assert m is not None
        line_start = spans[i][0]
        stop_line = label_lines[k + 1] if k + 1 < len(label_lines) else len(lines)
        content_start = line_start + m.content_start
        if m.content_start >= len(lines[i]):
            # The label stands alone on its line: speech begins on the next non-empty line.
            j = i + 1
            while j < stop_line and not lines[j].strip():
                j += 1
            content_start = spans[j][0] if j < stop_line else spans[i][1]
            content_start += len(lines[j]) - len(lines[j].lstrip()) if j < stop_line else 0
        last = stop_line - 1
        end = None
        # Trailing end marks, times and the publisher's closing notes are metadata, not speech.
        while last > i or (last == i and end is None):
            s = lines[last].strip()
            a, b = spans[last]
            lead = len(lines[last]) - len(lines[last].lstrip())
            if last > i and not s:
                last -= 1
            elif last > i and (md.is_end_line(s) or md.time_of(s)):
                _add_meta(doc, "end" if md.is_end_line(s) else "end_time", a + lead, a + lead + len(s))
                meta.end_time = meta.end_time or md.time_of(s) or md.time_in(s)
                last -= 1
            elif last > i and md.is_closing_note(s):
                _add_meta(doc, "editorial", a + lead, a + lead + len(s))
                last -= 1
            else:
                # "Have a good day. END 12:59 P.M. EST": an end mark run into the last line.
                # an end mark is short: look only near the line's end (a regex that opens with a
                # lookbehind tries every position of a long paragraph)
                em = md.RUN_IN_END.search(text, max(a, line_start + m.content_start, b - _END_REACH), b)
                end = b
                if em:
                    _add_meta(doc, "end", em.start(1), em.end(1))
                    meta.end_time = meta.end_time or md.time_in(em.group(1))
                    end = em.start()
                break
        if end is None:
            end = spans[i][1]
        while end > content_start and text[end - 1].isspace():
            end -= 1
        end = max(content_start, end)
        turns.append(
            Turn(
                id="",
                speaker="",
                label=m.label,
                start=content_start,
                end=end,
                text=text[content_start:end],
                label_start=line_start + (len(lines[i]) - len(lines[i].lstrip())),
                label_end=line_start + m.label_end,
            )
        )
    for n, t in enumerate(turns, 1):
        t.id = f"t{n}"
    doc.turns = turns
    doc.meta_spans.sort(key=lambda s: s.start)
    if not turns:
        doc.warn("no_speech", "the document holds metadata only; no speech was found")
    elif turns[-1].text.rstrip() and turns[-1].text.rstrip()[-1] not in _CLOSERS:
        last = turns[-1]
        doc.warn(
            "truncated",
            f"the text stops mid-sentence at the end of turn {last.id}: "
            f"“…{' '.join(last.text.split()[-8:])}”",
            turn=last.id,
        )


def _add_meta(doc: Transcript, field: str, start: int, end: int) -> None:
    doc.meta_spans.append(MetaSpan(field, start, end, doc.text[start:end]))


def _read_header(
    doc: Transcript, ctx: Context, spans: list[tuple[int, int]], lines: list[str], first_label: int
) -> tuple[int, int] | None:
    """Classify the lines before the first label; return the span of speech among them, if any."""
    kb = ctx.knowledge
    meta = doc.meta
    hints = ctx.hints
    hint_title = hints.get("title")
    seen = 0
    title_lines: list[str] = []
    prose_start: int | None = None
    last_prose_end: int | None = None
    for i in range(first_label):
        line = lines[i]
        s = line.strip()
        if not s:
            continue
        a = spans[i][0] + len(line) - len(line.lstrip())
        b = a + len(s)
        seen += 1
        if prose_start is not None or seen > HEADER_LINES:
            if prose_start is None:
                prose_start = a
            # Inside speech, only a trailing end mark or time is still metadata (handled below).
            last_prose_end = b
            continue
        kind = _header_kind(s, kb, hint_title, bool(title_lines), first=seen == 1)
        if kind is None:
            prose_start, last_prose_end = a, b
            continue
        if kind == "note":
            continue  # the notes stage keeps it, in its own words
        _add_meta(doc, kind, a, b)
        if kind == "title":
            title_lines.append(s)
        elif kind == "source":
            found = md.parse_source_line(s, kb) or {}
            if not found and (pub := kb.find_publisher(s)) is not None:
                found = {"publisher": pub.name}
            meta.publisher = meta.publisher or found.get("publisher")
            meta.place = meta.place or found.get("place")
            meta.country = meta.country or found.get("country")
        elif kind == "date":
            meta.date = meta.date or md.parse_date(s)
        elif kind == "time":
            meta.time = meta.time or md.time_of(s)
        elif kind == "venue":
            meta.venue = meta.venue or s
        elif kind == "dateline":
            place, code = md.parse_dateline(s, kb) or (None, None)
            meta.place = meta.place or place
            meta.country = meta.country or code
    if title_lines:
        meta.title = meta.title or " ".join(title_lines)
    meta.title = meta.title or hint_title
    meta.date = meta.date or md.parse_date(meta.title or "") or hints.get("date")
    meta.publisher = meta.publisher or hints.get("publisher")
    meta.event_type = meta.event_type or md.event_type(meta.title)
    if meta.url is None and hints.get("url"):
        meta.url = hints["url"]
    if prose_start is None:
        return None
    # Trim metadata lines that close the unlabelled stretch (a time or end mark).
    return _trim_tail(doc, spans, lines, prose_start, last_prose_end or prose_start, first_label)


def _trim_tail(
    doc: Transcript,
    spans: list[tuple[int, int]],
    lines: list[str],
    start: int,
    end: int,
    first_label: int,
) -> tuple[int, int]:
    i = first_label - 1
    while i >= 0 and spans[i][0] >= start:
        s = lines[i].strip()
        if not s:
            i -= 1
            continue
        if md.is_end_line(s) or md.time_of(s):
            a = spans[i][0] + len(lines[i]) - len(lines[i].lstrip())
            _add_meta(doc, "end" if md.is_end_line(s) else "time", a, a + len(s))
            end = min(end, spans[i][0])
            i -= 1
            continue
        break
    while end > start and doc.text[end - 1].isspace():
        end -= 1
    return start, max(start, end)


def _is_note_line(s: str) -> bool:
    """A header line that is one bracketed note: "(A costumed Easter Bunny approaches the podium.)"."""
    if not (s.startswith("(") and s.endswith(")")) and not (s.startswith("[") and s.endswith("]")):
        return False
    inner = s[1:-1]
    if "(" in inner or ")" in inner or "[" in inner or "]" in inner:
        return False
    return classify_note(inner, s.startswith("[")) is not None


def _header_kind(s: str, kb, hint_title: str | None, have_title: bool, first: bool = False) -> str | None:
    if hint_title and fold(s) == fold(hint_title):
        return "title"
    if _is_note_line(s):
        return "note"
    if md.is_separator(s):
        return "separator"
    if md.is_editorial(s):
        return "editorial"
    if md.is_end_line(s):
        return "end"
    if (
        first
        and not hint_title
        and md.looks_like_title(s)
        and md.event_type(s)
        and not md.time_of(s)
        and not (md.is_venue_line(s) and len(s.split()) < 6)
    ):
        return "title"  # a headline that names the event beats a venue word inside it
    if md.time_of(s):
        return "time"
    if md.is_date_line(s) or (md.is_stock_heading(s) and md.parse_date(s)):
        return "date"
    if md.parse_source_line(s, kb):
        return "source"
    if md.is_venue_line(s):
        return "venue"
    if md.parse_dateline(s, kb):
        return "dateline"
    if kb.find_publisher(s) is not None:
        return "source"
    if md.is_stock_heading(s):
        return "heading"
    if not have_title and md.looks_like_title(s) and (not hint_title or md.event_type(s)):
        return "title"
    if have_title and md.is_heading_line(s):
        return "title"
    if md.is_heading_line(s) or ((have_title or hint_title) and md.is_short_heading(s)):
        return "heading"
    return None
