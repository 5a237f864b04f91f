"""Response clarity: the cue table, ``judge``, the ``clarity`` stage and ``classify_csv``.

Examples are made up for these tests (no QEvasion text: that data set may not be copied).
"""

from __future__ import annotations

import csv

import pytest

from podium.clarity_csv import classify_csv
from podium.errors import InputError
from podium.knowledge import default_knowledge
from podium.model import Source, Speaker, Transcript, Turn
from podium.pipeline import Context, Pipeline, Stage
from podium.stages.clarity import CLARITY_OF, Judgment, clarity, cues, judge, parse_cues


def test_cue_table_loads_once_and_is_valid():
    table = cues()
    assert table is cues()
    assert len(table) > 50
    assert {c.evasion for c in table} <= set(CLARITY_OF)
    assert all(0 < c.weight <= 1 for c in table)


def test_cue_grammar_errors_name_the_line():
    with pytest.raises(ValueError, match=r"x.txt:2: unknown evasion"):
        parse_cues("# comment\nI won't say | evasive | 0.5\n", "x.txt")
    with pytest.raises(ValueError, match=r"x.txt:1: weight"):
        parse_cues("I won't say | declining_to_answer | 2\n", "x.txt")
    (c,) = parse_cues("I'm not going to * comment | declining_to_answer | 0.8  # note\n")
    assert c.regex.search("i am not going to publicly comment")


@pytest.mark.parametrize(
    ("question", "answer", "clarity_", "evasion"),
    [
        (
            "Will the minister travel to the summit next week?",
            "I don't have any information that I can share with you yet.",
            "clear_non_reply",
            "declining_to_answer",
        ),
        (
            "Who carried out the strike on the convoy?",
            "I'll leave that to the Department of Defense.",
            "ambivalent",
            "deflection",
        ),
        (
            "How many fishing boats were seized in the strait?",
            "Coast guard officers seized four fishing boats in the strait on Tuesday, and the crews "
            "were released after questioning.",
            "clear_reply",
            "explicit",
        ),
        (
            "Did you sign the export licence?",
            "Yes, I signed it on Monday.",
            "clear_reply",
            "explicit",
        ),
        (
            "What did the ambassador say about the pipeline?",
            "I'm not aware of those remarks, so I can't characterise them.",
            "clear_non_reply",
            "claims_ignorance",
        ),
        (
            "Is the ceasefire holding?",
            "I don't know. We are waiting for reports from the ground.",
            "clear_non_reply",
            "claims_ignorance",
        ),
        (
            "Is the trade deal dead?",
            "What do you mean by dead?",
            "clear_non_reply",
            "clarification",
        ),
        (
            "Will there be more sanctions on the shipping firms?",
            "We don't comment on intelligence matters.",
            "clear_non_reply",
            "declining_to_answer",
        ),
        (
            "Are you going to endorse the governor?",
            "You'd have to ask the campaign about that.",
            "ambivalent",
            "deflection",
        ),
        (
            "Why did the talks on the water treaty collapse?",
            "Our policy has been consistent from the start: we want peace and prosperity for "
            "everyone in the region.",
            "ambivalent",
            "general",
        ),
    ],
)
def test_judge(question, answer, clarity_, evasion):
    j = judge(question, answer)
    assert isinstance(j, Judgment)
    assert (j.clarity, j.evasion) == (clarity_, evasion), j
    assert 0.0 <= j.confidence <= 1.0
    assert j.cue


def test_clarity_is_derived_from_evasion():
    for q, a in [
        ("Will you resign?", "No."),
        ("Will you resign?", "The economy is strong and growing."),
        ("Will you resign?", ""),
        ("", "Something."),
    ]:
        j = judge(q, a)
        assert j.clarity == CLARITY_OF[j.evasion]
        assert 0.0 <= j.confidence <= 1.0


def test_non_reply_opener_followed_by_an_on_topic_answer_is_weaker():
    q = "Will the government raise the fuel tax on diesel trucks this winter?"
    short = "I'm not going to speculate."
    long = (
        "I'm not going to speculate about every detail, but the government will raise the fuel tax "
        "on diesel trucks this winter, because the fuel tax on diesel trucks has not changed in ten "
        "years. The increase is modest. Diesel trucks pay less than cars per mile today, and the "
        "winter budget already counts on the tax. Hauliers were consulted on the fuel tax, and "
        "most of them accepted that diesel trucks should pay their share. We will publish the "
        "rates next week with the rest of the winter budget for every kind of truck and diesel."
    )
    assert judge(q, short).evasion == "declining_to_answer"
    assert judge(q, long).clarity != "clear_non_reply"


def test_long_answer_with_a_late_cue():
    # A cue is found anywhere in a long answer, and counts for less deep in it.
    answer = "We have been working with our partners on this for months. " * 300
    late = answer + "But I'm not going to comment on the timing."
    j = judge("Will the talks resume next month in Geneva?", late)
    assert j.evasion != "declining_to_answer" or j.confidence < 0.9
    short = "I'm not going to comment on the timing."
    assert judge("Will the talks resume next month in Geneva?", short).evasion == "declining_to_answer"


def _transcript() -> Transcript:
    q = "Will you meet the opposition leader?"
    a = "I haven't had a chance to look at my schedule."
    text = f"Q: {q}\nMINISTER: {a}\n"
    qs, as_ = text.index(q), text.index(a)
    doc = Transcript(text=text, source=Source(name="t.txt", sha256="0" * 64))
    doc.speakers = [
        Speaker(id="s1", name=None, role="journalist"),
        Speaker(id="s2", name="Minister", role="principal"),
    ]
    doc.turns = [
        Turn("t1", "s1", "Q", qs, qs + len(q), q, kind="question"),
        Turn("t2", "s2", "MINISTER", as_, as_ + len(a), a, kind="answer"),
    ]
    answer = {
        "speaker": "s2",
        "turn": "t2",
        "text": a,
        "start": as_,
        "end": as_ + len(a),
        "cue": None,
        "clarity": None,
        "evasion": None,
        "confidence": None,
    }
    doc.exchanges = [
        {
            "id": "x1",
            "questioner": "s1",
            "question_turns": ["t1"],
            "sub_questions": [
                {
                    "id": "x1.q1",
                    "text": q,
                    "start": qs,
                    "end": qs + len(q),
                    "addressees": ["s2"],
                    "places": [],
                    "issues": [],
                    "answers": [answer],
                    "unanswered_by": [],
                },
                {
                    "id": "x1.q2",
                    "text": "And the budget?",
                    "start": 0,
                    "end": 0,
                    "addressees": ["s2"],
                    "places": [],
                    "issues": [],
                    "answers": [],
                    "unanswered_by": ["s2"],
                },
            ],
        }
    ]
    return doc


def test_stage_fills_answers():
    assert isinstance(clarity, Stage)
    assert clarity.requires == ("exchanges",) and clarity.provides == "clarity"
    doc = _transcript()
    clarity(doc, Context(knowledge=default_knowledge()))
    (ans,) = doc.exchanges[0]["sub_questions"][0]["answers"]
    assert ans["clarity"] == "clear_non_reply"
    assert ans["evasion"] == "claims_ignorance"
    assert 0.0 <= ans["confidence"] <= 1.0
    assert "haven't had a chance" in ans["clarity_cue"]
    assert doc.exchanges[0]["sub_questions"][1]["answers"] == []
    assert doc.to_dict()["exchanges"][0]["sub_questions"][0]["answers"][0]["evasion"]


def test_stage_runs_in_a_pipeline_after_an_exchanges_stage():
    from podium.pipeline import stage

    @stage("exchanges", requires=(), provides="exchanges")
    def fake_exchanges(doc, ctx):
        doc.exchanges = _transcript().exchanges

    doc = Transcript(text="x", source=Source(name="t.txt", sha256="0" * 64))
    Pipeline([fake_exchanges, clarity])(doc)
    assert doc.exchanges[0]["sub_questions"][0]["answers"][0]["clarity"] == "clear_non_reply"
    with pytest.raises(ValueError, match="exchanges"):
        Pipeline([clarity])


def _read(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_classify_csv_round_trip_keeps_columns(tmp_path):
    src = tmp_path / "in.csv"
    rows = [
        {
            "id": "1",
            "question": "Did you approve the loan?",
            "answer": "Yes, I approved it.",
            "note": "a",
        },
        {
            "id": "2",
            "question": "Who ordered the raid?",
            "answer": "I'd refer you to the police.\nThey are handling it.",
            "note": "b, with a comma",
        },
    ]
    with src.open("w", encoding="utf-8-sig", newline="") as f:  # with a BOM
        w = csv.DictWriter(f, fieldnames=["id", "question", "answer", "note"])
        w.writeheader()
        w.writerows(rows)
    dst = tmp_path / "out" / "out.csv"
    assert classify_csv(src, dst) == 2
    out = _read(dst)
    assert list(out[0]) == [
        "id",
        "question",
        "answer",
        "note",
        "clarity",
        "evasion",
        "confidence",
        "clarity_cue",
    ]
    assert [r["id"] for r in out] == ["1", "2"]
    assert out[1]["answer"] == rows[1]["answer"] and out[1]["note"] == "b, with a comma"
    assert (out[0]["clarity"], out[0]["evasion"]) == ("clear_reply", "explicit")
    assert (out[1]["clarity"], out[1]["evasion"]) == ("ambivalent", "deflection")
    assert 0.0 <= float(out[1]["confidence"]) <= 1.0


def test_classify_csv_interview_columns(tmp_path):
    src = tmp_path / "qe.csv"
    with src.open("w", encoding="utf-8", newline="") as f:  # no BOM
        w = csv.writer(f)
        w.writerow(["interview_question", "interview_answer", "question", "label"])
        w.writerow(
            [
                "Two things. Will you run again? And what about the budget?",
                "I'm not going to get into that today.",
                "Will you run again?",
                "x",
            ]
        )
        w.writerow(["Is the bridge safe?", "Could you repeat the question?", "", "y"])
    dst = tmp_path / "qe_out.csv"
    assert classify_csv(src, dst) == 2
    out = _read(dst)
    assert out[0]["label"] == "x" and out[0]["interview_question"].startswith("Two things")
    assert out[0]["evasion"] == "declining_to_answer"
    assert out[1]["evasion"] == "clarification"

    src2 = tmp_path / "only_interview.csv"
    src2.write_text(
        "interview_question,interview_answer\nIs it safe?,I don't know.\n", encoding="utf-8"
    )
    assert classify_csv(src2, tmp_path / "o2.csv") == 1
    assert _read(tmp_path / "o2.csv")[0]["clarity"] == "clear_non_reply"


def test_classify_csv_bad_input(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("q,reply\nWhy?,Because.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv needs a 'question'.*'answer'") as e:
        classify_csv(bad, tmp_path / "out.csv")
    assert str(e.value).count(".") >= 1 and "\n" not in str(e.value)
    with pytest.raises(InputError, match="missing.csv"):
        classify_csv(tmp_path / "missing.csv", tmp_path / "out.csv")


def test_guard_words_are_read_off_a_plain_group():
    from podium.stages.clarity import _guard_words

    assert _guard_words(r"(?:the|my)\s+(?:brief|talk\s+about)\s+(?:secretary|ambassador|white\s+house)") == (
        "brief",
        "talk",
    )
    assert _guard_words(r"x(?:abcd|efgh)?") == ()  # optional: a match may lack it
    assert _guard_words(r"(?:abcd|efgh)|z") == ()  # alternatives at the top
    assert _guard_words(r"(?:ab+cd|efgh)") == ()  # "abcd" is not sure to occur
    assert _guard_words(r"(?:abcde?|fghi)") == ("abcd", "fghi")
    assert _guard_words(r"(?i)(?:abcd|efgh)") == ()  # flags change what a word matches
    assert _guard_words(r"(?=abcd)efgh") == ()


def test_cue_without_anchor_is_searched_in_the_opening_only():
    from podium.stages.clarity import cue_hits
    from podium.words import cue_text

    def free_hits(answer: str) -> list[str]:
        low = cue_text(answer)
        return [m for c, _, _, m in cue_hits(answer, low, 0, len(answer)) if not c.anchors]

    opening = "The Secretary will address that tomorrow in Geneva."
    assert free_hits(opening) == ["The Secretary will address"]
    assert free_hits("We have been working on this. " * 12 + opening) == []  # past the opening
    assert free_hits("The Secretary will announce that tomorrow.") == []  # no guard word
