"""The transcript our first user handed us: Sochi, 14 May 2019, Voltaire Network's one-sided republication."""

from __future__ import annotations


def by_id(doc):
    return {s.id: s for s in doc.speakers}


def test_meta(seed):
    m = seed.meta
    assert m.title == "Michael R. Pompeo And Sergey Lavrov At a Joint Press Availability"
    assert m.publisher == "Voltaire Network"
    assert m.place == "Sochi"
    assert m.country == "RUS"
    assert m.date == "2019-05-14"  # from the file name: the text gives none
    assert m.event_type == "joint_press_availability"
    fields = [s.field for s in seed.meta_spans]
    assert fields[:2] == ["title", "source"]


def test_turns(seed):
    labels = [t.label for t in seed.turns]
    assert labels == [
        "SECRETARY POMPEO", "MODERATOR", "QUESTION", "SECRETARY POMPEO", "QUESTION",
        "SECRETARY POMPEO", "QUESTION", "SECRETARY POMPEO", "QUESTION", "SECRETARY POMPEO",
    ]
    kinds = [t.kind for t in seed.turns]
    assert kinds == ["statement", "moderation"] + ["question", "answer"] * 4
    assert seed.turns[0].text.startswith("Sergey, thank you.")
    assert seed.turns[-1].text.endswith("the problems that they have today.")
    # Paragraphs stay inside their turn.
    assert seed.turns[7].text.count("\n") == 3


def test_speakers(seed):
    sp = by_id(seed)
    pompeo = next(s for s in seed.speakers if s.labels == ["SECRETARY POMPEO"])
    assert pompeo.name == "Michael R. Pompeo"
    assert pompeo.role == "principal" and pompeo.country == "USA" and pompeo.present
    lavrov = next(s for s in seed.speakers if s.name and "Lavrov" in s.name)
    assert lavrov.present is False and lavrov.role == "principal" and lavrov.country == "RUS"
    assert lavrov.labels == []
    moderators = [s for s in seed.speakers if s.role == "moderator"]
    assert len(moderators) == 1
    journalists = [s for s in seed.speakers if s.role == "journalist"]
    assert len(journalists) == 4  # four QUESTION turns, nothing ties them together
    first, second, third, fourth = journalists
    assert (first.name, first.outlet, first.country) == ("Vladimir Solovyov", "Kommersant", "RUS")
    assert first.evidence["name"] == "self-introduction"
    assert second.name == "Guy" and second.evidence["name"] == "vocative in the answer"
    assert (third.name, third.outlet) == ("Natalia Galetofka", "Russia 24")
    assert fourth.name is None
    assert len(sp) == 7


def test_absent_principal_warning(seed):
    codes = [w.code for w in seed.warnings]
    assert codes == ["absent_principal"]
    assert "Lavrov" in seed.warnings[0].message


def test_notes(seed):
    notes = [(n.type, n.text) for n in seed.notes]
    assert ("sic", "Prime*") in notes
    assert ("sic", "escalazation*") in notes
    interp = [n for n in seed.notes if n.type == "interpretation"]
    assert [n.text for n in interp] == ["(Via interpreter)", "(Via interepreter)", "(Via interpreter)"]
    interpreted = [t.label for t in seed.turns if t.interpreted]
    assert interpreted == ["MODERATOR", "QUESTION", "QUESTION"]
    for n in seed.notes:
        assert n.turn is not None


def test_sentences(seed):
    texts = [s.text for s in seed.sentences]
    assert "Sergey, thank you." in texts
    assert (
        "Our actions on the INF Treaty have demonstrated that we’re committed to effective arms "
        "control that advances U.S. allied and partner security that is verifiable and enforceable."
    ) in texts
    assert "Whether U.S. is prepared to discuss concerns of Russia of that conversion of launchers and heavy bombers as well?" in texts
    assert "Mr. Secretary, what was the message from the Trump administration specifically in regards to the Russian Government and their continued support of Nicolas Maduro and their active involvement in the Western Hemisphere?" in texts
    for s in seed.sentences:
        assert "\n" not in s.text
