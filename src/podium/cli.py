"""The ``podium`` command line.

Output for people goes to stdout through Rich; errors are one sentence on
stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from . import __version__, analyze
from .clarity_csv import transcript_rows, write_rows
from .cli_support import KnowledgeOption
from .cli_support import fail as _fail
from .errors import PodiumError
from .knowledge import Knowledge
from .model import Transcript
from .pipeline import DEFAULT_STAGES, Pipeline
from .read import DEFAULT_MAX_BYTES, READABLE

app = typer.Typer(
    name="podium",
    help="Turn press-conference and briefing transcripts into a structured record of who said what.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

FORMATS = ("summary", "json", "clarity-csv")
DEFAULT_MAX_MB = DEFAULT_MAX_BYTES / 1024 / 1024


def _inputs(paths: list[str]) -> Iterator[str]:
    """Expand directories (recursively, readable files only); keep files and '-' as given."""
    for p in paths:
        path = Path(p)
        if p != "-" and path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and f.suffix.lower() in READABLE and not f.name.startswith("."):
                    yield str(f)
        else:
            yield p


def _analyze_one(path: str, max_bytes: int, kb: Knowledge | None, pipeline: Pipeline) -> Transcript:
    if path == "-":
        data = sys.stdin.buffer.read()
        return analyze(data, name="<stdin>", max_bytes=max_bytes, knowledge=kb, stages=pipeline)
    return analyze(Path(path), max_bytes=max_bytes, knowledge=kb, stages=pipeline)


def _knowledge(paths: list[Path] | None) -> Knowledge | None:
    if not paths:
        return None
    for p in paths:
        if not p.is_file():
            _fail(f"knowledge file {p} does not exist: check the path given to --knowledge.")
    try:
        return Knowledge.load(extra=paths)
    except (ValueError, OSError) as e:
        _fail(f"knowledge file not loaded: {e}")
    return None


@app.command("analyze")
def analyze_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files or directories to analyse; '-' reads standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the podium/1 JSON contract (= --format json).")] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="summary (the default), json (the podium/1 contract) or clarity-csv (one row per "
            "question and answer, in the layout of `podium clarity`).",
        ),
    ] = "summary",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write one JSON file per input into this directory.")
    ] = None,
    max_size: Annotated[float, typer.Option("--max-size", help="Largest input to accept, in MB.")] = DEFAULT_MAX_MB,
    knowledge: KnowledgeOption = None,
    stages: Annotated[
        str,
        typer.Option(
            "--stages",
            help="Comma-separated stages to run (default: all of "
            + ",".join(DEFAULT_STAGES)
            + "; e.g. segment,notes,speakers,sentences for the core only).",
        ),
    ] = ",".join(DEFAULT_STAGES),
) -> None:
    """Analyse transcripts: a summary in the terminal, the JSON contract, or a directory of JSON files."""
    max_bytes = int(max_size * 1024 * 1024)
    fmt = "json" if as_json else fmt.strip().lower()
    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    kb = _knowledge(knowledge)
    try:
        pipeline = Pipeline([name.strip() for name in stages.split(",") if name.strip()])
    except ValueError as e:
        _fail(f"{e}.")
    files = list(_inputs(paths))
    if not files:
        _fail(f"no transcript files found in {', '.join(paths)}; podium reads {', '.join(sorted(READABLE))}.")
    if output is None and len(files) == 1:
        try:
            doc = _analyze_one(files[0], max_bytes, kb, pipeline)
        except PodiumError as e:
            _fail(str(e))
        except Exception as e:  # a bug must still end in one sentence, not a traceback
            logging.getLogger(__name__).debug("internal error", exc_info=True)
            _fail(f"internal error on {files[0]} ({type(e).__name__}: {e}); please report it.", code=3)
        if fmt == "json":
            sys.stdout.write(doc.to_json() + "\n")
        elif fmt == "clarity-csv":
            write_rows(transcript_rows(doc), sys.stdout)
        else:
            print_summary(doc)
        return
    if output is None:
        _fail("several inputs need an output directory: add -o OUT/ to write one file per input.")
    _batch(files, output, max_bytes, kb, pipeline, fmt)


def _batch(
    files: list[str],
    output: Path,
    max_bytes: int,
    kb: Knowledge | None,
    pipeline: Pipeline,
    fmt: str = "json",
) -> None:
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        _fail(f"cannot create the output directory {output}: {e.strerror}; choose another with -o.")
    failures: list[tuple[str, str]] = []
    written = 0
    used: set[str] = set()
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task("analysing", total=len(files))
        for f in files:
            try:
                doc = _analyze_one(f, max_bytes, kb, pipeline)
                stem = "stdin" if f == "-" else Path(f).stem
                target, n = stem, 2
                while target in used:
                    target, n = f"{stem}-{n}", n + 1
                used.add(target)
                if fmt == "clarity-csv":
                    with (output / f"{target}.csv").open("w", encoding="utf-8", newline="") as f_out:
                        write_rows(transcript_rows(doc), f_out)
                else:
                    (output / f"{target}.json").write_text(doc.to_json(), encoding="utf-8")
                written += 1
            except PodiumError as e:
                failures.append((f, str(e)))
            except Exception as e:  # a bug on one file must not lose the batch
                logging.getLogger(__name__).exception("unexpected failure on %s", f)
                failures.append((f, f"internal error ({type(e).__name__}: {e}); please report it"))
            progress.advance(task)
    out.print(f"wrote {written} of {len(files)} files to {output}/")
    if failures:
        if err.is_terminal:
            table = Table(title=f"not analysed ({len(failures)})", show_lines=False)
            table.add_column("file", overflow="fold")
            table.add_column("why", overflow="fold")
            for f, why in failures:
                table.add_row(f, why)
            err.print(table)
        else:  # one line per failure, unwrapped, for logs and scripts
            sys.stderr.write(f"not analysed ({len(failures)}):\n")
            for f, why in failures:
                sys.stderr.write(f"  {f}: {' '.join(why.split())}\n")
        raise typer.Exit(1)


def _words(s: str) -> int:
    return len(s.split())


def print_summary(doc: Transcript) -> None:
    m = doc.meta
    out.print(f"[bold]{escape(m.title or '(untitled)')}[/bold]")
    facts = [
        ("publisher", m.publisher),
        ("place", f"{m.place} ({m.country})" if m.place and m.country else m.place or m.country),
        ("date", m.date),
        ("time", m.time),
        ("venue", m.venue),
        ("event", m.event_type),
        ("source", f"{doc.source.name} · {doc.source.format} · {doc.source.encoding}"),
    ]
    for k, v in facts:
        if v:
            out.print(f"  [dim]{k:>9}[/dim]  {escape(str(v))}")

    turns_of: dict[str, int] = {}
    words_of: dict[str, int] = {}
    for t in doc.turns:
        turns_of[t.speaker] = turns_of.get(t.speaker, 0) + 1
        words_of[t.speaker] = words_of.get(t.speaker, 0) + _words(t.text)
    table = Table(title=f"participants ({len(doc.speakers)})", title_justify="left", expand=False)
    table.add_column("name", min_width=14, overflow="fold")
    table.add_column("role")
    table.add_column("country")
    table.add_column("title / outlet", overflow="fold", max_width=34)
    table.add_column("turns", justify="right")
    table.add_column("words", justify="right")
    for s in doc.speakers:
        name = s.name or s.id
        if not s.present:
            name += " [red](absent)[/red]"
        table.add_row(
            name,
            s.role,
            s.country or "",
            s.title or s.outlet or "",
            str(turns_of.get(s.id, 0)),
            f"{words_of.get(s.id, 0):,}",
        )
    out.print(table)

    names = {s.id: s.name or s.id for s in doc.speakers}
    out.print(f"[bold]turns ({len(doc.turns)})[/bold]")
    shown = doc.turns if len(doc.turns) <= 40 else doc.turns[:25] + doc.turns[-8:]
    width = max(20, out.width - 8)
    for t in shown:
        if len(doc.turns) > 40 and t is doc.turns[-8]:
            out.print(f"  [dim]… {len(doc.turns) - 33} more turns …[/dim]")
        flags = t.kind + (", interpreted" if t.interpreted else "")
        head = f"{t.id:>4}  {names.get(t.speaker, t.speaker)} [dim]({flags}, {_words(t.text)} words)[/dim]"
        out.print(head)
        opening = " ".join(t.text.split())
        out.print(f"      [dim]{escape(opening[:width] + ('…' if len(opening) > width else ''))}[/dim]")

    if doc.exchanges:
        print_exchanges(doc)
    if any(s.issues for s in doc.sentences):
        print_issues(doc)
    if doc.events or doc.relations:
        print_positions(doc)

    if doc.notes:
        out.print(f"[bold]editorial notes ({len(doc.notes)})[/bold]")
        for n in doc.notes[:30]:
            kind = n.type + (f"/{n.subtype}" if n.subtype else "")
            out.print(f"  {kind:<22} {escape(n.text)}  [dim]{n.turn or 'header'}[/dim]")
        if len(doc.notes) > 30:
            out.print(f"  [dim]… {len(doc.notes) - 30} more[/dim]")
    out.print(f"{len(doc.sentences):,} sentences · {_words(doc.text):,} words")
    if doc.warnings:
        out.print(f"[yellow]warnings ({len(doc.warnings)})[/yellow]")
        for w in doc.warnings:
            out.print(f"  [yellow]{w.code}[/yellow]: {escape(w.message)}")
    else:
        out.print("no warnings")


_CLARITY_STYLE = {"clear_reply": "green", "ambivalent": "yellow", "clear_non_reply": "red"}


def print_exchanges(doc: Transcript, limit: int = 30) -> None:
    """The Q&A section: each exchange, its sub-questions with addressees, who answered and
    how clearly, and who did not answer, each with the cue behind it."""
    by_id = {s.id: s for s in doc.speakers}

    def who(sid: str | None) -> str:
        s = by_id.get(sid or "")
        if s is None:
            return sid or "?"
        return escape(s.name or s.id) + ("" if s.present else " [red](absent)[/red]")

    subs = [q for x in doc.exchanges for q in x["sub_questions"]]
    answered = sum(1 for q in subs if q["answers"])
    missing = sum(len(q["unanswered_by"]) for q in subs)
    out.print(
        f"[bold]questions and answers[/bold] ({len(doc.exchanges)} exchanges · {len(subs)} questions"
        f" · {answered} answered · {missing} not answered by an addressee)"
    )
    width = max(20, out.width - 10)
    for x in doc.exchanges[:limit]:
        q = by_id.get(x["questioner"])
        outlet = f" ({escape(q.outlet)})" if q and q.outlet else ""
        others = [who(o) for o in x.get("questioners", [])[1:]]
        also = f" with {', '.join(others)}" if others else ""
        turns = ", ".join(x["question_turns"]) + (" → " + ", ".join(x["answer_turns"]) if x.get("answer_turns") else "")
        out.print(f" [bold]{x['id']}[/bold]  {who(x['questioner'])}{outlet}{also} [dim]{turns}[/dim]")
        for sq in x["sub_questions"]:
            text = " ".join(sq["text"].split())
            out.print(f"   {sq['id'].split('.')[-1]:>3}  {escape(text[:width] + ('…' if len(text) > width else ''))}")
            cues = sq.get("addressee_cues") or []
            to = ", ".join(
                who(a) + (f" [dim]({escape(c)})[/dim]" if c else "")
                for a, c in zip(sq["addressees"], cues + [""] * len(sq["addressees"]), strict=False)
            )
            if to:
                out.print(f"        to {to}")
            for a in sq["answers"]:
                out.print(
                    f"        [green]answered[/green] by {who(a['speaker'])}"
                    f" [dim]({a['turn']}; {escape(a.get('cue') or '')})[/dim]"
                )
                if a.get("clarity"):
                    style = _CLARITY_STYLE.get(a["clarity"], "white")
                    out.print(
                        f"          [{style}]{a['clarity']}[/{style}] · {a['evasion']} ·"
                        f" {a['confidence']:.2f} [dim]«{escape(a.get('clarity_cue') or '')}»[/dim]"
                    )
            for u in sq["unanswered_by"]:
                s = by_id.get(u)
                why = " — no turn in this version of the transcript" if s and not s.present else ""
                out.print(f"        [red]not answered by {who(u)}[/red]{why}")
    if len(doc.exchanges) > limit:
        out.print(f"  [dim]… {len(doc.exchanges) - limit} more exchanges (--format clarity-csv lists them all)[/dim]")


def print_issues(doc: Transcript, top: int = 8) -> None:
    """Issues discussed: words per issue per speaker (a sentence's words count for each of its
    issues), the most discussed first."""
    turn_speaker = {t.id: t.speaker for t in doc.turns}
    names = {s.id: s.name or s.id for s in doc.speakers}
    words: dict[str, dict[str, int]] = {}
    for s in doc.sentences:
        n = _words(s.text)
        who = turn_speaker.get(s.turn, "")
        for issue in s.issues:
            row = words.setdefault(issue, {})
            row[who] = row.get(who, 0) + n
    if not words:
        return
    by_total = sorted(words, key=lambda i: -sum(words[i].values()))[:top]
    speakers = sorted(
        {w for i in by_total for w in words[i]},
        key=lambda w: -sum(words[i].get(w, 0) for i in by_total),
    )[:4]
    table = Table(title="issues discussed (words)", title_justify="left", expand=False)
    table.add_column("issue", no_wrap=True)
    for w in speakers:
        table.add_column(escape(names.get(w, w)), justify="right", overflow="fold", max_width=14)
    table.add_column("all", justify="right")
    for issue in by_total:
        row = words[issue]
        table.add_row(issue, *(f"{row.get(w, 0):,}" for w in speakers), f"{sum(row.values()):,}")
    out.print(table)


_STANCE_STYLE = {"agree": "green", "disagree": "red", "mixed": "yellow"}


def print_positions(doc: Transcript, limit: int = 20) -> None:
    """Where the sides agree and disagree (relations), then the events behind them, each with
    its cue and sentence."""
    sentences = {s.id: s for s in doc.sentences}
    names = {s.id: s.name or s.id for s in doc.speakers}

    def quote(sid: str, width: int) -> str:
        text = " ".join(sentences[sid].text.split()) if sid in sentences else sid
        return escape(text[:width] + ("…" if len(text) > width else ""))

    width = max(20, out.width - 12)
    if doc.relations:
        table = Table(title="positions (stance by pair and focus)", title_justify="left", expand=False)
        table.add_column("sides")
        table.add_column("focus")
        table.add_column("stance")
        table.add_column("evidence", overflow="fold", max_width=max(30, out.width - 45))
        for r in doc.relations:
            style = _STANCE_STYLE.get(r["stance"], "white")
            first = r["evidence"][0] if r["evidence"] else ""
            more = f" [dim](+{len(r['evidence']) - 1} more)[/dim]" if len(r["evidence"]) > 1 else ""
            table.add_row(
                "–".join(r["actors"]),
                escape(str(r["focus"])),
                f"[{style}]{r['stance']}[/{style}]",
                f"[dim]{first}[/dim] {quote(first, 90)}{more}" if first else "",
            )
        out.print(table)
    if doc.events:
        counts: dict[str, int] = {}
        for e in doc.events:
            counts[e["type"]] = counts.get(e["type"], 0) + 1
        by_type = ", ".join(f"{t} {n}" for t, n in sorted(counts.items(), key=lambda kv: -kv[1]))
        out.print(f"[bold]events[/bold] ({len(doc.events)}: {by_type})")
        for e in doc.events[:limit]:
            flags = [f for f in ("negated", "hypothetical", "future") if e.get(f)]
            who = f"{e.get('source') or '?'} → {e.get('target') or '?'}"
            out.print(
                f"  {e['type']:<9} {who:<11} «{escape(e.get('cue') or '')}»"
                + (f" [dim]({', '.join(flags)})[/dim]" if flags else "")
                + f" [dim]{names.get(e.get('speaker'), '')}, {e['sentence']}[/dim]"
            )
            out.print(f"      [dim]{quote(e['sentence'], width - 4)}[/dim]")
        if len(doc.events) > limit:
            out.print(f"  [dim]… {len(doc.events) - limit} more events (--json has them all)[/dim]")


@app.command("clarity")
def clarity_cmd(
    source: Annotated[Path, typer.Argument(help="CSV with question and answer columns.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV to write.")],
) -> None:
    """Judge the clarity of question/answer pairs in a CSV (columns question/answer or
    interview_question/interview_answer); every other column is kept and clarity, evasion,
    confidence and clarity_cue are added."""
    from .clarity_csv import classify_csv

    try:
        rows = classify_csv(source, output)
    except PodiumError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"cannot write {output}: {e.strerror or e}; choose another path with -o.")
    out.print(f"wrote {rows:,} rows to {output}")


@app.command("compare")
def compare_cmd(
    a: Annotated[Path, typer.Argument(help="One version of the transcript.")],
    b: Annotated[Path, typer.Argument(help="Another version of the same event.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the podium-compare/1 JSON.")] = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write a self-contained side-by-side HTML report.")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Also report formatting-only differences (spaces, quotes, dashes).")
    ] = False,
    knowledge: KnowledgeOption = None,
) -> None:
    """Compare two versions of one event: turns and sentences only in one, word-level changes,
    moved passages, relabelled speakers, and per-speaker words kept."""
    from .compare_view import run_compare

    kb = _knowledge(knowledge)
    try:
        code = run_compare(a, b, as_json=as_json, html=html, strict=strict, console=out, knowledge=kb)
    except PodiumError as e:
        _fail(str(e))
    except Exception as e:  # a bug must still end in one sentence, not a traceback
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        _fail(f"internal error comparing {a} and {b} ({type(e).__name__}: {e}); please report it.", code=3)
    raise typer.Exit(code)


@app.command("version")
def version_cmd() -> None:
    """Print podium's version."""
    out.print(__version__)


def _register_corpus_commands() -> None:
    """ingest, search and serve live in their own modules (the store and the web UI)."""
    from .cli_corpus import register as register_corpus
    from .cli_web import register as register_web

    register_corpus(app)
    register_web(app)


_register_corpus_commands()


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except KeyboardInterrupt:
        err.print("podium: interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
