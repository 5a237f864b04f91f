"""Throughput of ``podium.analyze`` against spaCy's blank English pipeline, in one run.

    python bench/throughput.py [--docs N] [--data ../shared/data]

All run over the same real transcripts from ``data/transcripts``: podium's core
stages (segment, notes, speakers, sentences), podium's default pipeline (every
stage ``podium analyze`` runs: the core, then exchanges and clarity), and spaCy
``blank("en")`` + ``sentencizer`` (tokenizer and sentence splitter only).
Prints words per second of each and the ratios to spaCy (words = whitespace
tokens; targets: core >= 3x, every stage >= 1x), then podium's peak memory
after each quarter of the run, which must stay flat because documents are
analysed one at a time.
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
    ap.add_argument("--repeat", type=int, default=3, help="interleaved runs of each side; the best counts")
    args = ap.parse_args()

    import podium
    from podium.knowledge import default_knowledge
    from podium.pipeline import CORE_STAGES, DEFAULT_STAGES, Pipeline

    pipelines = {"core": Pipeline(CORE_STAGES), "default": Pipeline(DEFAULT_STAGES)}

    docs = load(args.data, args.docs)
    words = sum(len(d["text"].split()) for d in docs)
    default_knowledge()  # loaded once per process; not part of per-document cost

    # Warm up both sides on one document so imports and caches are not timed.
    podium.analyze(docs[0]["text"], meta={"title": docs[0]["title"]})

    meta_of = [{"title": d["title"], "date": d["date"], "publisher": "The White House"} for d in docs]
    marks = []

    def run_podium(which: str) -> float:
        pipeline = pipelines[which]
        t0 = time.perf_counter()
        for i, (d, meta) in enumerate(zip(docs, meta_of, strict=True), 1):
            podium.analyze(d["text"], meta=meta, stages=pipeline)
            if which == "default" and (not marks or i % max(1, len(docs) // 4) == 0):
                marks.append((i, peak_mb()))
        return time.perf_counter() - t0

    # The first podium passes run before spaCy is imported, so the memory marks are podium's own.
    podium_s = {which: run_podium(which) for which in pipelines}
    rss = list(marks)
    try:
        import spacy
    except ImportError:
        sys.exit("bench: spaCy is not installed; run `make bench` (it installs the bench extra).")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000
    nlp(docs[0]["text"][:1000])

    def run_spacy() -> float:
        t0 = time.perf_counter()
        for d in docs:
            nlp(d["text"])
        return time.perf_counter() - t0

    # Interleaved repeats, best of each: the machine's noise hits both sides alike.
    spacy_s = run_spacy()
    for _ in range(args.repeat - 1):
        for which in pipelines:
            podium_s[which] = min(podium_s[which], run_podium(which))
        spacy_s = min(spacy_s, run_spacy())

    sw = words / spacy_s
    print(f"documents: {len(docs)}   words: {words:,}")
    print(f"spaCy blank('en') + sentencizer: {sw:,.0f} words/s")
    for which, target in (("core", ">= 3x"), ("default", ">= 1x")):
        pw = words / podium_s[which]
        label = ", ".join(s.name for s in pipelines[which].stages)
        print(f"podium {which} ({label}): {pw:,.0f} words/s, {pw / sw:.2f}x spaCy-blank (target {target})")
    print("podium peak RSS by progress: " + ", ".join(f"{i} docs {mb:.0f} MB" for i, mb in rss))


if __name__ == "__main__":
    main()
