"""The speaker-label grammar, on forms seen in published transcripts."""

from __future__ import annotations

import pytest

import podium
from podium.knowledge import default_knowledge
from podium.stages.labels import match_label

KB = default_knowledge()

LABELS = [
    ("SECRETARY POMPEO: Thank you.", "SECRETARY POMPEO"),
    ("FOREIGN MINISTER LAVROV: Thank you.", "FOREIGN MINISTER LAVROV"),
    ("MR PRICE: Good afternoon.", "MR PRICE"),
    ("MS. PSAKI: Hi, everyone.", "MS. PSAKI"),
    ("THE PRESIDENT: Thank you very much.", "THE PRESIDENT"),
    ("UNDER SECRETARY BASS: Thank you.", "UNDER SECRETARY BASS"),
    ("SENIOR ADMINISTRATION OFFICIAL: Sure.", "SENIOR ADMINISTRATION OFFICIAL"),
    ("PARTICIPANT: Thanks.", "PARTICIPANT"),
    ("MODERATOR: Next question.", "MODERATOR"),
    ("President of Russia Vladimir Putin: Good afternoon.", "President of Russia Vladimir Putin"),
    ("Question: Is it true?", "Question"),
    ("CCTV: A question for the minister.", "CCTV"),
    ("Reuters: Thank you.", "Reuters"),
    ("Q Good afternoon.", "Q"),
    ("Q: Why?", "Q"),
    ("Q. Why?", "Q"),
    ("Q.: Why?", "Q"),
    ("A. Because.", "A"),
    ("JENS STOLTENBERG [NATO Secretary General]: Thank you.", "JENS STOLTENBERG [NATO Secretary General]"),
    ("Ned Price: (00:01) Good afternoon.", "Ned Price"),
    ("SECRETARY POMPEO:Thank you.", "SECRETARY POMPEO"),
    ("SECRETARY POMPEO:", "SECRETARY POMPEO"),
    ("Q", "Q"),
    ("MR. McDONOUGH: Thanks.", "MR. McDONOUGH"),
    ("SECRETARY LaHOOD: Yes.", "SECRETARY LaHOOD"),
    ("MR. FERNÁNDEZ HERNÁNDEZ: Gracias.", "MR. FERNÁNDEZ HERNÁNDEZ"),
    ("Speaker 1: (02:13) Okay.", "Speaker 1"),
]

NOT_LABELS = [
    "Note: this transcript has been edited.",
    "Q&A session follows.",
    "2:39 p.m. EDT",
    "END 2:30 P.M. EDT",
    "He said this: we will not go.",
    "The plan: first, we talk.",
    "Key points: three of them.",
    "A lot of people asked.",
    "Question is, what now?",
    "Quite so: yes.",
    "To view the slides, visit https://example.gov/slides",
    "Editor's Note: corrected.",
]


@pytest.mark.parametrize("line,label", LABELS)
def test_label_forms(line, label):
    m = match_label(line, KB)
    assert m is not None, line
    assert m.label == label


@pytest.mark.parametrize("line", NOT_LABELS)
def test_not_labels(line):
    m = match_label(line, KB)
    assert m is None or m.needs_evidence, line


def test_timestamp_after_label_is_a_note():
    doc = podium.analyze("Ned Price: (00:01)\nGood afternoon.\nQuestion: (00:05) Why?\n")
    assert [t.label for t in doc.turns] == ["Ned Price", "Question"]
    assert doc.turns[0].text == "Good afternoon."
    assert [n.text for n in doc.notes if n.subtype == "timestamp"] == ["(00:01)", "(00:05)"]
    assert doc.uncovered() == ""


def test_same_speaker_twice_is_two_turns():
    doc = podium.analyze("MR. KIRBY: One.\nMR. KIRBY: Two.\nQ Why?\n")
    assert len(doc.turns) == 3
    assert doc.turns[0].speaker == doc.turns[1].speaker


def test_label_alone_on_its_line():
    doc = podium.analyze("SECRETARY BLINKEN:\n\nGood morning, everyone.\n\nQUESTION:\nWhy now?\n")
    assert [t.text for t in doc.turns] == ["Good morning, everyone.", "Why now?"]


def test_title_case_names_need_evidence():
    # A recurring Title Case name is a label; a one-off heading is not.
    text = "Anna Smith: Welcome.\nJohn Doe: Thanks.\nAnna Smith: Next.\nJohn Doe: Sure.\n"
    doc = podium.analyze(text)
    assert [t.label for t in doc.turns] == ["Anna Smith", "John Doe", "Anna Smith", "John Doe"]
    doc = podium.analyze("MR. X: We have three goals.\nOur Goals: peace and quiet.\n")
    assert len(doc.turns) == 1


def test_no_labels_at_all():
    doc = podium.analyze("We are here today to talk about the economy. It is strong.")
    assert len(doc.turns) == 1 and doc.turns[0].label is None
    assert [w.code for w in doc.warnings] == ["unlabelled_text"]
    assert doc.check() == []
