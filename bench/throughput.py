"""Throughput of ``podium.analyze`` against spaCy's blank English pipeline, in one run.

    python bench/throughput.py [--docs N] [--data ../shared/data]

Both run over the same real transcripts from ``data/transcripts``: podium's
default pipeline (segment, notes, speakers, sentences) and spaCy
``blank("en")`` + ``sentencizer`` (tokenizer and sentence splitter only).
Prints words per second of each and their ratio (words = whitespace tokens),
then podium's peak memory after each quarter of the run, which must stay flat
because documents are analysed one at a time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"


def load(data: Path, n: int) -> list[dict]:
    path = data / "transcripts" / "transcripts.jsonl.gz"
    if not path.exists():
        sys.exit(f"bench: {path} not found; pass --data pointing at the shared data folder.")
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if n and len(docs) >= n:
                break
            if n and i % max(1, 2735 // n) != 0:
                continue  # an even spread over the three collections
            docs.append(json.loads(line))
    return docs


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=300, help="documents to use (0 = all)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()

    import podium
    from podium.knowledge import default_knowledge

    docs = load(args.data, args.docs)
    words = sum(len(d["text"].split()) for d in docs)
    default_knowledge()  # loaded once per process; not part of per-document cost

    # Warm up both sides on one document so imports and caches are not timed.
    podium.analyze(docs[0]["text"], meta={"title": docs[0]["title"]})

    t0 = time.perf_counter()
    marks = []
    for i, d in enumerate(docs, 1):
        podium.analyze(d["text"], meta={"title": d["title"], "date": d["date"], "publisher": "The White House"})
        if i % max(1, len(docs) // 4) == 0:
            marks.append((i, peak_mb()))
    podium_s = time.perf_counter() - t0

    try:
        import spacy
    except ImportError:
        sys.exit("bench: spaCy is not installed; run `make bench` (it installs the bench extra).")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000
    nlp(docs[0]["text"][:1000])
    t0 = time.perf_counter()
    for d in docs:
        nlp(d["text"])
    spacy_s = time.perf_counter() - t0

    pw, sw = words / podium_s, words / spacy_s
    print(f"documents: {len(docs)}   words: {words:,}")
    print(f"podium analyze (segment, notes, speakers, sentences): {pw:>10,.0f} words/s")
    print(f"spaCy blank('en') + sentencizer:                       {sw:>10,.0f} words/s")
    print(f"ratio podium / spaCy-blank: {pw / sw:.2f}x   (target >= 3x for the core stages)")
    print("podium peak RSS by progress: " + ", ".join(f"{i} docs {mb:.0f} MB" for i, mb in marks))


if __name__ == "__main__":
    main()
