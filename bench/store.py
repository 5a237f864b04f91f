"""The corpus store: ingest throughput against `podium analyze`, database size, and search
latency, in one run.

    python bench/store.py [--data ../shared/data] [--docs N] [--workers 2] [--db FILE]
    python bench/store.py --search-only --db FILE

Ingests the development corpus (``transcripts/transcripts.jsonl.gz``, 2,735 transcripts; ``--docs``
takes an even spread) into a fresh database with ``--workers`` processes, then ingests it again
(every document unchanged), and prints documents/s and words/s of both, the ratio of ingest to
single-process ``podium analyze`` throughput on a sample of the same documents (target >= 0.8),
the database size, and search latency p50/p95 over a fixed list of 50 queries with and
without filters (target p95 <= 50 ms); each query's time is the median of three runs after
one warm-up pass.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"

# (query, filters): what analysts ask of White House briefings, 2009-2025.
QUERIES: list[tuple[str, dict]] = [
    ("Iran", {}), ("North Korea", {}), ('"New START"', {}), ("sanctions AND Russia", {}),
    ("Ukraine OR Crimea", {}), ("Afghanistan withdrawal", {}), ('"climate change"', {}), ("Huawei", {}),
    ("Putin", {}), ("Xi Jinping", {}), ("vaccine NOT booster", {}), ('"health care"', {}),
    ("inflation", {}), ("tariffs", {}), ("Syria AND chemical", {}), ("ISIL OR ISIS", {}),
    ("Benghazi", {}), ("Keystone", {}), ('"debt ceiling"', {}), ("filibuster", {}), ("Guantanamo", {}),
    ("Israel AND Gaza", {}), ("Venezuela", {}), ("Cuba", {}), ("Snowden", {}),
    ('"Affordable Care Act"', {}), ("immigration reform", {}), ("Ebola", {}), ("hostage*", {}),
    ("Paris agreement", {}), ("U.S.", {}), ("Russia", {}), ("China", {}), ("economy", {}),
    ("president", {}),
    ("China", {"speaker": "psaki"}), ("Iran", {"year": 2015}), ("economy", {"role": "journalist"}),
    ("sanctions", {"since": "2022-02-24"}), ('"Build Back Better"', {"speaker": "psaki"}),
    ("Russia", {"role": "principal", "year": 2022}), ("vaccine", {"since": "2021-01", "until": "2021-12"}),
    ("taxes", {"speaker": "earnest"}), ("Syria", {"speaker": "carney"}), ("border", {"year": 2021}),
    ("Ukraine", {"role": "journalist", "since": "2022"}), ("oil", {"year": 2012}),
    ("president", {"year": 2016}), ("Iran OR Israel", {"speaker": "jean-pierre"}),
    ("the", {"speaker": "carney"}),
]  # fmt: skip


def load(data: Path, n: int) -> list[dict]:
    path = data / "transcripts" / "transcripts.jsonl.gz"
    if not path.exists():
        sys.exit(f"bench: {path} not found; pass --data pointing at the shared data folder.")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    if n and n < len(docs):
        step = len(docs) / n
        docs = [docs[int(i * step)] for i in range(n)]
    return docs


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def analyze_rate(docs: list[dict]) -> tuple[float, float]:
    """Documents/s and words/s of single-process analysis to JSON (what `podium analyze` does)."""
    import podium
    from podium.knowledge import default_knowledge

    default_knowledge()
    podium.analyze(docs[0]["text"][:2000])  # imports and caches are not timed
    t0 = time.perf_counter()
    for d in docs:
        podium.analyze(d["text"], meta={"title": d["title"], "date": d["date"]}).to_json()
    seconds = time.perf_counter() - t0
    return len(docs) / seconds, sum(len(d["text"].split()) for d in docs) / seconds


def search_latency(db: Path) -> None:
    from podium.store import Store

    with Store.open(db, readonly=True) as store:
        for q, kw in QUERIES:  # warm-up: the page cache, not the answers
            store.search(q, **kw)
        times: list[tuple[float, str, dict, int, int]] = []
        for q, kw in QUERIES:
            runs = []
            for _ in range(3):
                t0 = time.perf_counter()
                r = store.search(q, **kw)
                runs.append(time.perf_counter() - t0)
            times.append((statistics.median(runs) * 1000, q, kw, r["total"], r["considered"]))
    plain = [t for t, _, kw, _, _ in times if not kw]
    filtered = [t for t, _, kw, _, _ in times if kw]
    every = [t for t, *_ in times]
    print(f"search over {len(times)} queries ({len(plain)} plain, {len(filtered)} filtered), ms:")
    for label, values in (("all", every), ("plain", plain), ("filtered", filtered)):
        print(f"  {label:<9} p50 {percentile(values, 0.5):6.1f}   p95 {percentile(values, 0.95):6.1f}"
              f"   max {max(values):6.1f}")  # fmt: skip
    print("  slowest: " + "; ".join(
        f"{q} {kw or ''} {t:.0f} ms ({n:,} matches)" for t, q, kw, n, _ in sorted(times, reverse=True)[:3]
    ))  # fmt: skip
    print(f"  target: p95 <= 50 ms -> {'met' if percentile(every, 0.95) <= 50 else 'NOT met'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--docs", type=int, default=0, help="documents to ingest (0 = all)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--baseline", type=int, default=200, help="documents for the analyze baseline")
    ap.add_argument("--db", type=Path, help="database to write (default: a temporary file, deleted)")
    ap.add_argument("--search-only", action="store_true", help="only time searches on --db")
    args = ap.parse_args()

    if args.search_only:
        if not args.db or not args.db.exists():
            sys.exit("bench: --search-only needs an existing --db.")
        search_latency(args.db)
        return

    from podium.ingest import ingest

    docs = load(args.data, args.docs)
    words = sum(len(d["text"].split()) for d in docs)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        db = args.db or Path(tmp) / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)

        sample = docs[:: max(1, len(docs) // args.baseline)][: args.baseline]
        base_docs, base_words = analyze_rate(sample)
        report = ingest([corpus], db, workers=args.workers)
        again = ingest([corpus], db, workers=args.workers)
        size = sum(os.path.getsize(f"{db}{s}") for s in ("", "-wal") if os.path.exists(f"{db}{s}"))

        print(f"documents: {len(docs):,}   words: {words:,}   workers: {args.workers}   CPUs: {os.cpu_count()}")
        print(f"podium analyze, one process ({len(sample)} of the documents): "
              f"{base_docs:.1f} docs/s, {base_words:,.0f} words/s")  # fmt: skip
        c = report.counts()
        print(f"ingest: {len(docs) / report.seconds:.1f} docs/s, {words / report.seconds:,.0f} words/s "
              f"({report.seconds:.0f} s; {c['added']} added, {c['replaced']} replaced, "
              f"{c['unchanged']} unchanged, {c['failed']} failed)")  # fmt: skip
        ratio = (words / report.seconds) / base_words
        print(f"ingest / analyze throughput: {ratio:.2f} (target >= 0.8)")
        print(f"re-ingest, nothing changed: {len(docs) / again.seconds:,.0f} docs/s ({again.seconds:.1f} s, "
              f"{again.analysed} analysed)")  # fmt: skip
        print(f"database: {size / 1e6:,.0f} MB ({size / max(1, words):.1f} bytes/word)")
        search_latency(db)
        load_avg = os.getloadavg()
        print(f"load average during the run: {load_avg[0]:.1f} (other processes share these CPUs)")


if __name__ == "__main__":
    main()
