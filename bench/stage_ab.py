"""One stage's speed at a git revision against the working copy, interleaved in one process.

    python bench/stage_ab.py STAGE [--rev HEAD] [--docs 100] [--repeat 8] [--data ../shared/data]

On a shared machine two benchmark runs a minute apart can differ by half; a change of 10% is
only visible when the old and new code run in turns over the same inputs. The stage's module
as it was at ``--rev`` and as it is in the working copy are loaded side by side (as
``podium.stages._rev_<stage>`` and ``._working_<stage>``); both run, alternately, over the same real transcripts prepared once by the stages before it,
and the best CPU time of each is kept (each side going first in turn). Run it with
``--rev HEAD`` on an unchanged stage to see the noise floor: about ±10% on this host. Also prints whether the two wrote the same layer, so a
speed change that alters output shows. Per-text caches (``words.content_stems``) are emptied
before each run, as in a corpus run where texts do not repeat.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import importlib
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
LAYER = {"segment": "turns", "clarity": "exchanges"}  # the layer a stage writes, where its name differs


def load_revision(stage: str, rev: str | None):
    """The stage's module as it was at ``rev`` (None: the working copy), importable beside the
    package's own. Both sides are loaded this way: the package's imported module ran some 10-15%
    slower than a fresh copy of the very same file, which would bias the comparison."""
    if rev is None:
        source = (HERE.parent / "src" / "podium" / "stages" / f"{stage}.py").read_text(encoding="utf-8")
    else:
        shown = subprocess.run(
            ["git", "-C", str(HERE.parent), "show", f"{rev}:src/podium/stages/{stage}.py"],
            capture_output=True, text=True,
        )
        if shown.returncode != 0:
            sys.exit(f"bench: git cannot show {stage}.py at {rev}: {shown.stderr.strip()}")
        source = shown.stdout
    tag = "working" if rev is None else "rev"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{stage}.py"
        path.write_text(source, encoding="utf-8")
        # The module's name puts it in podium.stages, so its relative imports resolve there.
        spec = importlib.util.spec_from_file_location(f"podium.stages._{tag}_{stage}", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("stage", help="a stage of the default pipeline, e.g. events")
    ap.add_argument("--rev", default="HEAD", help="git revision of the old code (default HEAD)")
    ap.add_argument("--docs", type=int, default=100, help="transcripts (every 18th of the corpus)")
    ap.add_argument("--repeat", type=int, default=8, help="alternating runs of each; the best counts")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()

    import podium
    from podium import words
    from podium.knowledge import default_knowledge
    from podium.pipeline import DEFAULT_STAGES, Context, Pipeline

    names = list(DEFAULT_STAGES)
    if args.stage not in names:
        sys.exit(f"bench: {args.stage!r} is not a stage of the default pipeline ({', '.join(names)})")
    path = args.data / "transcripts" / "transcripts.jsonl.gz"
    if not path.exists():
        sys.exit(f"bench: {path} not found; pass --data pointing at the shared data folder.")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for i, line in enumerate(f) if i % 18 == 0][: args.docs]

    new = load_revision(args.stage, None)
    old = load_revision(args.stage, args.rev)
    before = Pipeline(names[: names.index(args.stage)])
    kb = default_knowledge()
    prepared = [
        podium.analyze(d["text"], meta={"title": d["title"], "date": d["date"]}, stages=before)
        for d in docs
    ]
    ctx = Context(knowledge=kb)
    runs = {"old": getattr(old, args.stage).run, "new": getattr(new, args.stage).run}

    layer = LAYER.get(args.stage, getattr(new, args.stage).provides)
    outputs = {}
    for side, run in runs.items():  # also the warm-up: knowledge loaded, tables built
        copies = [copy.deepcopy(doc) for doc in prepared]
        for doc in copies:
            run(doc, ctx)
        outputs[side] = repr([getattr(doc, layer) for doc in copies])

    del copies
    best = {side: float("inf") for side in runs}
    order = list(runs)
    for k in range(args.repeat):
        for side in order if k % 2 == 0 else order[::-1]:  # each side goes first in turn
            run = runs[side]
            words.content_stems.cache_clear()
            t = time.process_time()
            for doc in prepared:
                run(doc, ctx)
            best[side] = min(best[side], time.process_time() - t)
    n_words = sum(len(d["text"].split()) for d in docs)
    print(f"{args.stage}: {len(docs)} documents, {n_words:,} words; best CPU time of {args.repeat} alternating runs")
    print(f"  at {args.rev}: {best['old']:.3f} s   working copy: {best['new']:.3f} s   "
          f"new/old {best['new'] / best['old']:.3f}")
    print(f"  same {layer}: {'yes' if outputs['old'] == outputs['new'] else 'NO'}")


if __name__ == "__main__":
    main()
