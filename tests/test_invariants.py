"""Invariants on every fixture, on the development corpus when present, and on any string."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import podium
from conftest import FIXTURES, SEED, corpus_docs

CORPUS_FIXTURES = sorted((FIXTURES / "corpus").glob("*.json"))


def assert_sound(doc: podium.Transcript) -> None:
    assert doc.check() == []
    assert doc.uncovered() == ""
    ends = [(t.start, t.end) for t in doc.turns]
    assert ends == sorted(ends)
    for s in doc.sentences:
        assert s.text == s.text.strip() and s.text


@pytest.mark.parametrize("path", CORPUS_FIXTURES, ids=lambda p: p.stem[:60])
def test_corpus_fixture(path: Path):
    d = json.loads(path.read_text(encoding="utf-8"))
    doc = podium.analyze(d["text"], meta={"title": d["title"], "date": d["date"], "publisher": "The White House"})
    assert_sound(doc)
    assert doc.turns and all(t.speaker for t in doc.turns)
    # Every labelled turn resolves to a speaker with a role; reporters' Q turns are journalists.
    roles = {s.id: s.role for s in doc.speakers}
    for t in doc.turns:
        if t.label == "Q":
            assert roles[t.speaker] == "journalist"
    # The date the text gives (the event's) wins over the publisher's (the page's); else the hint.
    dated = [m for m in doc.meta_spans if m.field == "date"]
    if dated:
        from podium.stages.metadata import parse_date

        assert doc.meta.date == parse_date(dated[0].text)
    else:
        assert doc.meta.date == d["date"]


def test_corpus_fixtures_are_varied():
    assert len(CORPUS_FIXTURES) >= 20


def test_seed_sound(seed):
    assert_sound(seed)


@pytest.mark.slow
def test_whole_development_corpus():
    """Every document of ../shared/data/transcripts parses with the invariants intact."""
    n = 0
    for d in corpus_docs():
        doc = podium.analyze(d["text"], meta={"title": d["title"], "date": d["date"]})
        assert doc.check() == [], d["id"]
        assert doc.uncovered() == "", d["id"]
        n += 1
    assert n > 2000


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_any_string_gives_a_valid_model_or_a_clean_error(s):
    try:
        doc = podium.analyze(s)
    except podium.InputError as e:
        assert "\n" not in str(e)
        return
    assert doc.check() == []
    assert doc.uncovered() == ""


LINES = st.sampled_from([
    "SECRETARY POMPEO: Thank you.", "Q Why?", "Q", "MODERATOR:", "(Laughter.)", "END", "2:39 P.M. EDT",
    "Note: edited.", "Sergey Lavrov: Yes.", "  ", "", "MS. PSAKI:Hi.", "THE PRESIDENT: We will (inaudible) go.",
    "Prime* Minister", "<s>2013</s> [23]", "[...]", "A. Yes.", "Mr. Smith, Reuters. What now?",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=25))
def test_transcript_shaped_strings(lines):
    text = "\n".join(lines)
    try:
        doc = podium.analyze(text)
    except podium.InputError:
        return
    assert doc.check() == []
    assert doc.uncovered() == ""


def test_seed_bytes_in_every_encoding(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    base = podium.analyze(text)
    for enc in ("utf-8-sig", "utf-16", "cp1252"):
        p = tmp_path / f"seed-{enc}.txt"
        p.write_bytes(text.encode(enc, errors="replace"))
        doc = podium.analyze(p)
        assert [t.label for t in doc.turns] == [t.label for t in base.turns]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_give_a_valid_model_or_a_clean_error(data):
    try:
        doc = podium.analyze(data, name="fuzz.bin")
    except podium.InputError as e:
        assert "\n" not in str(e) and "fuzz.bin" in str(e)
        return
    assert doc.check() == []
    assert doc.uncovered() == ""
