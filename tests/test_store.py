"""The corpus store: migrations, round trips, identity and replacement, one transaction per
document, validated ids, verbatim text, and the read side the web UI uses."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest

import podium
from podium.errors import InputError, StoreError
from podium.model import Transcript
from podium.store import MIGRATIONS, Store, prepare_json, valid_doc_id
from storekit import CORPUS_FIXTURES, enriched, fixture_doc, seed, variant


@pytest.fixture(scope="module")
def doc() -> Transcript:
    return enriched()


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "c.db") as s:
        yield s


def test_migrations_recorded_once(tmp_path):
    path = tmp_path / "m.db"
    with Store.open(path) as s:
        first = s.migrations()
    assert [(m["version"], m["name"]) for m in first] == [(m.version, m.name) for m in MIGRATIONS]
    assert all(m["applied_at"] for m in first)
    with Store.open(path) as s:  # reopening applies nothing again
        assert s.migrations() == first
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_refused(tmp_path):
    path = tmp_path / "n.db"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO migrations VALUES (999, 'from the future', '2099-01-01')")
    for readonly in (False, True):
        with pytest.raises(StoreError, match="newer podium"):
            Store.open(path, readonly=readonly)


def test_readonly_needs_an_existing_database(tmp_path):
    with pytest.raises(StoreError, match="no podium database"):
        Store.open(tmp_path / "missing.db", readonly=True)
    assert not (tmp_path / "missing.db").exists()
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable podium database"):
        Store.open(bad)


def test_readonly_refuses_writes(tmp_path, doc):
    path = tmp_path / "r.db"
    with Store.open(path) as s:
        s.add(doc, "a.txt")
    with Store.open(path, readonly=True) as s:
        assert s.stats()["documents"] == 1
        with pytest.raises(StoreError, match="read-only"):
            s.add(doc, "b.txt")


def test_round_trip(store, doc):
    assert store.add(doc, "seed.txt") == "added"
    doc_id = doc.source.sha256[:16]
    stored = store.document_json(doc_id)
    assert stored == doc.to_json(indent=None)
    assert Transcript.from_json(stored).to_dict() == doc.to_dict()


def test_idempotent_and_reanalysed(store, doc):
    assert store.add(doc, "seed.txt") == "added"
    assert store.add(doc, "seed.txt") == "unchanged"
    # The same bytes read under another name are the same document.
    renamed = Transcript.from_json(doc.to_json())
    renamed.source.name = "elsewhere/seed.txt"
    assert store.add(renamed, "seed.txt") == "unchanged"
    # The same bytes analysed differently (a newer pipeline) replace the stored analysis.
    better = Transcript.from_json(doc.to_json())
    better.sentences[0].issues = ["summitry"]
    assert store.add(better, "seed.txt") == "replaced"
    assert store.stats()["documents"] == 1
    assert store.search("Sergey", issue="summitry")["total"] == 1


def test_changed_file_replaces_its_old_version(store, doc):
    assert store.add(doc, "/corpus/sochi.txt") == "added"
    newer = variant(("frank discussion", "candid discussion"))
    assert newer.source.sha256 != doc.source.sha256
    assert store.add(newer, "/corpus/sochi.txt") == "replaced"
    assert store.documents()["total"] == 1
    assert store.document(doc.source.sha256[:16]) is None
    assert store.document(newer.source.sha256[:16])["path"] == "/corpus/sochi.txt"
    # The old version's sentences left the full-text index with it.
    assert store.search("frank")["total"] == 0
    assert store.search("candid")["total"] == 1


def test_a_copy_keeps_its_document(store, doc):
    assert store.add(doc, "/a/sochi.txt") == "added"
    assert store.add(doc, "/b/sochi.txt") == "unchanged"  # a copy: same bytes, second path
    newer = variant(("frank discussion", "candid discussion"))
    assert store.add(newer, "/a/sochi.txt") == "replaced"
    # /b still holds the old bytes, so the old document stays.
    assert store.documents()["total"] == 2
    assert store.document(doc.source.sha256[:16])["path"] == "/b/sochi.txt"


def test_link_skips_analysis(store, doc):
    doc_id = doc.source.sha256[:16]
    assert store.link(doc_id, "/x.txt") is None  # not stored yet: analyse it
    store.add(doc, "/x.txt")
    assert store.link(doc_id, "/x.txt") == "unchanged"
    assert store.link("not-an-id", "/x.txt") is None


def test_one_transaction_per_document(store, doc):
    store.add(doc, "good.txt")
    broken = json.loads(variant(("frank", "open")).to_json())
    broken["sentences"][5]["text"] = None  # fails half-way through the inserts
    before = store.stats()
    with pytest.raises(sqlite3.IntegrityError):
        store.add_json(json.dumps(broken), "broken.txt")
    assert store.stats() == before
    assert store.search("open")["total"] == 0


def test_add_json_refuses_other_json(store):
    with pytest.raises(StoreError, match="podium/1"):
        store.add_json('{"schema": "other"}')
    with pytest.raises(StoreError, match="not podium JSON"):
        store.add_json("{nope")


def test_script_stored_and_returned_verbatim(store):
    hostile = (
        'MODERATOR: Welcome. <script>alert("x")</script> & <b>bold</b>\n\n'
        "SECRETARY POMPEO: We discussed <img src=x onerror=alert(1)> and \x02 markers \x03.\n"
    )
    doc = podium.analyze(hostile, name="<script>.txt", meta={"title": "<script>alert(1)</script>"})
    store.add(doc)
    doc_id = doc.source.sha256[:16]
    assert "<script>alert(\\\"x\\\")</script>" in store.document_json(doc_id)
    assert Transcript.from_json(store.document_json(doc_id)).text == doc.text
    assert store.document(doc_id)["title"] == "<script>alert(1)</script>"
    hit = store.search("script")["hits"][0]
    assert '<script>alert("x")</script>' in hit["text"]
    assert hit["snippet"] == 'Welcome. <\x02script\x03>alert("x")</\x02script\x03> & <b>bold</b>'
    marked = store.search("markers")["hits"][0]
    assert marked["text"].count("\x02") == 1  # the text stays as written...
    assert marked["snippet"].count("\x02") == marked["snippet"].count("\x03") == 1  # ...marks are ours


@pytest.mark.parametrize(
    "bad",
    ["../../etc/passwd", "8ea4416ddc1cbfb8/../x", "8EA4416DDC1CBFB8", "8ea4416ddc1cbfb", "8ea4416ddc1cbfb8a",
     "8ea4416ddc1cbfbz", "' OR 1=1 --", "", None, 123, "8ea4416ddc1cbfb8\n"],
)  # fmt: skip
def test_doc_ids_validated(store, doc, bad):
    store.add(doc)
    assert not valid_doc_id(bad)
    assert store.document(bad) is None
    assert store.document_json(bad) is None
    if bad is not None:  # None means no filter
        assert store.sub_questions(doc_id=bad)["total"] == 0
    assert store.remove(bad) is False


def test_document_summary_and_listing(store, doc):
    store.add(doc, "seed.txt")
    other = variant(("frank discussion", "candid discussion"), date="2021-03-02", title="Réunion à Genève")
    store.add(other, "other.txt")
    summary = store.document(doc.source.sha256[:16])
    assert summary["title"] == doc.meta.title
    assert summary["date"] == "2019-05-14" and summary["country"] == "RUS"
    assert summary["speakers"] == 6  # present speakers; Lavrov is absent from this version
    assert summary["exchanges"] == 4 and summary["warnings"] == 1
    assert summary["words"] == len(doc.text.split())
    listing = store.documents()
    assert listing["total"] == 2
    assert [r["date"] for r in listing["rows"]] == ["2021-03-02", "2019-05-14"]  # newest first
    assert store.documents(q="GENÈVE")["total"] == 1  # case-insensitive, beyond ASCII
    assert store.documents(q="pompeo")["rows"][0]["id"] == doc.source.sha256[:16]
    assert store.documents(q="100%_")["total"] == 0  # LIKE wildcards are literal
    assert store.documents(limit=1, offset=1)["rows"][0]["date"] == "2019-05-14"
    json.dumps(listing)


def test_stats(store, doc):
    empty = store.stats()
    assert empty["documents"] == 0 and empty["first_date"] is None and empty["recent"] == []
    store.add(doc)
    store.add(variant(("frank discussion", "candid discussion"), date="2021-03-02"))
    st = store.stats()
    assert st["documents"] == 2
    assert st["first_date"] == "2019-05-14" and st["last_date"] == "2021-03-02"
    assert st["per_month"] == [["2019-05", 1], ["2021-03", 1]]
    assert st["top_issues"][0] == ["nonproliferation", 3]
    assert ["PRK", 3] in st["top_places"]
    assert st["sub_questions"] == 26 and st["exchanges"] == 8
    assert st["speakers"] == 4  # named speakers with turns, across both documents
    assert [r["date"] for r in st["recent"]] == ["2021-03-02", "2019-05-14"]
    json.dumps(st)


def test_speakers_aggregated(store, doc):
    store.add(doc)
    store.add(variant(("frank discussion", "candid discussion")))
    people = {p["key"]: p for p in store.speakers()}
    pompeo = people["mike_pompeo"]  # aggregated by the knowledge base's id
    assert pompeo["name"] == "Michael R. Pompeo" and pompeo["role"] == "principal"
    assert pompeo["documents"] == 2 and pompeo["turns"] == 10 and pompeo["country"] == "USA"
    assert "sergey_lavrov" not in people  # no turn in this version
    assert all(p["name"] for p in people.values())  # unnamed speakers are skipped
    assert list(people)[0] == "mike_pompeo"  # most words first
    assert len(store.speakers(limit=2)) == 2


def test_sub_questions(store, doc):
    store.add(doc)
    qa = store.sub_questions()
    assert qa["total"] == 13 and qa["considered"] == 13
    in_order = store.sub_questions(doc_id=doc.source.sha256[:16])["rows"]
    assert [r["sub_question_id"] for r in in_order] == [r["sub_question_id"] for r in qa["rows"]][::-1]
    first = in_order[0]
    assert first["questioner"] == "Vladimir Solovyov" and first["outlet"] == "Kommersant"
    assert first["addressees"] == ["Michael R. Pompeo"]
    assert first["answers"][0]["speaker"] == "Michael R. Pompeo"
    assert set(first["answers"][0]) >= {"speaker", "clarity", "evasion", "confidence", "cue"}
    lavrov = store.sub_questions(addressee="LAVROV")
    assert lavrov["total"] == 5
    assert all("Sergey Lavrov" in r["unanswered_by"] for r in lavrov["rows"])
    non = store.sub_questions(clarity="clear_non_reply")
    assert non["total"] == 1 and non["rows"][0]["answers"][0]["evasion"] == "declining_to_answer"
    assert store.sub_questions(clarity="clear_non_reply", evasion="explicit")["total"] == 0
    assert store.sub_questions(issue="arms_control")["total"] == 1
    assert store.sub_questions(doc_id=doc.source.sha256[:16], limit=2)["total"] == 13
    assert len(store.sub_questions(limit=2)["rows"]) == 2
    facets = qa["facets"]
    assert dict(facets["addressee"]) == {"Michael R. Pompeo": 10, "Sergey Lavrov": 5}
    assert dict(facets["clarity"])["ambivalent"] == 5
    assert facets["issue"] == [["arms_control", 1]]
    json.dumps(qa)


def test_sub_questions_window(store, doc, monkeypatch):
    import podium.store

    store.add(doc)
    store.add(enriched(variant(("frank discussion", "candid discussion"), date="2021-03-02")))
    monkeypatch.setattr(podium.store, "SEARCH_WINDOW", 4)
    qa = store.sub_questions(limit=30)
    assert qa["total"] == 26 and qa["considered"] == 4 and len(qa["rows"]) == 26
    assert sum(n for _, n in qa["facets"]["clarity"]) <= 4
    assert {r["date"] for r in qa["rows"][:13]} == {"2021-03-02"}  # newest first
    assert store.sub_questions(addressee="lavrov")["total"] == 10


def test_events_and_relations(store, doc):
    store.add(doc)
    events = store.events()
    assert [e["type"] for e in events] == ["AGREE", "REJECT"]
    e = events[0]
    assert e["speaker"] == "Michael R. Pompeo" and e["sentence_id"] == "s17"
    assert e["text"].startswith("The United States and Russia agree")
    assert e["issues"] == ["nonproliferation"] and e["negated"] is False
    assert len(store.events(actor="rus")) == 2
    assert len(store.events(issue="territorial_integrity")) == 1
    assert len(store.events(type="agree")) == 1
    assert store.events(since="2020") == [] and len(store.events(until="2019-05-14")) == 2
    assert len(store.events(since="2019-05", until="2019-05")) == 2
    assert len(store.events(limit=1)) == 1
    rel = store.relations()
    assert rel[1]["actors"] == ["RUS", "USA"] and rel[1]["stance"] == "disagree"
    assert rel[1]["evidence"] == ["s27", "s28"]
    assert rel[1]["texts"][0] == "We also discussed the situation in Ukraine."
    json.dumps(events), json.dumps(rel)


def test_the_pipelines_layers_stored(store):
    doc = seed()
    store.add(doc)
    assert len(store.events(limit=5000)) == len(doc.events)
    assert len(store.relations(limit=5000)) == len(doc.relations)
    labelled = sum(1 for s in doc.sentences if s.issues)
    assert sum(n for _, n in store.stats()["top_issues"]) >= min(labelled, 1)


def test_corpus_fixtures_round_trip(store):
    for path in CORPUS_FIXTURES[:5]:
        d = fixture_doc(path)
        assert store.add(d, str(path)) == "added"
        assert Transcript.from_json(store.document_json(d.source.sha256[:16])).to_dict() == d.to_dict()
    assert store.stats()["documents"] == 5


def test_remove(store, doc):
    store.add(doc)
    assert store.remove(doc.source.sha256[:16]) is True
    assert store.stats()["documents"] == 0 and store.search("Russia")["total"] == 0
    with sqlite3.connect(store.path) as conn:  # cascades left nothing behind
        for table in ("document_json", "speakers", "turns", "sentences", "sentence_issues", "answers", "events"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_threads_share_a_store(tmp_path, doc):
    path = tmp_path / "t.db"
    with Store.open(path) as s:
        s.add(doc)
    errors: list[BaseException] = []
    with Store.open(path, readonly=True) as s:

        def work():
            try:
                for _ in range(20):
                    assert s.search("Russia")["total"] > 0
                    assert s.stats()["documents"] == 1
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []


def test_prepare_is_backend_neutral_and_picklable(doc):
    import pickle

    p = prepare_json(doc.to_json(indent=None))
    assert pickle.loads(pickle.dumps(p)).doc_id == doc.source.sha256[:16]
    assert len(p.sentences) == len(doc.sentences)


def test_errors_are_input_errors():
    from podium.errors import QueryError

    assert issubclass(QueryError, InputError)
