"""The corpus commands, ``podium ingest`` and ``podium search``, added to the main app by
``register(app)``.

Output for people goes to stdout through Rich; errors are one sentence on stderr and exit
code 2, never a traceback; ``ingest`` exits 1 when any file failed (the others are stored).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from .cli_support import DEFAULT_DB, KnowledgeOption
from .cli_support import fail as _fail
from .errors import PodiumError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="PODIUM_DB", help="The corpus database (default: $PODIUM_DB or ./podium.db)."),
]


def ingest_cmd(
    paths: Annotated[
        list[str], typer.Argument(help="Files, directories (searched recursively) or .jsonl corpora to store.")
    ],
    db: DbOption = Path(DEFAULT_DB),
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Processes analysing in parallel (default: one per CPU).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Analyse files again even when their bytes are already stored.")
    ] = False,
    knowledge: KnowledgeOption = None,
) -> None:
    """Analyse transcripts into the corpus database: added, replaced (a changed file), unchanged
    (already stored) or failed (with the reason); re-running changes nothing."""
    from .ingest import ingest

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    progress = Progress(*columns, console=err, transient=False)
    bar: list = []  # the task, once the first document is done (no bar before an early error)

    def advance(done: int, total: int, path: str, outcome: str) -> None:
        if not bar:
            progress.start()
            bar.append(progress.add_task("ingesting", total=total))
        progress.update(bar[0], completed=done)

    try:
        report = ingest(paths, db, workers=workers, progress=advance, knowledge=knowledge, force=force)
    except PodiumError as e:
        _fail(str(e))
    except Exception as e:  # a bug must still end in one sentence, not a traceback
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        _fail(f"internal error while ingesting ({type(e).__name__}: {e}); please report it.", code=3)
    finally:
        if bar:
            progress.stop()
    c = report.counts()
    out.print(
        f"{c['added']} added · {c['replaced']} replaced · {c['unchanged']} unchanged · "
        f"{c['failed']} failed  [dim]({db}, {report.seconds:.1f} s)[/dim]"
    )
    if report.failed:
        sys.stderr.write(f"not stored ({len(report.failed)}):\n")
        for path, why in report.failed:
            why = " ".join(why.split())
            sys.stderr.write(f"  {why}\n" if path in why else f"  {path}: {why}\n")
        raise typer.Exit(1)


def search_cmd(
    query: Annotated[str, typer.Argument(help='Words, "a phrase", AND / OR / NOT, (groups), prefix*.')],
    db: DbOption = Path(DEFAULT_DB),
    speaker: Annotated[str | None, typer.Option(help="Part of the speaker's name (any case).")] = None,
    role: Annotated[
        str | None, typer.Option(help="principal, moderator, journalist, interpreter or other.")
    ] = None,
    place: Annotated[str | None, typer.Option(help="A country the sentence is about (ISO3: RUS, IRN...).")] = None,
    issue: Annotated[str | None, typer.Option(help="An issue (arms_control, sanctions...).")] = None,
    since: Annotated[str | None, typer.Option(help="First date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Last date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    year: Annotated[str | None, typer.Option(help="Only this year.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Hits to show.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Hits to skip (for the next page).")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON (hits and facets).")] = False,
) -> None:
    """Search the sentences of the corpus: ranked hits with speaker, document and date, matched
    words highlighted."""
    from .store import Store

    try:
        with Store.open(db, readonly=True) as store:
            result = store.search(
                query, speaker=speaker, role=role, place=place, issue=issue, since=since,
                until=until, year=year, limit=limit, offset=offset,
            )  # fmt: skip
    except PodiumError as e:
        _fail(str(e))
    except Exception as e:  # a bug must still end in one sentence, not a traceback
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        _fail(f"internal error while searching ({type(e).__name__}: {e}); please report it.", code=3)
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    print_hits(query, result, offset)


def print_hits(query: str, result: dict, offset: int = 0) -> None:
    total, hits = result["total"], result["hits"]
    if not hits:
        out.print(Text(f"no matches for {query}" + (" on this page" if total else "")))
        return
    out.print(Text(f"{total:,} matches for {query}", style="bold"))
    for n, h in enumerate(hits, offset + 1):
        who = h["speaker"] or "?"
        head = Text(f"{n:>3}. ")
        head.append(who, style="bold")
        head.append(f" ({h['role'] or 'unknown'})", style="dim")
        head.append(f" · {h['title'] or '(untitled)'}")
        head.append(f" · {h['date'] or 'undated'}", style="dim")
        head.append(f"  {h['doc_id']}#{h['sentence_id']}", style="dim")
        out.print(head)
        out.print(highlighted(h["snippet"] or h["text"], indent="     "))
    shown_to = offset + len(hits)
    if shown_to < total:
        out.print(
            Text(f"showing {offset + 1}–{shown_to} of {total:,}; --offset {shown_to} for the next page", style="dim")
        )


def highlighted(snippet: str, indent: str = "") -> Text:
    """The snippet as Rich text with the \\x02...\\x03 marked words in bold yellow (the text
    never passes through Rich markup, so brackets in a transcript stay as written)."""
    text = Text(indent)
    marked = False
    for part in snippet.replace("\x03", "\x02").split("\x02"):
        if part:
            text.append(" ".join(part.split("\n")), style="bold yellow" if marked else None)
        marked = not marked
    return text


def register(app: typer.Typer) -> None:
    """Add ``ingest`` and ``search`` to a Typer app (podium's own, or a test's)."""
    app.command("ingest")(ingest_cmd)
    app.command("search")(search_cmd)
