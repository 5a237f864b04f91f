"""Helpers for the store, ingest and search tests: copies of the seed transcript whose places,
issues, events and relations are set by hand, so the tests' counts stay fixed whatever the
pipeline's stages find."""

from __future__ import annotations

import copy
import hashlib
import json

import podium
from conftest import FIXTURES, SEED
from podium.model import Transcript

CORPUS_FIXTURES = sorted((FIXTURES / "corpus").glob("*.json"))

# sentence id -> (places, issues) in the seed
LABELS = {
    "s16": (["PRK"], ["nonproliferation"]),
    "s17": (["USA", "RUS", "PRK"], ["nonproliferation"]),
    "s18": (["PRK"], ["sanctions", "nonproliferation"]),
    "s20": (["VEN"], ["democracy_governance"]),
    "s27": (["UKR"], ["territorial_integrity"]),
    "s29": ([], ["sanctions"]),
}


def seed() -> Transcript:
    return podium.analyze(SEED)


def plain(doc: Transcript) -> Transcript:
    """A copy without places, issues, events and relations, so counts in the tests do not move
    with the pipeline's stages."""
    doc = copy.deepcopy(doc)
    for s in doc.sentences:
        s.places, s.issues = [], []
    for x in doc.exchanges:
        for q in x["sub_questions"]:
            q["places"], q["issues"] = [], []
    doc.events, doc.relations = [], []
    return doc


def enriched(doc: Transcript | None = None) -> Transcript:
    """The seed with known places, issues, two events and two relations, set by hand."""
    doc = plain(doc or seed())
    for s in doc.sentences:
        if s.id in LABELS:
            s.places, s.issues = (list(x) for x in LABELS[s.id])
    for x in doc.exchanges:
        for q in x["sub_questions"]:
            if "START" in q["text"]:
                q["issues"] = ["arms_control"]
    doc.events = [
        {"id": "e1", "sentence": "s17", "speaker": "michael-r-pompeo", "source": "USA", "type": "AGREE",
         "target": "RUS", "places": ["PRK"], "issues": ["nonproliferation"], "cue": "agree on",
         "confidence": 0.8, "negated": False},
        {"id": "e2", "sentence": "s28", "speaker": "michael-r-pompeo", "source": "USA", "type": "REJECT",
         "target": "RUS", "places": ["UKR"], "issues": ["territorial_integrity"], "cue": "do not recognize",
         "confidence": 0.7},
    ]  # fmt: skip
    doc.relations = [
        {"actors": ["RUS", "USA"], "focus": "PRK", "stance": "agree", "evidence": ["s17"]},
        {"actors": ["RUS", "USA"], "focus": "UKR", "stance": "disagree", "evidence": ["s27", "s28"]},
    ]
    return doc


def variant(text_change: tuple[str, str], date: str | None = None, title: str | None = None) -> Transcript:
    """The seed text with one replacement (a different document: different bytes)."""
    text = SEED.read_text(encoding="utf-8")
    old, new = text_change
    assert old in text
    doc = plain(podium.analyze(text.replace(old, new), name="variant.txt"))
    if date:
        doc.meta.date = date
    if title:
        doc.meta.title = title
    return doc


def fixture_doc(path) -> Transcript:
    d = json.loads(path.read_text(encoding="utf-8"))
    return podium.analyze(d["text"], name=path.name, meta={"title": d["title"], "date": d["date"]})


def sha16(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]
