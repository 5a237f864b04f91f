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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--errors", type=int, default=0, help="print up to N misjudged rows' cues")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"clarity_eval: {args.data} not found; pass --data pointing at test_dev.csv.")
        return 0

    from podium.stages.clarity import judge

    with args.data.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    gold_c = [r["clarity_gold"] for r in rows]
    gold_e = [r["evasion_gold"] for r in rows]
    t0 = time.perf_counter()
    judged = [judge(r["question"], _LABEL.sub("", r["interview_answer"], count=1)) for r in rows]
    secs = time.perf_counter() - t0
    pred_c = [j.clarity for j in judged]
    pred_e = [j.evasion for j in judged]
    base_c = ["ambivalent"] * len(rows)
    # The baseline's evasion: the commonest ambivalent evasion in the gold labels.
    amb = Counter(e for c, e in zip(gold_c, gold_e, strict=True) if c == "ambivalent")
    base_ev = amb.most_common(1)[0][0] if amb else "implicit"
    base_e = [base_ev] * len(rows)

    print(
        f"{args.data.name}: {len(rows)} rows; judge() took {1000 * secs / len(rows):.2f} ms a row"
    )
    print(f"{'':24}{'clarity acc':>12}{'clarity F1':>12}{'evasion acc':>12}")
    print(
        f"{'podium rules':24}{accuracy(gold_c, pred_c):12.3f}{macro_f1(gold_c, pred_c):12.3f}"
        f"{accuracy(gold_e, pred_e):12.3f}"
    )
    print(
        f"{'majority (ambivalent)':24}{accuracy(gold_c, base_c):12.3f}"
        f"{macro_f1(gold_c, base_c):12.3f}{accuracy(gold_e, base_e):12.3f}"
    )
    print(f"  (the baseline's evasion is always {base_ev!r}, the commonest ambivalent one)")
    print("\nclarity confusion (rows: gold, columns: podium)")
    print(f"{'':18}" + "".join(f"{c:>17}" for c in CLASSES))
    for g in CLASSES:
        counts = Counter(p for gg, p in zip(gold_c, pred_c, strict=True) if gg == g)
        print(f"{g:18}" + "".join(f"{counts[p]:17d}" for p in CLASSES))
    print("\nevasion predicted:", dict(Counter(pred_e).most_common()))
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
