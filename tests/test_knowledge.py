"""The knowledge base: its grammar, its data and its lookups."""

from __future__ import annotations

import dataclasses
import importlib.resources
import time
from collections import defaultdict

import pytest

from podium.knowledge import (
    ORG_CODES,
    Knowledge,
    Office,
    Official,
    default_knowledge,
    fold,
)
from podium.knowledge.loader import TABLES, country_names, parse_text, table_for

DATA = importlib.resources.files("podium.knowledge").joinpath("data")


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return default_knowledge()


def _data_lines(table: str) -> list[tuple[int, str]]:
    text = DATA.joinpath(f"{table}.txt").read_text(encoding="utf-8")
    out = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if line:
            out.append((n, line))
    return out


# --------------------------------------------------------------------------------------------
# The grammar
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", list(TABLES))
def test_every_file_has_a_header_with_version_and_grammar(table):
    text = DATA.joinpath(f"{table}.txt").read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0]
    assert header.startswith("# ")
    assert "# version: 1" in header
    assert "Grammar" in header


@pytest.mark.parametrize(
    "line, why",
    [
        ("sergey_lavrov | Sergey Lavrov | | Minister | RUS | 2004-03-09", None),  # end omitted: ok
        ("sergey_lavrov | Sergey Lavrov | | Minister | RUS", "fields"),
        ("sergey_lavrov | Sergey Lavrov | | Minister | RUS | 2004-03-09 | | extra", "fields"),
        ("sergey_lavrov | Sergey Lavrov | | Minister | RUSSIA | 2004-03-09 |", "RUSSIA"),
        ("sergey_lavrov | Sergey Lavrov | | Minister | RUS | 9 March 2004 |", "YYYY-MM-DD"),
        ("sergey_lavrov | Sergey Lavrov | | Minister | RUS | 2004-02-30 |", "does not exist"),
        ("sergey_lavrov | Sergey Lavrov | | Minister | RUS | 2004-03-09 | 2001-01-01", "before"),
        ("Sergey Lavrov | Sergey Lavrov | | Minister | RUS | 2004-03-09 |", "id"),
        ("sergey_lavrov | | | Minister | RUS | 2004-03-09 |", "full name"),
    ],
)
def test_malformed_official_line(tmp_path, line, why):
    path = tmp_path / "my_officials.txt"
    path.write_text(f"# my officials\n# version: 1\n\n{line}\n", encoding="utf-8")
    if why is None:
        Knowledge.load(extra=[path])
        return
    with pytest.raises(ValueError) as err:
        Knowledge.load(extra=[path])
    message = str(err.value)
    assert f"{path}:4:" in message
    assert why in message


@pytest.mark.parametrize(
    "name, line, why",
    [
        ("my_offices.txt", "foreign minister | boss | | foreign_minister", "role"),
        ("my_offices.txt", "foreign minister | principal | | chief", "kind"),
        ("my_outlets.txt", "Daily Planet | | Metropolis | newspaper", "Metropolis"),
        ("my_outlets.txt", "Daily Planet | | USA | tabloid", "kind"),
        ("my_places.txt", "Metropolis | USA", "fields"),
        ("my_places.txt", "Metropolis | USA | town", "kind"),
        ("my_publishers.txt", "Daily Planet | | USA | blog", "kind"),
        ("my_discourse.txt", "Of course", "one word"),
    ],
)
def test_malformed_lines_in_other_tables(tmp_path, name, line, why):
    path = tmp_path / name
    path.write_text(f"# comment\n\n{line}  # trailing comment\n", encoding="utf-8")
    with pytest.raises(ValueError, match=why) as err:
        Knowledge.load(extra=[path])
    assert f"{path}:3:" in str(err.value)


def test_file_name_decides_the_table(tmp_path):
    assert table_for("my_officials.txt") == "officials"
    assert table_for("/x/y/Newsroom-Outlets.TXT") == "outlets"
    assert table_for("offices.txt") == "offices"
    with pytest.raises(ValueError, match="officials.txt"):
        table_for(tmp_path / "people.txt")


def test_comments_blank_lines_and_empty_optional_fields():
    codes = country_names().codes
    text = "# header\n\n  # indented comment\nDaily Planet |  | USA | newspaper # a comment\n"
    (rec,) = parse_text(text, "x_outlets.txt", "outlets", codes)
    assert rec.line == 4
    assert rec.fields == ("Daily Planet", "", "USA", "newspaper")


def test_an_id_keeps_one_name(tmp_path):
    path = tmp_path / "my_officials.txt"
    path.write_text("sergey_lavrov | Sergei Lavrov | | Spokesman | RUS | 1990-01-01 | 1991-01-01\n")
    with pytest.raises(ValueError, match=r"my_officials.txt:1: id 'sergey_lavrov'"):
        Knowledge.load(extra=[path])


# --------------------------------------------------------------------------------------------
# User files extend the base
# --------------------------------------------------------------------------------------------


def test_extra_file_extends_officials(tmp_path):
    path = tmp_path / "my_officials.txt"
    path.write_text(
        "# version: 1\n"
        "jane_doe | Jane Doe | Doe | Mayor of Springfield | USA | 2020-01-01 |\n"
        "sergey_lavrov | Sergey Lavrov | Lavrow-Sergejewitsch | Ambassador | RUS | 1980-01-01 | 1981-01-01\n",
        encoding="utf-8",
    )
    kb = Knowledge.load(extra=[str(path)])
    doe = kb.find_official("MAYOR DOE", "2021-06-01")
    assert doe is not None and doe.id == "jane_doe" and doe.country == "USA"
    # A new spell and a new alias for someone the base knows.
    old = kb.find_official("Lavrow-Sergejewitsch", "1980-06-01")
    assert old is not None and old.id == "sergey_lavrov" and old.office == "Ambassador"
    assert kb.find_official("Lavrov", "2019-05-14").office == "Minister of Foreign Affairs"
    # The default base is untouched.
    assert default_knowledge().find_official("Jane Doe") is None


def test_extra_files_extend_the_other_tables(tmp_path):
    (tmp_path / "x_outlets.txt").write_text("Springfield Shopper | Shopper | USA | newspaper\n")
    (tmp_path / "x_places.txt").write_text("Springfield | USA | city\n")
    (tmp_path / "x_offices.txt").write_text("dogcatcher | principal | USA | official\n")
    (tmp_path / "x_publishers.txt").write_text("Springfield City Hall | | USA | government\n")
    (tmp_path / "x_discourse.txt").write_text("Ahoy\n")
    kb = Knowledge.load(extra=sorted(tmp_path.iterdir()))
    assert kb.find_outlet("Springfield Shopper newspaper").name == "Springfield Shopper"
    assert kb.country_code("Springfield") == "USA"
    assert kb.find_office("DOGCATCHER").kind == "official"
    assert kb.find_publisher("SPRINGFIELD CITY HALL").kind == "government"
    assert "ahoy" in kb.discourse_words


# --------------------------------------------------------------------------------------------
# The data
# --------------------------------------------------------------------------------------------


def test_sizes(kb):
    assert len(kb.officials) >= 250
    assert len({o.id for o in kb.officials}) >= 250
    assert len(kb.outlets) >= 150
    assert len(kb.places) >= 300
    assert len(kb.discourse_words) >= 150
    assert len(kb.publishers) >= 20


def test_ids_are_unique_per_person(kb):
    names_by_id: dict[str, set[str]] = defaultdict(set)
    ids_by_name: dict[str, set[str]] = defaultdict(set)
    for o in kb.officials:
        names_by_id[o.id].add(o.name)
        ids_by_name[fold(o.name)].add(o.id)
    assert {i: n for i, n in names_by_id.items() if len(n) > 1} == {}
    assert {n: i for n, i in ids_by_name.items() if len(i) > 1} == {}


def test_spells_are_well_formed(kb):
    seen = set()
    for o in kb.officials:
        assert o.end is None or o.start < o.end, o
        key = (o.id, o.office, o.start)
        assert key not in seen, key
        seen.add(key)
    by_office = defaultdict(list)
    for o in kb.officials:
        by_office[(o.id, o.office, o.country)].append(o)
    for spells in by_office.values():
        spells.sort(key=lambda s: s.start)
        for a, b in zip(spells, spells[1:], strict=False):
            assert a.end is not None and a.end <= b.start, (a, b)


@pytest.mark.parametrize(
    "office, country",
    [
        ("President of the United States", "USA"),
        ("Secretary of State", "USA"),
        ("White House Press Secretary", "USA"),
        ("President of Russia", "RUS"),
        ("Minister of Foreign Affairs", "RUS"),
        ("Minister of Foreign Affairs", "CHN"),
        ("Minister of Foreign Affairs", "IRN"),
        ("Prime Minister of the United Kingdom", "GBR"),
        ("Secretary General of NATO", "NATO"),
        ("Secretary-General of the United Nations", "UN"),
    ],
)
def test_single_holder_offices_do_not_overlap(kb, office, country):
    spells = sorted(
        (o for o in kb.officials if o.office == office and o.country == country),
        key=lambda o: o.start,
    )
    assert len(spells) >= 3
    for a, b in zip(spells, spells[1:], strict=False):
        assert a.end is not None and a.end <= b.start, (a.id, b.id)


def test_every_country_code_is_valid(kb):
    codes = country_names().codes | ORG_CODES
    assert {"NATO", "UN", "EU"} <= ORG_CODES
    for o in kb.officials:
        assert o.country in codes, o
    for o in kb.offices:
        assert o.country is None or o.country in codes, o
    for x in (*kb.outlets, *kb.places):
        assert x.country in codes, x
    for p in kb.publishers:
        assert p.country is None or p.country in codes, p
    # The org codes a file uses are the ones its header documents.
    header = DATA.joinpath("officials.txt").read_text(encoding="utf-8").split("\n\n", 1)[0]
    for code in {o.country for o in kb.officials} & ORG_CODES:
        assert f"{code} " in header


@pytest.mark.parametrize("table", list(TABLES))
def test_no_duplicate_lines(table):
    lines = _data_lines(table)
    seen: dict[str, int] = {}
    for n, line in lines:
        key = " ".join(line.lower().split())
        assert key not in seen, f"{table}.txt:{n} repeats line {seen[key]}"
        seen[key] = n


def test_no_duplicate_keys(kb):
    # Places: one alias, one country.
    places = defaultdict(list)
    for p in kb.places:
        key = fold(p.alias).removeprefix("the ")
        places[key].append(p.alias)
    assert {k: v for k, v in places.items() if len(v) > 1} == {}
    # Outlets and publishers: an alias names one organisation.
    for table in (kb.outlets, kb.publishers):
        owners = defaultdict(set)
        for x in table:
            for alias in (x.name, *x.aliases):
                owners[fold(alias)].add(x.name)
        assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    # Offices: one line per phrase and section (periods aside: "mr" and "mr." are both listed).
    phrases = defaultdict(list)
    for o in kb.offices:
        phrases[(o.phrase.replace("-", " "), o.kind == "generic")].append(o)
    assert {k: v for k, v in phrases.items() if len(v) > 1} == {}


def test_load_is_fast():
    best = min(_timed_load() for _ in range(3))
    assert best < 0.15, f"loading took {best * 1000:.0f} ms"


def _timed_load() -> float:
    t = time.perf_counter()
    Knowledge.load()
    return time.perf_counter() - t


def test_default_knowledge_is_loaded_once():
    assert default_knowledge() is default_knowledge()


def test_records_are_frozen(kb):
    with pytest.raises(dataclasses.FrozenInstanceError):
        kb.officials[0].name = "x"  # type: ignore[misc]
    assert isinstance(kb.officials[0].aliases, tuple)


# --------------------------------------------------------------------------------------------
# Officials
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Michael R. Pompeo", "POMPEO", "Mike Pompeo", "Michael Pompeo", "pompeo", "Mr. Pompeo"]
)
def test_find_officials_forms_of_a_name(kb, name):
    assert {o.id for o in kb.find_officials(name)} == {"mike_pompeo"}


def test_find_officials_returns_every_spell(kb):
    spells = kb.find_officials("Pompeo")
    assert {o.office for o in spells} == {
        "Secretary of State",
        "Director of the Central Intelligence Agency",
    }
    assert all(isinstance(o, Official) for o in spells)
    assert kb.find_officials("Vladimir Solovyov") == []
    assert kb.find_officials("") == []


def test_accents_and_case_do_not_matter(kb):
    assert {o.id for o in kb.find_officials("ÇAVUŞOĞLU")} == {"mevlut_cavusoglu"}
    assert {o.id for o in kb.find_officials("Cavusoglu")} == {"mevlut_cavusoglu"}
    assert {o.id for o in kb.find_officials("ERDOĞAN")} == {"recep_tayyip_erdogan"}
    assert {o.id for o in kb.find_officials("Erdogan")} == {"recep_tayyip_erdogan"}
    fernandez = {o.id for o in kb.find_officials("FERNÁNDEZ")}
    assert fernandez == {o.id for o in kb.find_officials("Fernandez")}
    assert "alberto_fernandez" in fernandez


def test_pompeo_in_2019_is_secretary_of_state(kb):
    o = kb.find_official("Pompeo", "2019-05-14")
    assert (o.id, o.office, o.country) == ("mike_pompeo", "Secretary of State", "USA")
    o = kb.find_official("SECRETARY POMPEO", "2019-05-14")
    assert o.office == "Secretary of State"
    o = kb.find_official("Pompeo", "2017-06-01")
    assert o.office == "Director of the Central Intelligence Agency"


def test_label_with_office(kb):
    o = kb.find_official("FOREIGN MINISTER LAVROV")
    assert (o.id, o.country) == ("sergey_lavrov", "RUS")
    assert kb.find_official("Prime* Minister Lavrov", "2019-05-14").id == "sergey_lavrov"
    assert kb.find_official("Lavrov", "2019-05-14", "foreign minister").office == (
        "Minister of Foreign Affairs"
    )
    assert kb.find_official("Sergei Lavrov").id == "sergey_lavrov"
    assert kb.find_official("Sergey Viktorovich Lavrov").id == "sergey_lavrov"


def test_title_before_a_full_name(kb):
    plain = kb.find_official("Vladimir Putin", "2019-05-14")
    titled = kb.find_official("President of Russia Vladimir Putin", "2019-05-14")
    assert plain.id == titled.id == "vladimir_putin"
    assert titled.office == "President of Russia"
    assert kb.find_official("Russian Foreign Minister Sergey Lavrov").id == "sergey_lavrov"


def test_transliterations(kb):
    ids = {kb.find_official(n).id for n in ("Zelensky", "Zelenskyy", "Zelenskiy", "ZELENSKY")}
    assert ids == {"volodymyr_zelenskyy"}
    assert kb.find_official("Kiev Zelensky") is not None  # a place word may stand before
    assert kb.find_official("Lukashenka").id == "alexander_lukashenko"


def test_in_office_then_nearest(kb):
    assert kb.find_official("Clinton", "1995-06-01").id == "bill_clinton"
    assert kb.find_official("Clinton", "2010-06-01").id == "hillary_clinton"
    assert kb.find_official("Bush", "2005-06-01").id == "george_w_bush"
    assert kb.find_official("Bush", "2012-06-01").id == "george_w_bush"  # nearest
    assert kb.find_official("Psaki", "2014-05-01").office == "State Department Spokesperson"
    assert kb.find_official("Psaki", "2021-05-01").office == "White House Press Secretary"
    assert kb.find_official("Kirby", "2023-01-10").office.startswith("National Security Council")
    assert kb.find_official("Kirby", "2016-01-10").office == "State Department Spokesperson"
    assert kb.find_official("Trump", "2025-03-01").end is None
    assert kb.find_official("Guaido", "2019-05-14").office.startswith("Interim President")


def test_ambiguous_names_give_none(kb):
    assert kb.find_official("Kim") is None
    assert kb.find_official("Johnson") is None
    assert kb.find_official("Wang", "2021-01-01") is None
    assert kb.find_official("Johnson", "2024-03-01").id == "mike_johnson"
    assert kb.find_official("Johnson", office_hint="prime minister").id == "boris_johnson"
    assert kb.find_official("PRIME MINISTER JOHNSON").id == "boris_johnson"
    assert kb.find_official("Wang", "2021-01-01", "foreign minister").id == "wang_yi"
    assert kb.find_official("Kim Jong Un").id == "kim_jong_un"
    assert kb.find_official("Kim Jong-un", "2019-02-27").country == "PRK"


def test_unknown_first_names_are_not_stretched(kb):
    # A different first name before a known surname is another person.
    assert kb.find_official("Kelly Johnson") is None
    assert kb.find_official("Natalia Pompeo") is None
    # A transliterated first name with the same initial is the same person.
    assert kb.find_official("Sergej Lavrov").id == "sergey_lavrov"


def test_dates_may_be_partial(kb):
    assert kb.find_official("Pompeo", "2019").office == "Secretary of State"
    assert kb.find_official("Pompeo", "2019-05").office == "Secretary of State"


def test_spokespeople(kb):
    assert kb.find_official("MS. ZAKHAROVA").country == "RUS"
    assert kb.find_official("Peskov", "2020-01-01").office.startswith("Press Secretary")
    for name in (
        "Hua Chunying",
        "Zhao Lijian",
        "Wang Wenbin",
        "Mao Ning",
        "Lin Jian",
        "Geng Shuang",
        "Lu Kang",
    ):
        assert kb.find_official(name).country == "CHN", name
    for name in (
        "Gibbs",
        "Carney",
        "Earnest",
        "Spicer",
        "Sanders",
        "Grisham",
        "McEnany",
        "Jean-Pierre",
        "Leavitt",
    ):
        spells = kb.find_officials(name)
        assert any(s.office == "White House Press Secretary" for s in spells), name
    assert kb.find_official("MS. JEAN-PIERRE", "2023-03-01").id == "karine_jean_pierre"
    # In 2012 both Jay Carney (press secretary) and Mark Carney (central banker) held office.
    assert kb.find_official("Carney", "2012-06-01") is None
    assert kb.find_official("Carney", "2012-06-01", "press secretary").id == "jay_carney"
    assert kb.find_official("Carney", "2025-06-01").id == "mark_carney"


# --------------------------------------------------------------------------------------------
# Offices, honorifics, generic labels
# --------------------------------------------------------------------------------------------


def test_offices_sorted_longest_first(kb):
    lengths = [len(o.phrase) for o in kb.offices]
    assert lengths == sorted(lengths, reverse=True)


def test_find_office(kb):
    o = kb.find_office("Secretary of State")
    assert (o.role, o.country, o.kind) == ("principal", "USA", "foreign_minister")
    assert kb.find_office("FOREIGN MINISTER").kind == "foreign_minister"
    assert kb.find_office("Minister of Foreign Affairs").kind == "foreign_minister"
    assert kb.find_office("president").kind == "head_of_state"
    assert kb.find_office("The President").kind == "head_of_state"
    assert kb.find_office("press secretary").kind == "spokesperson"
    assert kb.find_office("MR.").kind == "honorific"
    assert kb.find_office("MR").kind == "honorific"
    assert kb.find_office("Under Secretary").role == "principal"
    assert kb.find_office("Secretary General").kind == "official"
    assert kb.find_office("plumber") is None
    for phrase in ("spokesperson", "spokesman", "deputy secretary", "assistant secretary",
                   "ambassador", "secretary", "prime minister", "chancellor", "general",
                   "admiral", "administrator", "director", "chair", "chairman", "senator",
                   "governor", "mayor", "representative", "surgeon general",
                   "senior administration official", "senior state department official",
                   "senior official", "administration official", "official", "aide",
                   "white house aide", "staff"):  # fmt: skip
        assert isinstance(kb.find_office(phrase), Office), phrase


def test_honorifics(kb):
    for h in ("mr", "mr.", "ms", "mrs", "dr", "dr.", "miss", "mx", "sir", "dame", "madam",
              "mme", "m.", "herr", "frau", "gospodin"):  # fmt: skip
        assert h in kb.honorifics, h
    assert "he" not in kb.honorifics
    assert all(h == h.lower() for h in kb.honorifics)


@pytest.mark.parametrize(
    "label, role",
    [
        ("Q", "journalist"),
        ("Q.", "journalist"),
        ("Q:", "journalist"),
        ("QUESTION", "journalist"),
        ("Question", "journalist"),
        ("REPORTER", "journalist"),
        ("AUDIENCE MEMBER", "journalist"),
        ("MODERATOR", "moderator"),
        ("THE MODERATOR", "moderator"),
        ("OPERATOR", "moderator"),
        ("INTERPRETER", "interpreter"),
        ("A", "principal"),
        ("ANSWER", "principal"),
        ("SENIOR ADMINISTRATION OFFICIAL", "principal"),
        ("UNIDENTIFIED SPEAKER", "other"),
        ("PARTICIPANT", "other"),
    ],
)
def test_generic_labels(kb, label, role):
    o = kb.generic_label(label)
    assert o is not None and o.role == role and o.kind == "generic"


def test_a_name_is_not_a_generic_label(kb):
    assert kb.generic_label("SECRETARY POMPEO") is None
    assert kb.generic_label("THE PRESIDENT") is None  # a role filled by a person


# --------------------------------------------------------------------------------------------
# Outlets and publishers
# --------------------------------------------------------------------------------------------


def test_find_outlet(kb):
    o = kb.find_outlet("Kommersant newspaper")
    assert (o.name, o.country) == ("Kommersant", "RUS")
    assert kb.find_outlet("Russia 24 Channel").name == "Russia 24"
    assert kb.find_outlet("Rossiya 24").name == "Russia 24"
    assert kb.find_outlet("RIA Novosti news agency").name == "RIA Novosti"
    assert kb.find_outlet("the new york times").name == "The New York Times"
    assert kb.find_outlet("AP").name == "Associated Press"
    assert kb.find_outlet("Phoenix TV").country == "HKG"
    assert kb.find_outlet("Vladimir Solovyov, Kommersant newspaper") is None
    assert kb.find_outlet("newspaper") is None


def test_outlet_in(kb):
    assert kb.outlet_in("Natalia Galetofka, Russia 24 Channel").name == "Russia 24"
    assert kb.outlet_in("Vladimir Solovyov, Kommersant newspaper").name == "Kommersant"
    assert kb.outlet_in("Andrea Mitchell with NBC News").name == "NBC News"  # longest
    assert kb.outlet_in("John Doe from the Wall Street Journal").country == "USA"
    assert kb.outlet_in("It is time to go") is None  # "time" is not Time
    assert kb.outlet_in("Jane Doe, Time magazine").name == "Time"


def test_find_publisher(kb):
    assert kb.find_publisher("VOLTAIRE NETWORK").name == "Voltaire Network"
    assert kb.find_publisher("The White House").country == "USA"
    assert kb.find_publisher("State Department").kind == "ministry"
    assert kb.find_publisher("kremlin.ru").country == "RUS"
    assert kb.find_publisher("Rev.com").kind == "aggregator"
    assert kb.find_publisher("SOCHI (RUSSIAN FEDERATION)") is None


# --------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, code",
    [
        ("RUSSIAN FEDERATION", "RUS"),
        ("Russia", "RUS"),
        ("Sochi", "RUS"),
        ("SOCHI", "RUS"),
        ("the Kremlin", "RUS"),
        ("Kremlin", "RUS"),
        ("Russians", "RUS"),
        ("Russia's", "RUS"),
        ("Tehran", "IRN"),
        ("Iranian", "IRN"),
        ("Kyiv", "UKR"),
        ("Kiev", "UKR"),
        ("Crimea", "UKR"),
        ("Idlib", "SYR"),
        ("Washington", "USA"),
        ("Washington, D.C.", "USA"),
        ("U.S.", "USA"),
        ("US", "USA"),
        ("United States of America", "USA"),
        ("the White House", "USA"),
        ("Foggy Bottom", "USA"),
        ("Downing Street", "GBR"),
        ("the Elysee", "FRA"),
        ("Élysée Palace", "FRA"),
        ("Zhongnanhai", "CHN"),
        ("DPRK", "PRK"),
        ("North Korea", "PRK"),
        ("Republic of Korea", "KOR"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Ivory Coast", "CIV"),
        ("Burma", "MMR"),
        ("Venezuelan", "VEN"),
        ("Iran, Islamic Republic of", "IRN"),  # pycountry's name
        ("Bolivarian Republic of Venezuela", "VEN"),
        ("Norway", "NOR"),
        ("Côte d'Ivoire", "CIV"),
    ],
)
def test_country_code(kb, name, code):
    assert kb.country_code(name) == code


def test_country_code_misses(kb):
    assert kb.country_code("us") is None  # the pronoun, not the country
    assert kb.country_code("Natalia Galetofka") is None
    assert kb.country_code("") is None


# --------------------------------------------------------------------------------------------
# Discourse words
# --------------------------------------------------------------------------------------------


def test_discourse_words(kb):
    for w in ("well", "so", "look", "listen", "yes", "now", "again", "sir", "ma'am", "folks",
              "okay", "ok", "first", "finally", "today", "monday", "january", "everybody",
              "colleagues", "gentlemen", "ladies"):  # fmt: skip
        assert w in kb.discourse_words, w
    assert "guy" not in kb.discourse_words
    assert "may" not in kb.discourse_words  # also a surname
    assert all(w == w.lower() and " " not in w for w in kb.discourse_words)
