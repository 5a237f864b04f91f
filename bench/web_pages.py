"""Server time per page of the web UI over an existing corpus database.

Ingests nothing: opens the database read-only, picks documents for the reader (the median
document, the longest, the one with the most exchanges) and times each page through FastAPI's
TestClient (no network; template rendering and store queries included), after one warm-up
request (its time is shown as "first"). The app keeps read results until the database changes,
so with the cache on, "first" is the cold time and the median the warm one; --no-cache
measures every run cold (the compare page always keeps its last results). Prints median, p95
and max per page and the ratio of p95 to the 300 ms budget.

    .venv/bin/python bench/web_pages.py [--db /tmp/podium-corpus.db] [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

BUDGET_MS = 300.0


def pick(store) -> dict[str, str]:
    """Documents for the reader pages, chosen from the summaries (newest first)."""
    rows = []
    offset = 0
    while True:
        page = store.documents(limit=500, offset=offset)
        rows += page["rows"]
        offset += 500
        if offset >= page["total"]:
            break
    if not rows:
        sys.exit("the database has no documents")
    by_words = sorted(rows, key=lambda r: r["words"] or 0)
    return {
        "median": by_words[len(by_words) // 2]["id"],
        "p90": by_words[int(len(by_words) * 0.9)]["id"],
        "longest": by_words[-1]["id"],
        "most_exchanges": max(rows, key=lambda r: r["exchanges"] or 0)["id"],
        "compare_a": by_words[len(by_words) // 2]["id"],
        "compare_b": by_words[len(by_words) // 2 + 1]["id"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=os.environ.get("PODIUM_DB") or "/tmp/podium-corpus.db")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument(
        "--no-cache",
        action="store_true",
        help="turn off the app's result cache (every request runs its store queries)",
    )
    args = ap.parse_args()
    if not Path(args.db).is_file():
        sys.exit(
            f"no database at {args.db}: ingest a corpus first (podium ingest ... --db {args.db})"
        )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from podium.store import Store
    from podium.web import create_app

    with Store.open(args.db, readonly=True) as store:
        stats = store.stats()
        docs = pick(store)
        words = {k: (store.document(v) or {}).get("words") for k, v in docs.items()}
    print(
        f"database {args.db}: {stats['documents']:,} documents, {stats['sentences']:,} sentences, "
        f"{stats['sub_questions']:,} sub-questions; {args.runs} runs per page after one warm-up"
    )
    pages = [
        ("home", "/"),
        ("documents", "/documents"),
        ("documents, page 11", "/documents?offset=500"),
        (f"reader, median doc ({words['median']:,} words)", f"/documents/{docs['median']}"),
        (f"reader, p90 doc ({words['p90']:,} words)", f"/documents/{docs['p90']}"),
        (f"reader, longest doc ({words['longest']:,} words)", f"/documents/{docs['longest']}"),
        ("reader, most exchanges", f"/documents/{docs['most_exchanges']}"),
        ("search Iran", "/search?q=Iran"),
        ('search "New START"', "/search?q=%22New+START%22"),
        ("search sanction* AND Russia", "/search?q=sanction*+AND+Russia"),
        ("search Iran, role=journalist", "/search?q=Iran&role=journalist"),
        ("search the", "/search?q=the"),
        ("search filter only: year=2014", "/search?year=2014"),
        ("search malformed (400)", "/search?q=%22unclosed"),
        ("qa", "/qa"),
        ("qa clarity=clear_non_reply", "/qa?clarity=clear_non_reply"),
        ("qa evasion=dodging, addressee=Psaki", "/qa?evasion=dodging&addressee=Psaki"),
        ("positions", "/positions"),
        ("positions actor=RUS", "/positions?actor=RUS"),
        ("speakers", "/speakers"),
        ("compare two median docs", f"/compare?a={docs['compare_a']}&b={docs['compare_b']}"),
        ("api stats", "/api/stats"),
        ("api search Iran", "/api/search?q=Iran"),
        ("api document json (longest)", f"/api/documents/{docs['longest']}.json"),
        ("api sub-questions", "/api/sub-questions"),
    ]
    app = create_app(args.db, token="", cache_size=0 if args.no_cache else 256)
    print("result cache:", "off" if args.no_cache else "on (runs after the first are cache hits)")
    width = max(len(n) for n, _ in pages)
    print(f"{'page':<{width}}  status  first ms  median ms   p95 ms   max ms  p95/budget")
    over = []
    with TestClient(app) as client:
        for name, path in pages:
            t0 = time.perf_counter()
            r = client.get(path)  # warm-up (first open, caches: compare keeps its last results)
            first = (time.perf_counter() - t0) * 1000
            times = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                r = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            med = statistics.median(times)
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            ratio = p95 / BUDGET_MS
            if ratio > 1:
                over.append(name)
            print(
                f"{name:<{width}}  {r.status_code:>6}  {first:8.1f}  {med:9.1f}  {p95:7.1f}  {times[-1]:7.1f}  {ratio:9.2f}"
            )
    print(f"pages over the {BUDGET_MS:.0f} ms budget at p95: {', '.join(over) if over else 'none'}")


if __name__ == "__main__":
    main()
