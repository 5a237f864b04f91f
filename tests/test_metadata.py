"""Metadata lines in their many published forms."""

from __future__ import annotations

import pytest

import podium
from conftest import FIXTURES
from podium.knowledge import default_knowledge
from podium.stages import metadata as md


@pytest.mark.parametrize(
    "line,iso",
    [
        ("May 14, 2019", "2019-05-14"),
        ("14 May 2017", "2017-05-14"),
        ("10/11/2022", "2022-10-11"),
        ("(August 9, 2022)", "2022-08-09"),
        ("Tuesday, Sept. 3, 2013", "2013-09-03"),
        ("2021-01-20", "2021-01-20"),
    ],
)
def test_dates(line, iso):
    assert md.parse_date(line) == iso
    assert md.is_date_line(line)


def test_times_venues_and_end_marks():
    assert md.time_of("2:39 p.m. EDT") == "2:39 p.m. EDT"
    assert md.time_of("12:19 P.M. EDT") == "12:19 P.M. EDT"
    assert md.time_of("We met at 2:39 p.m. EDT today.") is None
    assert md.is_venue_line("James S. Brady Press Briefing Room")
    assert md.is_venue_line("Via Teleconference")
    assert md.is_venue_line("Aboard Air Force One")
    assert md.is_end_line("END 2:30 P.M. EDT")
    assert md.is_end_line("END")
    assert md.is_end_line("# # #")
    assert not md.is_end_line("Endless talks continue.")


def test_source_line():
    kb = default_knowledge()
    found = md.parse_source_line("VOLTAIRE NETWORK | SOCHI (RUSSIAN FEDERATION)", kb)
    assert (found["publisher"], found["place"], found["country"]) == ("Voltaire Network", "Sochi", "RUS")


def test_event_types():
    assert md.event_type("Michael R. Pompeo And Sergey Lavrov At a Joint Press Availability") == "joint_press_availability"
    assert md.event_type("Press Briefing by Press Secretary Jen Psaki") == "press_briefing"
    assert md.event_type("Press Gaggle by Karine Jean-Pierre") == "press_gaggle"
    assert md.event_type("Background Press Call on the Visit") == "background_briefing"


def test_html_page_end_to_end():
    doc = podium.analyze(FIXTURES / "read" / "state_gov_remarks.html")
    assert doc.source.format == "html"
    assert doc.meta.date == "2019-05-14"
    labels = [t.label for t in doc.turns]
    assert "SECRETARY POMPEO" in labels and "QUESTION" in labels
    pompeo = next(s for s in doc.speakers if "SECRETARY POMPEO" in s.labels)
    assert pompeo.country == "USA" and pompeo.name == "Michael R. Pompeo"
    assert doc.check() == [] and doc.uncovered() == ""
    assert "Skip to" not in doc.text and "Share" not in doc.text.split("\n")[0]
