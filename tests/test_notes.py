"""Typed editorial notes that keep the original wording."""

from __future__ import annotations

import pytest

import podium

CASES = [
    ("(Via interpreter)", "interpretation"),
    ("(As interpreted.)", "interpretation"),
    ("(in Russian)", "interpretation"),
    ("(Speaks Ukrainian.)", "interpretation"),
    ("(Laughter.)", "reaction"),
    ("(Applause.)", "reaction"),
    ("(Laughs.)", "reaction"),
    ("(Inaudible)", "inaudible"),
    ("[inaudible]", "inaudible"),
    ("(audio drops)", "inaudible"),
    ("(Crosstalk)", "crosstalk"),
    ("(Cross-talk by reporters.)", "crosstalk"),
    ("[...]", "gap"),
    ("[sic]", "sic"),
    ("(Cell phone rings.)", "other"),
    ("[senior administration official]", "other"),
]


@pytest.mark.parametrize("note,kind", CASES)
def test_note_types(note, kind):
    doc = podium.analyze(f"MR. KIRBY: We will {note} go ahead.\n\nQ Why?\n")
    found = [n for n in doc.notes if n.text == note]
    assert len(found) == 1 and found[0].type == kind
    assert found[0].turn == doc.turns[0].id
    assert doc.text[found[0].start:found[0].end] == note


def test_speech_in_parentheses_is_not_a_note():
    doc = podium.analyze("MR. KIRBY: Your 401(k) is safe (as we said) today.\n")
    assert doc.notes == []


def test_sic_asterisk_and_published_correction():
    doc = podium.analyze("THE PRESIDENT: The Prime* Minister said it in <s>2013</s> [23] already.\n")
    assert [(n.type, n.subtype, n.text) for n in doc.notes] == [
        ("sic", "asterisk", "Prime*"),
        ("other", "correction", "<s>2013</s> [23]"),
    ]


def test_interpreted_turns():
    doc = podium.analyze(
        "PRESIDENT MACRON: (As interpreted.) Thank you.\n\nQ (In English.) A question?\n\n"
        "PRESIDENT ZELENSKYY (via interpreter): Yes.\n"
    )
    assert [t.interpreted for t in doc.turns] == [True, False, True]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no brackets at all",
        "(a) [b] ((c)) [[d]] (e [f] g) [h (i) j] (unclosed [x] (y)",
        "(" + "x" * 130 + ") (short)\n(line\nbreak) [ok]",
        "Prime* Minister**, *bold*, a-b* c'd’* 9x* x9* é* * * * ***\n*start end*",
        "word*x word** (word*) [*] \n  indent*",
    ],
)
def test_fast_scans_find_what_the_patterns_find(text):
    from podium.stages import notes as nt

    def spans(matches):
        return [(m.span(), m.groupdict()) for m in matches]

    assert spans(nt._bracketed(text)) == spans(nt._BRACKETED.finditer(text))
    assert spans(nt._sic_stars(text)) == spans(nt._SIC_STAR.finditer(text))
