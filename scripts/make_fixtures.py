"""Cut short, varied excerpts of the development corpus into tests/fixtures/corpus/.

    python scripts/make_fixtures.py [--data ../shared/data]

Picks documents that show the shapes the parser must handle (interpreters,
anonymous officials, strike-through corrections, all-caps headers, calls with
an operator, Title Case labels...) and keeps the first few thousand characters
of each, cut at a line break. Re-running gives the same files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "tests" / "fixtures" / "corpus"
FEATURES = [
    ("interpreted", re.compile(r"\(As interpreted\.?\)")),
    ("senior-official", re.compile(r"^SENIOR ADMINISTRATION OFFICIAL:", re.M)),
    ("strike", re.compile(r"<s>")),
    ("operator", re.compile(r"^OPERATOR:", re.M)),
    ("moderator", re.compile(r"^MODERATOR:", re.M)),
    ("president", re.compile(r"^THE PRESIDENT:", re.M)),
    ("vice-president", re.compile(r"^THE VICE PRESIDENT:", re.M)),
    ("crosstalk", re.compile(r"\(Cross-talk")),
    ("inaudible", re.compile(r"\(inaudible\)")),
    ("sic", re.compile(r"\[sic\]")),
    ("caps-header", re.compile(r"\A[A-Z ,.]{10,}\n")),
    ("end-mark", re.compile(r"^END\s*$", re.M)),
    ("gaggle", re.compile(r"Aboard Air Force One")),
    ("teleconference", re.compile(r"Via Teleconference|Via Conference Call", re.I)),
    ("foreign-leader", re.compile(r"^PRESIDENT [A-Z]+:", re.M)),
    ("prime-minister", re.compile(r"^PRIME MINISTER [A-Z]+:", re.M)),
    ("asterisk", re.compile(r"\w\*\s")),
    ("laughter", re.compile(r"\(Laughter\.\)")),
    ("psaki", re.compile(r"^MS\. PSAKI:", re.M)),
    ("carney", re.compile(r"^MR\. CARNEY:", re.M)),
    ("gibbs", re.compile(r"^MR\. GIBBS:", re.M)),
    ("covid", re.compile(r"^DR\. FAUCI:", re.M)),
    ("speaks-language", re.compile(r"\(Speaks")),
    ("bracketed-official", re.compile(r"\[senior administration official\]")),
]
PER_FEATURE = 2
MAX_CHARS = 5000


def cut(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    tail = text[-600:]
    head = text[: MAX_CHARS - 600]
    head = head[: head.rfind("\n")] if "\n" in head else head
    tail = tail[tail.find("\n") + 1 :] if "\n" in tail else tail
    return head + "\n\n" + tail


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    taken: dict[str, int] = {}
    chosen: set[str] = set()
    with gzip.open(args.data / "transcripts" / "transcripts.jsonl.gz", "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n % 7:
                continue  # a spread over the years, not the first documents only
            d = json.loads(line)
            for name, pat in FEATURES:
                if taken.get(name, 0) >= PER_FEATURE or d["id"] in chosen:
                    continue
                if pat.search(d["text"]):
                    taken[name] = taken.get(name, 0) + 1
                    chosen.add(d["id"])
                    record = {k: d[k] for k in ("id", "title", "date", "url", "collection")}
                    record["feature"] = name
                    record["text"] = cut(d["text"])
                    (OUT / f"{d['id'][:80]}.json").write_text(
                        json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8"
                    )
    print(f"wrote {len(chosen)} fixtures to {OUT}")


if __name__ == "__main__":
    main()
