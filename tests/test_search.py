"""Full-text search: phrases, boolean queries, malformed queries, filters, facets, snippet
marks, paging, and the `podium search` command."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from podium.cli_corpus import highlighted, register
from podium.errors import InputError, QueryError
from podium.store import Store, fts_query
from storekit import CORPUS_FIXTURES, enriched, fixture_doc, plain, variant

SEED_DATE = "2019-05-14"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "s.db"
    with Store.open(path) as s:
        s.add(enriched(), "seed.txt")
        s.add(enriched(variant(("frank discussion", "candid discussion"), date="2021-03-02")), "variant.txt")
        for p in CORPUS_FIXTURES[:4]:
            s.add(plain(fixture_doc(p)), str(p))
    return path


@pytest.fixture(scope="module")
def store(db):
    with Store.open(db, readonly=True) as s:
        yield s


def total(store, q, **kw) -> int:
    return store.search(q, **kw)["total"]


def test_phrase(store):
    r = store.search('"new start"', speaker="pompeo", year=2019)
    assert r["total"] == 2
    hit = r["hits"][0]
    assert "\x02New START\x03" in hit["snippet"]
    assert hit["text"].replace("\x02", "") == hit["text"]
    assert set(hit) == {"doc_id", "title", "date", "sentence_id", "turn_id", "speaker_id", "speaker", "role",
                        "text", "snippet", "places", "issues", "rank"}  # fmt: skip
    # A phrase is stricter than its words.
    assert total(store, "new start") >= total(store, '"new start"')


def test_boolean(store):
    a, b = total(store, "Venezuela"), total(store, "Ukraine")
    both, either = total(store, "Venezuela AND Ukraine"), total(store, "Venezuela OR Ukraine")
    assert a and b
    assert either == a + b - both
    assert total(store, "Venezuela NOT Maduro") == a - total(store, "Venezuela AND Maduro")
    assert total(store, "(Venezuela OR Ukraine) AND Russia") <= either
    assert total(store, "sanction*") >= total(store, "sanctions")


def test_ranked(store):
    ranks = [h["rank"] for h in store.search("Russia", limit=50)["hits"]]
    assert ranks == sorted(ranks)  # bm25: lower is better


@pytest.mark.parametrize("q", ["AND", "Russia AND", "OR Russia", "(Russia", "Russia)", '"unclosed phrase',
                               "NOT", "Russia NOT", "()"])  # fmt: skip
def test_malformed_query(store, q):
    with pytest.raises(QueryError) as e:
        store.search(q)
    message = str(e.value)
    assert isinstance(e.value, InputError)
    assert "\n" not in message and "fts5" not in message.lower() and "sqlite" not in message.lower()
    assert message.endswith(".")


@pytest.mark.parametrize(
    "q", ["U.S.", "Jong-un", "text:Russia", "Russia's", "^Russia", "'; DROP TABLE documents; --", "100%",
          "NEAR", "café", "a_b", '"Russia" "Ukraine"', "it's"],
)  # fmt: skip
def test_punctuation_is_searchable(store, q):
    store.search(q)  # no error
    assert store.stats()["documents"] == 6


def test_query_translation():
    assert fts_query("U.S. sanctions") == '"U.S." sanctions'
    assert fts_query('"new start" OR (iran AND NOT x)') == '"new start" OR ( iran AND NOT x )'
    assert fts_query('say "hi"there') == 'say "hi" there'
    assert fts_query("text:x") == '"text:x"'
    with pytest.raises(QueryError):
        fts_query("   ")


def test_filters(store):
    hits = store.search("Russia", speaker="POMPEO", limit=100)["hits"]
    assert hits and {h["speaker"] for h in hits} == {"Michael R. Pompeo"}
    assert {h["role"] for h in store.search("Russia", role="journalist")["hits"]} == {"journalist"}
    prk = store.search("United States", place="prk")["hits"]
    assert prk and all("PRK" in h["places"] for h in prk)
    sanctions = store.search("sanctions", issue="SANCTIONS")
    assert sanctions["total"] == 4  # s18 and s29 in the seed and its variant
    assert all("sanctions" in h["issues"] for h in sanctions["hits"])
    assert {h["date"] for h in store.search("Russia", year="2021")["hits"]} == {"2021-03-02"}
    assert {h["date"] for h in store.search("Russia", until="2019")["hits"]} == {SEED_DATE}
    assert {h["date"] for h in store.search("Russia", since="2021-03", until="2021-03")["hits"]} == {"2021-03-02"}
    assert total(store, "Russia", since="2019-05-15", until="2021-03-01") == 0
    assert total(store, "Russia", speaker="nobody of that name") == 0
    assert total(store, "Russia", speaker="POMPEO") == total(store, "Russia", speaker="Michael Pompeo") > 0
    assert total(store, "Russia", speaker="pomp") == 0  # whole words
    assert total(store, "Russia", speaker="mike_pompeo") > 0  # the knowledge base's id
    assert total(store, "Russia", speaker='") OR (x') == 0  # a value cannot change the query
    assert total(store, "Russia", role='journalist" OR "principal') == 0
    with pytest.raises(QueryError, match="no letters"):
        store.search("Russia", speaker="%")


@pytest.mark.parametrize("kw", [{"since": "2019-13"}, {"until": "yesterday"}, {"since": "2019-02-30x"},
                                {"year": "19"}, {"year": "twenty"}, {"limit": "many"}])  # fmt: skip
def test_bad_filters(store, kw):
    with pytest.raises(QueryError):
        store.search("Russia", **kw)


def test_filters_alone_browse(store):
    r = store.search(None, issue="nonproliferation")
    assert r["total"] == 6 and all(h["rank"] is None for h in r["hits"])
    assert r["hits"][0]["date"] == "2021-03-02"  # newest first
    nothing = store.search("")
    assert nothing["total"] == 0 and nothing["hits"] == [] and not any(nothing["facets"].values())


def test_window_bounds_the_work(store, monkeypatch):
    import podium.store

    whole = store.search("Russia")
    assert whole["considered"] == whole["total"] > 5
    monkeypatch.setattr(podium.store, "SEARCH_WINDOW", 5)
    r = store.search("Russia", limit=50)
    assert r["total"] == whole["total"] and r["considered"] == 5
    # ranked and counted among the most recent matches: the 2021 variant's
    assert len(r["hits"]) == 5 and {h["date"] for h in r["hits"]} == {"2021-03-02"}
    assert sum(n for _, n in r["facets"]["year"]) == 5
    assert store.search("Russia", speaker="pompeo", year=2019)["total"] == whole["total"] - total(
        store, "Russia", year=2021) - total(store, "Russia", role="journalist", year=2019)


def test_undated_documents(tmp_path):
    undated = variant(("frank discussion", "undated discussion"))
    undated.meta.date = None
    with Store.open(tmp_path / "u.db") as s:
        s.add(undated)
        s.add(enriched())
        assert total(s, "undated") == 1
        assert total(s, "undated", since="1800") == 0  # a date filter leaves undated documents out
        assert total(s, "frank", until="2019-05-14") == 1 and total(s, "frank", until="2019-05-13") == 0
        assert total(s, "frank", since="2019-05-14") == 1 and total(s, "frank", since="2019-05-15") == 0
        assert s.search("Russia")["facets"]["year"] == [["2019", total(s, "Russia", year=2019)]]


def test_facets(store):
    r = store.search("Russia OR Russian")
    f = r["facets"]
    assert set(f) == {"speaker", "role", "place", "issue", "year"}
    assert sum(n for _, n in f["role"]) == r["total"]
    assert sum(n for _, n in f["year"]) == r["total"]
    assert dict(f["year"]).keys() >= {"2019", "2021"}
    assert f["speaker"][0][0] == "Michael R. Pompeo"
    assert ["RUS", 2] in f["place"] and ["nonproliferation", 2] in f["issue"]
    # Facets count what the filters leave.
    narrowed = store.search("Russia OR Russian", year=2019)["facets"]
    assert narrowed["year"] == [["2019", sum(n for y, n in f["year"] if y == "2019")]]
    json.dumps(r)


def test_paging(store):
    whole = store.search("the", limit=30)
    page = store.search("the", limit=10, offset=10)
    assert page["total"] == whole["total"]
    assert [h["sentence_id"] + h["doc_id"] for h in page["hits"]] == [
        h["sentence_id"] + h["doc_id"] for h in whole["hits"][10:20]
    ]
    assert store.search("the", limit=0)["hits"] == []


def test_snippet_marks_balanced(store):
    for h in store.search("Russia OR sanctions OR president", limit=100)["hits"]:
        assert h["snippet"].count("\x02") == h["snippet"].count("\x03") >= 1
        assert h["snippet"].replace("\x02", "").replace("\x03", "").strip("…") in h["text"]


def test_highlighted_terminal_text():
    t = highlighted("a \x02b\x03 [red]c[/red] \x02d\x03")
    assert t.plain == "a b [red]c[/red] d"
    styled = [t.plain[s.start : s.end] for s in t.spans]
    assert styled == ["b", "d"]


# -- the command line --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app():
    a = typer.Typer()
    register(a)
    return a


def test_cli_search(app, db):
    r = CliRunner().invoke(app, ["search", '"new start"', "--db", str(db), "--speaker", "pompeo"])
    assert r.exit_code == 0, r.output
    assert "matches for" in r.output and "Michael R. Pompeo" in r.output and SEED_DATE in r.output
    assert "New START" in r.output and "\x02" not in r.output


def test_cli_search_json(app, db):
    r = CliRunner().invoke(app, ["search", "Russia", "--db", str(db), "--json", "--limit", "2", "--year", "2019"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert len(data["hits"]) == 2 and data["facets"]["year"][0][0] == "2019"


def test_cli_search_env_db(app, db):
    r = CliRunner().invoke(app, ["search", "Russia", "--limit", "1"], env={"PODIUM_DB": str(db)})
    assert r.exit_code == 0 and "matches for Russia" in r.output


@pytest.mark.parametrize(
    "args, expected",
    [(["Russia AND"], "not a valid query"), (["Russia", "--since", "May"], "not a date"),
     (["Russia", "--db", "/nonexistent/podium.db"], "no podium database")],
)  # fmt: skip
def test_cli_search_errors(app, db, args, expected):
    if "--db" not in args:
        args = [*args, "--db", str(db)]
    r = CliRunner().invoke(app, ["search", *args])
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("podium: error:") and expected in lines[0]
    assert "Traceback" not in r.output
