"""The model and its JSON contract."""

from __future__ import annotations

import json

import pytest

import podium
from podium.model import PLOVER, Transcript

REQUIRED = ["schema", "source", "meta", "text", "speakers", "turns", "sentences", "notes",
            "entities", "exchanges", "events", "relations", "warnings"]


def test_contract_fields(seed):
    d = json.loads(seed.to_json())
    for key in REQUIRED:
        assert key in d
    assert d["schema"] == "podium/1"
    assert set(d["source"]) >= {"name", "sha256", "format", "encoding"}
    assert set(d["meta"]) >= {"title", "publisher", "place", "country", "date", "event_type"}
    for s in d["speakers"]:
        assert set(s) >= {"id", "name", "labels", "role", "title", "country", "outlet", "present"}
    for t in d["turns"]:
        assert set(t) >= {"id", "speaker", "label", "start", "end", "text", "kind", "interpreted"}
        assert d["text"][t["start"]:t["end"]] == t["text"]
    for s in d["sentences"]:
        assert set(s) >= {"id", "turn", "start", "end", "text", "places", "issues"}
    for n in d["notes"]:
        assert set(n) >= {"type", "turn", "start", "end", "text"}
    for w in d["warnings"]:
        assert set(w) >= {"code", "message"}
    for x in d["exchanges"]:
        assert set(x) >= {"id", "questioner", "question_turns", "sub_questions"}
        for q in x["sub_questions"]:
            assert set(q) >= {"id", "text", "start", "end", "addressees", "places", "issues",
                              "answers", "unanswered_by"}
            assert d["text"][q["start"]:q["end"]] == q["text"]
            for a in q["answers"]:
                assert set(a) >= {"speaker", "turn", "clarity", "evasion", "confidence"}
    assert len(d["exchanges"]) == 4
    sentence_ids = {s["id"] for s in d["sentences"]}
    for e in d["entities"]:
        assert set(e) >= {"text", "label", "start", "end", "kb_id"}
        assert d["text"][e["start"]:e["end"]] == e["text"]
    assert {e["label"] for e in d["entities"]} >= {"PERSON", "GPE", "NORP", "TREATY"}
    for e in d["events"]:
        assert set(e) >= {"id", "sentence", "speaker", "source", "type", "target", "places",
                          "issues", "cue", "confidence"}
        assert e["sentence"] in sentence_ids and e["type"] in PLOVER
    for r in d["relations"]:
        assert set(r) >= {"actors", "focus", "stance", "evidence"}
        assert r["stance"] in ("agree", "disagree", "mixed") and set(r["evidence"]) <= sentence_ids
    assert d["events"] and d["relations"]


def test_round_trip_is_exact(seed):
    s = seed.to_json()
    again = Transcript.from_json(s)
    assert again.to_json() == s
    assert again == seed


def test_from_json_rejects_other_schemas():
    with pytest.raises(ValueError):
        Transcript.from_json('{"schema": "other/1"}')


def test_invariants_hold_on_seed(seed):
    assert seed.check() == []
    assert seed.uncovered() == ""


def test_pipeline_subset_and_unknown_stage():
    doc = podium.analyze("MR. X: Hello there.\nQ Why?\n", stages=["segment", "notes"])
    assert len(doc.turns) == 2 and doc.sentences == [] and doc.speakers == []
    with pytest.raises(ValueError, match="unknown stage"):
        podium.Pipeline(["segment", "nope"])
    with pytest.raises(ValueError, match="needs"):
        podium.Pipeline(["sentences"])
