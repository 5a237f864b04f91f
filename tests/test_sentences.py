"""The sentence splitter on the abbreviations and punctuation of official speech."""

from __future__ import annotations

import pytest

from podium.stages.sentences import split_spans


def split(text):
    return [text[a:b] for a, b in split_spans(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Mr. Smith went to Washington. He came back.", ["Mr. Smith went to Washington.", "He came back."]),
        ("The U.S. Government agrees. We do too.", ["The U.S. Government agrees.", "We do too."]),
        ("It is made in the U.S. We know that.", ["It is made in the U.S.", "We know that."]),
        ("We met at 2 p.m. Tuesday. It went well.", ["We met at 2 p.m. Tuesday.", "It went well."]),
        ("We met at 2 p.m. The talks went well.", ["We met at 2 p.m.", "The talks went well."]),
        ("Michael R. Pompeo spoke. Then Lavrov.", ["Michael R. Pompeo spoke.", "Then Lavrov."]),
        ("Gen. Milley and Sen. Cruz agreed. Fine.", ["Gen. Milley and Sen. Cruz agreed.", "Fine."]),
        ("He said, “We will.” Then he left.", ["He said, “We will.”", "Then he left."]),
        ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
        ("We will — and I mean it — go. Next.", ["We will — and I mean it — go.", "Next."]),
        ("First line\nSecond line.", ["First line", "Second line."]),
        ("Funny. (Laughter.) Anyway.", ["Funny.", "(Laughter.)", "Anyway."]),
        ("It costs $8.3 billion. Right.", ["It costs $8.3 billion.", "Right."]),
    ],
)
def test_split(text, expected):
    assert split(text) == expected


def test_offsets_are_absolute():
    text = "Hello there. General Kenobi."
    assert split_spans(text, offset=100) == [(100, 112), (113, 128)]
