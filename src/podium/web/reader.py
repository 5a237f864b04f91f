"""The document reader's view: a ``podium/1`` record laid out as turns, sentences and exchanges.

Everything here reads the contract's JSON (a dict) and nothing else. Transcript text is
untrusted: every piece of it goes through ``html.escape`` before it is wrapped in markup, and
the result is handed to the template as ``Markup`` only after that.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from .labels import (
    CLARITY_LABELS,
    EVASION_LABELS,
    NOTE_LABELS,
    country_name,
    issue_label,
    plover_class,
)

_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_BREAKS = re.compile(r"\n+")


def safe_id(value: Any) -> str:
    """An element id as an HTML id / URL fragment, or "" when it is not a plain id."""
    s = str(value or "")
    return s if _ID.match(s) else ""


def speaker_display(sp: dict | None) -> str:
    if not sp:
        return "unknown speaker"
    if sp.get("name"):
        return sp["name"]
    labels = sp.get("labels") or []
    if labels:
        return labels[0]
    return (sp.get("role") or "speaker").capitalize()


@dataclass
class Mark:
    start: int
    end: int
    open: str
    close: str


@dataclass
class TurnView:
    id: str
    speaker: dict
    name: str
    label: str
    kind: str
    interpreted: bool
    body: Markup
    exchange_ids: list[str] = field(default_factory=list)
    cards: list[dict] = field(default_factory=list)  # exchanges that end with this turn


@dataclass
class Block:
    """One piece of the reader: a turn, or text outside any turn."""

    kind: str  # "turn" | "outside"
    turn: TurnView | None = None
    body: Markup | None = None
    label: str = ""


def _esc(s: str, para: bool) -> str:
    e = html.escape(s, quote=False)
    if "\n" not in e:
        return e
    return _BREAKS.sub("</p><p>" if para else "<br>", e)


def _inline(text: str, a: int, b: int, marks: list[Mark], para: bool) -> str:
    """``text[a:b]`` escaped, with non-overlapping ``marks`` (clipped to the range) wrapped."""
    out: list[str] = []
    pos = a
    for m in marks:
        s, e = max(m.start, a), min(m.end, b)
        if s < pos or e <= s:
            continue  # overlaps a mark already drawn, or outside the range
        out.append(_esc(text[pos:s], para))
        out.append(m.open)
        out.append(_esc(text[s:e], False))
        out.append(m.close)
        pos = e
    out.append(_esc(text[pos:b], para))
    return "".join(out)


def _note_mark(n: dict) -> Mark:
    kind = n.get("type") if n.get("type") in NOTE_LABELS else "other"
    tip = NOTE_LABELS[kind]
    if n.get("subtype"):
        tip += f" ({n['subtype']})"
    return Mark(
        int(n["start"]),
        int(n["end"]),
        f'<span class="note note-{kind}" title="{html.escape(tip)}">',
        "</span>",
    )


def _event_tip(e: dict, speakers: dict[str, dict]) -> str:
    parts = [str(e.get("type") or "event")]
    src, tgt = e.get("source"), e.get("target")
    if src or tgt:
        parts.append(f"{src or '?'} → {tgt or '?'}")
    sp = speakers.get(e.get("speaker") or "")
    if sp:
        parts.append(f"said by {speaker_display(sp)}")
    if e.get("cue"):
        parts.append(f"cue “{e['cue']}”")
    if isinstance(e.get("confidence"), int | float):
        parts.append(f"confidence {e['confidence']:.0%}")
    flags = [f for f in ("negated", "hypothetical", "future") if e.get(f)]
    if flags:
        parts.append(", ".join(flags))
    if e.get("issues"):
        parts.append("issues: " + ", ".join(issue_label(i) for i in e["issues"]))
    return " · ".join(parts)


def _chips(sent: dict, events: list[dict], speakers: dict[str, dict]) -> str:
    out = []
    for e in events:
        tip = html.escape(_event_tip(e, speakers))
        arrow = ""
        if e.get("source") or e.get("target"):
            arrow = f" {html.escape(e.get('source') or '?')}→{html.escape(e.get('target') or '?')}"
        out.append(
            f'<span class="chip ev ev-{plover_class(e.get("type"))}" tabindex="0" title="{tip}" '
            f'data-tip="{tip}">{html.escape(str(e.get("type") or "event"))}{arrow}</span>'
        )
    for p in sent.get("places") or []:
        out.append(
            f'<a class="chip place" href="/search?place={quote(str(p))}" '
            f'title="{html.escape(country_name(p))}">{html.escape(str(p))}</a>'
        )
    for i in sent.get("issues") or []:
        out.append(
            f'<a class="chip issue" href="/search?issue={quote(str(i))}">'
            f"{html.escape(issue_label(i))}</a>"
        )
    if not out:
        return ""
    return '<span class="chips">' + "".join(out) + "</span>"


def build(doc: dict) -> dict:
    """The reader's view of one ``podium/1`` record."""
    text: str = doc.get("text") or ""
    speakers = {s["id"]: s for s in doc.get("speakers") or [] if s.get("id")}
    turns = sorted(doc.get("turns") or [], key=lambda t: t["start"])
    sentences = sorted(doc.get("sentences") or [], key=lambda s: s["start"])
    notes = sorted(doc.get("notes") or [], key=lambda n: (n["start"], -n["end"]))
    events = doc.get("events") or []
    sent_by_id = {s["id"]: s for s in sentences}
    starts = [s["start"] for s in sentences]

    events_by_sentence: dict[str, list[dict]] = {}
    for e in events:
        events_by_sentence.setdefault(e.get("sentence") or "", []).append(e)

    def sentence_at(pos: int) -> str:
        k = bisect.bisect_right(starts, pos) - 1
        return sentences[k]["id"] if k >= 0 and sentences[k]["end"] > pos else ""

    note_starts = [n["start"] for n in notes]
    longest_note = max((n["end"] - n["start"] for n in notes), default=0)

    def marks_in(a: int, b: int, extra: list[Mark] = ()) -> list[Mark]:
        lo = bisect.bisect_left(note_starts, a - longest_note)
        hi = bisect.bisect_left(note_starts, b)
        ms = [_note_mark(n) for n in notes[lo:hi] if n["end"] > a]
        ms.extend(m for m in extra if m.start < b and m.end > a)
        ms.sort(key=lambda m: (m.start, -m.end))
        return ms

    def render_range(a: int, b: int) -> str:
        """Turn or outside text: sentences as anchored spans, gaps between them as text."""
        out = ["<p>"]
        pos = a
        k = bisect.bisect_left(starts, a)
        while k < len(sentences) and sentences[k]["start"] < b:
            s = sentences[k]
            k += 1
            ss, se = max(s["start"], pos), min(s["end"], b)
            if se <= ss:
                continue
            out.append(_inline(text, pos, ss, marks_in(pos, ss), para=True))
            evs = events_by_sentence.get(s["id"], [])
            ev_marks = []
            for e in evs:
                if isinstance(e.get("start"), int) and isinstance(e.get("end"), int):
                    tip = html.escape(_event_tip(e, speakers))
                    ev_marks.append(
                        Mark(
                            e["start"],
                            e["end"],
                            f'<mark class="ev ev-{plover_class(e.get("type"))}" tabindex="0" '
                            f'title="{tip}" data-tip="{tip}">',
                            "</mark>",
                        )
                    )
            sid = safe_id(s["id"])
            cls = "s has-ev" if evs else "s"
            out.append(f'<span class="{cls}" id="{sid}">')
            out.append(_inline(text, ss, se, marks_in(ss, se, ev_marks), para=False))
            out.append(_chips(s, evs, speakers))
            out.append("</span>")
            pos = se
        out.append(_inline(text, pos, b, marks_in(pos, b), para=True))
        out.append("</p>")
        return "".join(out).replace("<p></p>", "")

    # Exchanges: each is drawn as a card after its last turn.
    turn_order = {t["id"]: i for i, t in enumerate(turns)}
    cards_after: dict[str, list[dict]] = {}
    exchange_of_turn: dict[str, list[str]] = {}
    exchanges = []
    for x in doc.get("exchanges") or []:
        card = _exchange_card(x, speakers, sentence_at)
        exchanges.append(card)
        own = [t for t in [*(x.get("question_turns") or []), *(x.get("answer_turns") or [])]
               if t in turn_order]  # fmt: skip
        for t in x.get("question_turns") or []:
            exchange_of_turn.setdefault(t, []).append(card["id"])
        if own:
            last = max(own, key=turn_order.__getitem__)
            cards_after.setdefault(last, []).append(card)
        else:
            cards_after.setdefault("", []).append(card)

    blocks: list[Block] = []
    pos = 0
    for t in turns:
        # The speaker label ("MS. SMITH:") sits between turns; it is drawn in the turn's header.
        head = t.get("label_start")
        gap_end = head if isinstance(head, int) and pos <= head <= t["start"] else t["start"]
        if text[pos:gap_end].strip():
            label = "before the first speaker" if pos == 0 else "outside any turn"
            blocks.append(Block("outside", body=Markup(render_range(pos, gap_end)), label=label))
        sp = speakers.get(t.get("speaker") or "") or {}
        tv = TurnView(
            id=safe_id(t["id"]),
            speaker=sp,
            name=speaker_display(sp) if sp else (t.get("label") or "unknown speaker"),
            label=t.get("label") or "",
            kind=t.get("kind") or "other",
            interpreted=bool(t.get("interpreted")),
            body=Markup(render_range(t["start"], t["end"])),
            exchange_ids=exchange_of_turn.get(t["id"], []),
            cards=cards_after.get(t["id"], []),
        )
        blocks.append(Block("turn", turn=tv))
        pos = max(pos, t["end"])
    if text[pos:].strip():
        label = "after the last turn" if turns else "text"
        blocks.append(Block("outside", body=Markup(render_range(pos, len(text))), label=label))

    relations = []
    for r in doc.get("relations") or []:
        relations.append(
            {
                "actors": r.get("actors") or [],
                "focus": r.get("focus"),
                "stance": r.get("stance"),
                "evidence": [
                    {"id": safe_id(sid), "text": sent_by_id.get(sid, {}).get("text", "")}
                    for sid in r.get("evidence") or []
                ],
            }
        )

    return {
        "blocks": blocks,
        "speakers": list(speakers.values()),
        "exchanges": exchanges,
        "orphan_cards": cards_after.get("", []),
        "relations": relations,
        "n_events": len(events),
        "n_sentences": len(sentences),
        "n_turns": len(turns),
    }


def _exchange_card(x: dict, speakers: dict[str, dict], sentence_at) -> dict:
    def who(sid: str | None) -> dict:
        sp = speakers.get(sid or "")
        return {"id": sid, "name": speaker_display(sp) if sp else (sid or "unknown"),
                "outlet": (sp or {}).get("outlet"), "role": (sp or {}).get("role")}  # fmt: skip

    subs = []
    for q in x.get("sub_questions") or []:
        answers = []
        for a in q.get("answers") or []:
            answers.append(
                {
                    "speaker": who(a.get("speaker")),
                    "turn": safe_id(a.get("turn")),
                    "clarity": a.get("clarity"),
                    "clarity_label": CLARITY_LABELS.get(a.get("clarity"), a.get("clarity") or ""),
                    "evasion": a.get("evasion"),
                    "evasion_label": EVASION_LABELS.get(a.get("evasion"), a.get("evasion") or ""),
                    "confidence": a.get("confidence"),
                    "cue": a.get("clarity_cue") or a.get("cue") or "",
                }
            )
        start = q.get("start")
        subs.append(
            {
                "id": safe_id(q.get("id")),
                "text": q.get("text") or "",
                "context": q.get("context") or "",
                "sentence": sentence_at(start) if isinstance(start, int) else "",
                "addressees": [who(a) for a in q.get("addressees") or []],
                "answers": answers,
                "unanswered_by": [who(a) for a in q.get("unanswered_by") or []],
                "issues": q.get("issues") or [],
                "places": q.get("places") or [],
            }
        )
    return {
        "id": safe_id(x.get("id")),
        "questioner": who(x.get("questioner")),
        "sub_questions": subs,
    }
