"""Event-type and actor accuracy of ``podium.stages.events.classify`` on gold-coded sentences.

    python bench/events_eval.py [--data ../shared/data] [--show-errors N] [--stage-cost N]

Two gold sets from ``data/event_gold`` (read here, never copied into the repository):

- ``plover/PLOVER_GSR_CAMEO.txt``: 322 example sentences from the CAMEO manual, coded in an
  early PLOVER draft (0.5b1). Its DEMAND is read as REQUEST, DISAPPROVE and INVESTIGATE as
  ACCUSE, FIGHT as ASSAULT. Actors are resolved with podium's own knowledge base.
- ``petrarch2/petr_unittest_records.jsonl``: PETRARCH2's unit-test sentences with gold CAMEO
  codes, mapped to PLOVER with ``plover/CAMEO2PLOVER-2021.txt`` (longest code prefix in the
  table; codes the table lacks — CAMEO 01/02, and the WEIS codes the test dictionary still
  uses — leave the record out). Their actors are mostly fictional states (Arnor, Gondor), so
  names are resolved with the suite's own ``PETR.Validate.actors.txt``; a source or target
  counts as right when its first three letters (the state) match.

``--stage-cost N`` also times the ``events`` and ``relations`` stages against the default
pipeline over every N-th document of ``data/transcripts`` (as ``bench/stage_times.py`` does).

Type accuracy counts a sentence with no predicted event as wrong. Source and target accuracy
are over the sentences whose gold actor has a code the resolver can produce (ISO3 for the
PLOVER set). Each figure is also given for the odd and even halves (file order): the cue file
was revised while looking at the errors of the even half only, so the odd half is held out.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"

PLOVER_DRAFT = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}


# -- the gold sets --------------------------------------------------------------------------


def _codes(actors) -> list[str]:
    if not isinstance(actors, list):
        return []
    return [a["code"] for a in actors if isinstance(a, dict) and a.get("code")]


def load_plover(folder: Path) -> list[dict]:
    records = json.loads((folder / "PLOVER_GSR_CAMEO.txt").read_text(encoding="utf-8"))
    out = []
    for r in records:
        if r.get("event") in (None, "DOCUMENT"):
            continue
        out.append(
            {
                "id": r["id"],
                "text": r["text"],
                "date": r.get("date"),
                "types": {PLOVER_DRAFT.get(r["event"], r["event"])},
                "sources": _codes(r.get("source")),
                "targets": _codes(r.get("target")),
            }
        )
    return out


def load_cameo2plover(path: Path) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*(\d{2,4})\s*:\s*([A-Z]+)", line)
        if m:
            table.setdefault(m.group(1), m.group(2))
    return table


def cameo_to_plover(code: str, table: dict[str, str]) -> str | None:
    for n in range(len(code), 2, -1):  # 4 digits, then 3; two-digit heads are ambiguous
        if code[:n] in table:
            return table[code[:n]]
    return None


def load_petrarch(folder: Path, table: dict[str, str]) -> tuple[list[dict], int, int]:
    """Records with at least one mappable gold event, and counts of the others."""
    out = []
    unmapped = no_events = 0
    for line in (folder / "petr_unittest_records.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        codings = [c for c in r["codings"] if c.get("eventcode")]
        if not codings:
            no_events += 1
            continue
        mapped = [(cameo_to_plover(c["eventcode"], table), c) for c in codings]
        mapped = [(t, c) for t, c in mapped if t]
        if not mapped:
            unmapped += 1
            continue
        out.append(
            {
                "id": r["id"],
                "text": r["text"],
                "date": None,
                "types": {t for t, _ in mapped},
                "sources": [c.get("sourcecode", "") for _, c in mapped],
                "targets": [c.get("targetcode", "") for _, c in mapped],
            }
        )
    return out, unmapped, no_events


class PetrarchActors:
    """Names → codes from the PETRARCH validation actor dictionary (TABARI syntax, reduced:
    ``NAME [CODE]``, ``+ALIAS`` lines, ``_`` for a space, a trailing ``_`` for a whole word,
    otherwise the last word may be the stem of a longer one: ``ERIADOR`` → "Eriadorian")."""

    def __init__(self, path: Path) -> None:
        self.names: list[tuple[tuple[str, ...], bool, str]] = []
        text = re.sub(
            r"<!--.*?-->", "", path.read_text(encoding="utf-8", errors="replace"), flags=re.S
        )
        pending: list[str] = []
        code: str | None = None

        def flush() -> None:
            if pending and code and code[0].isalpha():
                for name in pending:
                    exact = name.endswith("_")
                    words = tuple(w for w in name.strip("_").replace("_", " ").split() if w)
                    if words:
                        self.names.append((words, exact, code))

        for raw in text.splitlines():
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            codes = re.findall(r"\[([^\]]+)\]", line)
            name = re.sub(r"\[[^\]]*\]", "", line).strip()
            if line.startswith("+"):
                pending.append(name[1:].strip())
            elif name and not raw[:1].isspace():
                flush()
                pending, code = [name], None
            for c in codes:  # the first code without a date restriction, else the first
                c = c.split()[0]
                if code is None or (code.startswith("-") and not c.startswith("-")):
                    code = c
        flush()
        self.cache: dict[str, str | None] = {}

    def __call__(self, name: str) -> str | None:
        if name in self.cache:
            return self.cache[name]
        text = re.sub(r"['’]s$", "", name.strip()).upper()
        words = tuple(re.sub(r"^THE ", "", text).replace("-", " ").split())
        found = None
        for key, exact, code in self.names:
            if len(key) != len(words):
                continue
            if key[:-1] == words[:-1] and (
                key[-1] == words[-1] or (not exact and words[-1].startswith(key[-1]))
            ):
                found = code
                break
        self.cache[name] = found
        return found


# -- scoring --------------------------------------------------------------------------------


def evaluate(records, classify_one, actor_ok, actor_known):
    rows = []
    for r in records:
        g = classify_one(r)
        pred = g.type if g else None
        rows.append(
            {
                "id": r["id"],
                "text": r["text"],
                "gold": r["types"],
                "pred": pred,
                "ok": pred in r["types"],
                "src": None if not any(actor_known(c) for c in r["sources"]) else
                bool(g and g.source and any(actor_ok(g.source, c) for c in r["sources"])),
                "tgt": None if not any(actor_known(c) for c in r["targets"]) else
                bool(g and g.target and any(actor_ok(g.target, c) for c in r["targets"])),
                "guess": g,
            }
        )  # fmt: skip
    return rows


def _rate(rows, key) -> str:
    known = [r[key] for r in rows if r[key] is not None]
    return f"{sum(known) / len(known):.3f} ({sum(known)}/{len(known)})" if known else "n/a"


def report(name: str, rows: list[dict], show_errors: int) -> None:
    print(f"\n== {name}: {len(rows)} sentences")
    for label, part in (("all", rows), ("odd (held out)", rows[1::2]), ("even (dev)", rows[0::2])):
        print(
            f"  {label:<15} type {_rate(part, 'ok'):<18} source {_rate(part, 'src'):<18}"
            f" target {_rate(part, 'tgt')}"
        )
    no_event = sum(r["pred"] is None for r in rows)
    print(f"  no event predicted: {no_event}")
    by_gold: dict[str, list[dict]] = collections.defaultdict(list)
    for r in rows:
        by_gold["/".join(sorted(r["gold"]))].append(r)
    print(f"  {'gold type':<22} {'n':>4} {'acc':>6}  most frequent predictions")
    for gold, part in sorted(by_gold.items(), key=lambda kv: -len(kv[1])):
        acc = sum(r["ok"] for r in part) / len(part)
        preds = collections.Counter(r["pred"] or "none" for r in part).most_common(4)
        print(
            f"  {gold[:22]:<22} {len(part):>4} {acc:>6.2f}  "
            + ", ".join(f"{p} {n}" for p, n in preds)
        )
    if show_errors:  # from the dev half only: the odd half stays unseen
        print(f"  first {show_errors} errors of the even (dev) half:")
        for r in [r for r in rows[0::2] if not r["ok"]][:show_errors]:
            g = r["guess"]
            cue = f"[{g.cue}]" if g else ""
            print(
                f"    {r['id']}: gold {'/'.join(sorted(r['gold']))} pred {r['pred']} {cue} {r['text'][:150]}"
            )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--show-errors", type=int, default=0, metavar="N",
                    help="print the first N errors of the even (dev) half")  # fmt: skip
    ap.add_argument("--stage-cost", type=int, default=0, metavar="N",
                    help="time the stages over every N-th transcript")  # fmt: skip
    args = ap.parse_args()

    import pycountry

    from podium.knowledge import default_knowledge
    from podium.stages.events import Resolver, classify, cue_table

    gold = args.data / "event_gold"
    if not (gold / "plover" / "PLOVER_GSR_CAMEO.txt").exists():
        sys.exit(f"events_eval: {gold} has no plover/PLOVER_GSR_CAMEO.txt; pass --data.")
    table = cue_table()
    kb = default_knowledge()
    iso3 = {c.alpha_3 for c in pycountry.countries}

    plover = load_plover(gold / "plover")
    resolvers: dict[str | None, Resolver] = {}

    def classify_plover(r):
        resolve = resolvers.setdefault(r["date"], Resolver(kb, r["date"]))
        return classify(r["text"], resolve=resolve, table=table)

    plover_rows = evaluate(plover, classify_plover, lambda p, g: p == g, lambda g: g in iso3)
    report(
        "PLOVER gold standard records (PLOVER_GSR_CAMEO, PLOVER 0.5b1)",
        plover_rows,
        args.show_errors,
    )
    not_iso = collections.Counter(
        c for r in plover for c in r["sources"] + r["targets"] if c not in iso3
    )
    print(f"  gold actor codes that are not ISO3 (left out of actor accuracy): {sum(not_iso.values())}"
          f" ({', '.join(f'{c} {n}' for c, n in not_iso.most_common(6))}, ...)")  # fmt: skip

    petr_table = load_cameo2plover(gold / "plover" / "CAMEO2PLOVER-2021.txt")
    petrarch, unmapped, no_events = load_petrarch(gold / "petrarch2", petr_table)
    actors = PetrarchActors(gold / "petrarch2" / "PETR.Validate.actors.txt")
    petr_rows = evaluate(
        petrarch,
        lambda r: classify(r["text"], resolve=actors, table=table),
        lambda p, g: p[:3] == g[:3],
        lambda g: bool(g) and g[:1].isalpha(),
    )
    report("PETRARCH2 unit-test records (CAMEO → PLOVER 2021)", petr_rows, args.show_errors)
    print(f"  left out: {unmapped} records whose codes the CAMEO2PLOVER table lacks, "
          f"{no_events} coded as no event")  # fmt: skip

    texts = [r["text"] for r in plover + petrarch]
    resolve = Resolver(kb)
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for text in texts:
            classify(text, resolve=resolve, table=table)
        best = min(best, time.perf_counter() - t)
    if args.stage_cost:
        stage_cost(args.data, args.stage_cost)
    print(f"\nspeed: {len(texts) / best:,.0f} sentences/s (classify with actors, best of 3 passes"
          f" over {len(texts)} sentences, resolver cache warm)")  # fmt: skip


def stage_cost(data: Path, every: int) -> None:
    """Seconds of the default pipeline, of ``events`` and of ``relations`` on real transcripts."""
    import gzip

    from podium.knowledge import default_knowledge
    from podium.model import Meta, Source, Transcript
    from podium.pipeline import Context, Pipeline
    from podium.read import read_text
    from podium.stages.events import events
    from podium.stages.relations import relations

    path = data / "transcripts" / "transcripts.jsonl.gz"
    if not path.exists():
        print(f"\nstage cost: {path} not found; skipped")
        return
    with gzip.open(path, "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for i, line in enumerate(f) if i % every == 0]
    stages = [*Pipeline().stages, events, relations]
    kb = default_knowledge()
    seconds = dict.fromkeys((s.name for s in stages), 0.0)
    n_events = n_relations = n_sentences = 0
    for timed in (False, True):  # the first pass builds the cue automaton and fills caches
        n_events = n_relations = n_sentences = 0
        for d in docs:
            read = read_text(d["text"])
            doc = Transcript(text=read.text, source=Source(read.name, read.sha256), meta=Meta())
            ctx = Context(knowledge=kb, hints={"title": d["title"], "date": d["date"]})
            for s in stages:
                t = time.process_time()  # CPU time: steadier than the wall clock on a busy host
                s(doc, ctx)
                seconds[s.name] += (time.process_time() - t) if timed else 0.0
            n_events += len(doc.events)
            n_relations += len(doc.relations)
            n_sentences += len(doc.sentences)
    base = sum(v for k, v in seconds.items() if k not in ("events", "relations"))
    print(f"\nstage cost over {len(docs)} transcripts ({n_sentences:,} sentences, {n_events:,} events,"
          f" {n_relations:,} relations), CPU seconds of a second pass:")  # fmt: skip
    print(f"  default pipeline ({', '.join(s.name for s in stages[:-2])}): {base:.2f} s")
    for name in ("events", "relations"):
        print(
            f"  {name:<10} {seconds[name]:.3f} s = {seconds[name] / base:.1%} of the default pipeline"
        )


if __name__ == "__main__":
    main()
