"""Ingest: directories and JSON-lines corpora, parallel analysis with one writer, idempotent
re-ingest that skips analysis, replacement of changed files, bad files reported while the
others land, and the `podium ingest` command."""

from __future__ import annotations

import gzip
import json
import shutil

import pytest
import typer
from typer.testing import CliRunner

from conftest import SEED, corpus_docs
from podium.cli_corpus import register
from podium.errors import InputError
from podium.ingest import READABLE, expand, ingest
from podium.store import Store
from storekit import CORPUS_FIXTURES, sha16


@pytest.fixture
def folder(tmp_path):
    """The seed, two more transcripts in a subfolder, a binary file, an empty file, and
    files ingest must ignore."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    shutil.copy(SEED, root / "sochi.txt")
    for p in CORPUS_FIXTURES[:2]:
        d = json.loads(p.read_text(encoding="utf-8"))
        (root / "sub" / f"{p.stem[:40]}.txt").write_text(f"{d['title']}\n{d['date']}\n\n{d['text']}", encoding="utf-8")
    (root / "sub" / "broken.txt").write_bytes(b"\x00\x01\x02 binary \x00" * 50)
    (root / "empty.md").write_text("", encoding="utf-8")
    (root / "notes.csv").write_text("a,b\n", encoding="utf-8")  # not a transcript extension
    (root / ".hidden.txt").write_text("Q: hidden?\n", encoding="utf-8")
    return root


def test_readable_matches_the_cli():
    from podium import cli

    assert READABLE == frozenset(cli.READABLE)


def test_expand(folder):
    names = sorted(p.rsplit("/", 1)[-1] for p in expand([folder]))
    assert "notes.csv" not in names and ".hidden.txt" not in names
    assert "sochi.txt" in names and "broken.txt" in names and "empty.md" in names
    assert expand(["missing.txt"]) == ["missing.txt"]  # reported later, with its reason


def test_bad_files_reported_others_stored(folder, tmp_path):
    db = tmp_path / "c.db"
    seen = []
    report = ingest([folder, tmp_path / "missing.txt"], db, workers=2, progress=lambda *a: seen.append(a))
    assert len(report.added) == 3 and report.replaced == [] and report.unchanged == []
    failed = dict(report.failed)
    assert set(failed) == {str(folder / "sub" / "broken.txt"), str(folder / "empty.md"), str(tmp_path / "missing.txt")}
    assert "binary" in failed[str(folder / "sub" / "broken.txt")]
    assert "empty" in failed[str(folder / "empty.md")]
    assert all("\n" not in why for why in failed.values())
    assert not report.ok and report.total == 6
    assert [s[0] for s in seen] == list(range(1, 7)) and {s[1] for s in seen} == {6}
    with Store.open(db, readonly=True) as s:
        assert s.stats()["documents"] == 3
        assert s.document(sha16(SEED.read_bytes()))["path"] == str(folder / "sochi.txt")


def test_reingest_is_idempotent_and_skips_analysis(folder, tmp_path):
    db = tmp_path / "c.db"
    first = ingest([folder], db, workers=1)
    with Store.open(db, readonly=True) as s:
        before = s.stats()
    again = ingest([folder], db, workers=1)
    assert again.added == [] and again.replaced == [] and len(again.unchanged) == 3
    assert again.analysed == 0  # unchanged bytes are recognised by their sha256
    assert len(again.failed) == len(first.failed) == 2  # bad files stay bad
    with Store.open(db, readonly=True) as s:
        assert s.stats() == before
    forced = ingest([folder], db, workers=1, force=True)
    assert forced.analysed == 3 and len(forced.unchanged) == 3  # the same analysis: nothing replaced


def test_changed_file_replaces(folder, tmp_path):
    db = tmp_path / "c.db"
    ingest([folder], db, workers=1)
    seed = folder / "sochi.txt"
    old_id = sha16(seed.read_bytes())
    seed.write_text(seed.read_text(encoding="utf-8").replace("frank discussion", "candid talk"), encoding="utf-8")
    report = ingest([folder], db, workers=1)
    assert report.replaced == [str(seed)] and len(report.unchanged) == 2 and report.analysed == 1
    with Store.open(db, readonly=True) as s:
        assert s.document(old_id) is None
        assert s.document(sha16(seed.read_bytes())) is not None
        assert s.stats()["documents"] == 3
        assert s.search("candid")["total"] == 1 and s.search('"frank discussion"')["total"] == 0


def test_relative_and_absolute_paths_are_one_file(folder, tmp_path, monkeypatch):
    db = tmp_path / "c.db"
    ingest([folder / "sochi.txt"], db, workers=1)
    monkeypatch.chdir(folder)
    assert len(ingest(["sochi.txt"], db, workers=1).unchanged) == 1


def _jsonl(path, records):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as f:
        for r in records:
            f.write((r if isinstance(r, str) else json.dumps(r)) + "\n")
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_jsonl_corpus(tmp_path, gz):
    records = [json.loads(p.read_text(encoding="utf-8")) for p in CORPUS_FIXTURES[:3]]
    corpus = _jsonl(tmp_path / ("c.jsonl.gz" if gz else "c.jsonl"),
                    [*records, "{not json", {"title": "no text"}, ""])  # fmt: skip
    db = tmp_path / "c.db"
    report = ingest([corpus], db, workers=2)
    assert len(report.added) == 3 and len(report.failed) == 2
    assert any("not JSON" in why for _, why in report.failed)
    assert any('no "text"' in why for _, why in report.failed)
    with Store.open(db, readonly=True) as s:
        rows = s.documents()["rows"]
        assert {r["title"] for r in rows} == {r["title"] for r in records}  # the records' metadata
        assert {r["date"] for r in rows} == {r["date"] for r in records}
    assert len(ingest([corpus], db, workers=2).unchanged) == 3


def test_nothing_to_ingest(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no transcript files"):
        ingest([tmp_path / "empty"], tmp_path / "c.db")
    with pytest.raises(InputError, match="knowledge file"):
        ingest([SEED], tmp_path / "c.db", knowledge=[tmp_path / "nope.txt"])
    bad = tmp_path / "my-officials.txt"
    bad.write_text("not | a valid | line\n", encoding="utf-8")
    with pytest.raises(InputError, match="knowledge file not loaded"):
        ingest([SEED], tmp_path / "c.db", knowledge=[bad])


def test_knowledge_files_reach_the_workers(tmp_path):
    kb = tmp_path / "my-officials.txt"
    kb.write_text("anna_zorblat | Anna Zorblat | Zorblat | Minister of Foreign Affairs | FRA | 2020-01-01 |\n",
                  encoding="utf-8")  # fmt: skip
    src = tmp_path / "t.txt"
    src.write_text("Press conference, 2021-06-01\n\nMINISTER ZORBLAT: We met today.\n\nQ: A question?\n\n"
                   "MINISTER ZORBLAT: Yes.\n", encoding="utf-8")  # fmt: skip
    for workers in (1, 2):
        db = tmp_path / f"k{workers}.db"
        report = ingest([src], db, workers=workers, knowledge=[kb])
        assert report.ok, report.failed
        with Store.open(db, readonly=True) as s:
            assert "anna_zorblat" in {p["key"] for p in s.speakers()}


@pytest.fixture(scope="module")
def app():
    a = typer.Typer()
    register(a)
    return a


def test_cli_ingest(app, folder, tmp_path):
    db = tmp_path / "cli.db"
    r = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), "--workers", "1"])
    assert r.exit_code == 1  # two bad files
    assert "3 added · 0 replaced · 0 unchanged · 2 failed" in r.output
    assert "broken.txt" in r.output and "binary" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(app, ["ingest", str(folder / "sochi.txt"), "--workers", "1"], env={"PODIUM_DB": str(db)})
    assert r.exit_code == 0 and "0 added · 0 replaced · 1 unchanged · 0 failed" in r.output


def test_cli_ingest_errors(app, tmp_path):
    r = CliRunner().invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "c.db")])
    assert r.exit_code == 2 and r.output.startswith("podium: error: no transcript files")
    r = CliRunner().invoke(app, ["ingest", str(SEED), "--db", str(tmp_path / "no" / "such" / "dir.db")])
    assert r.exit_code == 2 and "does not exist" in r.output


def test_development_corpus_sample(tmp_path):
    """Twenty documents of ../shared/data/transcripts (skips when it is absent)."""
    docs = list(corpus_docs(limit=20))
    corpus = _jsonl(tmp_path / "dev.jsonl", docs)
    report = ingest([corpus], tmp_path / "dev.db", workers=2)
    assert report.ok, report.failed
    with Store.open(tmp_path / "dev.db", readonly=True) as s:
        assert s.stats()["documents"] == len(report.added) + len(report.replaced) >= 19
        assert s.search("president")["total"] > 0
        assert s.sub_questions()["total"] > 0
