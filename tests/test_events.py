"""Events (PLOVER) and stances: the cue file, ``classify``, and the ``events`` and
``relations`` stages.

Sentences come from the seed (a joint press availability in Sochi, 14 May 2019) and from White
House briefings of the development corpus (US government works), copied here as strings.
"""

from __future__ import annotations

import re

import pytest

from conftest import SEED
from podium.knowledge import default_knowledge
from podium.model import Sentence, Source, Speaker, Transcript, Turn
from podium.pipeline import DEFAULT_STAGES, Context, Pipeline
from podium.stages.events import (
    PLOVER,
    _verb_forms,
    build_table,
    classify,
    cue_table,
    events,
    parse_cues,
)
from podium.stages.relations import relations

US = "USA"


def us(sentence: str):
    """The event a US principal states in ``sentence``."""
    return classify(sentence, speaker_country=US)


# -- the cue file ---------------------------------------------------------------------------


def test_cue_table_loads_once_and_is_valid():
    table = cue_table()
    assert table is cue_table()
    assert len(table.cues) > 300
    assert {c.type for c in table.cues} - {None} == set(PLOVER)  # every type has cues
    assert all(0 < c.weight <= 1 for c in table.cues)


def test_verb_lemmas_cover_their_forms():
    assert set(_verb_forms("urge", {})) >= {"urge", "urges", "urged", "urging"}
    assert set(_verb_forms("ban", {})) >= {"bans", "banned", "banning"}
    assert set(_verb_forms("deny", {})) >= {"denies", "denied", "denying"}
    assert set(_verb_forms("agree", {})) >= {"agrees", "agreed", "agreeing"}
    assert "met" in _verb_forms("meet", {"meet": ("met",)})
    for form in (
        "I urge Russia to act.",
        "We urged Russia to act.",
        "We are urging Russia to act.",
    ):
        g = us(form)
        assert (g.type, g.target) == ("REQUEST", "RUS"), form


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# a comment\nurge+ | DEMAND | 0.8\n", r"cues.txt:2: unknown event type 'DEMAND'"),
        ("urge+ | REQUEST | 1.5\n", r"cues.txt:1: weight 1.5 is not in \(0, 1\]"),
        ("urge+ | REQUEST | high\n", r"cues.txt:1: weight 'high' is not a number"),
        ("urge+ | REQUEST\n", r"cues.txt:1: expected 'pattern \| TYPE \| weight"),
        ("* urge | REQUEST | 0.5\n", r"cues.txt:1: a '\*' must stand between two words"),
        ("urge+ | REQUEST | 0.5 | MAYBE\n", r"cues.txt:1: unknown negated type 'MAYBE'"),
        ("\n\n@forms meet met\n", r"cues.txt:3: expected '@forms lemma: form, form'"),
        ("urge+ | REQUEST/always | 0.5\n", r"cues.txt:1: unknown event type"),
    ],
)
def test_cue_grammar_errors_name_the_line(text, message):
    with pytest.raises(ValueError, match=message):
        parse_cues(text, "cues.txt")


def test_a_cue_file_of_ones_own():
    table = build_table(
        parse_cues(
            "@forms smite: smote\n"
            "smite+ | ASSAULT | 0.9  # an old word\n"
            "rebuke+ * sharply | ACCUSE | 0.8 | -\n"
            "thank you | - | 1\n"
        )
    )
    assert classify("Gondor smote Mordor.", table=table).type == "ASSAULT"
    assert classify("Gondor rebuked Mordor quite sharply.", table=table).type == "ACCUSE"
    assert classify("Gondor did not rebuke Mordor sharply.", table=table) is None
    assert classify("Thank you very much.", table=table) is None


def test_the_stage_reads_a_users_cue_file(tmp_path):
    extra = tmp_path / "my_cues.txt"
    extra.write_text("@forms smite: smote\nsmite+ | ASSAULT | 0.9\n", encoding="utf-8")
    text = "MR. SMITH: Gondor smote Mordor."
    doc = Transcript(text=text, source=Source("t", "0"))
    doc.speakers = [Speaker("smith", "Smith", role="principal", country=US)]
    doc.turns = [Turn("t1", "smith", "MR. SMITH", 11, len(text), text[11:], kind="statement")]
    doc.sentences = [Sentence("s1", "t1", 11, len(text), text[11:])]
    events(doc, Context(knowledge=default_knowledge()))
    assert doc.events == []
    events(doc, Context(knowledge=default_knowledge(), options={"event_cues": [str(extra)]}))
    assert [(e["type"], e["cue"]) for e in doc.events] == [("ASSAULT", "smote")]


# -- classify: the seed's positions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "type_", "source", "target"),
    [
        ("On Venezuela, we have disagreement.", "REJECT", US, None),
        (
            "I urged my Russian colleagues to support the Venezuelan people as they return "
            "democracy to their country.",
            "REQUEST", US, "RUS",
        ),
        (
            "The Trump administration has been clear that we do not recognize Russia’s attempted "
            "annexation in Crimea, and we hope that we can continue to move forward.",
            "REJECT", US, "RUS",
        ),
        ("Our sanctions have remained in place.", "SANCTION", US, None),
        (
            "I urged Russia to reach out to Ukraine’s new president to demonstrate leadership by "
            "taking a step towards breaking the stalemate.",
            "REQUEST", US, "RUS",
        ),
        (
            "I made clear that the United States will continue to apply pressure to the regime in "
            "Tehran until its leadership is prepared to return to the ranks of responsible nations "
            "that do not threaten their neighbors or spread instability or terror.",
            "COERCE", US, "IRN",
        ),
        (
            "The United States and Russia agree on the goal of the denuclearization, and we’ll "
            "continue to discuss it.",
            "AGREE", US, "RUS",
        ),
        ("We talked about terrorism.", "CONSULT", US, None),
        (
            "I promise not to go back to history from the early ’30s, but I made clear to Foreign "
            "Minister Lavrov, as we’ve made clear for the past months, that interference in "
            "American elections is unacceptable.",
            "ACCUSE", US, "RUS",
        ),
        (
            "We seek a better relationship with Russia and we urge that it work alongside us to "
            "change the trajectory of the relationship, which will benefit each of our peoples.",
            "REQUEST", US, "RUS",
        ),
    ],
)  # fmt: skip
def test_seed_positions(sentence, type_, source, target):
    g = us(sentence)
    assert g is not None
    assert (g.type, g.source, g.target) == (type_, source, target)
    assert g.cue == sentence[g.start : g.end]
    assert 0 < g.confidence < 1


def test_negation_changes_the_reading_or_removes_the_event():
    g = us(
        "The Trump administration has been clear that we do not recognize Russia’s attempted "
        "annexation in Crimea."
    )
    assert g.type == "REJECT" and g.cue == "not recognize" and not g.negated
    assert us("We fundamentally do not seek a war with Iran.") is None
    g = us("We did not discuss sanctions.")
    assert g.type == "CONSULT" and g.negated
    # the negation of one verb phrase does not reach the next one
    g = us(
        "But our position on this that we do not recognize it and call on China not to "
        "implement it remains clear."
    )
    assert (g.type, g.target, g.negated) == ("REQUEST", "CHN", False)


def test_conditionals_are_threats_flagged_hypothetical():
    g = us(
        "And the movement of troops that you described I’ll leave to the Department of Defense, "
        "but we’ve also made clear to the Iranians that if American interests are attacked, we "
        "will most certainly respond in an appropriate fashion."
    )
    assert (g.type, g.source, g.target) == ("THREATEN", US, "IRN")
    assert g.hypothetical and g.future and not g.negated
    # White House briefings, 2022
    g = us("If Russia initiates a cyberattack against the United States, we will respond.")
    assert (g.type, g.source, g.target, g.hypothetical) == ("THREATEN", US, "RUS", True)
    g = us(
        "We’ve also been very clear: If Russia further invades Ukraine, we will impose severe "
        "costs on Russia in coordination with our allies and partners."
    )
    assert (g.type, g.source, g.target, g.hypothetical) == ("THREATEN", US, "RUS", True)
    g = us(
        "If the Russians were to engage in that in 2020, it would put our relationship in an "
        "even worse place than it has been, and encourage them not to do that, that we would "
        "not tolerate that."
    )
    assert (g.type, g.source, g.target, g.hypothetical) == ("THREATEN", US, "RUS", True)


def test_reported_speech_acts_for_the_one_reported():
    g = us(
        "So Foreign Minister Lavrov raised the issue of concerns about compliance with New START today."
    )
    assert g.source == "RUS" and g.type in ("ACCUSE", "CONSULT")
    g = us("Foreign Minister Lavrov mentioned that we spoke about Syria.")
    assert (g.type, g.source) == ("CONSULT", US)
    g = us("President Xi raised Taiwan.")
    assert g.source == "CHN"
    # news-style reports: the first actor acts, a demand is the sayer's
    g = classify("Russia said on Tuesday that Sudan must return a helicopter captured last week.")
    assert (g.type, g.source, g.target) == ("REQUEST", "RUS", "SDN")


def test_accusations_and_condemnation():
    g = us(
        "As outlined in the statement, we condemn the unlawful attack committed on a merchant "
        "vessel off the coast of Oman on the 29th of July, which killed a British and Romanian "
        "national."
    )
    assert (g.type, g.source) == ("ACCUSE", US)


@pytest.mark.parametrize(
    "sentence",
    [
        "Good afternoon.",
        "Thank you, Sergey.",
        "It is one of President Trump’s highest priorities.",
        "Does it mean that Washington chose a strategy of force against Iran?",
        "I hope we can find a way forward.",
    ],
)
def test_no_act_or_position_no_event(sentence):
    assert us(sentence) is None


def test_first_person_needs_a_speaker_country():
    g = classify("I urged Russia to act.")
    assert (g.source, g.source_text, g.first_person, g.target) == (None, "I", True, "RUS")


# -- the stages on the seed -----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_doc():
    import podium

    return podium.analyze(SEED, stages=[*DEFAULT_STAGES, events, relations])


def _event_of(doc, text):
    ids = {s.id for s in doc.sentences if text in s.text}
    found = [e for e in doc.events if e["sentence"] in ids]
    assert found, text
    return found[0]


def test_events_on_the_seed(seed_doc):
    doc = seed_doc
    assert len(doc.events) > 30
    sentence_ids = {s.id for s in doc.sentences}
    speaker_ids = {s.id for s in doc.speakers}
    for e in doc.events:
        assert e["type"] in PLOVER
        assert e["sentence"] in sentence_ids and e["speaker"] in speaker_ids
        assert e["source"] is None or re.fullmatch(r"[A-Z]{3}", e["source"])
        assert e["target"] is None or re.fullmatch(r"[A-Z]{3}", e["target"])
        assert doc.text[e["start"] : e["end"]] == e["cue"]
        assert {"negated", "hypothetical", "future", "places", "issues", "confidence"} <= set(e)
    # only the principals' statements carry events, never the journalists' questions
    principals = {s.id for s in doc.speakers if s.role == "principal"}
    assert {e["speaker"] for e in doc.events} <= principals

    e = _event_of(doc, "On Venezuela, we have disagreement.")
    assert (e["type"], e["source"], e["target"]) == ("REJECT", US, "RUS")  # the other side
    assert "VEN" in e["places"]
    e = _event_of(doc, "We talked about terrorism.")
    assert (e["type"], e["source"], e["target"]) == ("CONSULT", US, "RUS")
    e = _event_of(doc, "I urged my Russian colleagues")
    assert (e["type"], e["source"], e["target"]) == ("REQUEST", US, "RUS")
    e = _event_of(doc, "if American interests are attacked")
    assert (e["type"], e["source"], e["target"], e["hypothetical"]) == ("THREATEN", US, "IRN", True)
    e = _event_of(doc, "So Foreign Minister Lavrov raised the issue")
    assert e["source"] == "RUS"
    assert not [e for e in doc.events if "do not seek a war" in e["cue"]]


def test_relations_on_the_seed(seed_doc):
    doc = seed_doc
    text = {s.id: s.text for s in doc.sentences}
    assert doc.relations
    for r in doc.relations:
        assert r["actors"] == ["RUS", "USA"]
        assert r["stance"] in ("agree", "disagree", "mixed")
        assert r["evidence"]

    def stance_of(snippet):
        return {
            (r["focus"], r["stance"])
            for r in doc.relations
            if any(snippet in text[s] for s in r["evidence"])
        }

    assert ("VEN", "disagree") in stance_of("On Venezuela, we have disagreement.") or (
        "VEN",
        "mixed",
    ) in stance_of("On Venezuela, we have disagreement.")
    assert {s for _, s in stance_of("we do not recognize Russia’s attempted annexation")} == {
        "disagree"
    }
    assert {s for _, s in stance_of("The United States and Russia agree on the goal")} == {"agree"}


def test_stages_need_their_layers():
    with pytest.raises(ValueError, match="needs events"):
        Pipeline(["segment", "notes", "speakers", "sentences", relations])
    with pytest.raises(ValueError, match="needs sentences"):
        Pipeline(["segment", events])


def test_a_journalists_question_is_no_event():
    text = (
        "Q: Will you impose sanctions on Russia?\nMR. SMITH: We condemn Russia's attack on Ukraine."
    )
    doc = Transcript(text=text, source=Source("t", "0"))
    doc.speakers = [
        Speaker("q", None, role="journalist"),
        Speaker("smith", "Smith", role="principal", country=US),
    ]
    doc.turns = [
        Turn("t1", "q", "Q", 3, 39, text[3:39], kind="question"),
        Turn("t2", "smith", "MR. SMITH", 51, len(text), text[51:], kind="answer"),
    ]
    doc.sentences = [
        Sentence("s1", "t1", 3, 39, text[3:39]),
        Sentence("s2", "t2", 51, len(text), text[51:]),
    ]
    events(doc, Context(knowledge=default_knowledge()))
    assert [(e["sentence"], e["type"], e["source"], e["target"]) for e in doc.events] == [
        ("s2", "ACCUSE", US, "RUS")
    ]


def test_the_stage_reads_each_sentence_as_classify_does():
    """The stage scans the sides' sentences packed one after another: cues at a sentence's
    first and last words are found, and none is read across two sentences."""
    from podium.stages.sentences import sentences

    speech = (
        "Condemn. We condemn Russia's attack on Ukraine. We will not tolerate it. Sanctions "
        "on Iran will stay, and we urge China to help. We will sign the agreement. Sign. "
        "The agreement is good. We agree."
    )
    text = f"MR. SMITH: {speech}"
    doc = Transcript(text=text, source=Source("t", "0"))
    doc.speakers = [Speaker("smith", "Smith", role="principal", country=US)]
    doc.turns = [Turn("t1", "smith", "MR. SMITH", 11, len(text), speech, kind="statement")]
    ctx = Context(knowledge=default_knowledge())
    sentences(doc, ctx)
    events(doc, ctx)
    expected = []
    for s in doc.sentences:
        g = classify(s.text, speaker_country=US)
        if g is not None:
            expected.append((s.id, g.type, g.cue, s.start + g.start))
    assert [(e["sentence"], e["type"], e["cue"], e["start"]) for e in doc.events] == expected
    assert len(expected) >= 4
    assert "Sign. The agreement" not in [e["cue"] for e in doc.events]
