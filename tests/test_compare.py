"""podium compare: edited copies of the seed (exactly the edits made, nothing else), real
correction pairs, identical, unrelated and unreadable inputs, the views, and all 80 pairs of
../shared/data/transcript_versions (slow; skips without the data).

The fixtures in tests/fixtures/compare/ are rebuilt by make_fixtures.py there.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.console import Console

import podium
from conftest import SEED, SHARED_DATA
from podium.compare import SCHEMA, compare, diff, normalise, word_ops
from podium.compare_view import render, render_html, run_compare
from podium.errors import InputError

HERE = Path(__file__).resolve().parent
CMP = HERE / "fixtures" / "compare"
VERSIONS = SHARED_DATA / "transcript_versions" / "versions.jsonl.gz"
POMPEO_TURNS = ["t1", "t4", "t6", "t8", "t10"]


@pytest.fixture(scope="module")
def seed_doc():
    return podium.analyze(SEED)


def quiet() -> Console:
    return Console(file=io.StringIO())


def run(b_name: str, seed_doc, **kw) -> dict:
    return compare(seed_doc, podium.analyze(CMP / b_name), **kw)


def not_same(result: dict, layer: str) -> list[dict]:
    return [r for r in result[layer] if r["status"] != "same" or r.get("moved")]


def ops_of(record: dict) -> list[tuple[str, str, str]]:
    return [(op["op"], op["a"], op["b"]) for op in record["ops"]]


# --------------------------------------------------------------------------------------------
# The contract
# --------------------------------------------------------------------------------------------


def test_record_has_the_contract_fields(seed_doc):
    r = run("sochi-edited.txt", seed_doc)
    assert r["schema"] == SCHEMA == "podium-compare/1"
    assert set(r["a"]) >= {"name", "sha256"} and set(r["b"]) >= {"name", "sha256"}
    turn_keys = {"status", "a", "b", "speaker_a", "speaker_b", "label_a", "label_b", "similarity"}
    assert all(turn_keys <= set(t) for t in r["turns"])
    assert all({"status", "a", "b", "a_turn", "b_turn", "ops"} <= set(s) for s in r["sentences"])
    assert all({"name", "words_a", "words_b", "kept"} <= set(s) for s in r["speakers"])
    assert {
        "turns_only_a",
        "turns_only_b",
        "sentences_changed",
        "labels_changed",
        "words_a",
        "words_b",
    } <= set(r["summary"])
    assert {t["status"] for t in r["turns"]} <= {"same", "changed", "only_a", "only_b"}
    assert all(
        op["op"] in ("delete", "insert", "replace") for s in r["sentences"] for op in s["ops"]
    )
    json.dumps(r)  # serialisable as is


# --------------------------------------------------------------------------------------------
# Edited copies of the seed: exactly the edits made, nothing else
# --------------------------------------------------------------------------------------------


def test_identical_inputs_have_no_differences(seed_doc):
    r = compare(seed_doc, podium.analyze(SEED))
    assert all(t["status"] == "same" for t in r["turns"])
    assert all(s["status"] == "same" and not s["moved"] for s in r["sentences"])
    s = r["summary"]
    assert (s["turns_only_a"], s["turns_only_b"], s["sentences_changed"], s["labels_changed"]) == (
        0,
        0,
        0,
        0,
    )
    assert s["words_a"] == s["words_b"] > 1900
    assert all(sp["kept"] == 1.0 and sp["words_a"] == sp["words_b"] for sp in r["speakers"])
    assert r["confidence"] == 1.0 and r["warning"] is None
    assert r["headline"] == "No differences."


def test_one_side_deleted_is_the_headline(seed_doc):
    r = run("sochi-without-pompeo.txt", seed_doc)
    assert r["headline"].startswith(
        "B lacks every turn of Michael R. Pompeo (5 turns, 1,536 words)"
    )
    assert [t["a"] for t in not_same(r, "turns")] == POMPEO_TURNS
    assert all(
        t["status"] == "only_a" and t["speaker_a"] == "Michael R. Pompeo"
        for t in not_same(r, "turns")
    )
    gone = not_same(r, "sentences")
    assert gone and all(s["status"] == "only_a" and s["a_turn"] in POMPEO_TURNS for s in gone)
    pompeo = {sp["name"]: sp for sp in r["speakers"]}["Michael R. Pompeo"]
    assert (pompeo["words_b"], pompeo["kept"], pompeo["turns_only_a"]) == (0, 0.0, 5)
    assert all(sp["kept"] == 1.0 for sp in r["speakers"] if sp["name"] != "Michael R. Pompeo")
    assert r["summary"]["sentences_changed"] == r["summary"]["labels_changed"] == 0
    assert r["confidence"] > 0.9  # what is left is word for word the same


def test_one_side_deleted_seen_from_the_other_side(seed_doc):
    r = compare(podium.analyze(CMP / "sochi-without-pompeo.txt"), seed_doc)
    assert r["headline"].startswith("A lacks every turn of Michael R. Pompeo")
    assert [t["b"] for t in not_same(r, "turns")] == POMPEO_TURNS
    assert r["summary"]["turns_only_b"] == 5 and r["summary"]["turns_only_a"] == 0


def test_word_edits_are_exactly_the_edits(seed_doc):
    r = run("sochi-edited.txt", seed_doc)
    changed = not_same(r, "sentences")
    assert [ops_of(s) for s in changed] == [
        [("replace", "Prime*", "Foreign")],
        [("replace", "escalazation*", "escalation")],
        [("replace", "50", "54")],
    ]
    assert all(s["status"] == "changed" and s["a_turn"] == "t1" == s["b_turn"] for s in changed)
    assert [(t["a"], t["b"]) for t in not_same(r, "turns")] == [("t1", "t1")]
    s = r["summary"]
    assert (s["sentences_changed"], s["words_deleted"], s["words_inserted"]) == (3, 3, 3)
    assert (
        s["turns_only_a"],
        s["sentences_only_a"],
        s["sentences_only_b"],
        s["labels_changed"],
    ) == (0, 0, 0, 0)


def test_relabelled_speakers(seed_doc):
    r = run("sochi-relabelled.txt", seed_doc)
    changed = not_same(r, "turns")
    assert [(t["a"], t["label_a"], t["label_b"]) for t in changed] == [
        ("t4", "SECRETARY POMPEO", "POMPEO"),
        ("t6", "SECRETARY POMPEO", "FOREIGN MINISTER LAVROV"),
    ]
    surname, other = changed
    # The same person under another label is one speaker; another person is a speaker change.
    assert (
        surname["speaker_a"] == surname["speaker_b"] == "Michael R. Pompeo"
        and not surname["speaker_changed"]
    )
    assert other["speaker_b"] == "Sergey Lavrov" and other["speaker_changed"]
    assert not not_same(r, "sentences")  # the words are the same
    assert (r["summary"]["labels_changed"], r["summary"]["speakers_changed"]) == (2, 1)
    by_name = {sp["name"]: sp for sp in r["speakers"]}
    assert (
        by_name["Sergey Lavrov"]["words_a"] == 0
        and by_name["Sergey Lavrov"]["words_b"] == other["words_b"]
    )
    assert by_name["Michael R. Pompeo"]["kept"] == pytest.approx(
        1 - other["words_a"] / 1536, abs=0.001
    )


def test_label_case_is_formatting_unless_strict(seed_doc):
    r = run("sochi-relabelled.txt", seed_doc, strict=True)
    assert [t["a"] for t in not_same(r, "turns")] == ["t1", "t4", "t6"]
    assert r["summary"]["labels_changed"] == 3


def test_moved_passage_is_moved_not_deleted_and_added(seed_doc):
    r = run("sochi-moved.txt", seed_doc)
    s = r["summary"]
    assert (s["passages_moved"], s["sentences_moved"]) == (1, 7)
    assert (s["sentences_only_a"], s["sentences_only_b"], s["sentences_changed"]) == (0, 0, 0)
    (passage,) = r["moved"]
    assert passage["text"].startswith("On Venezuela, we have disagreement.")
    assert r["headline"] == "1 passage moved."


def test_formatting_is_ignored_unless_strict(seed_doc):
    r = run("sochi-formatting.html", seed_doc)  # HTML, straight quotes, double hyphens
    assert not not_same(r, "sentences") and not not_same(r, "turns")
    assert r["summary"]["formatting_only"] > 10
    assert r["headline"].startswith("No differences beyond formatting")
    strict = run("sochi-formatting.html", seed_doc, strict=True)
    changed = not_same(strict, "sentences")
    assert changed and all(s["status"] == "changed" for s in changed)
    # Every operation --strict shows is a quote or dash, never a word.
    for s in changed:
        for op in s["ops"]:
            assert normalise(op["a"]) == normalise(op["b"]), op


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(
    "b_name",
    [
        "sochi-edited.txt",
        "sochi-moved.txt",
        "sochi-formatting.html",
        "sochi-relabelled.txt",
        "sochi-without-pompeo.txt",
    ],
)
def test_identical_texts_fast_path_agrees_with_folding_every_unit(
    seed_doc, b_name, strict, monkeypatch
):
    # Units with the very same text are paired before anything is folded; with that pass
    # off, every unit is folded and aligned on its key: the record must not change.
    b = podium.analyze(CMP / b_name)
    fast = compare(seed_doc, b, strict=strict)
    monkeypatch.setattr(podium.compare, "identical_runs", lambda A, B: [])
    assert compare(seed_doc, b, strict=strict) == fast


def test_formatting_only_and_moved_next_to_identical_sentences(seed_doc):
    # Sentences differing only in quotes or spacing, among identical ones, are formatting
    # (not changed), a moved paragraph is moved, and folding every unit agrees.
    text = SEED.read_text(encoding="utf-8")
    edits = {
        "and we’ll continue to discuss it.": "and we'll continue to discuss it.",
        "Our sanctions have remained in place.": "Our  sanctions have  remained in place.",
    }
    for old, new in edits.items():
        assert text.count(old) == 1
        text = text.replace(old, new)
    paras = text.split("\n")
    (k,) = [k for k, p in enumerate(paras) if p.startswith("On Venezuela, we have disagreement.")]
    paras.insert(k + 1, paras.pop(k))
    b = podium.analyze("\n".join(paras), name="b.txt")
    r = compare(seed_doc, b)
    s = r["summary"]
    assert s["formatting_only"] == 2 and s["passages_moved"] == 1
    assert (s["sentences_only_a"], s["sentences_only_b"], s["sentences_changed"]) == (0, 0, 0)
    formatting = [x for x in r["sentences"] if x["a"] != x["b"]]
    assert len(formatting) == 2 and all(x["status"] == "same" for x in formatting)
    # Two paragraphs swapped: the shorter one moved.
    assert r["moved"][0]["text"].startswith("We also discussed the situation in Ukraine.")
    strict = compare(seed_doc, b, strict=True)["summary"]
    assert (strict["sentences_changed"], strict["formatting_only"]) == (2, 0)
    import podium.compare as module

    identical_runs = module.identical_runs
    try:
        module.identical_runs = lambda A, B: []
        assert compare(seed_doc, b) == r
    finally:
        module.identical_runs = identical_runs


def test_captions_without_labels_or_punctuation_still_align(seed_doc):
    body = re.sub(
        r"^(SECRETARY POMPEO|MODERATOR|QUESTION): ",
        "",
        SEED.read_text(encoding="utf-8"),
        flags=re.M,
    )
    words = re.sub(r"[^\w\s']", " ", body.lower()).split()
    captions = "\n".join(" ".join(words[i : i + 12]) for i in range(0, len(words), 12))
    r = compare(seed_doc, podium.analyze(captions, name="captions.txt"))
    assert r["confidence"] > 0.6 and r["warning"] is None
    assert r["summary"]["labels_lost_b"] >= 5  # the labels are gone, and said so
    assert r["summary"]["turns_only_a"] <= 2


# --------------------------------------------------------------------------------------------
# Real correction pairs (excerpts of ../shared/data/transcript_versions, kept in the repo)
# --------------------------------------------------------------------------------------------


def pair(stem: str) -> dict:
    return compare(
        podium.analyze(CMP / f"{stem}.before.txt"), podium.analyze(CMP / f"{stem}.after.txt")
    )


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("wh-2022-07-20-remarks-strikeout", [[("replace", "into", "<s>into</s> [the]*")]]),
        (
            "wh-2022-08-30-remarks-defunding",
            [[("replace", "defending", "defunding")], [("replace", "defending", "defunding")]],
        ),
        (
            "wh-2023-02-15-remarks-billion",
            [
                [("replace", "$159,000 a year", "<s>$159,000</s> [$159 billion] <s>a year</s>")],
                [("replace", "$159,000", "<s>$159,000</s> [$159 billion]")],
            ],
        ),
        (
            "wh-2023-11-09-departure-fain",
            [[("replace", "Fein", "Fain")], [("replace", "Fein", "Fain")]],
        ),
    ],
)
def test_published_corrections_word_by_word(stem, expected):
    r = pair(stem)
    changed = not_same(r, "sentences")
    assert [ops_of(s) for s in changed] == expected
    assert all(s["status"] == "changed" for s in changed)
    assert (
        r["summary"]["turns_only_a"]
        == r["summary"]["turns_only_b"]
        == r["summary"]["labels_changed"]
        == 0
    )
    assert r["confidence"] > 0.95


def test_published_correction_of_a_speaker_label():
    r = pair("wh-2022-05-17-gaggle-relabelled")
    (turn,) = not_same(r, "turns")
    assert (turn["label_a"], turn["label_b"]) == ("THE PRESIDENT", "MS. JEAN-PIERRE")
    assert turn["speaker_changed"] and turn["speaker_b"] == "Karine Jean-Pierre"
    assert not not_same(r, "sentences")
    assert r["headline"] == "1 label changed (THE PRESIDENT → MS. JEAN-PIERRE)."


def test_published_correction_outside_the_turns():
    r = pair("wh-2023-09-03-gaggle-dateline")
    (line,) = not_same(r, "sentences")
    assert (line["status"], line["a"], line["a_turn"]) == ("only_a", "(September 4, 2023)", None)
    assert not not_same(r, "turns")


# --------------------------------------------------------------------------------------------
# Unrelated and unreadable inputs
# --------------------------------------------------------------------------------------------


def test_unrelated_inputs_say_so(seed_doc):
    r = compare(seed_doc, podium.analyze(CMP / "wh-2023-09-03-gaggle-dateline.after.txt"))
    assert r["confidence"] < 0.35
    assert r["warning"] and "unrelated" in r["warning"]
    assert r["headline"].startswith("A and B look unrelated")


@pytest.mark.parametrize("content", [b"", b"   \n\n", bytes(range(256)) * 8])
def test_empty_or_binary_input_is_one_clear_error(tmp_path, content):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    for args in ((bad, SEED), (SEED, bad)):
        with pytest.raises(InputError) as e:
            run_compare(*args, console=quiet())
        assert str(bad) in str(e.value) and "\n" not in str(e.value)


def test_missing_input_or_directory_is_one_clear_error(tmp_path):
    for bad in (tmp_path / "nope.txt", tmp_path):
        with pytest.raises(InputError, match=str(bad)):
            run_compare(SEED, bad, console=quiet())


def test_unwritable_report_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="cannot write the report"):
        run_compare(SEED, SEED, html=tmp_path / "no" / "such" / "dir.html", console=quiet())


# --------------------------------------------------------------------------------------------
# The aligner
# --------------------------------------------------------------------------------------------


def test_diff_matches_equal_items_in_order():
    rng = random.Random(7)
    for _ in range(100):
        a, b = edited_pair(rng, alphabet=300)  # mostly unique items: near-complete alignment
        m = check_diff(a, b)
        assert len(m) >= len(a) - 40
    for _ in range(100):
        check_diff(*edited_pair(rng, alphabet=30))  # very repetitive: still correct and ordered


def edited_pair(rng: random.Random, alphabet: int) -> tuple[list[int], list[int]]:
    a = [rng.randrange(alphabet) for _ in range(rng.randrange(0, 400))]
    b = list(a)
    for _ in range(rng.randrange(0, 20)):
        if b and rng.random() < 0.5:
            del b[rng.randrange(len(b))]
        else:
            b.insert(rng.randrange(len(b) + 1), rng.randrange(alphabet))
    return a, b


def check_diff(a: list[int], b: list[int]) -> list[tuple[int, int]]:
    m = diff(a, b, small=50)
    assert all(a[i] == b[j] for i, j in m)
    assert all(i1 < i2 and j1 < j2 for (i1, j1), (i2, j2) in zip(m, m[1:], strict=False))
    return m


def test_longest_increasing_run_is_patience_sorting():
    # _lis takes increasing stretches in one step; it must pick the very run the plain
    # patience algorithm picks (ties included), or alignments would change.
    from podium.compare import _lis

    rng = random.Random(11)
    for _ in range(500):
        values = [rng.randrange(60) for _ in range(rng.randrange(0, 80))]
        if rng.random() < 0.5:  # mostly in order, as two versions of a text
            values = sorted(values)
            for _ in range(rng.randrange(0, 4)):
                if values:
                    values.insert(
                        rng.randrange(len(values)), values.pop(rng.randrange(len(values)))
                    )
        assert _lis(values) == patience_lis(values), values


def patience_lis(values: list[int]) -> list[int]:
    """Positions of a longest strictly increasing run, one value at a time."""
    from bisect import bisect_left

    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(values)
    for n, v in enumerate(values):
        if not tails or v > tails[-1]:
            back[n] = tail_at[-1] if tail_at else -1
            tails.append(v)
            tail_at.append(n)
            continue
        k = bisect_left(tails, v)
        tails[k] = v
        tail_at[k] = n
        back[n] = tail_at[k - 1] if k else -1
    run = []
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        run.append(n)
        n = back[n]
    return run[::-1]


def test_word_ops_spans_point_into_the_texts():
    a = "It’s  the escalazation* of the situation — around Idlib."
    b = "It's the escalation of the situation -- around Idlib, he said."
    ops = word_ops(a, b)
    assert [(o["op"], o["a"], o["b"]) for o in ops] == [
        ("replace", "escalazation*", "escalation"),
        ("insert", "", ", he said"),
    ]
    for o in ops:
        assert a[slice(*o["a_span"])] == o["a"] and b[slice(*o["b_span"])] == o["b"]
    assert [o["op"] for o in word_ops(a, b, strict=True)][:2] == [
        "replace",
        "replace",
    ]  # ’ and the two spaces


# --------------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    VOID = {"meta", "br", "img", "hr", "input", "link", "rect"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.bad: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" or any(k in ("src", "href") for k, _ in attrs):
            self.bad.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_is_self_contained_and_escaped(seed_doc, tmp_path):
    hostile = SEED.read_text(encoding="utf-8").replace(
        "We talked about terrorism.",
        "We talked about <script>alert('x')</script> & <b>terrorism</b>.",
    )
    b = podium.analyze(hostile, name="hostile.txt")
    out = tmp_path / "report.html"
    assert run_compare(SEED, CMP / "sochi-without-pompeo.txt", html=out, console=quiet()) == 0
    page = out.read_text(encoding="utf-8")
    assert "Michael R. Pompeo" in page and "<svg" in page and "only_a" in page
    page = render_html(compare(seed_doc, b), seed_doc, b)
    parser = _Tags()
    parser.feed(page)
    assert not parser.bad and not parser.stack  # no script, no external asset, tags balanced
    assert (
        "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    )
    assert "<ins>" in page and "<del>" in page


def test_terminal_summary_and_diff(seed_doc):
    console = Console(record=True, width=200)
    render(run("sochi-without-pompeo.txt", seed_doc), console)
    out = console.export_text()
    assert "B lacks every turn of Michael R. Pompeo (5 turns, 1,536 words)" in out
    assert out.count("only in A  SECRETARY POMPEO") == 5
    console = Console(record=True, width=200)
    render(run("sochi-edited.txt", seed_doc), console)
    out = console.export_text()
    assert (
        "escalazation*" in out
        and "escalation of the situation" in out
        and "9 unchanged turns" in out
    )


def test_json_output_is_the_record(tmp_path):
    path = tmp_path / "out.json"
    with open(path, "w", encoding="utf-8") as f:
        assert (
            run_compare(SEED, CMP / "sochi-edited.txt", as_json=True, console=Console(file=f)) == 0
        )
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["schema"] == "podium-compare/1" and record["summary"]["sentences_changed"] == 3


# --------------------------------------------------------------------------------------------
# All 80 real correction pairs
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_all_correction_pairs():
    if not VERSIONS.exists():
        pytest.skip("../shared/data/transcript_versions is not here")
    rows = [json.loads(line) for line in gzip.open(VERSIONS, "rt", encoding="utf-8")]
    assert len(rows) == 80
    relabelled = []
    for row in rows:
        meta = {"title": row["title"], "date": row["date"]}
        a = podium.analyze(row["before_text"], name="before", meta=meta)
        b = podium.analyze(row["after_text"], name="after", meta=meta)
        r = compare(a, b)
        s = r["summary"]
        # Two versions of one page: they align, and the words add up.
        assert r["confidence"] > 0.8 and r["warning"] is None, row["id"]
        assert s["words_a"] == sum(
            len(x["a"].split()) for x in r["sentences"] if x["a"] is not None
        )
        assert s["words_b"] == sum(
            len(x["b"].split()) for x in r["sentences"] if x["b"] is not None
        )
        for x in r["sentences"]:
            for op in x["ops"]:
                assert (
                    x["a"][slice(*op["a_span"])] == op["a"]
                    and x["b"][slice(*op["b_span"])] == op["b"]
                )
        if s["labels_changed"]:
            relabelled.append(row["date"])
        assert r["headline"]
    assert "2022-05-17" in relabelled  # THE PRESIDENT → MS. JEAN-PIERRE (Buffalo gaggle)
