"""Metadata, turns and the edges of speech."""

from __future__ import annotations

import podium


def test_header_metadata_lines():
    text = (
        "THE WHITE HOUSE\n\nOffice of the Press Secretary\n_______________\n"
        "For Immediate Release April 18, 2009\n\nPRESS BRIEFING\nBY SECRETARY OF ENERGY STEVEN CHU\n\n"
        "Crowne Plaza Hotel\nPort of Spain, Trinidad and Tobago\n\n6:59 P.M. EDT\n\n"
        "SECRETARY CHU: So I didn't plan to say much.\n\nQ Why not?\n\nSECRETARY CHU: Time.\n\n"
        "END 7:30 P.M. EDT\n"
    )
    doc = podium.analyze(text)
    m = doc.meta
    assert m.date == "2009-04-18" and m.time == "6:59 P.M. EDT" and m.end_time == "7:30 P.M. EDT"
    assert m.title == "PRESS BRIEFING BY SECRETARY OF ENERGY STEVEN CHU"
    assert m.venue == "Crowne Plaza Hotel"
    assert m.place == "Port of Spain, Trinidad and Tobago" and m.country == "TTO"
    assert doc.warnings == [] and doc.uncovered() == ""
    assert doc.turns[-1].text == "Time."


def test_end_mark_run_into_the_last_line():
    doc = podium.analyze("MS. PSAKI: Hi.\n\nQ Why?\n\nMS. PSAKI: Have a good day. END 12:59 P.M. EST\n")
    assert doc.turns[-1].text == "Have a good day."
    assert doc.meta.end_time == "12:59 P.M. EST"
    assert [w.code for w in doc.warnings] == []


def test_publishers_closing_pointer_is_not_speech():
    text = ("DR. FAUCI: Thank you.\n\nQ Why?\n\nDR. FAUCI: Because.\n\n"
            "To view the COVID Press Briefing slides, visit https://example.gov/slides.pdf\n")
    doc = podium.analyze(text)
    assert doc.turns[-1].text == "Because."
    assert doc.meta_spans[-1].field == "editorial"


def test_truncated_text_is_flagged():
    doc = podium.analyze("MR. X: We will look at the medical systems in some jurisdictions hav")
    assert [w.code for w in doc.warnings] == ["truncated"]


def test_time_run_into_a_label():
    doc = podium.analyze("Via Teleconference\n\n5:19 P.M. EDT MODERATOR: Thanks, everyone.\n\nQ Hi?\n")
    assert [t.label for t in doc.turns] == ["MODERATOR", "Q"]
    assert doc.meta.time == "5:19 P.M. EDT" and doc.meta.venue == "Via Teleconference"
    assert doc.warnings == []


def test_unlabelled_opening_statement_speaker_from_title():
    text = ("Statement by NSC Spokesperson Caitlin Hayden on the Attack in Nairobi\n\n"
            "The United States condemns in the strongest terms the attack.\n")
    doc = podium.analyze(text)
    assert doc.turns[0].label is None
    assert doc.speakers[0].name == "Caitlin Hayden" and doc.turns[0].speaker == doc.speakers[0].id
    assert [w.code for w in doc.warnings] == ["unlabelled_text"]


def test_header_note_line_is_a_note():
    doc = podium.analyze("(A costumed Easter Bunny approaches the podium.)\n\nMS. JEAN-PIERRE: Hi.\n")
    assert doc.warnings == []
    assert doc.notes[0].type == "other" and doc.notes[0].turn is None
    assert doc.uncovered() == ""


def test_surname_label_resolves_to_the_person_the_title_names():
    # Not Rajnath Singh, whose name "Singh" alone also is: the title names Daleep Singh.
    title = ("Press Briefing by Press Secretary Jen Psaki and Deputy National Security Advisor for "
             "International Economics and Deputy NEC Director Daleep Singh, February 24, 2022")
    doc = podium.analyze(f"{title}\n\nMR. SINGH: Thanks, Jen. Good afternoon.\n")
    [singh] = [s for s in doc.speakers if s.labels == ["MR. SINGH"]]
    assert (singh.name, singh.title, singh.kb_id) == ("Daleep Singh", "Deputy NEC Director", None)


def test_end_mark_guard_admits_every_end_mark():
    from podium.stages import metadata as md

    marks = ["END", "FIN", "###", "# # #", "##", "#29-03/17/2009", "12:59 P.M.", "1 PM", "3:30 p.m",
             "3:30 pm EST", "3 p.m. Eastern Time", "END 4:02 P.M. EDT"]
    for mark in marks:
        for tail in ("", " ", "\t\n"):
            line = f"Have a good day. {mark}{tail}"
            assert md.RUN_IN_END.search(line), line
            end = len(line.rstrip())
            assert md.may_end_an_end_mark(line, end), line
    assert not md.may_end_an_end_mark("Why not?", 8)
    assert not md.may_end_an_end_mark("We did it.", 10)
