"""The web UI and HTTP API (``podium serve``) over a small corpus, through FastAPI's TestClient."""

from __future__ import annotations

import json
import re
import warnings
from html.parser import HTMLParser

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("jinja2")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # Starlette's notice about httpx vs httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

import webcorpus  # noqa: E402
from podium.web import create_app  # noqa: E402
from podium.web.app import _snippet  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "corpus.db"
    ids = webcorpus.build(db)
    return db, ids


@pytest.fixture(scope="module")
def client(corpus):
    db, _ = corpus
    with TestClient(create_app(db, token="")) as c:
        yield c


@pytest.fixture(scope="module")
def ids(corpus):
    return corpus[1]


class Audit(HTMLParser):
    """Every tag and attribute of a page, to prove no transcript markup got through."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def audit(html: str) -> Audit:
    a = Audit()
    a.feed(html)
    return a


def assert_safe(html: str) -> None:
    a = audit(html)
    scripts = [attrs.get("src") for tag, attrs in a.tags if tag == "script"]
    assert scripts == ["/static/app.js"]
    assert not [t for t, _ in a.tags if t in ("img", "iframe", "object", "embed")]
    handlers = [(t, k) for t, attrs in a.tags for k in attrs if k.lower().startswith("on")]
    assert not handlers
    assert "<script>alert" not in html
    assert "javascript:" not in html


PAGES = [
    "/",
    "/documents",
    "/documents/{seed}",
    "/documents/{hostile}",
    "/documents/{unanswered}",
    "/search?q=Iran",
    "/search?q=alert",
    "/search?q=onerror",
    "/search?issue=arms_control",
    "/qa",
    "/qa?issue=sanctions",
    "/positions",
    "/positions?pair=RUS-USA&focus=arms_control",
    "/speakers",
    "/compare",
    "/compare?a={seed}&b={hostile}",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_safely(client, ids, path):
    r = client.get(path.format(**ids))
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert_safe(r.text)


def test_security_headers(client):
    for path in ("/", "/api/stats", "/static/style.css", "/no-such-page"):
        h = client.get(path).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"


def test_home_at_a_glance(client):
    r = client.get("/")
    assert re.search(r"<dt>documents</dt><dd>6</dd>", r.text)
    assert "Documents per month" in r.text and "<svg" in r.text
    assert "2019-05" in r.text  # a bar's tooltip
    assert "Recent documents" in r.text
    # the hostile title is shown, escaped
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in r.text


def test_reader_lays_out_the_transcript(client, ids):
    r = client.get(f"/documents/{ids['seed']}")
    html = r.text
    assert "Michael R. Pompeo And Sergey Lavrov" in html
    # the absent principal is called out at the top
    assert 'class="callout warning"' in html and "Sergey Lavrov is named in the title" in html
    # turns with speaker, role and country; sentences with anchors
    assert 'id="t1"' in html and 'id="s1"' in html
    assert 'class="role role-principal"' in html and ">USA<" in html
    # notes: sic marks styled as such
    assert 'class="note note-sic"' in html and "Prime*" in html
    # exchanges with clarity badges and the link to the download
    assert 'class="exchange" id="x1"' in html
    assert "clarity clarity-" in html
    assert f'href="/api/documents/{ids["seed"]}.json?download=true"' in html


def test_reader_unanswered_and_notes(client, ids):
    html = client.get(f"/documents/{ids['unanswered']}").text
    assert "Not answered by" in html
    assert "Ashish Jha" in html


def test_reader_events_and_chips(client, ids):
    html = client.get(f"/documents/{ids['hostile']}").text
    # the cue is highlighted, its evidence in the title; escaped
    mark = re.search(r'<mark class="ev ev-verbal-coop"[^>]*title="([^"]*)"', html)
    assert mark, "event cue not highlighted"
    assert "AGREE" in mark.group(1) and "USA → RUS" in mark.group(1)
    assert "&lt;script&gt;" in mark.group(1)
    assert 'class="chip place"' in html and 'class="chip issue"' in html
    assert 'class="note note-reaction"' in html  # (Laughter.)
    # the transcript's own markup is text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    # the stance in this document, with its evidence linked
    assert 'id="relations"' in html


def test_document_json_round_trip(client, ids, corpus):
    from podium.store import Store

    db, _ = corpus
    r = client.get(f"/api/documents/{ids['seed']}.json")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    with Store.open(db, readonly=True) as store:
        assert r.text == store.document_json(ids["seed"])
    assert json.loads(r.text)["schema"] == "podium/1"
    d = client.get(f"/api/documents/{ids['seed']}.json?download=true")
    assert "attachment" in d.headers["content-disposition"]
    summary = client.get(f"/api/documents/{ids['seed']}").json()
    assert summary["id"] == ids["seed"] and summary["date"] == "2019-05-14"
    xs = client.get(f"/api/documents/{ids['seed']}/exchanges").json()
    assert xs and xs[0]["id"] == "x1"


@pytest.mark.parametrize(
    "path",
    [
        "/documents/zzzz",
        "/documents/0123456789abcdef",
        "/documents/..%2f..%2fetc%2fpasswd",
        "/api/documents/0123456789ABCDEF.json",
        "/api/documents/0123456789abcdef",
        "/api/documents/../../etc/passwd",
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
        "/static/%2e%2e%2f%2e%2e%2fstore.py",
        "/no-such-page",
    ],
)
def test_not_found(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "def " not in r.text  # no source file leaked


def test_search_page(client, ids):
    r = client.get("/search?q=Iran")
    html = r.text
    assert "<mark>Iran</mark>" in html
    assert re.search(rf'href="/documents/{ids["seed"]}#s\d+"', html)
    for facet in ("Speaker", "Role", "Year"):
        assert f"<h3>{facet}</h3>" in html
    # a facet narrows the hits and shows as a removable filter
    narrowed = client.get("/search?q=Iran&role=journalist").text
    assert "role: journalist" in narrowed
    n_all = int(re.search(r'id="hitcount">(\d+)', html).group(1))
    n_role = int(re.search(r'id="hitcount">(\d+)', narrowed).group(1))
    assert 0 < n_role < n_all


def test_search_hostile_snippet_is_escaped(client):
    html = client.get('/search?q="onerror"').text
    assert "<mark>onerror</mark>" in html
    assert "&lt;img src=x <mark>onerror</mark>=alert(2)&gt;" in html


def test_malformed_query(client):
    r = client.get('/search?q="New START')
    assert r.status_code == 400
    assert 'class="callout error"' in r.text and "unclosed quote" in r.text
    api = client.get('/api/search?q="New START')
    assert api.status_code == 400
    detail = api.json()["detail"]
    assert "unclosed quote" in detail and "\n" not in detail
    assert client.get("/api/search?q=Iran AND").status_code == 400
    assert client.get("/api/search").status_code == 400  # neither query nor filter


def test_search_api(client, ids):
    r = client.get("/api/search", params={"q": "Iran", "limit": 3})
    body = r.json()
    assert body["total"] >= 3 and len(body["hits"]) == 3
    hit = body["hits"][0]
    assert {"doc_id", "sentence_id", "speaker", "snippet", "title", "date"} <= set(hit)
    assert set(body["facets"]) == {"speaker", "role", "place", "issue", "year"}
    years = client.get("/api/search", params={"q": "Iran", "year": 2020}).json()
    assert all(h["date"].startswith("2020") for h in years["hits"])


@pytest.mark.parametrize(
    "query",
    [
        "limit=100000&q=Iran",
        "limit=-1&q=Iran",
        "offset=-5&q=Iran",
        "year=20190&q=Iran",
        "since=yesterday&q=Iran",
        "q=" + "a" * 600,
    ],
)
def test_parameters_are_bounded(client, query):
    assert client.get(f"/api/search?{query}").status_code == 422
    if "limit" not in query:  # the page has no limit parameter
        page = client.get(f"/search?{query}")
        assert page.status_code == 400 and 'class="callout error"' in page.text


def test_qa_explorer(client, ids):
    html = client.get("/qa").text
    assert "sub-question" in html and "Not answered by" in html
    assert "<h3>Clarity</h3>" in html and "<h3>Evasion</h3>" in html
    r = client.get("/qa?clarity=clear_non_reply").text
    badges = re.findall(r'class="clarity (clarity-\w+)"', r)
    assert badges and "clarity-clear_non_reply" in badges
    n = int(re.search(r'id="qacount">(\d+)', r).group(1))
    n_all = int(re.search(r'id="qacount">(\d+)', html).group(1))
    assert 0 < n < n_all
    one = client.get(f"/qa?doc={ids['unanswered']}").text
    assert f'href="/documents/{ids["unanswered"]}#x' in one
    assert client.get("/qa?doc=nothex").status_code == 404
    issue = client.get("/qa?issue=sanctions").text
    assert int(re.search(r'id="qacount">(\d+)', issue).group(1)) >= 1


def test_qa_api(client, ids):
    body = client.get("/api/sub-questions", params={"addressee": "Jha"}).json()
    assert body["total"] >= 1
    assert all("Ashish Jha" in r["addressees"] for r in body["rows"])
    assert client.get("/api/exchanges", params={"doc": ids["seed"]}).json()["total"] >= 1


def test_positions(client, ids):
    html = client.get("/positions").text
    assert "RUS-USA" in html  # the stance matrix row
    assert 'href="/positions?pair=RUS-USA&amp;focus=arms_control#evidence"' in html
    cell = client.get("/positions?pair=RUS-USA&focus=arms_control").text
    assert f'href="/documents/{ids["hostile"]}#s' in cell
    # the timeline links each dot to its sentence
    assert re.search(rf'<a href="/documents/{ids["hostile"]}#s\d+"><circle', html)
    events = client.get("/api/events", params={"actor": "RUS"}).json()
    assert any(e["cue"] == webcorpus.HOSTILE_CUE for e in events)
    rels = client.get("/api/relations").json()
    assert any(r["focus"] == "arms_control" for r in rels)


def test_speakers(client):
    html = client.get("/speakers").text
    assert "Michael R. Pompeo" in html and "<svg" in html
    assert client.get("/speakers?role=journalist").status_code == 200
    body = client.get("/api/speakers").json()
    assert body and {"key", "name", "role", "documents", "turns", "words"} <= set(body[0])


def test_compare(client, ids):
    html = client.get(f"/compare?a={ids['seed']}&b={ids['hostile']}").text
    assert 'class="diff"' in html and "confidence" in html
    assert client.get(f"/compare?a={ids['seed']}&b=nothex").status_code == 404
    record = client.get("/api/compare", params={"a": ids["seed"], "b": ids["seed"]}).json()
    assert record["schema"] == "podium-compare/1"
    assert record["summary"]["turns_only_a"] == 0


def test_api_and_openapi(client):
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 6
    docs = client.get("/api/documents", params={"limit": 2}).json()
    assert docs["total"] == 6 and len(docs["rows"]) == 2
    spec = client.get("/openapi.json").json()
    for path in ("/api/stats", "/api/documents", "/api/documents/{doc_id}.json", "/api/search",
                 "/api/sub-questions", "/api/events", "/api/relations", "/api/speakers"):  # fmt: skip
        assert path in spec["paths"], path
    # the Swagger page would load scripts from a CDN: it is off
    assert client.get("/docs").status_code == 404


def test_read_only_by_default(client):
    r = client.post("/api/documents", content=b"MR. X: Hello.")
    assert r.status_code == 405
    assert "post" not in client.get("/openapi.json").json()["paths"]["/api/documents"]


def test_request_size_is_limited(client):
    big = b"x" * (65 * 1024)
    assert client.post("/api/documents", content=big).status_code == 413


def test_streamed_upload_is_limited(corpus, monkeypatch):
    from podium.web import app as web_app

    monkeypatch.setattr(web_app, "MAX_UPLOAD", 4096)

    def chunks():  # no Content-Length: the limit holds while the body streams in
        for _ in range(8):
            yield b"y" * 1024

    with TestClient(create_app(corpus[0], token="s3cret")) as c:
        r = c.post("/api/documents", content=chunks(), headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 413


def test_uploads_need_the_token(corpus, tmp_path):
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(corpus[0], db)
    text = webcorpus.UNANSWERED.read_bytes().replace(b"Trevor", b"Trevor Hunnicutt")
    with TestClient(create_app(db, token="s3cret")) as c:
        assert c.post("/api/documents", content=text).status_code == 401
        bad = c.post("/api/documents", content=text, headers={"Authorization": "Bearer nope"})
        assert bad.status_code == 401
        ok = c.post(
            "/api/documents?name=upload.txt",
            content=text,
            headers={"Authorization": "Bearer s3cret"},
        )
        assert ok.status_code == 201, ok.text
        doc_id = ok.json()["id"]
        assert ok.json()["outcome"] == "added"
        assert c.get(f"/api/documents/{doc_id}").status_code == 200
        assert c.get("/api/stats").json()["documents"] == 7
        assert "uploads on" in c.get("/").text


def test_missing_database(tmp_path):
    with TestClient(create_app(tmp_path / "none.db", token="")) as c:
        r = c.get("/")
        assert r.status_code == 503
        assert "podium ingest" in r.text
        assert c.get("/api/stats").status_code == 503


def test_snippet_markers():
    assert _snippet("a \x02<b>\x03 c") == "a <mark>&lt;b&gt;</mark> c"
    assert _snippet("cut \x02mid") == "cut <mark>mid</mark>"
    assert _snippet(None) == ""


def test_serve_command(tmp_path, monkeypatch, corpus):
    import typer
    from typer.testing import CliRunner

    from podium import cli_web

    app = typer.Typer()
    cli_web.register(app)

    @app.command("other")
    def _other() -> None:  # a second command, so Typer keeps `serve` as a subcommand
        pass

    runner = CliRunner()
    help_text = runner.invoke(app, ["serve", "--help"]).output
    assert "--db" in help_text and "--host" in help_text and "--port" in help_text
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PODIUM_DB", raising=False)
    missing = runner.invoke(app, ["serve"])
    assert missing.exit_code == 2
    assert "no podium database at podium.db" in missing.output
    calls = {}
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.update(kw))
    monkeypatch.setenv("PODIUM_DB", str(corpus[0]))
    ok = runner.invoke(app, ["serve", "--port", "8123"])
    assert ok.exit_code == 0, ok.output
    assert f"serving {corpus[0]} at http://127.0.0.1:8123/" in ok.output
    assert calls["host"] == "127.0.0.1" and calls["port"] == 8123


def test_allowed_hosts(corpus):
    app = create_app(corpus[0], token="", allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/stats").status_code == 200
        rebound = c.get("/api/stats", headers={"host": "evil.example:8000"})
        assert rebound.status_code == 400
        assert rebound.headers["x-content-type-options"] == "nosniff"
