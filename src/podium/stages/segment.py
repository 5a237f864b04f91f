"""Stage ``segment``: the text → metadata spans and labelled turns.

Reads ``text`` (and the caller's hints); writes ``turns`` (plus ``meta`` and
``meta_spans``, the header it had to read to find where speech starts). Each
turn's ``speaker`` is left empty here; the ``speakers`` stage resolves labels
to people.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import accumulate, compress, pairwise

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


def _lines(text: str) -> tuple[list[str], list[int], int]:
    """The text's lines (without their newlines), the offset where each starts, and the
    length of the longest.

    A line ends at its start plus its length; lines cut apart by ``_split_run_in_labels``
    have no newline between them, so that is the only rule that always holds.
    """
    lines = text.split("\n")
    lengths = list(map(len, lines))
    # A line starts one past the end of the one before it (its newline); the sums run in C.
    starts = list(accumulate(map((1).__add__, lengths[:-1]), initial=0))
    return lines, starts, max(lengths)


# In a transcript flattened to one long line, a caps label or "Q" after a sentence end.
_FLAT_LABEL = re.compile(r"(?<=[.?!\"”’)\]—-])[ \t]+(?=(?:Q[ \t]|[A-Z][A-Z.'’ -]{1,50}:[ \t]))")
_END_REACH = 200  # characters from a line's end within which a run-in end mark is looked for
FLAT_LINE = 3000  # a line this long is a page of text run together, not a paragraph


def _line_from(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[pos : len(text) if end == -1 else end]


def _split_run_in_labels(
    text: str, lines: list[str], starts: list[int], longest: int, kb
) -> tuple[list[str], list[int]]:
    """Cut lines where a speaker label runs on inside them, so each label opens a line.

    Two cases from converted pages: a time run into the label ("10:00 A.M. EST
    MR. CARNEY: Welcome"), and a whole transcript flattened into one line. The
    candidates come from one scan of the whole text; most documents have none.
    Returns the lines and their starts, as given when nothing was cut.
    """
    cuts = [
        m.end()
        for m in _TIME_THEN_LABEL.finditer(text)
        if m.start() and text[m.start() - 1].isdigit() and match_label(_line_from(text, m.end()), kb)
    ]
    if longest > FLAT_LINE:  # rare
        cuts += _flat_line_cuts(text, lines, starts, kb)
    # A cut just after a newline is where a line starts already (a time on the line before the
    # first label is the common case): nothing to cut.
    cuts = sorted({c for c in cuts if text[c - 1] != "\n"})
    if not cuts:
        return lines, starts
    out = []
    k = 0
    for a, line in zip(starts, lines, strict=True):
        b = a + len(line)
        start = a
        while k < len(cuts) and cuts[k] < b:
            if cuts[k] > start:
                out.append((start, cuts[k]))
                start = cuts[k]
            k += 1
        out.append((start, b))
    return [text[a:b] for a, b in out], [a for a, _ in out]


def _flat_line_cuts(text: str, lines: list[str], starts: list[int], kb) -> list[int]:
    """Where a caps label or "Q" opens after a sentence end inside a line too long to be a paragraph."""
    cuts = []
    for a, line in zip(starts, lines, strict=True):
        if len(line) > FLAT_LINE:
            b = a + len(line)
            for fm in _FLAT_LABEL.finditer(text, a, b):
                before = text[max(a, fm.start() - 5) : fm.start()].split()
                if before and before[-1].lower().rstrip(".") in kb.honorifics:
                    continue  # inside "MR. DONILON:", not before it
                lm = match_label(text[fm.end() : min(b, fm.end() + 120)], kb)
                if lm is not None and lm.shape in ("q", "caps"):
                    cuts.append(fm.end())
    return cuts


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
    lines, starts = _split_run_in_labels(text, *_lines(text), kb)
    # Only lines that could open with a label are parsed: a Q/A form, or a colon within reach.
    matches: list[LabelMatch | None] = [
        match_label(line, kb)
        if line and (line[:1] in _MAY_OPEN_LABEL or line.find(":", 0, 97) != -1)
        else None
        for line in lines
    ]
    label_lines = list(compress(range(len(matches)), matches))
    if any(matches[i].needs_evidence for i in label_lines):
        _accept_title_labels(matches)
        label_lines = [i for i in label_lines if matches[i] is not None]

    first_label = label_lines[0] if label_lines else len(lines)
    meta = doc.meta if doc.meta is not None else Meta()
    doc.meta = meta
    header_end = _read_header(doc, ctx, starts, lines, first_label)

    turns: list[Turn] = []
    if header_end is not None:
        # Speech before the first label: an unlabelled opening turn.
        start, end = header_end
        turns.append(Turn(id="t1", speaker="", label=None, start=start, end=end, text=text[start:end]))
        doc.warn(
            "unlabelled_text",
            "text before the first speaker label is not metadata; it is kept as an unlabelled turn",
            start=start,
            end=end,
        )

    # Each label's turn runs to the next label's line, the last to the end of the text.
    for i, stop_line in pairwise([*label_lines, len(lines)]):
        m = matches[i]
        assert m is not None
        line = lines[i]
        line_start = starts[i]
        content_start = line_start + m.content_start
        if m.content_start >= len(line):
            # The label stands alone on its line: speech begins on the next non-empty line.
            j = i + 1
            while j < stop_line and not lines[j].strip():
                j += 1
            content_start = starts[j] if j < stop_line else line_start + len(line)
            content_start += len(lines[j]) - len(lines[j].lstrip()) if j < stop_line else 0
        # Trailing end marks, times and the publisher's closing notes are metadata, not speech.
        last = stop_line - 1
        while last > i:
            s = lines[last].strip()
            if s:
                if md.is_end_line(s) or md.time_of(s):
                    a = _indent_end(lines[last], starts[last])
                    _add_meta(doc, "end" if md.is_end_line(s) else "end_time", a, a + len(s))
                    meta.end_time = meta.end_time or md.time_of(s) or md.time_in(s)
                elif md.is_closing_note(s):
                    a = _indent_end(lines[last], starts[last])
                    _add_meta(doc, "editorial", a, a + len(s))
                else:
                    break
            last -= 1
        a = starts[last]
        line_end = a + len(lines[last])
        end = line_end
        while end > content_start and text[end - 1].isspace():
            end -= 1
        # "Have a good day. END 12:59 P.M. EST": an end mark run into the last line of speech.
        # Searched for only where the speech ends as an end mark can. An end mark is short: look
        # only near the line's end. The search starts one character early, as the pattern opens
        # with the sentence end before the mark.
        if md.may_end_an_end_mark(text, end):
            window = max(a, line_start + m.content_start, line_end - _END_REACH) - 1
            em = md.RUN_IN_END_AFTER_STOP.search(text, window, line_end)
            if em:
                _add_meta(doc, "end", em.start("mark"), em.end("mark"))
                meta.end_time = meta.end_time or md.time_in(em.group("mark"))
                end = em.start("gap")  # just after the sentence end: no blanks to trim
        end = max(content_start, end)
        # id, speaker, label, start, end, text: positional, a third cheaper than by keyword
        turns.append(
            Turn(
                f"t{len(turns) + 1}",
                "",
                m.label,
                content_start,
                end,
                text[content_start:end],
                label_start=_indent_end(line, line_start),
                label_end=line_start + m.label_end,
            )
        )
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


def _indent_end(line: str, line_start: int) -> int:
    """The offset of a line's first non-blank character (the line's end when it is blank)."""
    if not line[:1].isspace():
        return line_start  # the common case, without copying a paragraph to strip it
    return line_start + len(line) - len(line.lstrip())


def _add_meta(doc: Transcript, field: str, start: int, end: int) -> None:
    doc.meta_spans.append(MetaSpan(field, start, end, doc.text[start:end]))


def _read_header(
    doc: Transcript, ctx: Context, starts: list[int], lines: list[str], first_label: int
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
        a = _indent_end(line, starts[i])
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
    return _trim_tail(doc, starts, lines, prose_start, last_prose_end or prose_start, first_label)


def _trim_tail(
    doc: Transcript,
    starts: list[int],
    lines: list[str],
    start: int,
    end: int,
    first_label: int,
) -> tuple[int, int]:
    i = first_label - 1
    while i >= 0 and starts[i] >= start:
        s = lines[i].strip()
        if not s:
            i -= 1
            continue
        if md.is_end_line(s) or md.time_of(s):
            a = _indent_end(lines[i], starts[i])
            _add_meta(doc, "end" if md.is_end_line(s) else "time", a, a + len(s))
            end = min(end, starts[i])
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
