"""The corpus store: analysed transcripts in an SQLite database with full-text search.

All of podium's SQL lives in this module. ``Store`` is the interface; the SQLite
implementation below is the default, and a PostgreSQL backend implements the same public
methods with the same arguments and the same plain, JSON-serialisable return values.

Write side
    ``Store.open(path, readonly=False)``        open (and create or migrate) a database
    ``add(doc, path=None) -> str``              one document, one transaction:
                                                "added" | "replaced" | "unchanged"
    ``add_json(text, path=None) -> str``        the same from podium/1 JSON text
    ``add_prepared(p, path=None) -> str``       the same from ``prepare(...)`` rows, made in
                                                a worker process (no database needed there)
    ``link(doc_id, path) -> str | None``        the file at ``path`` holds a stored document
                                                (lets ingest skip analysing unchanged files)
    ``remove(doc_id) -> bool``
    ``close()``; a ``Store`` is a context manager.

Read side (every method returns dicts and lists of str, int, float, bool and None)
    ``stats()``, ``documents(limit, offset, q)``, ``document(doc_id)``,
    ``document_json(doc_id)``, ``search(query, **filters)``, ``sub_questions(**filters)``,
    ``events(**filters)``, ``relations(limit)``, ``speakers(limit)``, ``has(doc_id)``,
    ``migrations()``. Document ids are checked (16 lower-case hex characters) before any SQL;
    anything else finds nothing.

Storage: one row per document (metadata and counts; the full podium/1 JSON beside it in
``document_json``, zlib-compressed, returned as text by ``document_json()``), one row per speaker, turn, sentence, note, warning,
exchange, sub-question, answer, event and relation, and join tables for places, issues,
addressees and who did not answer. Ids of sentences, sub-questions and events follow the
document's date (day number << 24 | n), so date filters are id ranges and "newest first" is a
walk down an index that stops after one page. Migrations are numbered and recorded in the
``migrations`` table; opening for writing applies the missing ones in order.

Identity: a document's id is the first 16 hex characters of the sha256 of its source bytes
(``source.sha256``). Adding the same content again is "unchanged" (its stored analysis is kept
unless the new analysis differs, which is "replaced"); adding different content from a path
that held another document "replaced" that document (it is deleted once no path holds it).
A document may be held by several paths (copies); ``documents.path`` is the latest one.

Search: FTS5 over sentence text (porter stemming, diacritics folded), ranked by bm25. Query
syntax: words (all must match), ``"a phrase"``, ``AND``, ``OR``, ``NOT`` (binary: ``a NOT b``),
parentheses and ``prefix*``; a word with punctuation (``U.S.``, ``Jong-un``) is searched as a
phrase. Filters: ``speaker`` matches whole words of the speaker's name or knowledge-base id,
case- and accent-insensitive, every word of the filter required ("pompeo", "Michael Pompeo" and
"mike_pompeo" match "Michael R. Pompeo"; "pomp" does not); ``role``, ``place`` (ISO3) and
``issue`` are exact; ``since``/``until`` take ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``
(inclusive); ``year`` is four digits. In ``sub_questions`` the ``addressee`` filter is a
case-insensitive substring of the name; ``clarity``, ``evasion`` and ``issue`` are exact. Work is
bounded: when more than ``SEARCH_WINDOW`` (5,000) sentences or sub-questions match, hits are
ranked and facets counted among the most recent 5,000 (the result's ``considered``); ``total``
counts all. A query or filter that cannot run raises ``QueryError`` (an ``InputError``) with
one sentence; every value is a bound parameter or a quoted FTS5 phrase, never SQL text.

Snippets mark matched words with ``"\\x02"`` (start) and ``"\\x03"`` (end); raw ``\\x02``/``\\x03``
characters of the transcript are dropped from snippets (never from ``text``), so the markers
are the only ones.

Speakers: aggregated across documents by ``kb_id`` when the knowledge base knows them, else by
case-folded name. Speakers with no name (unnamed reporters, "SENIOR ADMINISTRATION OFFICIAL")
are skipped in ``speakers()`` and in the speaker facet; in hits their turn label stands in.

Threads: each thread gets its own connection (WAL lets readers run beside the writer), so one
``Store`` may serve a threaded web server.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import hashlib
import json
import logging
import re
import sqlite3
import threading
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from .errors import QueryError, StoreError
from .model import SCHEMA, Transcript

__all__ = [
    "Store", "CorpusStore", "Prepared", "prepare", "prepare_json", "QueryError", "StoreError",
    "valid_doc_id", "MIGRATIONS",
]  # fmt: skip

log = logging.getLogger(__name__)

_DOC_ID = re.compile(r"[0-9a-f]{16}")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_OPERATORS = {"AND", "OR", "NOT"}
_BAREWORD = re.compile(r"\w+\*?")
_QUERY_TOKEN = re.compile(r'"[^"]*"?|[()]|[^\s()"]+')
# Noncharacters carry FTS5's highlight marks out of SQL; they become \x02/\x03 in Python.
_MARK_OPEN, _MARK_CLOSE = "\ufdd0", "\ufdd1"
_SNIPPET_TOKENS = 64  # FTS5's maximum
# Searches rank and count facets over at most this many matching sentences (the most recent).
SEARCH_WINDOW = 2000
# Sentence ids: (day of the document's date since 1800-01-01, from 1; 0 undated) << 24 | n.
_DAY_SHIFT = 24
_EPOCH = _dt.date(1800, 1, 1)
_JULIAN_EPOCH = 2378496.5  # julianday('1800-01-01')
_FACET_SIZE = 20


def valid_doc_id(doc_id: object) -> bool:
    """A document id is exactly 16 lower-case hex characters; nothing else reaches SQL."""
    return isinstance(doc_id, str) and _DOC_ID.fullmatch(doc_id) is not None


class CorpusStore(Protocol):
    """What the CLI and the web UI use; a PostgreSQL backend implements the same."""

    def add(self, doc: Transcript, path: str | None = None) -> str: ...
    def add_json(self, text: str, path: str | None = None) -> str: ...
    def add_prepared(self, p: Prepared, path: str | None = None) -> str: ...
    def link(self, doc_id: str, path: str) -> str | None: ...
    def remove(self, doc_id: str) -> bool: ...
    def close(self) -> None: ...
    def stats(self) -> dict: ...
    def documents(self, limit: int = 50, offset: int = 0, q: str | None = None) -> dict: ...
    def document(self, doc_id: str) -> dict | None: ...
    def document_json(self, doc_id: str) -> str | None: ...
    def search(self, query: str | None, **filters: Any) -> dict: ...
    def sub_questions(self, **filters: Any) -> dict: ...
    def events(self, **filters: Any) -> list[dict]: ...
    def relations(self, limit: int = 500) -> list[dict]: ...
    def speakers(self, limit: int = 100) -> list[dict]: ...


# -- migrations ------------------------------------------------------------------------------

_SCHEMA_1 = """
CREATE TABLE documents (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,              -- first 16 hex chars of source.sha256
    sha256 TEXT NOT NULL,
    fingerprint TEXT NOT NULL,            -- sha256 of the analysis (JSON without the source name)
    path TEXT,                            -- the latest path it was ingested from
    name TEXT,
    title TEXT, title_fold TEXT, publisher TEXT, place TEXT, country TEXT, date TEXT,
    event_type TEXT, url TEXT,
    words INTEGER NOT NULL,
    n_speakers INTEGER NOT NULL, n_turns INTEGER NOT NULL, n_sentences INTEGER NOT NULL,
    n_exchanges INTEGER NOT NULL, n_sub_questions INTEGER NOT NULL, n_warnings INTEGER NOT NULL,
    issue_counts TEXT NOT NULL, place_counts TEXT NOT NULL,  -- JSON {value: sentences}, for stats()
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_date ON documents(date);

-- Apart from documents, so listing documents reads small rows.
CREATE TABLE document_json (
    doc INTEGER PRIMARY KEY REFERENCES documents(doc) ON DELETE CASCADE,
    json_zlib BLOB NOT NULL               -- the full podium/1 JSON, zlib-compressed UTF-8
                                          -- (a third of the size; document_json() returns text)
);

CREATE TABLE document_paths (
    path TEXT PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE
);
CREATE INDEX document_paths_doc ON document_paths(doc);

CREATE TABLE speakers (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    speaker_id TEXT NOT NULL,
    key TEXT,                             -- kb_id, else the case-folded name; NULL when unnamed
    name TEXT, name_fold TEXT, display TEXT NOT NULL, labels TEXT NOT NULL,
    role TEXT, title TEXT, country TEXT, outlet TEXT, present INTEGER NOT NULL, kb_id TEXT,
    turns INTEGER NOT NULL, words INTEGER NOT NULL,
    UNIQUE (doc, speaker_id)
);
CREATE INDEX speakers_key ON speakers(key);

CREATE TABLE turns (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    turn_id TEXT NOT NULL, speaker INTEGER, label TEXT, kind TEXT, interpreted INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, words INTEGER NOT NULL,
    UNIQUE (doc, turn_id)
);

CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,               -- the FTS rowid: day of the document's date << 24 | n
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    sentence_id TEXT NOT NULL, turn INTEGER, speaker INTEGER,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    -- Filters, indexed by the full-text index beside the text (so a filter is a term there,
    -- not a join): the speaker's name and kb_id, role, and the JSON arrays of places and issues.
    who TEXT NOT NULL, role TEXT, places TEXT NOT NULL, issues TEXT NOT NULL,
    UNIQUE (doc, sentence_id)
);

CREATE TABLE sentence_places (
    place TEXT NOT NULL, sentence INTEGER NOT NULL,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    PRIMARY KEY (place, sentence)
) WITHOUT ROWID;
CREATE INDEX sentence_places_doc ON sentence_places(doc);

CREATE TABLE sentence_issues (
    issue TEXT NOT NULL, sentence INTEGER NOT NULL,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    PRIMARY KEY (issue, sentence)
) WITHOUT ROWID;
CREATE INDEX sentence_issues_doc ON sentence_issues(doc);

CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text, who, role, places, issues, content='sentences', content_rowid='id',
    tokenize="porter unicode61 remove_diacritics 2 tokenchars '_'"
);
-- Only the text counts for ranking; the other columns are filters.
INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0, 0.0, 0.0, 0.0)');
-- Rows enter the index in one INSERT ... SELECT per document (twice as fast as a row
-- trigger); they leave it by this trigger, whatever deletes them.
CREATE TRIGGER sentences_fts_delete AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text, who, role, places, issues)
    VALUES ('delete', old.id, old.text, old.who, old.role, old.places, old.issues);
END;

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    turn INTEGER, type TEXT NOT NULL, subtype TEXT,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL
);
CREATE INDEX notes_doc ON notes(doc);

CREATE TABLE warnings (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    code TEXT NOT NULL, message TEXT NOT NULL
);
CREATE INDEX warnings_doc ON warnings(doc);
CREATE INDEX warnings_code ON warnings(code);

CREATE TABLE exchanges (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    exchange_id TEXT NOT NULL, questioner INTEGER,
    question_turns TEXT NOT NULL, answer_turns TEXT NOT NULL,   -- JSON arrays of turn ids
    UNIQUE (doc, exchange_id)
);

CREATE TABLE sub_questions (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    exchange INTEGER NOT NULL, sub_question_id TEXT NOT NULL,
    text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    form TEXT, context TEXT, places TEXT NOT NULL, issues TEXT NOT NULL,
    UNIQUE (doc, sub_question_id)
);
CREATE INDEX sub_questions_exchange ON sub_questions(exchange);

CREATE TABLE sub_question_addressees (
    speaker INTEGER NOT NULL, sub_question INTEGER NOT NULL,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    PRIMARY KEY (sub_question, speaker)
) WITHOUT ROWID;
CREATE INDEX sub_question_addressees_speaker ON sub_question_addressees(speaker);
CREATE INDEX sub_question_addressees_doc ON sub_question_addressees(doc);

CREATE TABLE sub_question_unanswered (
    speaker INTEGER NOT NULL, sub_question INTEGER NOT NULL,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    PRIMARY KEY (sub_question, speaker)
) WITHOUT ROWID;
CREATE INDEX sub_question_unanswered_doc ON sub_question_unanswered(doc);

CREATE TABLE sub_question_issues (
    issue TEXT NOT NULL, sub_question INTEGER NOT NULL,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    PRIMARY KEY (issue, sub_question)
) WITHOUT ROWID;
CREATE INDEX sub_question_issues_doc ON sub_question_issues(doc);
CREATE INDEX sub_question_issues_sub_question ON sub_question_issues(sub_question);

CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    sub_question INTEGER NOT NULL, speaker INTEGER, turn INTEGER,
    start INTEGER, "end" INTEGER, cue TEXT,
    clarity TEXT, evasion TEXT, confidence REAL, clarity_cue TEXT
);
CREATE INDEX answers_sub_question ON answers(sub_question);
CREATE INDEX answers_doc ON answers(doc);
CREATE INDEX answers_clarity ON answers(clarity, evasion);
CREATE INDEX answers_evasion ON answers(evasion);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    event_id TEXT, sentence INTEGER, sentence_id TEXT, speaker INTEGER,
    source TEXT, type TEXT, target TEXT, places TEXT NOT NULL, issues TEXT NOT NULL,
    cue TEXT, confidence REAL, negated INTEGER, hypothetical INTEGER, future INTEGER
);
CREATE INDEX events_doc ON events(doc);
CREATE INDEX events_source ON events(source);
CREATE INDEX events_target ON events(target);
CREATE INDEX events_type ON events(type);

CREATE TABLE event_issues (
    issue TEXT NOT NULL, event INTEGER NOT NULL,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    PRIMARY KEY (issue, event)
) WITHOUT ROWID;
CREATE INDEX event_issues_doc ON event_issues(doc);

CREATE TABLE relations (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    actor_a TEXT, actor_b TEXT, focus TEXT, stance TEXT,
    evidence TEXT NOT NULL                -- JSON array of sentence ids
);
CREATE INDEX relations_doc ON relations(doc);
CREATE INDEX relations_actors ON relations(actor_a, actor_b);
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    """Run an SQL script statement by statement inside the caller's transaction
    (``executescript`` would commit first)."""

    def apply(conn: sqlite3.Connection) -> None:
        pending = ""
        for line in sql.splitlines(keepends=True):
            pending += line
            if sqlite3.complete_statement(pending):
                conn.execute(pending)
                pending = ""
        if pending.strip():
            raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:60]}")

    return apply


# Applied in order on open; each runs in its own transaction and is recorded in `migrations`.
# Never edit a released migration: add the next one.
MIGRATIONS: tuple[Migration, ...] = (Migration(1, "initial schema", _script(_SCHEMA_1)),)


# -- the store -------------------------------------------------------------------------------


class Store:
    """An SQLite corpus database. Use ``Store.open(path)``."""

    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, readonly: bool = False) -> Store:
        """Open the database at ``path``; create it and apply pending migrations unless
        ``readonly`` (then it must exist and be up to date)."""
        store = cls(path, readonly)
        if readonly and not store.path.is_file():
            raise StoreError(
                f"no podium database at {store.path}; create one with `podium ingest FILES --db {store.path}`."
            )
        if not readonly and not store.path.parent.is_dir():
            raise StoreError(f"cannot create {store.path}: the folder {store.path.parent} does not exist.")
        try:
            conn = store._db()
            if readonly:
                store._check_version(conn)
            else:
                store._migrate(conn)
        except sqlite3.DatabaseError as e:
            store.close()
            raise StoreError(f"{store.path} is not a usable podium database ({e}).") from e
        except StoreError:
            store.close()
            raise
        return store

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        else:
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MB: the FTS index of a large corpus
        conn.execute("PRAGMA mmap_size = 268435456")
        if not self.readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # durable at checkpoints; safe in WAL
        return conn

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise StoreError(f"the database {self.path} is closed.")
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for conn in self._connections:
                try:
                    conn.close()
                except sqlite3.Error:  # a connection busy in another thread; it dies with it
                    log.debug("could not close a connection", exc_info=True)
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- migrations ------------------------------------------------------------------------

    def _applied(self, conn: sqlite3.Connection) -> list[int]:
        has = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
        ).fetchone()
        if not has:
            return []
        return [r[0] for r in conn.execute("SELECT version FROM migrations ORDER BY version")]

    def _check_version(self, conn: sqlite3.Connection) -> None:
        applied = self._applied(conn)
        latest = MIGRATIONS[-1].version
        if applied and max(applied) > latest:
            raise StoreError(f"{self.path} was written by a newer podium (schema {max(applied)}); upgrade podium.")
        if not applied or max(applied) < latest:
            raise StoreError(
                f"{self.path} is not an up-to-date podium database; run `podium ingest` on it once to upgrade it."
            )

    def _migrate(self, conn: sqlite3.Connection) -> None:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        applied = set(self._applied(conn))
        known = {m.version for m in MIGRATIONS}
        if applied - known:
            raise StoreError(f"{self.path} was written by a newer podium (schema {max(applied)}); upgrade podium.")
        for m in MIGRATIONS:
            if m.version in applied:
                continue
            with self._transaction(conn):
                m.apply(conn)
                conn.execute(
                    "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (m.version, m.name, _now()),
                )
            log.info("applied migration %d (%s) to %s", m.version, m.name, self.path)

    def migrations(self) -> list[dict]:
        """The migrations recorded in the database, oldest first."""
        rows = self._db().execute("SELECT version, name, applied_at FROM migrations ORDER BY version")
        return [dict(r) for r in rows]

    class _transaction:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception."""

        def __init__(self, conn: sqlite3.Connection):
            self.conn = conn

        def __enter__(self) -> sqlite3.Connection:
            self.conn.execute("BEGIN IMMEDIATE")
            return self.conn

        def __exit__(self, exc_type, *_: object) -> None:
            if exc_type is None:
                self.conn.execute("COMMIT")
            else:
                self.conn.execute("ROLLBACK")

    # -- write side ------------------------------------------------------------------------

    def _writable(self) -> sqlite3.Connection:
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only; open it for writing to add documents.")
        return self._db()

    def add(self, doc: Transcript, path: str | None = None) -> str:
        """Store one analysed document in its own transaction; returns "added", "replaced"
        (it replaced the document stored from ``path``, or a different analysis of the same
        content) or "unchanged"."""
        data = doc.to_dict()
        return self.add_prepared(prepare(data, json.dumps(data, ensure_ascii=False)), path)

    def add_json(self, text: str, path: str | None = None) -> str:
        """``add`` for a podium/1 JSON string."""
        return self.add_prepared(prepare_json(text), path)

    def add_prepared(self, p: Prepared, path: str | None = None) -> str:
        """``add`` for a document ``prepare``d elsewhere (ingest's worker processes prepare,
        so the one writer only writes)."""
        conn = self._writable()
        with self._transaction(conn):
            row = conn.execute("SELECT doc, fingerprint FROM documents WHERE id = ?", (p.doc_id,)).fetchone()
            if row is not None and row["fingerprint"] == p.fingerprint:
                return "replaced" if self._hold(conn, row["doc"], path) else "unchanged"
            paths: list[str] = []
            if row is not None:  # the same content, analysed differently: replace the analysis
                paths = [r[0] for r in conn.execute("SELECT path FROM document_paths WHERE doc = ?", (row["doc"],))]
                conn.execute("DELETE FROM documents WHERE doc = ?", (row["doc"],))
            doc = self._insert(conn, p, path)
            for held in paths:
                conn.execute("INSERT INTO document_paths (path, doc) VALUES (?, ?)", (held, doc))
            replaced = self._hold(conn, doc, path)
            return "replaced" if row is not None or replaced else "added"

    def link(self, doc_id: str, path: str) -> str | None:
        """Record that ``path`` holds the stored document ``doc_id`` without analysing it again.
        Returns None when ``doc_id`` is not stored (analyse and ``add`` it), else "unchanged", or
        "replaced" when ``path`` held another document before."""
        if not valid_doc_id(doc_id):
            return None
        conn = self._writable()
        with self._transaction(conn):
            row = conn.execute("SELECT doc FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                return None
            return "replaced" if self._hold(conn, row["doc"], path) else "unchanged"

    def remove(self, doc_id: str) -> bool:
        """Delete a document and everything derived from it."""
        if not valid_doc_id(doc_id):
            return False
        conn = self._writable()
        with self._transaction(conn):
            return conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount > 0

    def _hold(self, conn: sqlite3.Connection, doc: int, path: str | None) -> bool:
        """Point ``path`` at ``doc``; True when it pointed at another document, which is
        deleted once no path holds it."""
        if not path:
            return False
        held = conn.execute("SELECT doc FROM document_paths WHERE path = ?", (path,)).fetchone()
        if held is not None and held["doc"] == doc:
            return False
        conn.execute(
            "INSERT INTO document_paths (path, doc) VALUES (?, ?)"
            " ON CONFLICT (path) DO UPDATE SET doc = excluded.doc",
            (path, doc),
        )
        conn.execute("UPDATE documents SET path = ? WHERE doc = ?", (path, doc))
        if held is None:
            return False
        old = held["doc"]
        left = conn.execute("SELECT path FROM document_paths WHERE doc = ? LIMIT 1", (old,)).fetchone()
        if left is None:
            conn.execute("DELETE FROM documents WHERE doc = ?", (old,))
        else:
            conn.execute("UPDATE documents SET path = ? WHERE doc = ?", (left["path"], old))
        return True

    def _insert(self, conn: sqlite3.Connection, p: Prepared, path: str | None) -> int:
        cur = conn.execute(
            "INSERT INTO documents (id, sha256, fingerprint, path, name, title, title_fold, publisher,"
            " place, country, date, event_type, url, words, n_speakers, n_turns, n_sentences,"
            " n_exchanges, n_sub_questions, n_warnings, issue_counts, place_counts, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (p.doc_id, p.sha256, p.fingerprint, path, *p.document, _now()),
        )
        doc = int(cur.lastrowid)
        conn.execute("INSERT INTO document_json (doc, json_zlib) VALUES (?, ?)", (doc, p.json_zlib))
        # Prepared rows number their elements 1, 2, ...; the ids here are those numbers plus
        # the table's current maximum (one writer, inside the transaction).
        sp, tu, ex = (self._base(conn, t) for t in ("speakers", "turns", "exchanges"))
        se = self._dated_base(conn, "sentences", p.date, len(p.sentences))
        sq = self._dated_base(conn, "sub_questions", p.date, len(p.sub_questions))
        ev = self._dated_base(conn, "events", p.date, len(p.events))
        many = conn.executemany
        many(
            "INSERT INTO speakers (id, doc, speaker_id, key, name, name_fold, display, labels, role,"
            " title, country, outlet, present, kb_id, turns, words)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(n + sp, doc, *rest) for n, *rest in p.speakers],
        )
        many(
            'INSERT INTO turns (id, doc, turn_id, speaker, label, kind, interpreted, start, "end", words)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(n + tu, doc, tid, _at(s, sp), *rest) for n, tid, s, *rest in p.turns],
        )
        many(
            'INSERT INTO sentences (id, doc, sentence_id, turn, speaker, start, "end", text, who, role,'
            " places, issues) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(n + se, doc, sid, _at(t, tu), _at(s, sp), *rest) for n, sid, t, s, *rest in p.sentences],
        )
        if p.sentences:
            conn.execute(
                "INSERT INTO sentences_fts (rowid, text, who, role, places, issues)"
                " SELECT id, text, who, role, places, issues FROM sentences WHERE id BETWEEN ? AND ?",
                (se + 1, se + len(p.sentences)),
            )
        many(
            "INSERT OR IGNORE INTO sentence_places (place, sentence, doc) VALUES (?, ?, ?)",
            [(v, n + se, doc) for v, n in p.sentence_places],
        )
        many(
            "INSERT OR IGNORE INTO sentence_issues (issue, sentence, doc) VALUES (?, ?, ?)",
            [(v, n + se, doc) for v, n in p.sentence_issues],
        )
        many(
            'INSERT INTO notes (doc, turn, type, subtype, start, "end", text) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [(doc, _at(t, tu), *rest) for t, *rest in p.notes],
        )
        many("INSERT INTO warnings (doc, code, message) VALUES (?, ?, ?)", [(doc, *w) for w in p.warnings])
        many(
            "INSERT INTO exchanges (id, doc, exchange_id, questioner, question_turns, answer_turns)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(n + ex, doc, xid, _at(q, sp), *rest) for n, xid, q, *rest in p.exchanges],
        )
        many(
            'INSERT INTO sub_questions (id, doc, exchange, sub_question_id, text, start, "end", form,'
            " context, places, issues) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(n + sq, doc, x + ex, *rest) for n, x, *rest in p.sub_questions],
        )
        for table, rows in (("sub_question_addressees", p.addressees), ("sub_question_unanswered", p.unanswered)):
            many(
                f"INSERT OR IGNORE INTO {table} (speaker, sub_question, doc) VALUES (?, ?, ?)",
                [(s + sp, q + sq, doc) for s, q in rows],
            )
        many(
            "INSERT OR IGNORE INTO sub_question_issues (issue, sub_question, doc) VALUES (?, ?, ?)",
            [(v, q + sq, doc) for v, q in p.sub_question_issues],
        )
        many(
            'INSERT INTO answers (doc, sub_question, speaker, turn, start, "end", cue, clarity,'
            " evasion, confidence, clarity_cue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc, q + sq, _at(s, sp), _at(t, tu), *rest) for q, s, t, *rest in p.answers],
        )
        many(
            "INSERT INTO events (id, doc, event_id, sentence, sentence_id, speaker, source, type,"
            " target, places, issues, cue, confidence, negated, hypothetical, future)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(n + ev, doc, eid, _at(s, se), sid, _at(k, sp), *rest) for n, eid, s, sid, k, *rest in p.events],
        )
        many(
            "INSERT OR IGNORE INTO event_issues (issue, event, doc) VALUES (?, ?, ?)",
            [(v, n + ev, doc) for v, n in p.event_issues],
        )
        many(
            "INSERT INTO relations (doc, actor_a, actor_b, focus, stance, evidence) VALUES (?, ?, ?, ?, ?, ?)",
            [(doc, *r) for r in p.relations],
        )
        return doc

    def _dated_base(self, conn: sqlite3.Connection, table: str, date: str | None, n: int) -> int:
        """Ids of sentences, sub-questions and events follow the document's date (see _day),
        so date filters and "most recent first" are rowid ranges (in the full-text index too)."""
        lo = _day(date) << _DAY_SHIFT
        hi = lo + (1 << _DAY_SHIFT) - 1
        # `table` is one of this module's own names, never user input.
        top = conn.execute(f"SELECT max(id) FROM {table} WHERE id BETWEEN ? AND ?", (lo, hi)).fetchone()[0]
        base = top if top is not None else lo
        if base + n > hi:
            raise StoreError(f"more than {1 << _DAY_SHIFT:,} {table} dated {date or 'never'}; the store is full for that day.")
        return base

    def _base(self, conn: sqlite3.Connection, table: str) -> int:
        # `table` is one of this module's own names, never user input.
        return conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]

    # -- read side: documents --------------------------------------------------------------

    def has(self, doc_id: str) -> bool:
        if not valid_doc_id(doc_id):
            return False
        return self._db().execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def stats(self) -> dict:
        """The corpus at a glance (the home page)."""
        db = self._db()
        counts = db.execute(
            "SELECT count(*) AS documents, coalesce(sum(n_sentences), 0) AS sentences,"
            " coalesce(sum(n_exchanges), 0) AS exchanges,"
            " coalesce(sum(n_sub_questions), 0) AS sub_questions,"
            " min(date) AS first_date, max(date) AS last_date FROM documents"
        ).fetchone()
        n_speakers = db.execute(
            "SELECT count(DISTINCT key) FROM speakers WHERE key IS NOT NULL AND turns > 0"
        ).fetchone()[0]
        per_month = db.execute(
            "SELECT substr(date, 1, 7) AS month, count(*) FROM documents"
            " WHERE date IS NOT NULL GROUP BY month ORDER BY month"
        ).fetchall()
        # Per-document counts summed here: one small row per document, not a scan of the
        # sentences' join tables.
        issues: Counter[str] = Counter()
        places: Counter[str] = Counter()
        for issue_counts, place_counts in db.execute("SELECT issue_counts, place_counts FROM documents"):
            if issue_counts != "{}":
                issues.update(json.loads(issue_counts))
            if place_counts != "{}":
                places.update(json.loads(place_counts))
        top_issues = sorted(issues.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        top_places = sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        recent = db.execute(
            f"SELECT {_SUMMARY} FROM documents"
            " ORDER BY date IS NULL, date DESC, ingested_at DESC, doc DESC LIMIT 10"
        ).fetchall()
        return {
            "documents": counts["documents"],
            "speakers": n_speakers,
            "sentences": counts["sentences"],
            "exchanges": counts["exchanges"],
            "sub_questions": counts["sub_questions"],
            "first_date": counts["first_date"],
            "last_date": counts["last_date"],
            "per_month": [[m, n] for m, n in per_month],
            "top_issues": [[i, n] for i, n in top_issues],
            "top_places": [[p, n] for p, n in top_places],
            "recent": [_summary(r) for r in recent],
        }

    def documents(self, limit: int = 50, offset: int = 0, q: str | None = None) -> dict:
        """Documents newest first; ``q`` keeps those whose title contains it (any case)."""
        limit, offset = _page(limit, offset)
        where, args = "", []
        if q and q.strip():
            where = "WHERE title_fold LIKE ? ESCAPE '\\'"
            args.append(f"%{_like(q.strip().casefold())}%")
        db = self._db()
        # title_fold is the title case-folded in Python: SQLite's LIKE folds ASCII only.
        total = db.execute(f"SELECT count(*) FROM documents {where}", args).fetchone()[0]
        rows = db.execute(
            f"SELECT {_SUMMARY} FROM documents {where} ORDER BY date IS NULL, date DESC, title, doc LIMIT ? OFFSET ?",
            [*args, limit, offset],
        ).fetchall()
        return {"total": total, "rows": [_summary(r) for r in rows]}

    def document(self, doc_id: str) -> dict | None:
        """One document's summary, with its path, source name, sha256 and ingestion time."""
        if not valid_doc_id(doc_id):
            return None
        row = self._db().execute(
            f"SELECT {_SUMMARY}, path, name, sha256, url, n_turns, n_sentences, n_sub_questions,"
            " ingested_at FROM documents WHERE id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        out = _summary(row)
        for k in ("path", "name", "sha256", "url", "ingested_at"):
            out[k] = row[k]
        out["turns"], out["sentences"] = row["n_turns"], row["n_sentences"]
        out["sub_questions"] = row["n_sub_questions"]
        return out

    def document_json(self, doc_id: str) -> str | None:
        """The stored podium/1 JSON of one document, exactly as analysed."""
        if not valid_doc_id(doc_id):
            return None
        row = self._db().execute(
            "SELECT j.json_zlib FROM documents d JOIN document_json j ON j.doc = d.doc WHERE d.id = ?", (doc_id,)
        ).fetchone()
        return zlib.decompress(row[0]).decode("utf-8", "surrogatepass") if row else None

    # -- read side: search -----------------------------------------------------------------

    def search(
        self,
        query: str | None,
        *,
        speaker: str | None = None,
        role: str | None = None,
        place: str | None = None,
        issue: str | None = None,
        since: str | None = None,
        until: str | None = None,
        year: int | str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> dict:
        """Sentences matching ``query`` (ranked by bm25) and the filters, with facet counts.
        With no query, the filters alone select sentences (newest first); with neither,
        nothing is returned.

        Work is bounded: when more than ``SEARCH_WINDOW`` sentences match, hits are ranked and
        facets counted among the most recent ``SEARCH_WINDOW`` of them (``considered`` says how
        many); ``total`` counts them all."""
        limit, offset = _page(limit, offset)
        text = fts_query(query) if query and query.strip() else None
        terms = _filter_terms(speaker, place, issue)
        match = " AND ".join(([f"text : ({text})"] if text else []) + terms) or None
        dated = _id_range(since, until, year)
        role = role.strip().lower() if role and role.strip() else None
        if match is None and dated is None and role is None:
            return _no_hits()
        # Filters are terms of the full-text query, so matching needs no join. Sentence ids
        # grow with the document's date, so a date range is a rowid range inside the index and
        # "most recent" is "highest rowid".
        if match is not None:
            source, key = "sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid", "sentences_fts.rowid"
            where, args = ["sentences_fts MATCH ?"], [match]
        else:
            source, key, where, args = "sentences s", "s.id", [], []
        if dated is not None:
            where, args = [*where, f"{key} BETWEEN ? AND ?"], [*args, *dated]
        if role is not None:
            # A join, not an FTS term: ranking would first count every row of a role's
            # enormous term list (bm25's idf), which costs more than checking the matches.
            where, args = [*where, "s.role = ?"], [*args, role]
        condition = " AND ".join(where)
        db = self._db()
        try:
            facet_rows = db.execute(
                f"WITH m AS MATERIALIZED (SELECT s.id, s.speaker, s.role, s.places, s.issues FROM {source}"
                f" WHERE {condition} ORDER BY {key} DESC LIMIT {SEARCH_WINDOW}) {_FACET_SQL}",
                args,
            ).fetchall()
            considered, oldest = facet_rows[0][2], facet_rows[1][2]
            total = considered
            if considered >= SEARCH_WINDOW:
                count_from = "sentences_fts" if match is not None and role is None else source
                total = db.execute(f"SELECT count(*) FROM {count_from} WHERE {condition}", args).fetchone()[0]
            if text is not None:
                order, rank = "sentences_fts.rank, s.id", "sentences_fts.rank"
                snippet = f"snippet(sentences_fts, 0, '{_MARK_OPEN}', '{_MARK_CLOSE}', '…', {_SNIPPET_TOKENS})"
            else:
                order, rank, snippet = "s.id DESC", "NULL", "s.text"
            if total > considered:
                condition += f" AND {key} >= {int(oldest)}"
            rows = db.execute(
                f"SELECT d.id AS doc_id, d.title, d.date, s.sentence_id, t.turn_id, sp.speaker_id,"
                f" sp.display AS speaker, s.role, s.text, {snippet} AS snippet, s.places, s.issues,"
                f" {rank} AS rank FROM {source} JOIN documents d ON d.doc = s.doc"
                f" LEFT JOIN speakers sp ON sp.id = s.speaker LEFT JOIN turns t ON t.id = s.turn"
                f" WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
        except sqlite3.OperationalError as e:
            raise _query_error(query, e) from e
        facets: dict[str, list] = {k: [] for k in _FACETS}
        for kind, value, n in facet_rows[2:]:
            facets[kind].append([value, n])
        hits = [
            {
                "doc_id": r["doc_id"],
                "title": r["title"],
                "date": r["date"],
                "sentence_id": r["sentence_id"],
                "turn_id": r["turn_id"],
                "speaker_id": r["speaker_id"],
                "speaker": r["speaker"],
                "role": r["role"],
                "text": r["text"],
                "snippet": _marks(r["snippet"]),
                "places": json.loads(r["places"]),
                "issues": json.loads(r["issues"]),
                "rank": round(r["rank"], 4) if r["rank"] is not None else None,
            }
            for r in rows
        ]
        return {"total": total, "considered": considered, "hits": hits, "facets": facets}

    # -- read side: questions and answers --------------------------------------------------

    def sub_questions(
        self,
        *,
        addressee: str | None = None,
        clarity: str | None = None,
        evasion: str | None = None,
        issue: str | None = None,
        doc_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> dict:
        """Every sub-question in the corpus, with who it was put to, who answered and how
        clearly, and who did not answer: newest first (the reverse of the order asked), or in
        the order asked for one ``doc_id``. Facets count the most recent
        ``SEARCH_WINDOW`` matches (``considered``); ``total`` counts them all."""
        limit, offset = _page(limit, offset)
        empty = {"total": 0, "considered": 0, "rows": [], "facets": {k: [] for k in _QA_FACETS}}
        # Each filter is a set of ids read from an index, intersected; sub-question ids follow
        # the date, so "newest first" is a sort of that set (or, unfiltered, a walk down the
        # table that stops after the window).
        sets: list[str] = []
        args: list[Any] = []
        if doc_id is not None:
            if not valid_doc_id(doc_id):
                return empty
            sets.append("SELECT id FROM sub_questions WHERE doc = (SELECT doc FROM documents WHERE id = ?)")
            args.append(doc_id)
        if addressee and addressee.strip():
            sets.append(
                "SELECT sub_question AS id FROM sub_question_addressees WHERE speaker IN"
                " (SELECT id FROM speakers WHERE name_fold LIKE ? ESCAPE '\\')"
            )
            args.append(f"%{_like(addressee.strip().casefold())}%")
        clarity = clarity.strip().lower() if clarity and clarity.strip() else None
        evasion = evasion.strip().lower() if evasion and evasion.strip() else None
        if clarity and evasion:
            sets.append("SELECT sub_question AS id FROM answers WHERE clarity = ? AND evasion = ?")
            args += [clarity, evasion]
        elif clarity or evasion:
            sets.append(f"SELECT sub_question AS id FROM answers WHERE {'clarity' if clarity else 'evasion'} = ?")
            args.append(clarity or evasion)
        if issue and issue.strip():
            sets.append("SELECT sub_question AS id FROM sub_question_issues WHERE issue = ?")
            args.append(issue.strip().lower())
        order = "ASC" if doc_id else "DESC"
        db = self._db()
        source = "sub_questions"
        if sets:
            # The matching ids once, deduplicated and in order, in this connection's own
            # temporary table (each thread has its own connection).
            db.execute("CREATE TEMP TABLE IF NOT EXISTS qa_ids (id INTEGER PRIMARY KEY)")
            db.execute("DELETE FROM temp.qa_ids")
            db.execute(f"INSERT OR IGNORE INTO temp.qa_ids {' INTERSECT '.join(sets)}", args)
            source = "temp.qa_ids"
        facet_rows = db.execute(
            f"WITH m AS MATERIALIZED (SELECT id AS q FROM {source} ORDER BY id DESC LIMIT {SEARCH_WINDOW})"
            f" {_QA_FACET_SQL}"
        ).fetchall()
        considered = total = facet_rows[0][2]
        if considered >= SEARCH_WINDOW:
            total = db.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
        rows = db.execute(
            f"SELECT q.id AS q, d.id AS doc_id, d.title, d.date, x.exchange_id, q.sub_question_id,"
            f" q.text, qs.display AS questioner, qs.outlet FROM sub_questions q"
            f" JOIN documents d ON d.doc = q.doc JOIN exchanges x ON x.id = q.exchange"
            f" LEFT JOIN speakers qs ON qs.id = x.questioner"
            f" WHERE q.id IN (SELECT id FROM {source} ORDER BY id {order} LIMIT ? OFFSET ?)"
            f" ORDER BY q.id {order}",
            [limit, offset],
        ).fetchall()
        keys = [r["q"] for r in rows]
        addressees = self._people(db, "sub_question_addressees", keys)
        unanswered = self._people(db, "sub_question_unanswered", keys)
        answers: dict[int, list[dict]] = defaultdict(list)
        if keys:
            marks = ",".join("?" * len(keys))
            for a in db.execute(
                f"SELECT an.sub_question, p.display AS speaker, an.clarity, an.evasion, an.confidence,"
                f" an.clarity_cue, an.cue, t.turn_id FROM answers an"
                f" LEFT JOIN speakers p ON p.id = an.speaker LEFT JOIN turns t ON t.id = an.turn"
                f" WHERE an.sub_question IN ({marks}) ORDER BY an.id",
                keys,
            ):
                answers[a["sub_question"]].append(
                    {
                        "speaker": a["speaker"],
                        "clarity": a["clarity"],
                        "evasion": a["evasion"],
                        "confidence": a["confidence"],
                        "cue": a["clarity_cue"],
                        "link_cue": a["cue"],
                        "turn_id": a["turn_id"],
                    }
                )
        facets: dict[str, list] = {k: [] for k in _QA_FACETS}
        for kind, value, n in facet_rows[1:]:
            facets[kind].append([value, n])
        out = [
            {
                "doc_id": r["doc_id"],
                "title": r["title"],
                "date": r["date"],
                "exchange_id": r["exchange_id"],
                "sub_question_id": r["sub_question_id"],
                "text": r["text"],
                "questioner": r["questioner"],
                "outlet": r["outlet"],
                "addressees": addressees.get(r["q"], []),
                "answers": answers.get(r["q"], []),
                "unanswered_by": unanswered.get(r["q"], []),
            }
            for r in rows
        ]
        return {"total": total, "considered": considered, "rows": out, "facets": facets}

    def _people(self, db: sqlite3.Connection, table: str, keys: list[int]) -> dict[int, list[str]]:
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        out: dict[int, list[str]] = defaultdict(list)
        for sub, name in db.execute(
            f"SELECT a.sub_question, p.display FROM {table} a JOIN speakers p ON p.id = a.speaker"
            f" WHERE a.sub_question IN ({marks}) ORDER BY a.sub_question, p.id",
            keys,
        ):
            out[sub].append(name)
        return out

    # -- read side: events, relations, speakers --------------------------------------------

    def events(
        self,
        *,
        actor: str | None = None,
        issue: str | None = None,
        type: str | None = None,  # noqa: A002 - the contract's field name
        since: str | None = None,
        until: str | None = None,
        limit: int = 500,
    ) -> list[dict]:
        """Events in date order; ``actor`` (ISO3) matches source or target."""
        limit, _ = _page(limit, 0, most=5000)
        where: list[str] = []
        args: list[Any] = []
        if actor and actor.strip():
            where.append("(e.source = ? OR e.target = ?)")
            args += [actor.strip().upper()] * 2
        if issue and issue.strip():
            where.append("EXISTS (SELECT 1 FROM event_issues i WHERE i.issue = ? AND i.event = e.id)")
            args.append(issue.strip().lower())
        if type and type.strip():
            where.append("e.type = ?")
            args.append(type.strip().upper())
        dated = _id_range(since, until, None)
        if dated is not None:
            where.append("e.id BETWEEN ? AND ?")
            args += list(dated)
        condition = ("WHERE " + " AND ".join(where)) if where else ""
        rows = self._db().execute(
            "SELECT d.id AS doc_id, d.date, e.sentence_id, p.display AS speaker, e.source, e.type,"
            " e.target, e.places, e.issues, e.cue, e.confidence, e.negated, e.hypothetical,"
            " e.future, s.text FROM events e JOIN documents d ON d.doc = e.doc"
            " LEFT JOIN sentences s ON s.id = e.sentence LEFT JOIN speakers p ON p.id = e.speaker"
            f" {condition} ORDER BY e.id LIMIT ?",  # ids follow the date: oldest first
            [*args, limit],
        ).fetchall()
        out = []
        for r in rows:
            item = dict(r)
            item["places"] = json.loads(r["places"])
            item["issues"] = json.loads(r["issues"])
            for k in ("negated", "hypothetical", "future"):
                item[k] = None if r[k] is None else bool(r[k])
            out.append(item)
        return out

    def relations(self, limit: int = 500) -> list[dict]:
        """Stances between pairs of countries on a focus, with the sentences behind them."""
        limit, _ = _page(limit, 0, most=5000)
        db = self._db()
        rows = db.execute(
            "SELECT r.doc, d.id AS doc_id, d.date, r.actor_a, r.actor_b, r.focus, r.stance, r.evidence"
            " FROM relations r JOIN documents d ON d.doc = r.doc"
            " ORDER BY d.date IS NULL, d.date, r.id LIMIT ?",
            (limit,),
        ).fetchall()
        wanted: dict[int, set[str]] = defaultdict(set)
        for r in rows:
            wanted[r["doc"]].update(json.loads(r["evidence"]))
        texts: dict[tuple[int, str], str] = {}
        for doc, ids in wanted.items():
            ids_list = sorted(ids)
            for chunk in range(0, len(ids_list), 500):
                part = ids_list[chunk : chunk + 500]
                marks = ",".join("?" * len(part))
                for sid, text in db.execute(
                    f"SELECT sentence_id, text FROM sentences WHERE doc = ? AND sentence_id IN ({marks})",
                    [doc, *part],
                ):
                    texts[(doc, sid)] = text
        out = []
        for r in rows:
            evidence = json.loads(r["evidence"])
            out.append(
                {
                    "doc_id": r["doc_id"],
                    "date": r["date"],
                    "actors": [r["actor_a"], r["actor_b"]],
                    "focus": r["focus"],
                    "stance": r["stance"],
                    "evidence": evidence,
                    "texts": [texts.get((r["doc"], sid)) for sid in evidence],
                }
            )
        return out

    def speakers(self, limit: int = 100) -> list[dict]:
        """Named speakers across the corpus, most words first; one row per person (``key``: the
        knowledge base's id, else the case-folded name), named by their commonest spelling.
        Unnamed speakers (anonymous reporters, "SENIOR ADMINISTRATION OFFICIAL") are skipped."""
        limit, _ = _page(limit, 0, most=10000)
        db = self._db()
        rows = db.execute(
            "SELECT key, name, role, country, sum(turns) AS turns, sum(words) AS words FROM speakers"
            " WHERE key IS NOT NULL AND turns > 0 GROUP BY key, name, role, country"
        ).fetchall()
        people: dict[str, dict[str, Any]] = {}
        for r in rows:
            p = people.setdefault(
                r["key"], {"names": Counter(), "roles": Counter(), "countries": Counter(), "turns": 0, "words": 0}
            )
            weight = r["words"] + 1  # the commonest by words spoken
            p["names"][r["name"]] += weight
            p["roles"][r["role"]] += weight
            if r["country"]:
                p["countries"][r["country"]] += weight
            p["turns"] += r["turns"]
            p["words"] += r["words"]
        top = sorted(people, key=lambda k: (-people[k]["words"], k))[:limit]
        documents: dict[str, int] = {}
        for chunk in range(0, len(top), 500):
            keys = top[chunk : chunk + 500]
            documents.update(
                db.execute(
                    f"SELECT key, count(DISTINCT doc) FROM speakers WHERE turns > 0"
                    f" AND key IN ({','.join('?' * len(keys))}) GROUP BY key",
                    keys,
                ).fetchall()
            )
        return [
            {
                "key": k,
                "name": people[k]["names"].most_common(1)[0][0],
                "role": people[k]["roles"].most_common(1)[0][0],
                "country": people[k]["countries"].most_common(1)[0][0] if people[k]["countries"] else None,
                "documents": documents.get(k, 0),
                "turns": people[k]["turns"],
                "words": people[k]["words"],
            }
            for k in top
        ]


# -- preparing a document for the store (no database needed: runs in worker processes) -------


@dataclass
class Prepared:
    """One document as rows for the store's tables, backend-neutral and picklable.

    Elements are numbered 1, 2, ... within the document and refer to each other by those
    numbers (0 = none); the writer turns them into row ids. Lists and sets (places, issues,
    turn ids, evidence) are JSON array strings."""

    doc_id: str
    sha256: str
    fingerprint: str
    date: str | None
    document: tuple  # name, title, title_fold, publisher, place, country, date, event_type, url, words, counts...
    json_zlib: bytes
    speakers: list[tuple] = field(default_factory=list)
    turns: list[tuple] = field(default_factory=list)
    sentences: list[tuple] = field(default_factory=list)
    sentence_places: list[tuple] = field(default_factory=list)
    sentence_issues: list[tuple] = field(default_factory=list)
    notes: list[tuple] = field(default_factory=list)
    warnings: list[tuple] = field(default_factory=list)
    exchanges: list[tuple] = field(default_factory=list)
    sub_questions: list[tuple] = field(default_factory=list)
    addressees: list[tuple] = field(default_factory=list)
    unanswered: list[tuple] = field(default_factory=list)
    sub_question_issues: list[tuple] = field(default_factory=list)
    answers: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    event_issues: list[tuple] = field(default_factory=list)
    relations: list[tuple] = field(default_factory=list)


def prepare_json(text: str) -> Prepared:
    """``prepare`` for podium/1 JSON text; raises StoreError when it is not that."""
    try:
        data = json.loads(text)
    except ValueError as e:
        raise StoreError(f"not podium JSON ({e}).") from e
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise StoreError(f"not a {SCHEMA} document.")
    return prepare(data, text)


def prepare(d: dict[str, Any], text: str) -> Prepared:
    """The rows of one document (``d``, a podium/1 dict, and ``text``, its JSON)."""
    source = d.get("source") or {}
    sha = str(source.get("sha256") or "")
    if not valid_doc_id(sha[:16]):
        raise StoreError(f"source.sha256 {sha[:20]!r} is not a hex digest.")
    meta = d.get("meta") or {}
    speakers = d.get("speakers") or []
    turns = d.get("turns") or []
    sentences = d.get("sentences") or []
    exchanges = d.get("exchanges") or []
    subs = [(x, q) for x in exchanges for q in x.get("sub_questions") or ()]
    events = d.get("events") or []

    spk = {s["id"]: n for n, s in enumerate(speakers, 1)}
    trn = {t["id"]: n for n, t in enumerate(turns, 1)}
    sen = {s["id"]: n for n, s in enumerate(sentences, 1)}
    xch = {x["id"]: n for n, x in enumerate(exchanges, 1)}
    turn_speaker = {t["id"]: t["speaker"] for t in turns}
    role_of = {s["id"]: s.get("role") for s in speakers}
    who_of = {s["id"]: " ".join(filter(None, (s.get("name"), s.get("kb_id")))) for s in speakers}
    turn_count: Counter[str] = Counter()
    word_count: Counter[str] = Counter()
    turn_words = []
    for t in turns:
        words = len(t["text"].split())
        turn_words.append(words)
        turn_count[t["speaker"]] += 1
        word_count[t["speaker"]] += words

    p = Prepared(
        doc_id=sha[:16],
        sha256=sha,
        fingerprint=_fingerprint(d, text),
        date=meta.get("date"),
        document=(
            source.get("name"), meta.get("title"), _casefold(meta.get("title")), meta.get("publisher"),
            meta.get("place"), meta.get("country"), meta.get("date"), meta.get("event_type"),
            meta.get("url"), len(d["text"].split()),
            sum(1 for s in speakers if s.get("present", True)), len(turns), len(sentences),
            len(exchanges), len(subs), len(d.get("warnings") or ()),
            _json(dict(Counter(v for s in sentences for v in s.get("issues") or ()))),
            _json(dict(Counter(v for s in sentences for v in s.get("places") or ()))),
        ),
        json_zlib=zlib.compress(text.encode("utf-8", "surrogatepass"), 1),
    )  # fmt: skip
    p.speakers = [
        (
            spk[s["id"]], s["id"], _speaker_key(s), s.get("name"),
            s["name"].casefold() if s.get("name") else None, _display(s), _json(s.get("labels") or []),
            s.get("role"), s.get("title"), s.get("country"), s.get("outlet"),
            int(bool(s.get("present", True))), s.get("kb_id"), turn_count[s["id"]], word_count[s["id"]],
        )
        for s in speakers
    ]  # fmt: skip
    p.turns = [
        (
            trn[t["id"]], t["id"], spk.get(t["speaker"], 0), t.get("label"), t.get("kind"),
            int(bool(t.get("interpreted"))), t["start"], t["end"], words,
        )
        for t, words in zip(turns, turn_words, strict=True)
    ]  # fmt: skip
    p.sentences = [
        (
            sen[s["id"]], s["id"], trn.get(s["turn"], 0), spk.get(turn_speaker.get(s["turn"], ""), 0),
            s["start"], s["end"], s["text"], who_of.get(turn_speaker.get(s["turn"], ""), ""),
            role_of.get(turn_speaker.get(s["turn"], "")), _json(s.get("places") or []),
            _json(s.get("issues") or []),
        )
        for s in sentences
    ]  # fmt: skip
    p.sentence_places = [(v, sen[s["id"]]) for s in sentences for v in s.get("places") or ()]
    p.sentence_issues = [(v, sen[s["id"]]) for s in sentences for v in s.get("issues") or ()]
    p.notes = [
        (trn.get(n.get("turn") or "", 0), n["type"], n.get("subtype"), n["start"], n["end"], n["text"])
        for n in d.get("notes") or ()
    ]
    p.warnings = [(w.get("code", ""), w.get("message", "")) for w in d.get("warnings") or ()]
    p.exchanges = [
        (
            xch[x["id"]], x["id"], spk.get(x.get("questioner") or "", 0),
            _json(x.get("question_turns") or []), _json(x.get("answer_turns") or []),
        )
        for x in exchanges
    ]  # fmt: skip
    for n, (x, q) in enumerate(subs, 1):
        p.sub_questions.append(
            (
                n, xch[x["id"]], q["id"], q["text"], q["start"], q["end"], q.get("form"),
                q.get("context"), _json(q.get("places") or []), _json(q.get("issues") or []),
            )
        )  # fmt: skip
        p.addressees += [(spk[s], n) for s in dict.fromkeys(q.get("addressees") or ()) if s in spk]
        p.unanswered += [(spk[s], n) for s in dict.fromkeys(q.get("unanswered_by") or ()) if s in spk]
        p.sub_question_issues += [(v, n) for v in q.get("issues") or ()]
        p.answers += [
            (
                n, spk.get(a.get("speaker") or "", 0), trn.get(a.get("turn") or "", 0), a.get("start"),
                a.get("end"), a.get("cue"), a.get("clarity"), a.get("evasion"), a.get("confidence"),
                a.get("clarity_cue"),
            )
            for a in q.get("answers") or ()
        ]  # fmt: skip
    for n, e in enumerate(events, 1):
        p.events.append(
            (
                n, e.get("id"), sen.get(e.get("sentence") or "", 0), e.get("sentence"),
                spk.get(e.get("speaker") or "", 0), e.get("source"), e.get("type"), e.get("target"),
                _json(e.get("places") or []), _json(e.get("issues") or []), e.get("cue"),
                e.get("confidence"), _flag(e.get("negated")), _flag(e.get("hypothetical")),
                _flag(e.get("future")),
            )
        )  # fmt: skip
        p.event_issues += [(v, n) for v in e.get("issues") or ()]
    p.relations = [
        (
            *(list(r.get("actors") or []) + [None, None])[:2], r.get("focus"), r.get("stance"),
            _json(list(r.get("evidence") or [])),
        )
        for r in d.get("relations") or ()
    ]  # fmt: skip
    return p


def _at(n: int, base: int) -> int | None:
    """A prepared element number as a row id (0: none)."""
    return n + base if n else None


# -- helpers ---------------------------------------------------------------------------------

_SUMMARY = (
    "id, title, date, publisher, place, country, event_type, words,"
    " n_speakers, n_exchanges, n_warnings"
)
_FACETS = ("speaker", "role", "place", "issue", "year")
# The first two rows are the window's size and its oldest sentence id.
_FACET_SQL = f"""
, g AS MATERIALIZED (SELECT speaker, count(*) AS n FROM m GROUP BY speaker)
SELECT 'considered', NULL, count(*) FROM m
UNION ALL SELECT 'oldest', NULL, min(id) FROM m
UNION ALL SELECT * FROM (SELECT 'speaker', sp.name, sum(g.n) AS n FROM g JOIN speakers sp ON sp.id = g.speaker
    WHERE sp.name IS NOT NULL GROUP BY sp.name ORDER BY n DESC, sp.name LIMIT {_FACET_SIZE})
UNION ALL SELECT * FROM (SELECT 'role', m.role, count(*) AS n FROM m WHERE m.role IS NOT NULL
    GROUP BY m.role ORDER BY n DESC, m.role)
UNION ALL SELECT * FROM (SELECT 'place', j.value, count(*) AS n FROM m, json_each(m.places) j
    WHERE m.places <> '[]' GROUP BY j.value ORDER BY n DESC, j.value LIMIT {_FACET_SIZE})
UNION ALL SELECT * FROM (SELECT 'issue', j.value, count(*) AS n FROM m, json_each(m.issues) j
    WHERE m.issues <> '[]' GROUP BY j.value ORDER BY n DESC, j.value LIMIT {_FACET_SIZE})
UNION ALL SELECT * FROM (SELECT 'year', strftime('%Y', {_JULIAN_EPOCH} + (m.id >> {_DAY_SHIFT}) - 1) AS y,
    count(*) AS n FROM m WHERE m.id >= {1 << 24} GROUP BY y ORDER BY y DESC)
"""
_QA_FACETS = ("addressee", "clarity", "evasion", "issue")
# The first row is the window's size.
_QA_FACET_SQL = f"""
SELECT 'considered', NULL, count(*) FROM m
UNION ALL SELECT * FROM (SELECT 'addressee', p.name, count(DISTINCT m.q) AS n FROM m
    CROSS JOIN sub_question_addressees a ON a.sub_question = m.q CROSS JOIN speakers p ON p.id = a.speaker
    WHERE p.name IS NOT NULL GROUP BY p.name ORDER BY n DESC, p.name LIMIT {_FACET_SIZE})
UNION ALL SELECT * FROM (SELECT 'clarity', an.clarity, count(DISTINCT m.q) AS n FROM m
    CROSS JOIN answers an ON an.sub_question = m.q
    GROUP BY an.clarity HAVING an.clarity IS NOT NULL ORDER BY n DESC, an.clarity)
UNION ALL SELECT * FROM (SELECT 'evasion', an.evasion, count(DISTINCT m.q) AS n FROM m
    CROSS JOIN answers an ON an.sub_question = m.q
    GROUP BY an.evasion HAVING an.evasion IS NOT NULL ORDER BY n DESC, an.evasion)
UNION ALL SELECT * FROM (SELECT 'issue', i.issue, count(*) AS n FROM m
    CROSS JOIN sub_question_issues i ON i.sub_question = m.q
    GROUP BY i.issue ORDER BY n DESC, i.issue LIMIT {_FACET_SIZE})
"""  # CROSS JOIN keeps the window first: the planner would otherwise scan a whole index


def _summary(r: sqlite3.Row) -> dict:
    return {
        "id": r["id"],
        "title": r["title"],
        "date": r["date"],
        "publisher": r["publisher"],
        "place": r["place"],
        "country": r["country"],
        "event_type": r["event_type"],
        "words": r["words"],
        "speakers": r["n_speakers"],
        "exchanges": r["n_exchanges"],
        "warnings": r["n_warnings"],
    }


def fts_query(query: str) -> str:
    """Turn a user's query into FTS5 syntax: phrases, AND/OR/NOT, parentheses and ``word*``
    pass through; any other word with punctuation becomes a quoted phrase, so "U.S." or
    "text:" cannot reach FTS5's column or special syntax. Raises QueryError."""
    out: list[str] = []
    for token in _QUERY_TOKEN.findall(query):
        if token.startswith('"'):
            if len(token) < 2 or not token.endswith('"'):
                raise QueryError(f"the search {query!r} has an unclosed quote; close the phrase with \".")
            out.append(token)
        elif token in ("(", ")") or token in _OPERATORS:
            out.append(token)
        elif _BAREWORD.fullmatch(token) and not token.startswith("_"):
            out.append(token)
        else:
            out.append('"' + token.replace('"', '""') + '"')
    if not out:
        raise QueryError("the search is empty; type a word or a \"phrase\" to search for.")
    return " ".join(out)


def _query_error(query: str | None, e: sqlite3.OperationalError) -> QueryError:
    log.debug("FTS5 refused %r: %s", query, e)
    return QueryError(
        f"the search {query!r} is not a valid query; use words, \"a phrase\", AND, OR, NOT and "
        f"parentheses, with a word on each side of AND and OR."
    )


def _filter_terms(speaker: str | None, place: str | None, issue: str | None) -> list[str]:
    """The speaker, place and issue filters as FTS5 terms on the filter columns. Every value
    goes inside a quoted phrase (quotes doubled), so no value can change the query's syntax."""
    terms = []
    if speaker and speaker.strip():
        # Whole words: a prefix would expand to every word of the corpus that starts with it.
        words = re.findall(r"\w+", speaker.casefold())
        if not words:
            raise QueryError(f"speaker {speaker!r} has no letters or digits to match a name by.")
        terms.append("who : (" + " ".join(f'"{w}"' for w in words) + ")")
    for column, value, fold in (("places", place, str.upper), ("issues", issue, str.lower)):
        if value and value.strip():
            terms.append(f'{column} : "{fold(value.strip()).replace(chr(34), chr(34) * 2)}"')
    return terms


def _no_hits() -> dict:
    return {"total": 0, "considered": 0, "hits": [], "facets": {k: [] for k in _FACETS}}


def _id_range(since: str | None, until: str | None, year: int | str | None) -> tuple[int, int] | None:
    """The sentence ids of documents dated within the filters (None: no date filter)."""
    lo, hi = _date_range(since, until, year)
    if lo is None and hi is None:
        return None
    first = _day(lo) if lo else 1
    last = _day(hi) if hi else (1 << 38)
    return first << _DAY_SHIFT, ((last + 1) << _DAY_SHIFT) - 1


def _day(date: str | None) -> int:
    """Day number of a date: 1 for 1800-01-01 (and anything earlier); 0 when undated or not a
    date. Sentence ids are this number shifted left by _DAY_SHIFT, plus a counter."""
    if not date:
        return 0
    try:
        d = _dt.date.fromisoformat(date[:10])
    except ValueError:
        # "2021-02-30" as a filter bound: the last valid day of that month
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date[:10])
        if not m:
            return 0
        y, mo = int(m.group(1)), int(m.group(2))
        d = _dt.date(y, mo, calendar.monthrange(y, mo)[1])
    return max(1, (d - _EPOCH).days + 1)


def _date_range(since: str | None, until: str | None, year: int | str | None) -> tuple[str | None, str | None]:
    """Inclusive bounds as YYYY-MM-DD strings; partial dates widen to the whole year or month."""
    lo = _date_bound(since, "since", low=True)
    hi = _date_bound(until, "until", low=False)
    if year is not None and str(year).strip():
        y = str(year).strip()
        if not re.fullmatch(r"\d{4}", y):
            raise QueryError(f"year {y!r} is not a year; give four digits such as 2019.")
        lo = max(lo or "", f"{y}-01-01")
        hi = min(hi or "9999", f"{y}-12-31")
    return lo, hi


def _date_bound(value: str | None, name: str, low: bool) -> str | None:
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    m = _DATE.fullmatch(value)
    if not m or (m.group(2) and not 1 <= int(m.group(2)) <= 12) or (m.group(3) and not 1 <= int(m.group(3)) <= 31):
        raise QueryError(f"{name} {value!r} is not a date; give YYYY, YYYY-MM or YYYY-MM-DD.")
    y, mo, d = m.groups()
    return f"{y}-{mo or ('01' if low else '12')}-{d or ('01' if low else '31')}"


def _page(limit: Any, offset: Any, most: int = 1000) -> tuple[int, int]:
    try:
        limit, offset = int(limit), int(offset)
    except (TypeError, ValueError) as e:
        raise QueryError("limit and offset must be whole numbers.") from e
    return max(0, min(limit, most)), max(0, offset)


def _like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _casefold(s: str | None) -> str | None:
    return s.casefold() if s is not None else None


def _marks(snippet: str | None) -> str | None:
    if snippet is None:
        return None
    if "\x02" in snippet or "\x03" in snippet:  # the transcript's own control characters
        snippet = snippet.replace("\x02", "").replace("\x03", "")
    return snippet.replace(_MARK_OPEN, "\x02").replace(_MARK_CLOSE, "\x03")


def _json(value: Any) -> str:
    if not value:  # most sentences have no places and no issues
        return "[]" if isinstance(value, list) else "{}" if isinstance(value, dict) else json.dumps(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _flag(value: Any) -> int | None:
    return None if value is None else int(bool(value))


def _speaker_key(s: dict) -> str | None:
    if s.get("kb_id"):
        return str(s["kb_id"])
    return s["name"].casefold() if s.get("name") else None


def _display(s: dict) -> str:
    labels = s.get("labels") or []
    return s.get("name") or (labels[0] if labels else None) or s["id"]


def _fingerprint(data: dict[str, Any], text: str) -> str:
    """A hash of the analysis, independent of the name the file was read under: the JSON text
    with the source name blanked (hashing the text is far cheaper than dumping ``data`` again)."""
    name = json.dumps(data["source"].get("name"), ensure_ascii=False)
    head = f'"source": {{"name": {name}'
    at = text.find(head, 0, 200 + len(head))
    if at >= 0:
        text = text[:at] + '"source": {"name": null' + text[at + len(head) :]
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

