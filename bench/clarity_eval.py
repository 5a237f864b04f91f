"""Response clarity: podium's rule-based ``judge`` against QEvasion gold labels, in one run.

    python bench/clarity_eval.py [--data ../shared/data/qevasion/test_dev.csv] [--errors N]

Runs ``podium.stages.clarity.judge`` over each row's sub-question (``question``) and whole
answer (``interview_answer``, with the transcript's leading speaker label such as
"The President." removed, since podium's answers carry no label) and prints clarity accuracy
and macro-F1 against ``clarity_gold``, evasion accuracy against ``evasion_gold``, the same
for a majority-class baseline (always ``ambivalent``, with the commonest ambivalent evasion), and a confusion table for clarity.
The data is CC BY-NC-ND 4.0 (see its SOURCE.md): it is read here, never copied.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "qevasion" / "test_dev.csv"
CLASSES = ("clear_reply", "ambivalent", "clear_non_reply")
_LABEL = re.compile(
    r"^\s*(?:the\s+)?(?:president|prime\s+minister|chancellor|secretary|king|premier)"
    r"(?:\s+[A-Z][\w'-]+){0,2}\s*\.\s*",
    re.I,
)


def macro_f1(gold: list[str], pred: list[str], classes=CLASSES) -> float:
    f1s = []
    for c in classes:
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)


def accuracy(gold: list[str], pred: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0


def per_class(gold: list[str], pred: list[str], classes) -> list[tuple[str, int, float, float, float]]:
    """(class, gold count, precision, recall, F1) for each class."""
    out = []
    for c in classes:
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        out.append((c, tp + fn, prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0))
    return out


def confusion(gold: list[str], pred: list[str], classes, width: int) -> None:
    short = {c: c[: width - 1] for c in classes}
    print(f"{'gold, podium →':20}" + "".join(f"{short[c]:>{width}}" for c in classes))
    for g in classes:
        counts = Counter(p for gg, p in zip(gold, pred, strict=True) if gg == g)
        print(f"{g:20}" + "".join(f"{counts[p]:{width}d}" for p in classes))


def report(name: str, gold: list[str], pred: list[str], classes) -> None:
    print(f"\n{name}: accuracy {accuracy(gold, pred):.3f}, macro-F1 {macro_f1(gold, pred, classes):.3f}")
    print(f"{'class':20}{'gold':>6}{'precision':>11}{'recall':>8}{'F1':>7}")
    for c, n, p, r, f in per_class(gold, pred, classes):
        print(f"{c:20}{n:6d}{p:11.3f}{r:8.3f}{f:7.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--errors", type=int, default=0, help="print up to N misjudged rows' cues")
    ap.add_argument("--repeat", type=int, default=5, help="timed passes over the rows (after one warm-up)")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"clarity_eval: {args.data} not found; pass --data pointing at test_dev.csv.")
        return 0

    from podium.stages.clarity import EVASIONS, judge

    with args.data.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    gold_c = [r["clarity_gold"] for r in rows]
    gold_e = [r["evasion_gold"] for r in rows]
    pairs = [(r["question"], _LABEL.sub("", r["interview_answer"], count=1)) for r in rows]
    judged = [judge(q, a) for q, a in pairs]  # also the warm-up: cue table and caches
    t0 = time.process_time()
    for _ in range(args.repeat):
        for q, a in pairs:
            judge(q, a)
    secs = time.process_time() - t0
    pred_c = [j.clarity for j in judged]
    pred_e = [j.evasion for j in judged]
    base_c = ["ambivalent"] * len(rows)
    # The baseline's evasion: the commonest ambivalent evasion in the gold labels.
    amb = Counter(e for c, e in zip(gold_c, gold_e, strict=True) if c == "ambivalent")
    base_ev = amb.most_common(1)[0][0] if amb else "implicit"
    base_e = [base_ev] * len(rows)
    evasions = [e for e in EVASIONS if e in set(gold_e)]  # the nine the data uses

    n = len(rows) * args.repeat
    print(
        f"{args.data.name}: {len(rows)} rows; {n / secs:,.0f} pairs/s on one core "
        f"(CPU time of {args.repeat} passes after a warm-up; answers average "
        f"{sum(len(a.split()) for _, a in pairs) / len(pairs):.0f} words)"
    )
    print(f"{'':24}{'3-class acc':>12}{'3-class F1':>12}{'9-class acc':>12}{'9-class F1':>12}")
    for name, pc, pe in (("podium rules", pred_c, pred_e), ("majority baseline", base_c, base_e)):
        print(
            f"{name:24}{accuracy(gold_c, pc):12.3f}{macro_f1(gold_c, pc):12.3f}"
            f"{accuracy(gold_e, pe):12.3f}{macro_f1(gold_e, pe, evasions):12.3f}"
        )
    print(f"  (the baseline says 'ambivalent' / {base_ev!r}, the commonest class and ambivalent evasion)")
    # The rules were written looking at all of these rows; the two halves show how much the
    # figure moves with the sample.
    for half in (0, 1):
        idx = [i for i, r in enumerate(rows) if int(r["id"]) % 2 == half]
        g = [gold_c[i] for i in idx]
        p = [pred_c[i] for i in idx]
        print(f"  rows with {'even' if half == 0 else 'odd'} id ({len(idx)}): 3-class macro-F1 {macro_f1(g, p):.3f}")

    report("3-class clarity", gold_c, pred_c, CLASSES)
    print()
    confusion(gold_c, pred_c, CLASSES, 17)
    report("9-class evasion", gold_e, pred_e, evasions)
    print()
    confusion(gold_e, pred_e, evasions, 9)
    if args.errors:
        print()
        shown = 0
        for r, j in zip(rows, judged, strict=True):
            if j.clarity != r["clarity_gold"] and shown < args.errors:
                shown += 1
                print(
                    f"{r['id']}: gold {r['clarity_gold']}/{r['evasion_gold']} "
                    f"podium {j.clarity}/{j.evasion} via {j.cue}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
