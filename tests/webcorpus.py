"""A small corpus database for the web tests (test_web.py, test_browser.py).

Six documents: the seed (sic marks, an absent principal, four exchanges), a briefing with an
unanswered question, three White House briefings from the fixtures, and a hostile transcript
whose text, title, cues and questions carry ``<script>`` and ``onerror=``. The hostile one is
given an event, a stance and sentence labels by hand, so the reader's event highlighting,
the chips and the positions page are exercised whatever the default stages produce.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SEED = FIXTURES / "sochi-2019-05-14-voltaire.txt"
UNANSWERED = FIXTURES / "qa" / "wh-jha-2022-07-22-unanswered.txt"
HOSTILE = FIXTURES / "web" / "xss-2020-05-01-briefing.txt"
BRIEFINGS = [
    FIXTURES / "corpus" / "wh-obama-0480.json",
    FIXTURES
    / "corpus"
    / "wh-biden-2021-02-23-remarks-by-president-biden-and-prime-minister-trudeau-of-can.json",
    FIXTURES
    / "corpus"
    / "wh-biden-2022-01-19-remarks-by-president-biden-in-press-conference-6.json",
]
HOSTILE_CUE = "agreed <script>alert('cue')</script>"


def _hostile(podium) -> str:
    d = podium.analyze(HOSTILE).to_dict()
    sentence = next(s for s in d["sentences"] if "agreed with Russia" in s["text"])
    sentence["places"] = ["RUS"]
    sentence["issues"] = ["arms_control"]
    speaker = next(t["speaker"] for t in d["turns"] if t["id"] == sentence["turn"])
    at = d["text"].index("agreed", sentence["start"])
    d["events"] = [
        {
            "id": "e1", "sentence": sentence["id"], "speaker": speaker, "source": "USA",
            "type": "AGREE", "target": "RUS", "places": ["RUS"], "issues": ["arms_control"],
            "cue": HOSTILE_CUE, "confidence": 0.8, "start": at, "end": at + len("agreed"),
        }
    ]  # fmt: skip
    d["relations"] = [
        {"actors": ["RUS", "USA"], "focus": "arms_control", "stance": "agree",
         "evidence": [sentence["id"]]}
    ]  # fmt: skip
    for x in d["exchanges"]:
        for q in x["sub_questions"]:
            q["issues"] = ["sanctions"]
    return json.dumps(d, ensure_ascii=False)


def build(db: Path) -> dict[str, str]:
    """Write the corpus to ``db``; returns document ids by name (seed, unanswered, hostile,
    briefing0..2)."""
    import podium
    from podium.store import Store

    ids: dict[str, str] = {}
    with Store.open(db) as store:
        for name, path in (("seed", SEED), ("unanswered", UNANSWERED)):
            doc = podium.analyze(path)
            store.add(doc, path=str(path))
            ids[name] = doc.source.sha256[:16]
        text = _hostile(podium)
        store.add_json(text, path=str(HOSTILE))
        ids["hostile"] = json.loads(text)["source"]["sha256"][:16]
        for i, path in enumerate(BRIEFINGS):
            r = json.loads(path.read_text(encoding="utf-8"))
            doc = podium.analyze(
                r["text"], name=path.name, meta={"title": r["title"], "date": r["date"]}
            )
            store.add(doc, path=str(path))
            ids[f"briefing{i}"] = doc.source.sha256[:16]
    return ids
