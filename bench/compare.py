"""Time of ``podium.compare`` against document length, and against difflib, in one run.

    .venv/bin/python bench/compare.py [--sizes 5000,10000,25000,50000,100000,200000] [--data ../shared/data]

For each size, document A is real White House transcripts from ``data/transcripts`` put end to
end until it has that many words; B is an edited copy: about one labelled turn in 40 deleted,
one word in 400 changed and one passage in 10,000 words moved some paragraphs down. Both are
analysed once (that time is printed apart: it is not the compare), then timed over the same
inputs:

- ``compare``: ``podium.compare.compare(a, b)``, the whole record: units and their folding,
  alignment, moved passages, similar-sentence pairing, word operations, turns, speakers;
- ``align``: ``podium.compare.diff(sa, sb)``, compare's sentence aligner alone (patience
  anchors, difflib inside small gaps) over the two lists of sentence texts;
- ``difflib``: ``difflib.SequenceMatcher(None, sa, sb).get_opcodes()`` over the same two lists,
  the baseline a diff of sentences would use (it says which sentences differ, not how);
- ``ndiff``: ``difflib.ndiff(sa, sb)``, SequenceMatcher over the same sentences plus its
  intraline pass over changed ones: difflib doing the same job as compare's sentence records;
- ``words``: ``SequenceMatcher(None, wa, wb).get_opcodes()`` over the two documents' words,
  difflib's way to word-level operations (quadratic: run up to ``--words-max`` words only).

Prints the times, the ratio of each baseline to compare (and to the aligner alone), and the
growth of each per doubling of the length (``2.00`` = linear, ``4.00`` = quadratic), a PASS or
FAIL line for the issue's target (linear growth and ≥ 5x faster than difflib at 100k words:
``difflib/compare`` ≥ 5.00 in the 100,000 row), then the edits made and what compare found.
Times are the best of ``--repeat`` runs; on a busy machine read the ratios, not the absolute
times, and run it twice.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import gzip
import json
import math
import random
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
SIZES = (5_000, 10_000, 25_000, 50_000, 100_000, 200_000)
LABELLED = re.compile(r"^(?:Q|[A-Z][A-Z.' -]+:)\s")
WORD = re.compile(r"[A-Za-z]{5,}")


def load_texts(data: Path, words_needed: int) -> list[str]:
    """Transcripts with speaker labels, in file order, until there are enough words."""
    path = data / "transcripts" / "transcripts.jsonl.gz"
    if not path.exists():
        sys.exit(f"bench: {path} not found; pass --data pointing at the shared data folder.")
    texts, total = [], 0
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if not doc["id"].startswith("wh-biden"):
                continue  # one collection: one house style throughout
            texts.append(f"{doc['title']}\n{doc['date']}\n\n{doc['text'].strip()}")
            total += len(doc["text"].split())
            if total >= words_needed:
                break
    return texts


def build_a(texts: list[str], words: int) -> tuple[str, set[int]]:
    """Whole transcripts end to end, the last one cut at a paragraph, to about ``words`` words;
    also the paragraph numbers where a transcript starts (its title)."""
    out: list[str] = []
    starts: set[int] = set()
    total = 0
    for text in texts:
        starts.add(len(out))
        for para in text.split("\n"):
            out.append(para)
            total += len(para.split())
            if total >= words:
                return "\n".join(out), starts
        out.append("")
    return "\n".join(out), starts


def edit(a: str, starts: set[int], seed: int) -> tuple[str, dict[str, int]]:
    """B: A with whole turns deleted (a labelled paragraph up to the next label or the next
    transcript), words changed (never in a label) and paragraphs moved a few paragraphs down,
    at rates fixed per word."""
    rng = random.Random(seed)
    paras = a.split("\n")
    words = len(a.split())
    done = {"turns_deleted": 0, "words_changed": 0, "passages_moved": 0}
    kept: list[str] = []
    dropping = False
    for k, p in enumerate(paras):
        if LABELLED.match(p):
            dropping = rng.random() < 1 / 40
            done["turns_deleted"] += dropping
        elif k in starts:
            dropping = False
        if not dropping:
            kept.append(p)
    paras = kept
    for _ in range(max(1, words // 400)):
        k = rng.randrange(len(paras))
        label = LABELLED.match(paras[k])
        found = [m for m in WORD.finditer(paras[k]) if not label or m.start() >= label.end()]
        if len(found) >= 8:  # not the only word of a turn: that would be a new turn, not an edit
            m = rng.choice(found)
            paras[k] = paras[k][: m.start()] + m.group()[::-1].lower() + paras[k][m.end() :]
            done["words_changed"] += 1
    for _ in range(max(1, words // 10_000)):
        k = rng.randrange(len(paras) - 12)
        if len(paras[k].split()) > 30 and not LABELLED.match(paras[k]):
            passage = paras.pop(k)
            paras.insert(k + rng.randrange(4, 12), passage)
            done["passages_moved"] += 1
    return "\n".join(paras), done


def best_of(repeat: int, fn, *args) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()  # garbage of the run before is not this run's cost
        t = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t)
    return min(times)


def growth(times: list[float], sizes: list[int], k: int) -> str:
    """Time factor per doubling of the length between this size and the one before."""
    if k == 0 or times[k - 1] <= 0:
        return "-"
    return f"{(times[k] / times[k - 1]) ** (1 / math.log2(sizes[k] / sizes[k - 1])):.2f}"


def difflib_opcodes(sa: list[str], sb: list[str]) -> list:
    return difflib.SequenceMatcher(None, sa, sb).get_opcodes()


def difflib_ndiff(sa: list[str], sb: list[str]) -> list:
    return list(difflib.ndiff(sa, sb))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="document lengths in words")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    ap.add_argument(
        "--words-max", type=int, default=100_000, help="largest size for the word-level baseline"
    )
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    import podium
    from podium.compare import compare, diff

    texts = load_texts(args.data, max(sizes))
    print(
        "compare: the whole podium-compare/1 record; align: its sentence aligner alone "
        "(podium.compare.diff) over the sentence lists\ndifflib: SequenceMatcher over the same "
        "sentence lists; ndiff: difflib.ndiff over them (with intraline changes); words: "
        f"SequenceMatcher over the words\nbest of {args.repeat}; x/2x: time factor per doubling "
        "(2.00 = linear); a/b: b's time over a's (how many times faster a is)"
    )
    print(
        f"{'words A':>8} {'sents':>6} {'analyze':>8} {'compare':>8} {'align':>7} {'difflib':>8} "
        f"{'ndiff':>7} {'words':>8} {'difflib/':>9} {'ndiff/':>7} {'words/':>7} {'difflib/':>9} "
        f"{'compare':>8} {'align':>6} {'ndiff':>6}"
    )
    print(
        f"{'':>8} {'':>6} {'s':>8} {'s':>8} {'s':>7} {'s':>8} {'s':>7} {'s':>8} {'compare':>9} "
        f"{'compare':>7} {'compare':>7} {'align':>9} {'x/2x':>8} {'x/2x':>6} {'x/2x':>6}"
    )
    ours: list[float] = []
    align: list[float] = []
    theirs: list[float] = []
    ndiffs: list[float] = []
    notes = []
    for k, size in enumerate(sizes):
        a_text, starts = build_a(texts, size)
        b_text, done = edit(a_text, starts, seed=size)
        t = time.perf_counter()
        a = podium.analyze(a_text, name=f"a-{size}")
        b = podium.analyze(b_text, name=f"b-{size}")
        analyze_s = time.perf_counter() - t
        sa = [s.text for s in a.sentences]
        sb = [s.text for s in b.sentences]
        result = compare(a, b)  # warm: knowledge base loaded, caches filled
        ours.append(best_of(args.repeat, compare, a, b))
        align.append(best_of(args.repeat, diff, sa, sb))
        theirs.append(best_of(args.repeat, difflib_opcodes, sa, sb))
        ndiffs.append(best_of(args.repeat, difflib_ndiff, sa, sb))
        if size <= args.words_max:
            words_s = best_of(1, difflib_opcodes, a_text.split(), b_text.split())
            words_col, words_ratio = f"{words_s:>8.3f}", f"{words_s / ours[-1]:>7.1f}"
        else:
            words_col, words_ratio = f"{'-':>8}", f"{'-':>7}"
        s = result["summary"]
        print(
            f"{len(a_text.split()):>8,} {len(sa):>6,} {analyze_s:>8.2f} {ours[-1]:>8.3f} "
            f"{align[-1]:>7.3f} {theirs[-1]:>8.3f} {ndiffs[-1]:>7.3f} {words_col} "
            f"{theirs[-1] / ours[-1]:>9.2f} {ndiffs[-1] / ours[-1]:>7.2f} {words_ratio} "
            f"{theirs[-1] / align[-1]:>9.2f} {growth(ours, sizes, k):>8} "
            f"{growth(align, sizes, k):>6} {growth(ndiffs, sizes, k):>6}"
        )
        notes.append(
            f"{size:>8,}: made {done['turns_deleted']} turn deletions, {done['words_changed']} word "
            f"changes, {done['passages_moved']} moves; compare found {s['turns_only_a']} turns only "
            f"in A, {s['sentences_changed']} sentences changed, {s['passages_moved']} passages moved"
        )
    print()
    print(verdict(sizes, ours, align, theirs))
    print("\nedits made and found:")
    print("\n".join(notes))


TARGET_SIZE = 100_000
TARGET_RATIO = 5.0  # compare at least this many times faster than difflib at TARGET_SIZE words
LINEAR = 2.25  # at most this time factor per doubling of the length counts as linear (2.00)


def verdict(sizes: list[int], ours: list[float], align: list[float], theirs: list[float]) -> str:
    """The issue's target, PASS or FAIL: at TARGET_SIZE words compare ≥ TARGET_RATIO times
    faster than difflib, and linear growth (per doubling over all the sizes run)."""
    lines = [
        f"target (issue 6): at {TARGET_SIZE:,} words compare ≥ {TARGET_RATIO:g}x faster than "
        f"difflib (difflib/compare ≥ {TARGET_RATIO:.2f}), and linear growth "
        f"(x/2x ≤ {LINEAR:.2f} over {sizes[0]:,}..{sizes[-1]:,} words)"
    ]
    if TARGET_SIZE in sizes:
        k = sizes.index(TARGET_SIZE)
        ratio = theirs[k] / ours[k]
        lines.append(
            f"  speed:  difflib/compare {ratio:.2f} → {'PASS' if ratio >= TARGET_RATIO else 'FAIL'}"
            f"   (the aligner alone: difflib/align {theirs[k] / align[k]:.2f})"
        )
    else:
        lines.append(f"  speed:  not measured ({TARGET_SIZE:,} is not among --sizes)")
    if len(sizes) > 1:
        doublings = math.log2(sizes[-1] / sizes[0])
        per = {
            name: (times[-1] / times[0]) ** (1 / doublings)
            for name, times in (("compare", ours), ("align", align), ("difflib", theirs))
        }
        lines.append(
            f"  growth: compare x/2x {per['compare']:.2f} → "
            f"{'PASS' if per['compare'] <= LINEAR else 'FAIL'}"
            f"   (align {per['align']:.2f}, difflib {per['difflib']:.2f})"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
