"""Sweep the development corpus: parse every transcript and report what breaks.

    python scripts/sweep.py [--data ../shared/data] [--limit N] [--show CODE]

Prints the share of documents that parse with no warning, warning counts by
code, question/answer figures (exchanges, sub-questions answered, clarity of the
answers), invariant failures (offsets, overlaps, lost text) and exceptions, with
document ids so each can be looked at.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
PUBLISHERS = {"wh-biden": "The White House", "wh-obama": "The White House", "wh-trump-covid": "The White House"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--show", default="", help="list the documents that raise this warning code")
    args = ap.parse_args()

    import podium

    path = args.data / "transcripts" / "transcripts.jsonl.gz"
    if not path.exists():
        sys.exit(f"sweep: {path} not found; pass --data.")
    total = clean = 0
    codes: Counter[str] = Counter()
    shown: list[str] = []
    broken: list[tuple[str, str]] = []
    qa: Counter[str] = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            total += 1
            meta = {"title": d["title"], "date": d["date"], "publisher": PUBLISHERS.get(d["collection"], "")}
            try:
                doc = podium.analyze(d["text"], name=d["id"], meta=meta)
            except Exception as e:  # the sweep is here to find these
                broken.append((d["id"], f"{type(e).__name__}: {e}"))
                continue
            problems = doc.check()
            lost = doc.uncovered()
            if problems:
                broken.append((d["id"], "; ".join(problems[:3])))
            if lost:
                broken.append((d["id"], f"text lost: {lost[:80]!r}"))
            qa["entities"] += len(doc.entities)
            qa["events"] += len(doc.events)
            qa["relations"] += len(doc.relations)
            qa["sentences"] += len(doc.sentences)
            qa["sentences with a place"] += sum(1 for s in doc.sentences if s.places)
            qa["sentences with an issue"] += sum(1 for s in doc.sentences if s.issues)
            for x in doc.exchanges:
                qa["exchanges"] += 1
                qa["follow-up turns"] += len(x.get("follow_ups", ()))
                for q in x["sub_questions"]:
                    qa["sub-questions"] += 1
                    qa["answered"] += bool(q["answers"])
                    qa["with an addressee left unanswered"] += bool(q["unanswered_by"])
                    for a in q["answers"]:
                        qa[a["clarity"] or "unjudged"] += 1
            if not doc.warnings:
                clean += 1
            for w in doc.warnings:
                codes[w.code] += 1
                if w.code == args.show and len(shown) < 40:
                    shown.append(f"{d['id']}: {w.message}")
            if args.limit and total >= args.limit:
                break
    print(f"documents: {total}   no warning: {clean} ({clean / max(total, 1):.1%})")
    for code, n in codes.most_common():
        print(f"  {code}: {n}")
    subs = max(qa["sub-questions"], 1)
    print(
        f"exchanges: {qa['exchanges']:,} ({qa['follow-up turns']:,} follow-up turns)   "
        f"sub-questions: {qa['sub-questions']:,}, answered {qa['answered'] / subs:.1%}, "
        f"an addressee left unanswered {qa['with an addressee left unanswered'] / subs:.1%}"
    )
    judged = max(sum(qa[c] for c in ("clear_reply", "ambivalent", "clear_non_reply")), 1)
    print("answers: " + ", ".join(f"{c} {qa[c] / judged:.1%}" for c in ("clear_reply", "ambivalent", "clear_non_reply")))
    sents = max(qa["sentences"], 1)
    print(
        f"entities: {qa['entities']:,}   sentences with a place {qa['sentences with a place'] / sents:.1%}, "
        f"with an issue {qa['sentences with an issue'] / sents:.1%}   events: {qa['events']:,}   "
        f"relations: {qa['relations']:,}"
    )
    print(f"broken: {len(broken)}")
    for doc_id, why in broken[:40]:
        print(f"  {doc_id}: {why}")
    for s in shown:
        print("  " + s)


if __name__ == "__main__":
    main()
