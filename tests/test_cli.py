"""The command line: summary, JSON, batches, standard input and bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from conftest import SEED


def run(*args, stdin: bytes | None = None):
    return subprocess.run(
        [sys.executable, "-m", "podium.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
    )


def test_summary():
    r = run("analyze", str(SEED))
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    for expected in ("Michael R. Pompeo And Sergey Lavrov", "Voltaire Network", "Sochi", "2019-05-14",
                     "Kommersant", "absent", "absent_principal", "Via interpreter"):
        assert expected in out
    # the Q&A section: exchanges, who answered, how clearly, and who did not answer
    qa = out[out.index("questions and answers"):]
    for expected in ("4 exchanges", "Vladimir Solovyov (Kommersant)", "answered by Michael R. Pompeo",
                     "not answered by Sergey Lavrov", "no turn in this version", "declining_to_answer",
                     "information that I can share"):
        assert expected in " ".join(qa.split()), expected


def test_json_is_the_contract():
    r = run("analyze", str(SEED), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["schema"] == "podium/1" and d["meta"]["publisher"] == "Voltaire Network"


def test_stdin():
    r = run("analyze", "-", "--json", stdin=SEED.read_bytes())
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["source"]["name"] == "<stdin>" and len(d["turns"]) == 10


def test_missing_file_is_one_sentence(tmp_path: Path):
    r = run("analyze", str(tmp_path / "nope.txt"))
    assert r.returncode == 2
    err = r.stderr.decode().strip()
    assert "nope.txt" in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_empty_and_binary_files(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    for f in (empty, binary):
        r = run("analyze", str(f))
        assert r.returncode == 2
        err = r.stderr.decode().strip()
        assert f.name in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_too_large(tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_text("MR. X: hello.\n" * 100_000)
    r = run("analyze", str(big), "--max-size", "0.1")
    assert r.returncode == 2 and "big.txt" in r.stderr.decode()


def test_batch_skips_bad_files_and_loses_nothing(tmp_path: Path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sochi.txt").write_bytes(SEED.read_bytes())
    (src / "sub" / "other.txt").write_text("MS. PSAKI: Hi.\n\nQ Why?\n\nMS. PSAKI: Because.\n")
    (src / "sub" / "empty.txt").write_bytes(b"")
    (src / "bad.html").write_bytes(b"\x00\x01\x02" * 100)
    out = tmp_path / "out"
    r = run("analyze", str(src), "-o", str(out))
    assert r.returncode == 1
    written = sorted(p.name for p in out.iterdir())
    assert written == ["other.json", "sochi.json"]
    err = r.stderr.decode()
    assert "empty.txt" in err and "bad.html" in err
    assert "Traceback" not in err


def test_user_knowledge_file(tmp_path: Path):
    kb = tmp_path / "my_officials.txt"
    kb.write_text("jane_roe | Jane Roe | Roe | Minister of Foreign Affairs | FRA | 2020-01-01 |\n")
    src = tmp_path / "roe.txt"
    src.write_text("MINISTER ROE: Hello.\n\nQ Why?\n\nMINISTER ROE: Because.\n")
    r = run("analyze", str(src), "--json", "--knowledge", str(kb))
    assert r.returncode == 0, r.stderr
    roe = json.loads(r.stdout)["speakers"][0]
    assert (roe["name"], roe["country"], roe["kb_id"]) == ("Jane Roe", "FRA", "jane_roe")
    bad = tmp_path / "bad_officials.txt"
    bad.write_text("only | two\n")
    r = run("analyze", str(src), "--knowledge", str(bad))
    assert r.returncode == 2 and "bad_officials.txt" in r.stderr.decode()
    assert "Traceback" not in r.stderr.decode()


def test_question_answer_stages_by_default_and_core_on_request():
    r = run("analyze", str(SEED), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert len(d["exchanges"]) == 4
    answered = [a for x in d["exchanges"] for q in x["sub_questions"] for a in q["answers"]]
    assert answered and all(a["clarity"] in ("clear_reply", "ambivalent", "clear_non_reply") for a in answered)
    r = run("analyze", str(SEED), "--json", "--stages", "segment,notes,speakers,sentences")
    assert r.returncode == 0 and json.loads(r.stdout)["exchanges"] == []
    r = run("analyze", str(SEED), "--stages", "segment,nope")
    assert r.returncode == 2 and "unknown stage" in r.stderr.decode()


def test_clarity_csv_format(tmp_path: Path):
    r = run("analyze", str(SEED), "--format", "clarity-csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout.decode())))
    assert {"question", "answer", "clarity", "evasion", "confidence", "status"} <= set(rows[0])
    lavrov = [row for row in rows if row["answerer"] == "Sergey Lavrov"]
    assert lavrov and all(row["status"].startswith("not answered (absent") and not row["answer"] for row in lavrov)
    answered = [row for row in rows if row["status"] == "answered"]
    assert answered and all(row["clarity"] and row["answer"] for row in answered)
    # the export reads back through `podium clarity`, which keeps every column
    src = tmp_path / "pairs.csv"
    src.write_bytes(r.stdout)
    r2 = run("clarity", str(src), "-o", str(tmp_path / "judged.csv"))
    assert r2.returncode == 0, r2.stderr
    again = list(csv.DictReader((tmp_path / "judged.csv").open(encoding="utf-8")))
    assert len(again) == len(rows) and again[0]["exchange"] == rows[0]["exchange"]
    # a batch writes one CSV per input
    r3 = run("analyze", str(SEED), str(SEED), "--format", "clarity-csv", "-o", str(tmp_path / "out"))
    assert r3.returncode == 0, r3.stderr
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".csv", ".csv"]
    r4 = run("analyze", str(SEED), "--format", "xml")
    assert r4.returncode == 2 and "unknown format" in r4.stderr.decode()


def test_clarity_csv_command(tmp_path: Path):
    src = tmp_path / "pairs.csv"
    src.write_text(
        "id,question,answer\n"
        "1,Will you meet him?,I don't have any information that I can share with you yet.\n"
        "2,Is troop movement planned?,I'll leave that to the Department of Defense.\n",
        encoding="utf-8",
    )
    dst = tmp_path / "out.csv"
    r = run("clarity", str(src), "-o", str(dst))
    assert r.returncode == 0, r.stderr
    import csv

    rows = list(csv.DictReader(dst.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["1", "2"]
    assert rows[0]["clarity"] == "clear_non_reply" and rows[1]["evasion"] == "deflection"
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    r = run("clarity", str(bad), "-o", str(tmp_path / "x.csv"))
    assert r.returncode == 2 and "bad.csv" in r.stderr.decode() and "Traceback" not in r.stderr.decode()
