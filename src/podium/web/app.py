"""The web UI and HTTP API over a podium store: ``create_app(db_path)`` → a FastAPI app.

Pages are rendered on the server (Jinja2, autoescape on everywhere) with a little JavaScript
from ``/static``; charts are inline SVG. Nothing is loaded from anywhere else, which the
Content-Security-Policy header enforces. The store is opened read-only; the one endpoint that
writes (``POST /api/documents``) exists only when a token is set and then requires it.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException

from ..errors import InputError, PodiumError
from . import charts, reader
from .labels import (
    CLARITY_LABELS,
    EVASION_LABELS,
    ROLE_ORDER,
    country_name,
    focus_label,
    issue_label,
    plover_class,
)

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

DOC_ID = re.compile(r"^[0-9a-f]{16}$")
MAX_BODY = 64 * 1024  # bytes a request may carry (read-only: nothing needs more)
MAX_UPLOAD = 20 * 1024 * 1024  # bytes an upload may carry when uploads are on
PAGE_SIZE = 20
RELATIONS_MAX = 5000  # stances read for the matrix (the store's most)
READER_CACHE = 32  # rendered reader pages kept (until the database changes)

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]

# Bounds on query parameters (FastAPI validates them; out of range is a 400/422, not a crash).
Text = Annotated[str | None, Query(max_length=200)]
QueryText = Annotated[str, Query(max_length=500)]
Date = Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", max_length=10)]
Year = Annotated[int | None, Query(ge=1900, le=2100)]
Offset = Annotated[int, Query(ge=0, le=100_000)]


# --------------------------------------------------------------------------------------------
# Middleware: security headers and a cap on request bodies (pure ASGI, no buffering)
# --------------------------------------------------------------------------------------------


class _TooLarge(Exception):
    pass


class Guard:
    """Adds the security headers to every response and refuses bodies over ``limit`` bytes
    (413), whether announced by Content-Length or streamed."""

    def __init__(self, app, limit: Callable[[dict], int]):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = True
                if too_big:
                    await _plain(send, 413, b"request body too large")
                    return
        seen = 0
        started = False

        async def guarded_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [h for h in message.get("headers", []) if h[0] not in _OURS]
                message = {**message, "headers": headers + SECURITY_HEADERS}
            await send(message)

        try:
            await self.app(scope, guarded_receive, send_with_headers)
        except _TooLarge:
            if not started:
                await _plain(send, 413, b"request body too large")


_OURS = {name for name, _ in SECURITY_HEADERS}


async def _plain(send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *SECURITY_HEADERS],
        }
    )
    await send({"type": "http.response.body", "body": body})


# --------------------------------------------------------------------------------------------
# The store: one read-only connection per worker thread
# --------------------------------------------------------------------------------------------


class Stores:
    """Opens the store once, on first use. ``Store`` gives each thread its own connection,
    so one instance serves the server's worker threads. Read results are kept (LRU) until the
    database files change, so a page seen twice costs its queries once."""

    def __init__(self, path: str, factory: Callable[[], Any] | None = None, cache: int = 256):
        self.path = path
        self.factory = factory or self._open
        self.store: Any = None
        self.lock = threading.Lock()
        self.cached = _Cached(self, cache) if cache else None

    def _open(self):
        from ..store import Store

        return Store.open(self.path, readonly=True)

    def raw(self):
        store = self.store
        if store is None:
            with self.lock:
                if self.store is None:
                    self.store = self.factory()
                store = self.store
        return store

    def get(self):
        store = self.raw()
        return self.cached if self.cached is not None else store

    def stamp(self) -> tuple:
        """What changes when the database does: size and mtime of the file and its WAL."""
        out = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(self.path + suffix)
                out.append((st.st_size, st.st_mtime_ns))
            except OSError:
                out.append(None)
        return tuple(out)

    def close(self) -> None:
        with self.lock:
            store, self.store = self.store, None
        if store is not None:
            store.close()


class _Cached:
    """The store's read methods through an LRU cache keyed by arguments and the database's
    stamp. Whole documents (``document_json``) are not kept: they are large and cheap to read."""

    METHODS = frozenset(
        {"stats", "documents", "search", "sub_questions", "events", "relations", "speakers"}
    )

    def __init__(self, stores: Stores, size: int):
        self.stores = stores
        self.size = size
        self.data: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = threading.Lock()

    def __getattr__(self, name: str):
        target = getattr(self.stores.raw(), name)
        if name not in self.METHODS:
            return target

        def call(*args, **kwargs):
            key = (name, args, tuple(sorted(kwargs.items())), self.stores.stamp())
            with self.lock:
                if key in self.data:
                    self.data.move_to_end(key)
                    return self.data[key]
            value = target(*args, **kwargs)
            with self.lock:
                self.data[key] = value
                while len(self.data) > self.size:
                    self.data.popitem(last=False)
            return value

        return call


# --------------------------------------------------------------------------------------------
# Helpers for the templates
# --------------------------------------------------------------------------------------------


def _snippet(s: str | None) -> str:
    """A search snippet: escape the text, then turn the store's \\x02…\\x03 into <mark>."""
    import html

    from markupsafe import Markup

    e = html.escape(s or "", quote=False)
    e = e.replace("\x02", "<mark>").replace("\x03", "</mark>")
    # Unbalanced markers (a snippet cut mid-match) must not leave an open <mark>.
    opened = e.count("<mark>") - e.count("</mark>")
    if opened > 0:
        e += "</mark>" * opened
    return Markup(e)


def _url(path: str, params: dict[str, Any], **change: Any) -> str:
    merged = {**params, **change}
    kept = {k: v for k, v in merged.items() if v not in (None, "", [])}
    return path + ("?" + urlencode(kept, doseq=True) if kept else "")


def _pages(total: int, limit: int, offset: int) -> dict:
    return {
        "total": total,
        "first": offset + 1 if total else 0,
        "last": min(offset + limit, total),
        "prev": max(offset - limit, 0) if offset > 0 else None,
        "next": offset + limit if offset + limit < total else None,
    }


def _check_id(doc_id: str) -> str:
    if not DOC_ID.match(doc_id or ""):
        raise HTTPException(404, "No document with that id: ids are 16 hexadecimal characters.")
    return doc_id


def _facet_rows(values: Any) -> list[tuple[str, int]]:
    out = []
    for row in values or []:
        try:
            v, n = row[0], row[1]
        except (TypeError, IndexError, KeyError):
            continue
        if v is None or v == "":
            continue
        out.append((str(v), int(n)))
    return out


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        country_name=country_name,
        issue_label=issue_label,
        focus_label=focus_label,
        plover_class=plover_class,
        clarity_labels=CLARITY_LABELS,
        evasion_labels=EVASION_LABELS,
        snippet=_snippet,
        url=_url,
        share_bar=charts.share_bar,
    )
    env.filters["thousands"] = lambda n: f"{int(n or 0):,}"
    env.filters["issue"] = issue_label
    env.filters["country"] = country_name
    return env


# --------------------------------------------------------------------------------------------
# The app
# --------------------------------------------------------------------------------------------


def create_app(
    db_path: str | os.PathLike,
    *,
    token: str | None = None,
    allowed_hosts: list[str] | None = None,
    cache_size: int = 256,
    store_factory: Callable[[], Any] | None = None,
) -> FastAPI:
    """The web UI and HTTP API over the store at ``db_path`` (opened read-only).

    ``token`` (or ``$PODIUM_TOKEN`` when ``token`` is None) turns on ``POST /api/documents``,
    which then requires ``Authorization: Bearer <token>``. ``allowed_hosts`` limits the Host
    header a request may carry (``podium serve`` on 127.0.0.1 allows only local names, so a web
    page cannot reach the server through DNS rebinding). ``cache_size`` read results are kept
    until the database changes (0: none). ``store_factory`` replaces how a store is opened.
    """
    db_path = str(db_path)
    if token is None:
        token = os.environ.get("PODIUM_TOKEN") or None
    stores = Stores(db_path, store_factory, cache_size)
    env = _env()
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)  # compile now, not on the first request
    readers: OrderedDict[tuple, bytes] = OrderedDict()  # rendered reader pages
    readers_lock = threading.Lock()
    compare_cache: OrderedDict[tuple[str, str], tuple[dict, Any, Any]] = OrderedDict()
    compare_lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        warmer = None
        if cache_size and Path(db_path).is_file():
            warmer = threading.Thread(target=warm, name="podium-warm", daemon=True)
            warmer.start()
        yield
        if warmer is not None:
            warmer.join()  # closing the connection under a running query crashes SQLite
        stores.close()

    def warm() -> None:
        """Run the landing pages' corpus-wide queries once, in the background, so their first
        view is a cache hit (the same arguments as the pages use)."""
        try:
            store = stores.get()
            store.stats()
            store.documents(limit=50, offset=0, q=None)
            store.speakers(limit=300)
            store.relations(limit=RELATIONS_MAX)
            store.events(actor=None, issue=None, type=None, since=None, until=None, limit=500)
            store.sub_questions(addressee=None, clarity=None, evasion=None, issue=None,
                                doc_id=None, limit=PAGE_SIZE, offset=0)  # fmt: skip
        except Exception:  # noqa: BLE001 - a page will report the same problem with its sentence
            log.debug("warming the cache failed", exc_info=True)

    app = FastAPI(
        title="podium",
        summary="Press-conference transcripts as a structured, searchable record (podium/1).",
        version=_version(),
        docs_url=None,  # the Swagger and ReDoc pages load scripts from a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.db_path = db_path
    app.state.stores = stores
    app.state.uploads = bool(token)

    def body_limit(scope: dict) -> int:
        if token and scope.get("method") == "POST" and scope.get("path") == "/api/documents":
            return MAX_UPLOAD
        return MAX_BODY

    if allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(Guard, limit=body_limit)  # outermost: its headers go on every response
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    def page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        ctx.setdefault("nav", "")
        html = env.get_template(name).render(
            request=request,
            path=request.url.path,
            db_name=Path(db_path).name,
            uploads=bool(token),
            **ctx,
        )
        return HTMLResponse(html, status_code=status)

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"

    # -- errors ------------------------------------------------------------------------------
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
        if is_api(request):
            return JSONResponse(
                {"detail": detail}, status_code=exc.status_code, headers=exc.headers
            )
        if exc.status_code == 404 and detail == "Not Found":
            detail = "There is no page at this address."
        return page(request, "error.html", exc.status_code, message=detail, title="Not found"
                    if exc.status_code == 404 else "Error")  # fmt: skip

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(x) for x in first.get("loc", ())[1:]) or "request"
        message = f"The parameter {where!r} is not valid: {first.get('msg', 'invalid value')}."
        if is_api(request):
            return JSONResponse({"detail": message}, status_code=422)
        return page(request, "error.html", 400, message=message, title="Bad request")

    @app.exception_handler(PodiumError)
    async def podium_error(request: Request, exc: PodiumError):
        message = " ".join(str(exc).split())
        status = 400 if isinstance(exc, InputError) else 503
        if is_api(request):
            return JSONResponse({"detail": message}, status_code=status)
        return page(request, "error.html", status, message=message, title="Error")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        log.exception("%s %s failed", request.method, request.url.path)
        message = "Something went wrong on the server; the error is in its log."
        if is_api(request):
            return JSONResponse({"detail": message}, status_code=500)
        return page(request, "error.html", 500, message=message, title="Server error")

    # -- pages --------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request):
        st = stores.get().stats()
        top_issues = _facet_rows(st.get("top_issues"))[:12]
        top_places = _facet_rows(st.get("top_places"))[:12]
        return page(
            request,
            "home.html",
            nav="home",
            stats=st,
            month_chart=charts.month_bars(st.get("per_month") or []),
            top_issues=top_issues,
            top_places=top_places,
            issues_max=max([n for _, n in top_issues] or [1]),
            places_max=max([n for _, n in top_places] or [1]),
            recent=(st.get("recent") or [])[:12],
        )

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def documents_page(request: Request, q: Text = None, offset: Offset = 0):
        res = stores.get().documents(limit=50, offset=offset, q=q or None)
        params = {"q": q}
        return page(
            request,
            "documents.html",
            nav="documents",
            q=q or "",
            rows=res.get("rows") or [],
            pages=_pages(int(res.get("total") or 0), 50, offset),
            params=params,
        )

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str):
        _check_id(doc_id)
        key = (doc_id, stores.stamp())
        with readers_lock:
            if key in readers:
                readers.move_to_end(key)
                return HTMLResponse(readers[key])
        raw = stores.get().document_json(doc_id)
        if raw is None:
            raise HTTPException(404, "No document with that id in this database.")
        doc = json.loads(raw)
        response = page(
            request,
            "document.html",
            nav="documents",
            doc_id=doc_id,
            doc=doc,
            meta=doc.get("meta") or {},
            source=doc.get("source") or {},
            warnings=doc.get("warnings") or [],
            view=reader.build(doc),
        )
        if cache_size:
            with readers_lock:
                readers[key] = response.body
                while len(readers) > READER_CACHE:
                    readers.popitem(last=False)
        return response

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: QueryText = "",
        speaker: Text = None,
        role: Text = None,
        place: Text = None,
        issue: Text = None,
        since: Date = None,
        until: Date = None,
        year: Year = None,
        offset: Offset = 0,
    ):
        params = {"q": q, "speaker": speaker, "role": role, "place": place, "issue": issue,
                  "since": since, "until": until, "year": year}  # fmt: skip
        filters = {k: v for k, v in params.items() if k != "q" and v not in (None, "")}
        ctx: dict[str, Any] = {"nav": "search", "q": q, "params": params, "filters": filters}
        if not q.strip() and not filters:
            return page(request, "search.html", **ctx, res=None, error=None)
        try:
            res = stores.get().search(q, **filters, limit=PAGE_SIZE, offset=offset)
        except InputError as e:
            msg = " ".join(str(e).split())
            return page(request, "search.html", 400, **ctx, res=None, error=msg)
        facets = {k: _facet_rows(v)[:15] for k, v in (res.get("facets") or {}).items()}
        return page(
            request,
            "search.html",
            **ctx,
            res=res,
            error=None,
            hits=[_hit(h) for h in res.get("hits") or []],
            facets=facets,
            pages=_pages(int(res.get("total") or 0), PAGE_SIZE, offset),
        )

    @app.get("/qa", response_class=HTMLResponse, include_in_schema=False)
    def qa_page(
        request: Request,
        addressee: Text = None,
        clarity: Text = None,
        evasion: Text = None,
        issue: Text = None,
        doc: Annotated[str | None, Query(max_length=16)] = None,
        offset: Offset = 0,
    ):
        if doc:
            _check_id(doc)
        params = {"addressee": addressee, "clarity": clarity, "evasion": evasion, "issue": issue,
                  "doc": doc}  # fmt: skip
        res = stores.get().sub_questions(
            addressee=addressee or None,
            clarity=clarity or None,
            evasion=evasion or None,
            issue=issue or None,
            doc_id=doc or None,
            limit=PAGE_SIZE,
            offset=offset,
        )
        facets = {k: _facet_rows(v)[:25] for k, v in (res.get("facets") or {}).items()}
        return page(
            request,
            "qa.html",
            nav="qa",
            params=params,
            rows=[_qa_row(r) for r in res.get("rows") or []],
            facets=facets,
            pages=_pages(int(res.get("total") or 0), PAGE_SIZE, offset),
        )

    @app.get("/positions", response_class=HTMLResponse, include_in_schema=False)
    def positions_page(
        request: Request,
        actor: Text = None,
        issue: Text = None,
        type: Text = None,
        since: Date = None,
        until: Date = None,
        pair: Annotated[str | None, Query(max_length=20)] = None,
        focus: Text = None,
    ):
        store = stores.get()
        rels = store.relations(limit=RELATIONS_MAX)
        cells, evidence = _stance_cells(rels, pair, focus)
        events = store.events(
            actor=actor or None, issue=issue or None, type=type or None,
            since=since or None, until=until or None, limit=500,
        )  # fmt: skip
        events = [_event_row(e) for e in events]
        actors = Counter(e["source"] for e in events if e.get("source"))
        types = Counter(e["type"] for e in events if e.get("type"))
        params = {"actor": actor, "issue": issue, "type": type, "since": since, "until": until}
        return page(
            request,
            "positions.html",
            nav="positions",
            params=params,
            matrix=charts.stance_matrix(cells),
            n_relations=len(rels),
            pair=pair,
            focus=focus,
            evidence=evidence,
            timeline=charts.timeline(events),
            events=events[:100],
            n_events=len(events),
            actors=actors.most_common(12),
            types=sorted(types.items(), key=lambda kv: -kv[1]),
        )

    @app.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
    def speakers_page(request: Request, role: Text = None):
        rows = stores.get().speakers(limit=300)
        roles = Counter(r.get("role") or "other" for r in rows)
        if role:
            rows = [r for r in rows if (r.get("role") or "other") == role]
        rows = rows[:100]
        return page(
            request,
            "speakers.html",
            nav="speakers",
            rows=rows,
            role=role,
            roles=[(r, roles[r]) for r in ROLE_ORDER if roles.get(r)],
            words_max=max([int(r.get("words") or 0) for r in rows] or [1]) or 1,
        )

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(
        request: Request,
        a: Annotated[str | None, Query(max_length=16)] = None,
        b: Annotated[str | None, Query(max_length=16)] = None,
    ):
        recent = stores.get().documents(limit=100).get("rows") or []
        if not a or not b:
            return page(
                request, "compare.html", nav="compare", a=a, b=b, recent=recent, result=None
            )
        result, ta, tb = run_compare(_check_id(a), _check_id(b))
        from ..compare_view import _diff_rows

        return page(
            request,
            "compare.html",
            nav="compare",
            a=a,
            b=b,
            recent=recent,
            result=result,
            title_a=ta.meta.title or ta.source.name,
            title_b=tb.meta.title or tb.source.name,
            speakers_max=max([max(s["words_a"], s["words_b"]) for s in result["speakers"]] or [1])
            or 1,
            diff=_markup("".join(_diff_rows(result))),
        )

    def run_compare(a: str, b: str) -> tuple[dict, Any, Any]:
        from ..compare import compare
        from ..model import Transcript

        with compare_lock:
            hit = compare_cache.get((a, b))
            if hit:
                compare_cache.move_to_end((a, b))
                return hit
        store = stores.get()
        raw_a, raw_b = store.document_json(a), store.document_json(b)
        if raw_a is None or raw_b is None:
            raise HTTPException(404, "No document with that id in this database.")
        ta, tb = Transcript.from_json(raw_a), Transcript.from_json(raw_b)
        result = compare(ta, tb)
        with compare_lock:
            compare_cache[(a, b)] = (result, ta, tb)
            while len(compare_cache) > 8:
                compare_cache.popitem(last=False)
        return result, ta, tb

    # -- API ----------------------------------------------------------------------------------
    @app.get("/api/stats", tags=["corpus"], summary="The corpus at a glance")
    def api_stats() -> dict:
        return stores.get().stats()

    @app.get("/api/documents", tags=["documents"], summary="Documents, newest first")
    def api_documents(
        q: Text = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Offset = 0,
    ) -> dict:
        return stores.get().documents(limit=limit, offset=offset, q=q or None)

    @app.get(
        "/api/documents/{doc_id}.json",
        tags=["documents"],
        summary="One document's full podium/1 record",
        response_class=Response,
        responses={200: {"content": {"application/json": {}}}},
    )
    def api_document_json(doc_id: str, download: bool = False) -> Response:
        _check_id(doc_id)
        raw = stores.get().document_json(doc_id)
        if raw is None:
            raise HTTPException(404, "No document with that id in this database.")
        headers = {}
        if download:
            headers["content-disposition"] = f'attachment; filename="podium-{doc_id}.json"'
        return Response(raw, media_type="application/json", headers=headers)

    @app.get("/api/documents/{doc_id}", tags=["documents"], summary="One document's summary")
    def api_document(doc_id: str) -> dict:
        _check_id(doc_id)
        d = stores.get().document(doc_id)
        if d is None:
            raise HTTPException(404, "No document with that id in this database.")
        return d

    @app.get(
        "/api/documents/{doc_id}/exchanges",
        tags=["documents"],
        summary="One document's exchanges (questions, sub-questions and their answers)",
    )
    def api_document_exchanges(doc_id: str) -> list:
        _check_id(doc_id)
        raw = stores.get().document_json(doc_id)
        if raw is None:
            raise HTTPException(404, "No document with that id in this database.")
        return json.loads(raw).get("exchanges") or []

    @app.get("/api/search", tags=["search"], summary="Full-text search over sentences")
    def api_search(
        q: QueryText = "",
        speaker: Text = None,
        role: Text = None,
        place: Text = None,
        issue: Text = None,
        since: Date = None,
        until: Date = None,
        year: Year = None,
        limit: Annotated[int, Query(ge=0, le=100)] = 20,
        offset: Offset = 0,
    ) -> dict:
        """Phrases in double quotes, AND / OR / NOT, prefix*; a malformed query is a 400 with
        one sentence in ``detail``. Snippets mark matches with \\u0002 … \\u0003."""
        filters = {"speaker": speaker, "role": role, "place": place, "issue": issue,
                   "since": since, "until": until, "year": year}  # fmt: skip
        filters = {k: v for k, v in filters.items() if v not in (None, "")}
        if not q.strip() and not filters:
            raise HTTPException(400, "Give a query (q) or at least one filter.")
        return stores.get().search(q, **filters, limit=limit, offset=offset)

    @app.get(
        "/api/sub-questions",
        tags=["questions and answers"],
        summary="Every sub-question with its answers, filterable",
    )
    def api_sub_questions(
        addressee: Text = None,
        clarity: Text = None,
        evasion: Text = None,
        issue: Text = None,
        doc: Annotated[str | None, Query(max_length=16)] = None,
        limit: Annotated[int, Query(ge=0, le=500)] = 50,
        offset: Offset = 0,
    ) -> dict:
        if doc:
            _check_id(doc)
        return stores.get().sub_questions(
            addressee=addressee or None, clarity=clarity or None, evasion=evasion or None,
            issue=issue or None, doc_id=doc or None, limit=limit, offset=offset,
        )  # fmt: skip

    app.add_api_route(
        "/api/exchanges",
        api_sub_questions,
        methods=["GET"],
        tags=["questions and answers"],
        summary="Alias of /api/sub-questions",
    )

    @app.get("/api/events", tags=["positions"], summary="Events (PLOVER) across the corpus")
    def api_events(
        actor: Text = None,
        issue: Text = None,
        type: Text = None,
        since: Date = None,
        until: Date = None,
        limit: Annotated[int, Query(ge=1, le=2000)] = 500,
    ) -> list:
        return stores.get().events(
            actor=actor or None, issue=issue or None, type=type or None,
            since=since or None, until=until or None, limit=limit,
        )  # fmt: skip

    @app.get("/api/relations", tags=["positions"], summary="Stances between pairs of countries")
    def api_relations(limit: Annotated[int, Query(ge=1, le=2000)] = 500) -> list:
        return stores.get().relations(limit=limit)

    @app.get("/api/speakers", tags=["corpus"], summary="Speakers by words spoken")
    def api_speakers(limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list:
        return stores.get().speakers(limit=limit)

    @app.get("/api/compare", tags=["documents"], summary="Compare two stored documents")
    def api_compare(
        a: Annotated[str, Query(max_length=16)],
        b: Annotated[str, Query(max_length=16)],
    ) -> dict:
        """The ``podium-compare/1`` record of two versions of one event."""
        return run_compare(_check_id(a), _check_id(b))[0]

    if token:
        expected = f"Bearer {token}".encode()

        @app.post(
            "/api/documents",
            tags=["documents"],
            summary="Analyse and store one transcript (only when a token is set)",
            status_code=201,
        )
        async def api_upload(
            request: Request, name: Annotated[str, Query(max_length=200)] = "upload.txt"
        ) -> dict:
            """The request body is the file's bytes; ``name`` gives its file name (its format).
            Requires ``Authorization: Bearer <token>``."""
            given = request.headers.get("authorization", "").encode()
            if not hmac.compare_digest(given, expected):
                raise HTTPException(401, "A valid bearer token is required to upload.",
                                    headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
            data = await request.body()
            if not data:
                raise HTTPException(400, "The request body is empty: send the transcript's bytes.")
            from starlette.concurrency import run_in_threadpool

            return await run_in_threadpool(_ingest_bytes, db_path, data, Path(name).name)

    return app


def _ingest_bytes(db_path: str, data: bytes, name: str) -> dict:
    from .. import analyze
    from ..store import Store

    transcript = analyze(data, name=name, max_bytes=MAX_UPLOAD)
    with Store.open(db_path) as store:
        outcome = store.add(transcript, path=None)  # no path: an upload never replaces a file
    return {
        "id": transcript.source.sha256[:16],  # the store's id: the source bytes' sha256
        "outcome": outcome,
        "title": transcript.meta.title,
    }


def _markup(s: str):
    from markupsafe import Markup

    return Markup(s)


def _hit(h: dict) -> dict:
    return {
        **h,
        "sentence_id": reader.safe_id(h.get("sentence_id")),
        "snippet_html": _snippet(h.get("snippet") or h.get("text")),
    }


def _qa_row(r: dict) -> dict:
    anchor = reader.safe_id(r.get("sub_question_id")) or reader.safe_id(r.get("exchange_id"))
    answers = [{**a, "turn_id": reader.safe_id(a.get("turn_id"))} for a in r.get("answers") or []]
    return {**r, "anchor": anchor, "answers": answers}


def _event_row(e: dict) -> dict:
    return {**e, "sentence_id": reader.safe_id(e.get("sentence_id"))}


def _stance_cells(rels: list[dict], pair: str | None, focus: str | None):
    cells: dict[tuple[str, str], dict] = {}
    evidence = []
    for r in rels:
        actors = [a for a in (r.get("actors") or []) if a]
        if len(actors) != 2 or not r.get("focus"):
            continue
        key = ("-".join(sorted(actors)), str(r["focus"]))
        c = cells.setdefault(key, {"n": 0, "agree": 0, "disagree": 0, "mixed": 0})
        c["n"] += 1
        stance = r.get("stance")
        if stance in ("agree", "disagree", "mixed"):
            c[stance] += 1
        if pair and focus and key == (pair, focus):
            texts = r.get("texts") or []
            ids = r.get("evidence") or []
            evidence.append(
                {
                    "doc_id": r.get("doc_id"),
                    "date": r.get("date"),
                    "stance": stance,
                    "sentences": [
                        {"id": reader.safe_id(sid), "text": texts[i] if i < len(texts) else ""}
                        for i, sid in enumerate(ids)
                    ],
                }
            )
    for c in cells.values():
        if c["agree"] and not (c["disagree"] or c["mixed"]):
            c["stance"] = "agree"
        elif c["disagree"] and not (c["agree"] or c["mixed"]):
            c["stance"] = "disagree"
        else:
            c["stance"] = "mixed"
    return cells, evidence


def _version() -> str:
    try:
        from .. import __version__

        return __version__
    except ImportError:  # pragma: no cover
        return "0"
