"""Where the time goes: seconds per pipeline stage over the same real transcripts.

    python bench/stage_times.py [--every 9] [--stages segment,notes,speakers,sentences]

Reads every N-th document of ``data/transcripts`` and times each stage on its
own (reading included as ``read``), averaged over two passes. Prints seconds
per stage and the share of the total, to show which stage to work on; the
ratio against a baseline is ``bench/throughput.py``'s job.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--every", type=int, default=9, help="take every N-th document")
    ap.add_argument("--stages", default="segment,notes,speakers,sentences")
    args = ap.parse_args()

    from podium.knowledge import default_knowledge
    from podium.model import Meta, Source, Transcript
    from podium.pipeline import Context, Pipeline
    from podium.read import read_text

    path = args.data / "transcripts" / "transcripts.jsonl.gz"
    if not path.exists():
        sys.exit(f"bench: {path} not found; pass --data pointing at the shared data folder.")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for i, line in enumerate(f) if i % args.every == 0]
    stages = Pipeline(args.stages.split(",")).stages
    kb = default_knowledge()
    seconds = {"read": 0.0, **{s.name: 0.0 for s in stages}}
    passes = 2
    for _ in range(passes):
        for d in docs:
            t = time.perf_counter()
            read = read_text(d["text"])
            seconds["read"] += time.perf_counter() - t
            doc = Transcript(text=read.text, source=Source(read.name, read.sha256), meta=Meta())
            hints = {"title": d["title"], "date": d["date"], "publisher": "The White House"}
            ctx = Context(knowledge=kb, hints=hints)
            for s in stages:
                t = time.perf_counter()
                s(doc, ctx)
                seconds[s.name] += time.perf_counter() - t
    words = sum(len(d["text"].split()) for d in docs)
    total = sum(seconds.values()) / passes
    print(f"documents: {len(docs)}   words: {words:,}   total: {total:.2f} s a pass")
    for name, s in seconds.items():
        print(f"  {name:<10} {s / passes:6.2f} s  {s / passes / total:6.1%}")


if __name__ == "__main__":
    main()
