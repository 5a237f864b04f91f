"""The ``exchanges`` stage: question turns, sub-questions, addressees, answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import podium
from podium.stages.exchanges import exchanges, load_cues

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "sochi-2019-05-14-voltaire.txt"
STAGES = ["segment", "notes", "speakers", "sentences", exchanges]
POMPEO, LAVROV = "michael-r-pompeo", "sergey-lavrov"


def run(text: str, **meta: str):
    return podium.analyze(text, meta=meta, stages=STAGES)


def sub(ex: dict, starts: str) -> dict:
    found = [q for q in ex["sub_questions"] if q["text"].startswith(starts)]
    assert len(found) == 1, [q["text"] for q in ex["sub_questions"]]
    return found[0]


def check_offsets(doc) -> int:
    n = 0
    for ex in doc.exchanges:
        for q in ex["sub_questions"]:
            assert doc.text[q["start"] : q["end"]] == q["text"]
            assert len(q["addressees"]) == len(q["addressee_cues"])
            n += 1
            for a in q["answers"]:
                assert doc.text[a["start"] : a["end"]] == a["text"]
                assert a["clarity"] is None and a["evasion"] is None and a["confidence"] is None
    return n


@pytest.fixture(scope="module")
def seed():
    return podium.analyze(SEED, stages=STAGES)


# -- the seed -----------------------------------------------------------------------------------


def test_seed_has_four_exchanges(seed):
    assert len(seed.exchanges) == 4
    assert [x["id"] for x in seed.exchanges] == ["x1", "x2", "x3", "x4"]
    assert [x["question_turns"] for x in seed.exchanges] == [["t3"], ["t5"], ["t7"], ["t9"]]
    assert seed.exchanges[0]["questioner"] == "vladimir-solovyov"
    assert seed.exchanges[2]["questioners"] == ["natalia-galetofka"]
    assert check_offsets(seed) >= 11


def test_seed_exchange_1(seed):
    ex = seed.exchanges[0]
    assert [q["text"] for q in ex["sub_questions"]] == [
        "Is Washington prepared to extend New START Treaty for five years, as Moscow is proposing?",
        "Whether U.S. is prepared to discuss concerns of Russia of that conversion of launchers and heavy "
        "bombers as well?",
        "If the U.S. did not alleviate concerns of Russia, will Moscow continue to want to prolong the treaty?",
    ]
    q1, q2, q3 = ex["sub_questions"]
    assert q1["id"] == "x1.q1"
    assert q1["addressees"] == [POMPEO] and q2["addressees"] == [POMPEO]
    assert q1["addressee_cues"] == ["question to Secretary Pompeo"]
    assert q3["addressees"] == [LAVROV] and q3["addressee_cues"] == ["question to Mr. Lavrov"]
    assert q1["unanswered_by"] == [] and q2["unanswered_by"] == []
    assert q3["unanswered_by"] == [LAVROV] and q3["answers"] == []
    assert q1["answers"][0]["speaker"] == POMPEO and q1["answers"][0]["turn"] == "t4"


def test_seed_exchange_2_vocatives(seed):
    q1, q2 = seed.exchanges[1]["sub_questions"]
    assert q1["addressees"] == [POMPEO] and q1["addressee_cues"] == ["vocative 'Mr. Secretary'"]
    assert q2["addressees"] == [LAVROV] and q2["addressee_cues"] == [
        "vocative 'Mr. Foreign Minister'"
    ]
    assert q1["unanswered_by"] == [] and q2["unanswered_by"] == [LAVROV]


def test_seed_exchange_3_both_ministers(seed):
    ex = seed.exchanges[2]
    meeting = sub(ex, "Could you please clarify whether such a meeting will take place?")
    planned = sub(ex, "We hear about Osaka")
    assert planned["text"].endswith("is it planned and when and where?")
    for q in (meeting, planned):
        assert sorted(q["addressees"]) == sorted([POMPEO, LAVROV])
        assert q["addressee_cues"][0] == "Question to both ministers"
        # Pompeo speaks about Brussels and Iran only: neither minister answered the meeting question.
        assert sorted(q["unanswered_by"]) == sorted([POMPEO, LAVROV])
        assert q["answers"] == []
    for start in (
        "Does it mean that Washington chose a strategy of force against Iran?",
        "Are European leaders",
    ):
        q = sub(ex, start)
        assert q["addressees"] == [POMPEO]
        assert q["unanswered_by"] == []
        assert q["answers"][0]["text"].startswith("Let me talk about my conversations in Brussels")
        assert q["answers"][0]["cue"].startswith("pointer 'Let me talk about")
    # Lead-ins, preambles and thanks are not sub-questions.
    texts = [q["text"] for q in ex["sub_questions"]]
    assert not any(
        t.startswith(("A second question", "You just came back", "Question to both")) for t in texts
    )
    assert len(texts) == 4


def test_seed_exchange_4_pointers_and_overlap(seed):
    ex = seed.exchanges[3]
    lavrov = ex["sub_questions"][0]
    assert (
        lavrov["text"]
        == "Could you explain what you see in common with the U.S. on Iran, where you can go?"
    )
    assert lavrov["addressees"] == [LAVROV] and lavrov["unanswered_by"] == [LAVROV]
    uae = sub(ex, "Secretary Pompeo, if I could ask you about the mysterious incidents in the UAE")
    assert uae["addressees"] == [POMPEO] and uae["unanswered_by"] == []
    [answer] = uae["answers"]
    assert answer["text"].startswith("Your first question was about what we know about the attacks")
    assert answer["cue"].startswith("pointer 'Your first question")
    paragraphs = [p for p in seed.turns[-1].text.split("\n") if p.strip()]
    for start in ("What are those things?", "What do – what would you like Russia to do?"):
        q = sub(ex, start)
        assert q["addressees"] == [POMPEO]  # the vocative carries over
        assert q["unanswered_by"] == []
        [answer] = q["answers"]
        assert answer["text"] == paragraphs[0]
        assert answer["cue"].startswith("overlap ")


def test_cue_file_parses():
    cues = load_cues()
    assert {"indirect", "request", "group", "pointer"} <= set(cues)
    assert "whether" in cues["indirect"] and "both ministers" in cues["group"]
    text = (Path(podium.__file__).parent / "knowledge" / "data" / "question_cues.txt").read_text(
        "utf-8"
    )
    assert "# version: 2" in text


def test_cue_tries_match_as_the_alternations_do():
    # The follow-up cue is read from the match: the trie must pick the phrase the plain
    # alternation (longest first) picks, at every phrase and every shorter phrase it opens with.
    import re

    from podium.stages.exchanges import _alternation, _patterns

    cues = load_cues()
    plain = re.compile(
        rf"^(?:[—–-]+|\.\.\.|…)?\s*(?:{_alternation(cues['follow_up'])})\b", re.I
    )
    trie = _patterns()["follow_up"]
    texts = [p + tail for p in cues["follow_up"] for tail in ("", " that", "s", ", and", "’s it")]
    texts += ["— Just to follow-up on that", "So you’re saying no?", "And so on", "Butter"]
    for text in texts:
        a, b = plain.match(text), trie.match(text)
        assert (a and a.group(0)) == (b and b.group(0)), text
    group = re.compile(rf"^(?:the\s+)?(?:{_alternation(cues['group'])})$", re.I)
    for text in [*cues["group"], "the two leaders", "both", "both of them", "all of you too"]:
        assert bool(group.match(text)) == bool(_patterns()["group"].match(text)), text

    # The explicit-cue pattern's opening lookahead only lets go of positions no branch can
    # start at: the matches are those of the pattern without it.
    explicit = _patterns()["explicit"]
    lookahead = "(?=(?i:[qofstnla,;:])|^)(?:"
    assert explicit.pattern.startswith(lookahead) and explicit.pattern.endswith(")")
    bare = re.compile(explicit.pattern[len(lookahead) : -1])
    for text in [
        "My question is to Dr. Fauci, because Brazil is now having the worst time.",
        "First, for you, Mr. President: will you go?",
        "And then, for you, Karine: when?",
        "A question for both ministers.",
        "For the Chancellor, one question: when?",
        "Second, ſecond to the Secretary; to Minister Lavrov.",
        "Thank you. One for Secretary Pompeo and one for Minister Lavrov.",
    ]:
        assert [(m.span(), m.groupdict()) for m in explicit.finditer(text)] == [
            (m.span(), m.groupdict()) for m in bare.finditer(text)
        ], text


# -- small shapes -------------------------------------------------------------------------------

BRIEFING = """Press Briefing by Press Secretary Jen Psaki, March 2, 2021

MS. PSAKI: Good afternoon, everyone.

Q Thanks. Two questions. First, on the vaccine supply, what is the timeline for more doses? \
And second, will the President travel to Texas this week?

MS. PSAKI: On the vaccine supply, we expect more doses by May. On the second, he has no travel \
to announce.

Q Thank you.

MS. PSAKI: Thanks, everyone.
"""


def test_daily_briefing_two_questions_one_principal():
    doc = run(
        BRIEFING,
        title="Press Briefing by Press Secretary Jen Psaki, March 2, 2021",
        date="2021-03-02",
        publisher="The White House",
    )
    assert len(doc.exchanges) == 1
    [ex] = doc.exchanges
    psaki = next(s.id for s in doc.speakers if s.role == "principal")
    first, second = ex["sub_questions"]
    assert first["text"] == "First, on the vaccine supply, what is the timeline for more doses?"
    assert second["text"] == "And second, will the President travel to Texas this week?"
    for q in (first, second):
        assert q["addressees"] == [psaki] and q["addressee_cues"] == ["answered"]
        assert q["unanswered_by"] == []
        assert len(q["answers"]) == 1
    assert first["answers"][0]["text"] == "On the vaccine supply, we expect more doses by May."
    assert first["answers"][0]["cue"].startswith("pointer 'On the vaccine supply")
    assert second["answers"][0]["text"] == "On the second, he has no travel to announce."
    assert second["answers"][0]["cue"].startswith("pointer 'On the second")
    check_offsets(doc)


MINISTRY = """Foreign Ministry Spokesperson Wang Wenbin's Regular Press Conference on May 6, 2021

Wang Wenbin: Good afternoon. Let's begin.

CCTV: What is China's position on the vaccine patent waiver?

AFP: Will China send a delegation to the climate summit?

Wang Wenbin: On the vaccine patent waiver, China supports it. As for the climate summit, we will \
announce the delegation in due course.
"""


def test_batched_questions_from_two_outlets():
    doc = run(MINISTRY, date="2021-05-06")
    assert len(doc.exchanges) == 1
    [ex] = doc.exchanges
    assert len(ex["questioners"]) == 2 and ex["questioner"] == ex["questioners"][0]
    assert len(ex["question_turns"]) == 2
    waiver, summit = ex["sub_questions"]
    assert waiver["answers"][0]["text"] == "On the vaccine patent waiver, China supports it."
    assert summit["answers"][0]["text"].startswith("As for the climate summit")
    assert waiver["unanswered_by"] == summit["unanswered_by"] == []
    check_offsets(doc)


def test_journalist_turn_without_question_is_no_exchange():
    doc = run(
        "MS. PSAKI: Good afternoon.\n\nQ Thank you.\n\nMS. PSAKI: Thanks, everyone.\n",
        date="2021-03-02",
        publisher="The White House",
    )
    assert doc.exchanges == []


def test_follow_up_from_same_questioner_stays_in_exchange():
    doc = run(
        "Wang Wenbin: Good afternoon.\n\n"
        "Reuters: Will the foreign minister visit Berlin this month?\n\n"
        "Wang Wenbin: We will release information in due course.\n\n"
        "Reuters: Thank you. Can you tell us whether the visit is planned at all?\n\n"
        "Wang Wenbin: I have nothing more to add.\n\n"
        "Bloomberg: Is the trade talk on schedule?\n\n"
        "Wang Wenbin: Yes.\n",
        date="2021-05-06",
    )
    assert len(doc.exchanges) == 2
    first, second = doc.exchanges
    assert len(first["question_turns"]) == 2 and len(first["questioners"]) == 1
    assert len(first["sub_questions"]) == 2
    assert second["sub_questions"][0]["answers"][0]["text"] == "Yes."
    check_offsets(doc)


def test_indirect_and_request_forms():
    doc = run(
        "MS. PSAKI: Good afternoon.\n\n"
        "Q I wonder if the President will sign the bill. Tell us about the timing.\n\n"
        "MS. PSAKI: He will sign the bill on Friday.\n",
        title="Press Briefing by Press Secretary Jen Psaki",
        date="2021-03-02",
        publisher="The White House",
    )
    [ex] = doc.exchanges
    assert [q["form"] for q in ex["sub_questions"]] == ["indirect", "indirect"]
    assert all(q["answers"] for q in ex["sub_questions"])


# -- the corpus fixtures ------------------------------------------------------------------------

CORPUS = sorted((FIXTURES / "corpus").glob("*.json"))


def test_corpus_has_46_fixtures():
    assert len(CORPUS) == 46


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem[:40])
def test_corpus_offsets(path):
    j = json.loads(path.read_text("utf-8"))
    doc = podium.analyze(
        j["text"],
        meta={"title": j["title"], "date": j["date"], "publisher": "The White House"},
        stages=STAGES,
    )
    check_offsets(doc)
    speaker_ids = {s.id for s in doc.speakers}
    turn_ids = {t.id for t in doc.turns}
    for ex in doc.exchanges:
        assert ex["questioner"] in speaker_ids and set(ex["question_turns"]) <= turn_ids
        for q in ex["sub_questions"]:
            assert set(q["addressees"]) <= speaker_ids
            assert set(q["unanswered_by"]) <= set(q["addressees"])


# -- real shapes: White House follow-ups, a question left unanswered, a question to two ---------

QA = FIXTURES / "qa"


def test_white_house_rapid_follow_ups():
    # Psaki, 10 March 2022: a reporter cut off ("... on the COVID aid bill —", "Yeah.",
    # "— you said ..."), then three unnamed follow-ups, each answered by the turn after it.
    doc = podium.analyze(QA / "wh-psaki-2022-03-10-followups.txt", stages=STAGES)
    turns = {t.id: t for t in doc.turns}
    aid = next(x for x in doc.exchanges if turns[x["question_turns"][0]].text.startswith("Thank you, Jen"))
    assert aid["questioners"] == [turns[aid["question_turns"][0]].speaker]
    cues = {turns[f["turn"]].text[:12]: f["cue"] for f in aid["follow_ups"]}
    assert cues["— you said t"] == "continues the interrupted question"
    assert cues["But if this "].startswith("follow-up 'But")
    assert cues["And what do "].startswith("follow-up 'And what")
    assert cues["So you’re sa"].startswith("follow-up 'So you")
    # "Yeah." while the reporter was cut off is no answer
    assert all(turns[t].text != "Yeah." for t in aid["answer_turns"])
    chances = sub(aid, "And what do you think the chances")
    assert [turns[a["turn"]].text[:10] for a in chances["answers"]] == ["We — it is"]
    saying = sub(aid, "So you’re saying")
    assert [turns[a["turn"]].text[:10] for a in saying["answers"]] == ["Well, agai"]
    # a named new subject from an unnamed reporter opens a new exchange
    assert any(turns[x["question_turns"][0]].text.startswith("And I just had one more question")
               for x in doc.exchanges)
    check_offsets(doc)


def test_question_left_unanswered_before_the_next_one():
    # Jha, 22 July 2022: "Why isn't he briefing?" is cut across by a follow-up that gets
    # the answer; the first question stays unanswered, and says so.
    doc = podium.analyze(QA / "wh-jha-2022-07-22-unanswered.txt", stages=STAGES)
    jha = next(s.id for s in doc.speakers if s.name == "Ashish Jha")
    karine = next(s.id for s in doc.speakers if s.name == "Karine Jean-Pierre")
    ex = next(x for x in doc.exchanges if any(q["text"] == "Why isn’t he briefing?" for q in x["sub_questions"]))
    why = sub(ex, "Why isn’t he briefing?")
    assert why["answers"] == [] and why["unanswered_by"] == [jha]
    aspirin = sub(ex, "And just — sorry, just to clarify")
    assert [a["speaker"] for a in aspirin["answers"]] == [jha] and aspirin["unanswered_by"] == []
    # "First for you, Dr. Jha" and "And then, for you, Karine:" address one principal each
    first = doc.exchanges[0]["sub_questions"][0]
    assert first["addressees"] == [jha] and first["addressee_cues"] == ["for you, Dr. Jha"]
    last = doc.exchanges[-1]
    assert {q["addressees"][0] for q in last["sub_questions"]} == {karine}
    assert sub(last, "And I’m just curious if")["form"] == "indirect"
    check_offsets(doc)


def test_question_to_you_and_another_principal():
    doc = podium.analyze(FIXTURES / "formats" / "kremlin-style.txt", stages=STAGES)
    [ex] = doc.exchanges
    [q] = ex["sub_questions"]
    names = {s.id: s.name for s in doc.speakers}
    assert {names[a] for a in q["addressees"]} == {"Vladimir Putin", "Olaf Scholz"}
    assert {names[a["speaker"]] for a in q["answers"]} == {"Vladimir Putin", "Olaf Scholz"}


def test_moderator_hands_the_question_to_a_principal():
    doc = run(
        "Joint press conference of President Vladimir Putin and Federal Chancellor Olaf Scholz\n\n"
        "Vladimir Putin: Good afternoon.\n\n"
        "Olaf Scholz: Thank you.\n\n"
        "Dmitry Peskov: The next question is for the Federal Chancellor. ARD, please.\n\n"
        "Question: What did you discuss about the pipeline?\n\n"
        "Olaf Scholz: We discussed the pipeline at length.\n",
        date="2022-02-15",
    )
    [ex] = doc.exchanges
    [q] = ex["sub_questions"]
    names = {s.id: s.name for s in doc.speakers}
    assert [names[a] for a in q["addressees"]] == ["Olaf Scholz"]
    assert q["addressee_cues"][0] == "principal: question is for the Federal Chancellor"


def test_permission_to_ask_and_phatic_questions_are_context():
    doc = run(
        "MS. PSAKI: Go ahead.\n\n"
        "Q Can you hear me? Can I ask you about the mask mandate? Will it be extended?\n\n"
        "MS. PSAKI: The mandate will be extended by two weeks.\n",
        title="Press Briefing by Press Secretary Jen Psaki",
        date="2022-03-10",
        publisher="The White House",
    )
    [ex] = doc.exchanges
    assert [q["text"] for q in ex["sub_questions"]] == ["Will it be extended?"]
    assert "Can I ask you about the mask mandate?" in ex["sub_questions"][0]["context"]
