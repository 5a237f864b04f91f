"""The transcript model: normalized text plus standoff layers (schema ``podium/1``).

Every element that covers text keeps ``start``/``end`` character offsets into
``Transcript.text`` and its own ``text``, so ``text[start:end] == element.text``
always holds. Serialisation to and from the JSON contract lives here and nowhere
else. This module uses nothing else of podium's.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

SCHEMA = "podium/1"

ROLES = ("principal", "moderator", "journalist", "interpreter", "other")
TURN_KINDS = ("statement", "question", "answer", "moderation", "other")
PLOVER = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
STANCES = ("agree", "disagree", "mixed")
CLARITIES = ("clear_reply", "ambivalent", "clear_non_reply")
EVASIONS = (
    "explicit", "implicit", "dodging", "deflection", "partial", "general", "contradictory",
    "declining_to_answer", "claims_ignorance", "clarification",
)  # fmt: skip
NOTE_TYPES = ("sic", "interpretation", "inaudible", "crosstalk", "reaction", "gap", "other")
LAYERS = (
    "speakers",
    "turns",
    "sentences",
    "notes",
    "entities",
    "exchanges",
    "events",
    "relations",
    "warnings",
)


@dataclass
class Source:
    name: str
    sha256: str
    format: str = "text"
    encoding: str = "utf-8"


@dataclass
class Meta:
    title: str | None = None
    publisher: str | None = None
    place: str | None = None
    country: str | None = None
    date: str | None = None
    event_type: str | None = None
    # Fields beyond the contract's required ones (the contract allows additions).
    time: str | None = None
    end_time: str | None = None
    venue: str | None = None
    url: str | None = None


@dataclass
class MetaSpan:
    """A stretch of the text that is metadata, not speech (title, dateline, end mark...)."""

    field: str
    start: int
    end: int
    text: str


@dataclass
class Speaker:
    id: str
    name: str | None
    labels: list[str] = field(default_factory=list)
    role: str = "other"
    title: str | None = None
    country: str | None = None
    outlet: str | None = None
    present: bool = True
    # Evidence: where the name/country/outlet came from (e.g. "knowledge", "title", "self-introduction").
    evidence: dict[str, str] = field(default_factory=dict)
    kb_id: str | None = None


@dataclass
class Turn:
    id: str
    speaker: str
    label: str | None
    start: int
    end: int
    text: str
    kind: str = "statement"
    interpreted: bool = False
    label_start: int | None = None
    label_end: int | None = None


@dataclass
class Sentence:
    id: str
    turn: str
    start: int
    end: int
    text: str
    places: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)


@dataclass
class Note:
    type: str
    turn: str | None
    start: int
    end: int
    text: str
    subtype: str | None = None


@dataclass
class Entity:
    text: str
    label: str
    start: int
    end: int
    kb_id: str | None = None


@dataclass
class Warning:
    code: str
    message: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.extra}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Warning:
        rest = {k: v for k, v in d.items() if k not in ("code", "message")}
        return cls(d["code"], d["message"], rest)


def _build(cls, d: dict[str, Any]):
    """Build a dataclass from a dict, keeping unknown keys out (forward compatible)."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Transcript:
    """A transcript and all its layers. Layers not yet produced are empty lists."""

    text: str
    source: Source
    meta: Meta = field(default_factory=Meta)
    speakers: list[Speaker] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    # Layers owned by later stages stay as plain contract dicts until their stages exist.
    exchanges: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    meta_spans: list[MetaSpan] = field(default_factory=list)
    schema: str = SCHEMA

    # -- lookups ---------------------------------------------------------
    def speaker(self, speaker_id: str) -> Speaker | None:
        for s in self.speakers:
            if s.id == speaker_id:
                return s
        return None

    def warn(self, code: str, message: str, **extra: Any) -> None:
        self.warnings.append(Warning(code, message, extra))

    # -- the contract ----------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "source": asdict(self.source),
            "meta": asdict(self.meta),
            "text": self.text,
            "speakers": [asdict(s) for s in self.speakers],
            "turns": [asdict(t) for t in self.turns],
            "sentences": [asdict(s) for s in self.sentences],
            "notes": [asdict(n) for n in self.notes],
            "entities": [asdict(e) for e in self.entities],
            "exchanges": self.exchanges,
            "events": self.events,
            "relations": self.relations,
            "warnings": [w.to_dict() for w in self.warnings],
            "meta_spans": [asdict(m) for m in self.meta_spans],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Transcript:
        if d.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} document (schema is {d.get('schema')!r})")
        return cls(
            text=d["text"],
            source=_build(Source, d["source"]),
            meta=_build(Meta, d.get("meta") or {}),
            speakers=[_build(Speaker, s) for s in d.get("speakers", [])],
            turns=[_build(Turn, t) for t in d.get("turns", [])],
            sentences=[_build(Sentence, s) for s in d.get("sentences", [])],
            notes=[_build(Note, n) for n in d.get("notes", [])],
            entities=[_build(Entity, e) for e in d.get("entities", [])],
            exchanges=list(d.get("exchanges", [])),
            events=list(d.get("events", [])),
            relations=list(d.get("relations", [])),
            warnings=[Warning.from_dict(w) for w in d.get("warnings", [])],
            meta_spans=[_build(MetaSpan, m) for m in d.get("meta_spans", [])],
            schema=d["schema"],
        )

    @classmethod
    def from_json(cls, s: str) -> Transcript:
        return cls.from_dict(json.loads(s))

    # -- invariants ------------------------------------------------------
    def check(self) -> list[str]:
        """Return every broken invariant (empty when the model is sound)."""
        problems: list[str] = []
        text = self.text
        spans = [("meta_span", m) for m in self.meta_spans]
        spans += [("turn", t) for t in self.turns]
        spans += [("sentence", s) for s in self.sentences]
        spans += [("note", n) for n in self.notes]
        spans += [("entity", e) for e in self.entities]
        for kind, el in spans:
            if not (0 <= el.start <= el.end <= len(text)):
                problems.append(f"{kind} {el.start}-{el.end} out of range")
            elif text[el.start : el.end] != el.text:
                problems.append(f"{kind} {el.start}-{el.end} text differs")
        speaker_ids = {s.id for s in self.speakers}
        if len(speaker_ids) != len(self.speakers):
            problems.append("duplicate speaker ids")
        previous_end = -1
        turn_ids = set()
        for t in self.turns:
            turn_ids.add(t.id)
            if t.speaker not in speaker_ids:
                problems.append(f"turn {t.id} has unknown speaker {t.speaker}")
            if t.start < previous_end:
                problems.append(f"turn {t.id} overlaps the turn before it")
            if t.label_start is not None and t.label_end is not None:
                if t.label_end > t.start:
                    problems.append(f"turn {t.id} label runs into its text")
            previous_end = t.end
        by_id = {t.id: t for t in self.turns}
        for s in self.sentences:
            turn = by_id.get(s.turn)
            if turn is None:
                problems.append(f"sentence {s.id} has unknown turn {s.turn}")
            elif not (turn.start <= s.start and s.end <= turn.end):
                problems.append(f"sentence {s.id} lies outside its turn")
        for n in self.notes:
            if n.type not in NOTE_TYPES:
                problems.append(f"note type {n.type} not in the vocabulary")
            if n.turn is not None and n.turn not in turn_ids:
                problems.append(f"note at {n.start} has unknown turn {n.turn}")
        for sp in self.speakers:
            if sp.role not in ROLES:
                problems.append(f"speaker {sp.id} role {sp.role} not in the vocabulary")
        for x in self.exchanges:
            for q in x.get("sub_questions") or ():
                if text[q["start"] : q["end"]] != q["text"]:
                    problems.append(f"sub-question {q['id']} text differs")
                people = list(q.get("addressees") or ()) + list(q.get("unanswered_by") or ())
                people += [a["speaker"] for a in q.get("answers") or ()]
                problems += [f"sub-question {q['id']} names unknown speaker {p}"
                             for p in people if p not in speaker_ids]
                for a in q.get("answers") or ():
                    if "start" in a and text[a["start"] : a["end"]] != a.get("text"):
                        problems.append(f"answer to {q['id']} in {a['turn']} text differs")
                    if a.get("clarity") is not None and a["clarity"] not in CLARITIES:
                        problems.append(f"answer to {q['id']} clarity {a['clarity']} not in the vocabulary")
                    if a.get("evasion") is not None and a["evasion"] not in EVASIONS:
                        problems.append(f"answer to {q['id']} evasion {a['evasion']} not in the vocabulary")
        sentence_ids = {s.id for s in self.sentences}
        for e in self.events:
            if e.get("sentence") not in sentence_ids:
                problems.append(f"event {e.get('id')} has unknown sentence {e.get('sentence')}")
            if e.get("type") not in PLOVER:
                problems.append(f"event {e.get('id')} type {e.get('type')} not in the vocabulary")
        for r in self.relations:
            if r.get("stance") not in STANCES:
                problems.append(f"relation {r.get('actors')} stance {r.get('stance')} not in the vocabulary")
            missing = [sid for sid in r.get("evidence") or () if sid not in sentence_ids]
            if missing:
                problems.append(f"relation {r.get('actors')} cites unknown sentences {missing}")
        return problems

    def uncovered(self) -> str:
        """Non-space characters that lie in no meta span, label, turn or note."""
        covered = bytearray(len(self.text))
        ranges = [(m.start, m.end) for m in self.meta_spans]
        ranges += [(t.start, t.end) for t in self.turns]
        ranges += [
            (t.label_start, t.label_end)
            for t in self.turns
            if t.label_start is not None and t.label_end is not None
        ]
        ranges += [(n.start, n.end) for n in self.notes]
        for a, b in ranges:
            covered[a:b] = b"\x01" * (b - a)
        return "".join(
            ch for ch, c in zip(self.text, covered, strict=True) if not c and not ch.isspace()
        )
