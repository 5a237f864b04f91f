"""Entities, places and issues: the knowledge files behind them, the matcher, and the stage."""

from __future__ import annotations

import json

import pytest

import podium
from conftest import FIXTURES, SEED, corpus_docs
from podium.knowledge import ISSUES, Knowledge, default_knowledge, expand_phrase
from podium.knowledge.loader import TABLES, country_names, table_for
from podium.pipeline import CORE_STAGES, Pipeline
from podium.stages.entities import entities, find_entities

EXCERPTS = {
    x["id"]: x for x in json.loads((FIXTURES / "entities" / "corpus_excerpts.json").read_text())
}
STAGES = [*CORE_STAGES, entities]


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return default_knowledge()


@pytest.fixture(scope="module")
def seed() -> podium.Transcript:
    return podium.analyze(SEED, stages=STAGES)


def sentence(doc: podium.Transcript, opening: str):
    found = [s for s in doc.sentences if s.text.startswith(opening)]
    assert found, f"no sentence opens with {opening!r}"
    return found[0]


def excerpt(id_: str) -> podium.Transcript:
    x = EXCERPTS[id_]
    return podium.analyze(x["text"], meta={"date": x["date"], "title": x["title"]}, stages=STAGES)


def names(doc_or_entities) -> set[tuple[str, str, str | None]]:
    ents = getattr(doc_or_entities, "entities", doc_or_entities)
    return {(e.text, e.label, e.kb_id) for e in ents}


# --------------------------------------------------------------------------------------------
# The knowledge files
# --------------------------------------------------------------------------------------------


def test_new_tables_load_with_their_records(kb):
    assert {"regions", "orgs", "treaties", "issues"} <= set(TABLES)
    assert len(kb.orgs) >= 150 and len(kb.treaties) >= 60 and len(kb.regions) >= 60
    assert len(kb.issue_terms) >= 500
    assert {t.issue for t in kb.issue_terms} >= set(ISSUES)
    assert {t.issue for t in kb.treaties} <= set(ISSUES)
    assert kb.find_org("the UN Security Council").id == "un_security_council"
    assert kb.find_org("Hezbollah").id == kb.find_org("Hizballah").id == "hizballah"
    assert kb.find_org("IRGC").country == "IRN"
    assert kb.find_org("IAEA").issue == "nonproliferation"
    assert kb.find_treaty("New START").issue == "arms_control"
    assert kb.find_treaty("the Iran nuclear deal").id == "jcpoa"
    assert kb.find_treaty("Minsk Agreements").issue == "territorial_integrity"
    assert kb.find_region("the Western Hemisphere").kind == "continent"
    assert kb.find_region("Middle East").id == "middle_east"
    assert kb.find_org("Middle East") is None


def test_regions_are_not_places(kb):
    place_keys = {p.alias.lower().removeprefix("the ") for p in kb.places}
    for region in kb.regions:
        assert region.name.lower().removeprefix("the ") not in place_keys, region


def test_places_resolve_what_diplomatic_speech_says(kb):
    for name, code in [
        ("the Iranians", "IRN"), ("Russians", "RUS"), ("Tehran", "IRN"), ("the Kremlin", "RUS"),
        ("Pyongyang", "PRK"), ("Kyiv", "UKR"), ("Kiev", "UKR"), ("the White House", "USA"),
        ("the regime in Tehran", "IRN"), ("the Trump administration", "USA"),
        ("the Russian Government", "RUS"), ("Assad regime", "SYR"), ("Kazakhs", "KAZ"),
    ]:  # fmt: skip
        assert kb.country_code(name) == code, name


def test_expand_phrase():
    assert expand_phrase("sanction{,s,ed}") == ["sanction", "sanctions", "sanctioned"]
    assert expand_phrase("detained {in,by} {Russia,Iran}") == [
        "detained in Russia", "detained in Iran", "detained by Russia", "detained by Iran",
    ]  # fmt: skip
    assert expand_phrase("vaccin*") == ["vaccin*"]


@pytest.mark.parametrize(
    "name, line, why",
    [
        ("my_orgs.txt", "acme | Acme | | cartel | |", "kind"),
        ("my_orgs.txt", "acme | Acme | | company | XXX |", "XXX"),
        ("my_orgs.txt", "acme | Acme | | company | | widgets", "issue"),
        ("my_orgs.txt", "Acme Corp | Acme | | company | |", "id"),
        ("my_treaties.txt", "acme_pact | Acme Pact | | friendship |", "issue"),
        ("my_treaties.txt", "acme_pact | Acme Pact | | trade_economy | 99", "year"),
        ("my_treaties.txt", "acme_pact | Acme Pact", "fields"),
        ("my_regions.txt", "acme_land | Acme Land | | planet", "kind"),
        ("my_issues.txt", "widget tariffs | widgets", "issue"),
        ("my_issues.txt", "wid*gets | trade_economy", "'*'"),
        ("my_issues.txt", "widget{s | trade_economy", "brace"),
        ("my_issues.txt", "widget{,s}}x | trade_economy", "brace"),
        ("my_issues.txt", "widgets", "fields"),
        ("my_places.txt", "Acme City | ACM | city", "ACM"),
        ("my_places.txt", "Acme City | USA | government-ish", "kind"),
    ],
)
def test_bad_knowledge_lines_name_file_and_line(tmp_path, name, line, why):
    path = tmp_path / name
    path.write_text(f"# a user file\n# version: 1\n\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=why) as err:
        Knowledge.load(extra=[path])
    assert f"{path}:4:" in str(err.value)


def test_file_names_pick_the_new_tables():
    assert table_for("newsroom_issues.txt") == "issues"
    assert table_for("/x/My-Orgs.TXT") == "orgs"
    assert table_for("treaties.txt") == "treaties"
    assert table_for("more_regions.txt") == "regions"


def test_user_files_extend_the_matcher(tmp_path):
    (tmp_path / "x_issues.txt").write_text("widget tariff{,s} | trade_economy\n")
    (tmp_path / "x_orgs.txt").write_text(
        "acme | Acme Widget Union | AWU | international | | trade_economy\n"
    )
    (tmp_path / "x_treaties.txt").write_text("widget_pact | Widget Pact | | trade_economy | 2031\n")
    (tmp_path / "x_regions.txt").write_text("widgetland | Widgetland | | region\n")
    # A later line wins: the state, not the country, in this user's corpus.
    (tmp_path / "x_places.txt").write_text("Georgia | USA | region-of-country\n")
    kb = Knowledge.load(extra=sorted(tmp_path.iterdir()))
    text = "The AWU and the Widget Pact met in Widgetland and in Georgia over widget tariffs."
    found, places, issues = find_entities(text, kb)
    assert names(found) == {
        ("AWU", "ORG", "acme"), ("Widget Pact", "TREATY", "widget_pact"),
        ("Widgetland", "LOC", "widgetland"), ("Georgia", "GPE", "USA"),
    }  # fmt: skip
    assert [c for _, c in places] == ["USA"]
    assert {i for _, found_issues in issues for i in found_issues} == {"trade_economy"}
    assert kb.country_code("Georgia") == "USA"
    # The package's base is untouched.
    assert default_knowledge().country_code("Georgia") == "GEO"


# --------------------------------------------------------------------------------------------
# The matcher
# --------------------------------------------------------------------------------------------


def test_one_matcher_per_knowledge_built_on_first_use(kb):
    assert kb.matcher is kb.matcher
    assert len(kb.matcher) > 10_000


def spans(kb, text):
    """The top-level matches (not those found inside a longer one)."""
    return [
        (text[h.start : h.end], h.terms[0].kind) for h in kb.matcher.scan(text) if h.outer is None
    ]


def test_whole_words_and_possessives(kb):
    assert spans(kb, "Iranians, Iran’s and Iran-backed militias") == [
        ("Iranians", "place"), ("Iran", "place"), ("Iran", "place"),
    ]  # fmt: skip
    assert spans(kb, "an Irani-style carpet") == []


def test_case_decides_names_and_not_terms(kb):
    assert spans(kb, "a turkey for the holidays") == []
    assert spans(kb, "Turkey and Chad") == [("Turkey", "place"), ("Chad", "place")]
    assert spans(kb, "Sanctions work; sanctions bite") == [
        ("Sanctions", "issue"),
        ("sanctions", "issue"),
    ]
    assert spans(kb, "the Russian government and the Russian Government") == [
        ("Russian government", "place"), ("Russian Government", "place"),
    ]  # fmt: skip


def test_abbreviations_only_in_capitals(kb):
    assert spans(kb, "Let us talk to the US and the U.N.") == [("US", "place"), ("U.N.", "org")]
    assert spans(kb, "LET US GO") == []


def test_longest_match_wins(kb):
    assert spans(kb, "the New START Treaty") == [("New START Treaty", "treaty")]
    assert spans(kb, "as The Washington Post said") == [("Washington Post", "outlet")]
    assert spans(kb, "a nuclear power plant") == [("nuclear power plant", "issue")]


def test_terms_run_on_only_where_the_lexicon_says(kb):
    text = "He sanctioned them; it is important; vaccinations rose."
    issues = {t.issue for h in kb.matcher.scan(text) for t in h.terms}
    assert issues == {"sanctions", "health"}  # not "import" in "important"


def test_names_inside_longer_matches(kb):
    found, places, issues = find_entities("He was detained in Russia.", kb)
    assert [c for _, c in places] == ["RUS"]
    assert names(found) == {("Russia", "GPE", "RUS")}
    assert {i for _, x in issues for i in x} == {"detained_nationals"}
    _, places, _ = find_entities("the Iran nuclear deal and the Minsk agreements", kb)
    assert [c for _, c in places] == ["IRN"]  # a country in a treaty's name; not Minsk


def test_points_back(kb):
    assert kb.matcher.points_back("On this we both agree.")
    assert kb.matcher.points_back("You can see we have some disagreements on this issue.")
    assert not kb.matcher.points_back("We discussed Syria.")
    assert kb.matcher.points_back("IN THAT REGARD, we agree.")  # any case
    assert not kb.matcher.points_back("On thin ice.")


def test_alternatives_is_a_trie_of_the_phrases():
    import re

    from podium.knowledge.matcher import _alternatives

    found = re.compile(_alternatives(["ab", "abc", "b", "a b", "a.c"]))
    assert [bool(found.fullmatch(x)) for x in ["ab", "abc", "b", "a b", "a.c"]] == [True] * 5
    assert not any(found.fullmatch(x) for x in ["a", "abd", "axc", ""])


def test_spells_in_an_office_kind(kb):
    spells, several = kb.matcher.spells_in("Clinton", None)
    assert several and {s.id for s in spells} == {"bill_clinton", "hillary_clinton"}
    spells, several = kb.matcher.spells_in("Clinton", "foreign_minister")
    assert not several and [s.id for s in spells] == ["hillary_clinton"]
    assert kb.matcher.spells_in("Lavrov", "head_of_state") == ((), False)


# --------------------------------------------------------------------------------------------
# The stage on the seed
# --------------------------------------------------------------------------------------------


def test_stage_keeps_the_model_sound(seed):
    assert seed.check() == []
    assert seed.entities and all(seed.text[e.start : e.end] == e.text for e in seed.entities)
    assert [e.start for e in seed.entities] == sorted(e.start for e in seed.entities)
    codes = country_names().codes
    for s in seed.sentences:
        assert all(p in codes for p in s.places), s
        assert len(s.places) == len(set(s.places)) and len(s.issues) == len(set(s.issues))
        assert set(s.issues) <= set(ISSUES), s


@pytest.mark.parametrize(
    "opening, places, issues",
    [
        ("On Venezuela, we have disagreement.", ["VEN"], []),
        ("I urged my Russian colleagues", ["RUS", "VEN"], ["democracy_governance"]),
        (
            "The Trump administration has been clear",
            ["USA", "RUS", "UKR"],
            ["territorial_integrity"],
        ),
        ("Our sanctions have remained in place.", [], ["sanctions"]),
        ("We also discussed North Korea and its nuclear program.", ["PRK"], ["nonproliferation"]),
        ("The United States and Russia agree on the goal", ["USA", "RUS"], ["nonproliferation"]),
        ("I made clear that the United States will continue", ["USA", "IRN"], None),
        ("I also raised the issue of U.S. citizens", ["USA", "RUS"], ["detained_nationals"]),
        ("And we spoke, too, about the question of interference", [], ["elections"]),
        ("You mentioned the New START Treaty", [], ["arms_control"]),
        ("We fundamentally do not seek a war with Iran.", ["IRN"], ["military_force"]),
    ],
)
def test_seed_places_and_issues(seed, opening, places, issues):
    s = sentence(seed, opening)
    assert s.places == places
    if issues is not None:
        assert s.issues == issues


def test_seed_issue_from_the_sentence_before(seed):
    before = sentence(seed, "I hope we can find a way forward")
    assert "humanitarian" in before.issues
    assert sentence(seed, "On this we both agree.").issues == before.issues
    assert sentence(seed, "It is one of President Trump").issues == ["detained_nationals"]
    assert sentence(seed, "We talked about Afghanistan.").issues == []  # no pointer back


def test_seed_entities(seed):
    found = names(seed)
    for expected in [
        ("Putin", "PERSON", "vladimir_putin"), ("Lavrov", "PERSON", "sergey_lavrov"),
        ("Guaido", "PERSON", "juan_guaido"), ("Nicolas Maduro", "PERSON", "nicolas_maduro"),
        ("New START Treaty", "TREATY", "new_start"), ("INF Treaty", "TREATY", "inf_treaty"),
        ("JCPOA", "TREATY", "jcpoa"), ("Hizballah", "ORG", "hizballah"),
        ("Houthis", "ORG", "houthis"), ("regime in Tehran", "ORG", "IRN"),
        ("Russian Government", "ORG", "RUS"), ("Middle East", "LOC", "middle_east"),
        ("Western Hemisphere", "LOC", "western_hemisphere"), ("Kerch Strait", "GPE", "UKR"),
        ("Crimea", "GPE", "UKR"), ("Venezuelan", "NORP", "VEN"), ("Iranians", "NORP", "IRN"),
    ]:  # fmt: skip
        assert expected in found, expected
    # A person counts as their country: "Foreign Minister Lavrov" → RUS.
    assert sentence(seed, "Foreign Minister Lavrov mentioned").places == ["RUS", "SYR"]
    # Labels in capitals are the speakers layer's: no entity inside "SECRETARY POMPEO:".
    labels = [(t.label_start, t.label_end) for t in seed.turns if t.label_start is not None]
    assert not [e for e in seed.entities for a, b in labels if a <= e.start < b]


def test_stage_runs_twice_to_the_same_result(seed):
    again = podium.analyze(SEED, stages=STAGES)
    entities(again, podium.Context(knowledge=default_knowledge()))
    assert [(s.places, s.issues) for s in again.sentences] == [
        (s.places, s.issues) for s in seed.sentences
    ]
    assert names(again) == names(seed)


def test_pipeline_accepts_the_stage():
    pipe = Pipeline([*CORE_STAGES, entities])
    assert pipe.stages[-1].name == "entities" and pipe.stages[-1].provides == "entities"
    with pytest.raises(ValueError, match="needs"):
        Pipeline(["segment", entities])


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


def test_people_resolve_at_the_transcript_date(kb):
    text = "Secretary Pompeo met Foreign Minister Zarif. Pompeo said so."
    found, places, _ = find_entities(text, kb, "2019-05-14")
    assert ("Pompeo", "PERSON", "mike_pompeo") in names(found)
    assert ("Zarif", "PERSON", "mohammad_javad_zarif") in names(found)
    assert [c for _, c in places][:2] == ["USA", "IRN"]


def test_people_the_base_does_not_know_follow_a_title(kb):
    found, places, _ = find_entities("Senator Manchin and Mr. Smithereens spoke.", kb, "2021-02-01")
    assert ("Manchin", "PERSON", None) in names(found)
    assert ("Smithereens", "PERSON", None) in names(found)
    assert places == []


def test_titles_must_fit_the_office(kb):
    found, _, _ = find_entities("Senator Sanders and President Kennedy.", kb, "2016-02-01")
    assert names(found) == {("Sanders", "PERSON", None), ("Kennedy", "PERSON", None)}


def test_bare_surnames_need_office_or_a_fuller_mention(kb):
    found, _, _ = find_entities("Rice said it in May.", kb, "2021-06-01")
    assert ("May", "PERSON", "theresa_may") not in names(found)
    found, _, _ = find_entities("Putin spoke.", kb, "2019-05-14")
    assert names(found) == {("Putin", "PERSON", "vladimir_putin")}
    found, _, _ = find_entities("Gates spoke.", kb, "2021-06-01")  # out of office since 2011
    assert names(found) == set()
    found, _, _ = find_entities("Robert Gates came. Gates spoke.", kb, "2021-06-01")
    assert names(found) == {
        ("Robert Gates", "PERSON", "robert_gates"),
        ("Gates", "PERSON", "robert_gates"),
    }


def test_a_user_official_changes_a_resolution(tmp_path):
    path = tmp_path / "my_officials.txt"
    path.write_text(
        "jane_roe | Jane Roe | Roe | Minister of Foreign Affairs | VEN | 2019-01-01 |\n"
    )
    text = "Foreign Minister Roe and Jane Roe spoke."
    found, places, _ = find_entities(text, default_knowledge(), "2019-05-14")
    assert ("Roe", "PERSON", None) in names(found) and places == []
    found, places, _ = find_entities(text, Knowledge.load(extra=[path]), "2019-05-14")
    assert names(found) == {("Roe", "PERSON", "jane_roe"), ("Jane Roe", "PERSON", "jane_roe")}
    assert [c for _, c in places] == ["VEN", "VEN"]


def test_languages_are_no_peoples(kb):
    found, places, _ = find_entities("He answered (in Russian) and speaks English.", kb)
    assert found == [] and places == []


# --------------------------------------------------------------------------------------------
# Real corpus excerpts (copied into tests/fixtures/entities)
# --------------------------------------------------------------------------------------------


def test_excerpt_jcpoa():
    doc = excerpt(
        "wh-biden-2021-02-05-press-briefing-by-press-secretary-jen-psaki-and-council-of-economic-advisers-member-jared-bernstein-february-5-2021"
    )
    assert {
        ("JCPOA", "TREATY", "jcpoa"),
        ("Iran nuclear deal", "TREATY", "jcpoa"),
        ("P5+1", "ORG", "p5_plus_1"),
    } <= names(doc)
    s = sentence(doc, "If Iran comes back into full compliance")
    assert s.places == ["IRN", "USA"] and s.issues == ["nonproliferation"]


def test_excerpt_houthis():
    doc = excerpt(
        "wh-biden-2021-02-10-press-briefing-by-press-secretary-jen-psaki-february-10-2021"
    )
    s = sentence(doc, "The Houthis, meanwhile")
    assert s.places == ["SAU"] and set(s.issues) == {"terrorism", "military_force"}
    assert "humanitarian" in sentence(doc, "And we will continue our diplomatic outreach").issues


def test_excerpt_strait_of_hormuz():
    doc = excerpt("wh-biden-2022-01-06-press-briefing-by-press-secretary-jen-psaki-january-6-2022")
    s = sentence(doc, "A foreign policy question")
    assert s.places == ["IRN", "USA"] and "maritime_security" in s.issues
    assert sentence(doc, "And it has been an escalation").places == ["IRN", "IRQ", "SYR", "USA"]


def test_excerpt_minsk_is_no_belarus():
    doc = excerpt("wh-biden-2022-02-07-press-briefing-by-press-secretary-jen-psaki-february-7-2022")
    s = sentence(doc, "Obviously, the Minsk agreements")
    assert s.places == ["RUS", "FRA"] and s.issues == ["territorial_integrity"]


def test_excerpt_nord_stream_and_kremlin():
    doc = excerpt(
        "wh-biden-2021-01-26-press-briefing-by-press-secretary-jen-psaki-and-domestic-policy-advisor-susan-rice-january-26-2021"
    )
    assert sentence(doc, "Nord Stream 2 — the pipeline").places == ["RUS", "DEU"]
    assert sentence(doc, "Is he determined to use all the tools").issues == ["sanctions"]
    doc = excerpt("wh-biden-2021-01-29-press-briefing-by-press-secretary-jen-psaki-january-29-2021")
    assert {("Kremlin", "ORG", "RUS"), ("Putin regime", "ORG", "RUS")} <= names(doc)


def test_excerpt_detained_and_denuclearization():
    doc = excerpt("wh-biden-2021-01-25-press-briefing-by-press-secretary-jen-psaki-january-25-2021")
    assert sentence(doc, "What’s going on with Paul Whelan").issues == ["detained_nationals"]
    doc = excerpt(
        "wh-biden-2021-03-16-press-gaggle-by-press-secretary-jen-psaki-aboard-air-force-one-en-route-chester-pa"
    )
    s = sentence(doc, "Well, our objective")
    assert s.places == ["PRK"] and s.issues == ["nonproliferation"]


def test_excerpt_officials_of_2016():
    doc = excerpt("wh-obama-0000")
    assert {
        ("ISIL", "ORG", "isis"),
        ("Carter", "PERSON", "ash_carter"),
        ("Middle East", "LOC", "middle_east"),
    } <= names(doc)
    assert sentence(doc, "I just met again").issues == ["terrorism"]


# --------------------------------------------------------------------------------------------
# The development corpus (skips without ../shared/data)
# --------------------------------------------------------------------------------------------


def test_corpus_invariants():
    codes = country_names().codes
    kb = default_knowledge()
    pipe = Pipeline(STAGES)
    for i, d in enumerate(corpus_docs()):
        if i % 150:
            continue
        doc = podium.analyze(
            d["text"], meta={"date": d["date"], "title": d["title"]}, stages=pipe, knowledge=kb
        )
        assert doc.check() == [], d["id"]
        for s in doc.sentences:
            assert set(s.places) <= codes and set(s.issues) <= set(ISSUES), (d["id"], s.text)
