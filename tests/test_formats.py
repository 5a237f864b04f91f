"""Transcripts laid out as other governments and publishers lay them out."""

from __future__ import annotations

import podium
from conftest import FIXTURES

FORMATS = FIXTURES / "formats"


def speakers(doc):
    return {s.id: s for s in doc.speakers}


def assert_sound(doc):
    assert doc.check() == [] and doc.uncovered() == ""


def test_kremlin_title_case_labels_and_retranslation():
    doc = podium.analyze(FORMATS / "kremlin-style.txt")
    assert_sound(doc)
    sp = speakers(doc)
    assert sp["vladimir-putin"].labels == ["President of Russia Vladimir Putin", "Vladimir Putin"]
    assert sp["vladimir-putin"].country == "RUS"
    assert sp["olaf-scholz"].country == "DEU"
    assert [t.interpreted for t in doc.turns] == [False, True, False, False, True]
    assert doc.meta.date == "2022-02-15" and doc.meta.country == "RUS"
    assert doc.meta.event_type == "press_conference"
    assert [t.kind for t in doc.turns] == ["statement", "statement", "question", "answer", "answer"]


def test_outlets_as_labels():
    doc = podium.analyze(FORMATS / "mfa-china-style.txt")
    assert_sound(doc)
    journalists = [s for s in doc.speakers if s.role == "journalist"]
    assert [(s.outlet, s.country, s.name) for s in journalists] == [
        ("CCTV", "CHN", None), ("Agence France-Presse", "FRA", None), ("Reuters", "GBR", None)]
    assert speakers(doc)["wang-wenbin"].country == "CHN"
    assert doc.meta.title.startswith("Foreign Ministry Spokesperson Wang Wenbin")
    assert doc.meta.date == "2022-05-10"


def test_state_department_briefing():
    doc = podium.analyze(FORMATS / "state-style.txt")
    assert_sound(doc)
    price = speakers(doc)["ned-price"]
    assert price.labels == ["MR PRICE"] and price.country == "USA"
    assert doc.meta.time == "2:39 p.m. EDT" and doc.meta.end_time == "3:30 p.m. EDT"
    assert doc.meta.place == "Washington, D.C." and doc.meta.country == "USA"
    assert [t.label for t in doc.turns].count("MR PRICE") == 4  # labelled twice in a row: two turns
    assert doc.turns[-1].text == "Let me add one more thing on that."
    assert [n.type for n in doc.notes] == ["inaudible"]


def test_rev_style_timestamps_and_numbered_speakers():
    doc = podium.analyze(FORMATS / "rev-style.txt")
    assert_sound(doc)
    sp = speakers(doc)
    assert sp["speaker-1"].role == sp["speaker-2"].role == "journalist"  # they ask the questions
    assert sp["ned-price"].role == "principal"
    assert [n.subtype for n in doc.notes] == ["timestamp"] * 5
    assert doc.turns[0].text == "Good afternoon, everyone. Just a couple of things at the top."


def test_bracketed_roles():
    doc = podium.analyze(FORMATS / "nato-style.txt")
    assert_sound(doc)
    sp = speakers(doc)
    assert sp["jens-stoltenberg"].role == "principal" and sp["jens-stoltenberg"].country == "NATO"
    reporter = sp["ingrid-bergan"]
    assert (reporter.role, reporter.outlet, reporter.country) == ("journalist", "NRK", "NOR")
    assert doc.notes == []  # a label's bracketed role is part of the label, not an insertion


def test_typos_in_labels_are_one_speaker():
    text = ("MR. EARNEST: Good afternoon.\n\nQ Why?\n\nMR. EARNEST: Because.\n\nQ And?\n\n"
            "MR. EARENST: And so.\n\nTHE PRESIDENT: Hi.\n\nTHE PRESIDNET: Bye.\n\nTHE PRESIDENT: Yes.\n")
    doc = podium.analyze(text, meta={"date": "2015-04-30", "publisher": "The White House"})
    sp = speakers(doc)
    earnest = next(s for s in doc.speakers if "MR. EARNEST" in s.labels)
    assert set(earnest.labels) == {"MR. EARNEST", "MR. EARENST"}
    assert earnest.name == "Josh Earnest"
    president = next(s for s in doc.speakers if "THE PRESIDENT" in s.labels)
    assert set(president.labels) == {"THE PRESIDENT", "THE PRESIDNET"}
    assert president.name == "Barack Obama" and president.country == "USA"
    assert len(sp) == 4


def test_different_given_names_are_different_people():
    text = "THE PRESIDENT: Hi.\n\nMS. NATALIE BIDEN: Hello.\n\nTHE PRESIDENT: Bye.\n"
    doc = podium.analyze(text, meta={"date": "2022-06-20", "publisher": "The White House"})
    names = sorted(s.name for s in doc.speakers)
    assert names == ["Joe Biden", "Natalie Biden"]


def test_bare_surname_does_not_resolve_abroad():
    text = "MR. PARK: Thanks.\n\nQ Why?\n\nMR. PARK: Because.\n"
    doc = podium.analyze(text, meta={"date": "2014-04-25", "publisher": "The White House"})
    park = doc.speakers[0]
    assert park.kb_id is None and park.country == "USA" and park.evidence["country"] == "publisher"


def test_one_word_labels_naming_nobody():
    doc = podium.analyze("THE PRESIDENT: Hi there.\n\nCUSTOMER: Can I get a coffee?\n\nTHE PRESIDENT: Sure.\n",
                         meta={"date": "2022-10-20", "publisher": "The White House"})
    customer = next(s for s in doc.speakers if s.labels == ["CUSTOMER"])
    assert customer.role == "other" and customer.country is None
    assert [w.code for w in doc.warnings] == ["unknown_label"]


def test_honorific_run_into_the_name():
    doc = podium.analyze("MR.PESICKA: Thanks.\n\nQ Why?\n\nMR.PESICKA: Because.\n")
    assert doc.speakers[0].name == "Pesicka" and doc.speakers[0].role == "principal"
    assert doc.warnings == []


def test_moderator_call_names_the_outlet_and_the_reporter():
    doc = podium.analyze(
        "MODERATOR: Dear colleagues. Kommersant newspaper, please. You have the floor.\n\n"
        "QUESTION: Is it true?\n\nSECRETARY POMPEO: Yes.\n\nMODERATOR: Next question. Go ahead, Steve.\n\n"
        "QUESTION: And the other?\n\nSECRETARY POMPEO: No.\n"
    )
    first, second = [s for s in doc.speakers if s.role == "journalist"]
    assert (first.outlet, first.country, first.evidence["outlet"]) == ("Kommersant", "RUS", "moderator's call")
    assert (second.name, second.evidence["name"]) == ("Steve", "called on by name")


def test_speaker_going_ahead_is_not_a_call_on_a_reporter():
    doc = podium.analyze("MR. EARNEST: I'll go ahead and do a couple more here.\n\nQ Thanks, Josh. Why?\n\nMR. EARNEST: Because.\n")
    reporter = next(s for s in doc.speakers if s.role == "journalist")
    assert reporter.name is None
