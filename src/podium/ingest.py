"""Ingest: analyse files in parallel and add them to the corpus store, one writer.

Worker processes analyse (each returns the podium/1 JSON or one sentence saying why not);
the calling process is the only writer and adds each document in its own transaction, so a
bad file is reported with its reason and nothing else is lost. A file whose bytes are already
stored (same sha256) is not analysed again.

Inputs are files, directories (searched recursively for the readable extensions below) and
JSON-lines corpora (``.jsonl``/``.jsonl.gz``, one object per line with ``text`` and optional
``title``, ``date``, ``url``, ``publisher``, ``id``), as the development corpus is shipped.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, PodiumError
from .read import DEFAULT_MAX_BYTES, READABLE  # the suffixes `podium analyze DIR` reads
from .store import Prepared, Store, prepare

__all__ = ["ingest", "Report", "READABLE", "CORPUS_SUFFIXES", "expand"]

log = logging.getLogger(__name__)

CORPUS_SUFFIXES = (".jsonl", ".jsonl.gz")
_META_KEYS = ("title", "date", "url", "publisher")

Progress = Callable[[int, int, str, str], None]  # (done, total, path, outcome)


@dataclass
class Report:
    """What one ingest run did; paths are as the user gave them (``file.jsonl:LINE`` for
    records of a JSON-lines corpus)."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    analysed: int = 0  # documents that went through the pipeline (not skipped as unchanged)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def total(self) -> int:
        return len(self.added) + len(self.replaced) + len(self.unchanged) + len(self.failed)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "replaced": len(self.replaced),
            "unchanged": len(self.unchanged),
            "failed": len(self.failed),
        }


@dataclass(frozen=True)
class Task:
    """One document to ingest: a file, or one record of a JSON-lines corpus."""

    shown: str  # how the report names it
    key: str | None  # the path recorded in the store (absolute; "corpus.jsonl#id" for records)
    file: str | None = None  # a file to read (None for a record)
    text: str | None = None  # a record's text
    name: str | None = None
    meta: dict[str, str] | None = None
    sha256: str | None = None  # of the bytes the reader will hash, when known up front
    error: str | None = None  # a record that cannot be analysed at all


def expand(paths: Sequence[str | os.PathLike]) -> list[str]:
    """Files to ingest: directories searched recursively for readable files and JSON-lines
    corpora (hidden files skipped); anything else kept as given (a missing file fails later,
    with its reason)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and not f.name.startswith(".") and _ingestible(f):
                    out.append(str(f))
        else:
            out.append(os.fspath(p))
    return out


def _ingestible(f: Path) -> bool:
    name = f.name.lower()
    return f.suffix.lower() in READABLE or name.endswith(CORPUS_SUFFIXES)


def _is_corpus(path: str) -> bool:
    return path.lower().endswith(CORPUS_SUFFIXES)


def _open_lines(path: str):
    if path.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")  # noqa: SIM115 - closed by the caller's with


def _count(files: list[str]) -> int:
    n = 0
    for f in files:
        if not _is_corpus(f):
            n += 1
            continue
        try:
            with _open_lines(f) as lines:
                n += sum(1 for line in lines if line.strip())
        except (OSError, UnicodeDecodeError, EOFError):
            n += 1  # reported as one failure when read for real
    return n


def _tasks(files: list[str], max_bytes: int) -> Iterator[Task]:
    for f in files:
        if _is_corpus(f):
            yield from _records(f)
            continue
        yield Task(shown=f, key=os.path.abspath(f), file=f, sha256=_file_sha256(f, max_bytes))


def _records(path: str) -> Iterator[Task]:
    base = os.path.abspath(path)
    try:
        with _open_lines(path) as lines:
            for n, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                shown = f"{path}:{n}"
                try:
                    rec = json.loads(line)
                except ValueError:
                    yield Task(shown=shown, key=None, error=f"line {n} of {path} is not JSON; fix or remove it.")
                    continue
                text = rec.get("text") if isinstance(rec, dict) else None
                if not isinstance(text, str) or not text.strip():
                    yield Task(shown=shown, key=None, error=f"line {n} of {path} has no \"text\" to analyse.")
                    continue
                ident = str(rec.get("id") or n)
                meta = {k: str(rec[k]) for k in _META_KEYS if rec.get(k)}
                digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
                yield Task(shown=shown, key=f"{base}#{ident}", text=text, name=ident, meta=meta, sha256=digest)
    except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as e:
        reason = getattr(e, "strerror", None) or str(e)
        yield Task(shown=path, key=None, error=f"cannot read the corpus {path} ({reason}); check the file.")


def _file_sha256(path: str, max_bytes: int) -> str | None:
    """The sha256 the reader will compute, or None (too large or unreadable: the worker says why)."""
    try:
        if os.path.getsize(path) > max_bytes or not os.path.isfile(path):
            return None
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


# -- the worker side -------------------------------------------------------------------------

_KNOWLEDGE = None


def _init_worker(knowledge: Sequence[str] | None) -> None:
    global _KNOWLEDGE
    from .knowledge import Knowledge, default_knowledge

    _KNOWLEDGE = Knowledge.load(extra=[Path(k) for k in knowledge]) if knowledge else default_knowledge()


def _analyse(task: Task, max_bytes: int) -> tuple[Prepared | None, str | None]:
    """(the document's rows, None) or (None, one sentence why not). Never raises.
    Preparing the rows here, not in the writer, keeps the one writer from becoming the
    bottleneck."""
    from . import analyze, analyze_document
    from .read import read_text

    try:
        if task.file is not None:
            doc = analyze(Path(task.file), max_bytes=max_bytes, knowledge=_KNOWLEDGE)
        else:
            read = read_text(task.text or "", task.name or "<text>")
            doc = analyze_document(read, meta=task.meta, knowledge=_KNOWLEDGE)
        data = doc.to_dict()
        return prepare(data, json.dumps(data, ensure_ascii=False)), None
    except PodiumError as e:
        return None, str(e)
    except Exception as e:  # a bug on one file must not lose the batch
        log.exception("unexpected failure on %s", task.shown)
        return None, f"internal error ({type(e).__name__}: {e}); please report it."


# -- the writer side -------------------------------------------------------------------------


def ingest(
    paths: Sequence[str | os.PathLike],
    db_path: str | os.PathLike,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    knowledge: Sequence[str | os.PathLike] | None = None,
    force: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Analyse ``paths`` (files, directories, JSON-lines corpora) into the store at ``db_path``.

    ``workers`` processes analyse (default: one per CPU; 1 analyses in this process);
    ``progress(done, total, path, outcome)`` is called once per document; ``knowledge`` adds
    knowledge files (as ``podium analyze --knowledge``); ``force`` analyses documents again even
    when their bytes are already stored. Raises ``InputError``/``StoreError`` only for problems
    with the whole run (no inputs, a database that cannot be opened); a bad file is a
    ``Report.failed`` entry.
    """
    started = time.perf_counter()
    extra = [os.fspath(k) for k in knowledge or ()]
    for k in extra:
        if not Path(k).is_file():
            raise InputError(f"knowledge file {k} does not exist: check the path given to --knowledge.")
    if extra:  # a bad file is one message here, not a failure in every worker
        from .knowledge import Knowledge

        try:
            Knowledge.load(extra=[Path(k) for k in extra])
        except (ValueError, OSError) as e:
            raise InputError(f"knowledge file not loaded: {e}") from e
    files = expand(paths)
    if not files:
        raise InputError(
            f"no transcript files found in {', '.join(map(os.fspath, paths)) or 'the arguments'}; "
            f"podium ingests {', '.join(sorted(READABLE))} files and .jsonl corpora."
        )
    total = _count(files)
    workers = max(1, workers or os.cpu_count() or 1)
    report = Report()

    with Store.open(db_path) as store:
        done = 0

        def record(task: Task, outcome: str, reason: str | None = None) -> None:
            nonlocal done
            done += 1
            if outcome == "failed":
                report.failed.append((task.shown, reason or "unknown error"))
            else:
                getattr(report, outcome).append(task.shown)
            if progress is not None:
                progress(done, total, task.shown, outcome)

        def write(task: Task, rows: Prepared | None, error: str | None) -> None:
            if error is not None or rows is None:
                record(task, "failed", error)
                return
            report.analysed += 1
            try:
                record(task, store.add_prepared(rows, task.key))
            except PodiumError as e:
                record(task, "failed", str(e))
            except Exception as e:  # a store bug on one document must not lose the batch
                log.exception("could not store %s", task.shown)
                record(task, "failed", f"not stored ({type(e).__name__}: {e}); please report it.")

        def needed(tasks: Iterator[Task]) -> Iterator[Task]:
            """The tasks to analyse; the rest (errors, unchanged bytes) are recorded here."""
            for task in tasks:
                if task.error is not None:
                    record(task, "failed", task.error)
                    continue
                if not force and task.sha256 and task.key:
                    outcome = store.link(task.sha256[:16], task.key)
                    if outcome is not None:
                        record(task, outcome)
                        continue
                yield task

        todo = needed(_tasks(files, max_bytes))
        if workers == 1:
            _init_worker(extra)
            for task in todo:
                write(task, *_analyse(task, max_bytes))
        else:
            _run_pool(todo, workers, extra, max_bytes, write)
    report.seconds = time.perf_counter() - started
    return report


def _run_pool(
    todo: Iterator[Task],
    workers: int,
    knowledge: list[str],
    max_bytes: int,
    write: Callable[[Task, Prepared | None, str | None], None],
) -> None:
    """Keep ``workers`` processes busy with a bounded queue; results are written as they come.
    If a worker dies (killed, out of memory), the documents in flight are tried once more in a
    fresh pool, then reported as failed."""
    # fork where there is one: workers start at once and callers' scripts need no __main__
    # guard. Workers inherit the writer's connection but never touch it, and leave through
    # os._exit, so it is never closed or used there.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    retry: list[Task] = []
    tried_twice: set[str] = set()
    while True:
        broken = False
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(knowledge,)) as pool:
            pending: dict[Future, Task] = {}

            def submit(pool: ProcessPoolExecutor = pool, pending: dict[Future, Task] = pending) -> None:
                task = retry.pop() if retry else next(todo, None)
                if task is not None:
                    pending[pool.submit(_analyse, task, max_bytes)] = task

            for _ in range(workers * 4):  # a short queue: results are written while others run
                submit()
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    task = pending.pop(future)
                    try:
                        rows, error = future.result()
                    except BrokenProcessPool:
                        broken = True
                        if task.shown in tried_twice:
                            write(task, None, "the analysing process died twice on this file (out of memory?); "
                                  "analyse it alone with `podium analyze` to see why.")
                        else:
                            tried_twice.add(task.shown)
                            retry.append(task)
                        continue
                    write(task, rows, error)
                    if not broken:
                        submit()
        if not broken:
            return
        log.warning("a worker process died; %d documents are tried again in a fresh pool", len(retry))
