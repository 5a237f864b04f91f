"""Real-browser tests of the web UI: Playwright drives the system's Chromium (headless).

Nothing downloads a browser: the tests use Debian's ``/usr/bin/chromium`` (or ``$PODIUM_CHROMIUM``,
or whatever ``chromium``/``google-chrome`` is on PATH) through ``executable_path``. Without a
Chromium or the ``playwright`` package they skip, unless ``PODIUM_REQUIRE_BROWSER=1`` (CI), which
turns the skip into a failure. Screenshots go to ``$PODIUM_ARTIFACTS`` (default
``test-artifacts/browser/`` at the repository root), one per page and width.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

import webcorpus

REQUIRED = os.environ.get("PODIUM_REQUIRE_BROWSER", "").lower() not in ("", "0", "false", "no")
ARTIFACTS = Path(
    os.environ.get("PODIUM_ARTIFACTS")
    or Path(__file__).resolve().parent.parent / "test-artifacts" / "browser"
)


def _missing(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (PODIUM_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(reason)


def _chromium() -> str | None:
    given = os.environ.get("PODIUM_CHROMIUM")
    if given:
        return given if Path(given).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    for path in ("/usr/bin/chromium", "/usr/lib/chromium/chromium"):
        if Path(path).is_file():
            return path
    return None


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    for mod in ("fastapi", "uvicorn", "jinja2"):
        try:
            __import__(mod)
        except ImportError:
            _missing(f"{mod} is not installed")
    exe = _chromium()
    if exe is None:
        _missing("no Chromium found (apt-get install chromium, or set PODIUM_CHROMIUM)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):
    import uvicorn

    from podium.web import create_app

    db = tmp_path_factory.mktemp("browser") / "corpus.db"
    ids = webcorpus.build(db)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(db, token=""), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield f"http://127.0.0.1:{port}", ids
    server.should_exit = True
    thread.join(timeout=10)


class Watch:
    """Console errors (a CSP violation is one), page errors and dialogs (an alert() would be)."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on(
            "console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}")
        )
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("dialog", self._dialog)

    def _dialog(self, d):
        self.problems.append(f"dialog: {d.message}")
        d.dismiss()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.watch = Watch(pg)
    yield pg
    context.close()


def shot(page, name: str, full: bool = True) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def test_home(site, page):
    base, _ = site
    page.goto(base + "/")
    assert page.inner_text("h1") == "The corpus at a glance"
    assert page.locator("svg.chart rect.bar").count() >= 3
    assert page.locator("ul.docs li").count() == 6
    shot(page, "home")
    assert not page.watch.problems


def test_search_then_read_the_hit(site, page):
    base, ids = site
    page.goto(base + "/")
    page.fill("form.quick input[name=q]", "Iran")
    with page.expect_navigation():
        page.press("form.quick input[name=q]", "Enter")
    assert "/search?q=Iran" in page.url
    assert page.locator("li.hit").count() >= 5
    assert page.locator("li.hit mark").first.inner_text().lower() == "iran"
    shot(page, "search")
    # a facet narrows the hits
    with page.expect_navigation():
        page.click(".facet li a:text-is('journalist')")
    assert "role=journalist" in page.url
    shot(page, "search-facet")
    # follow a hit into the reader: the sentence is the target and in view
    link = page.locator("li.hit .hitmeta a").first
    href = link.get_attribute("href")
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(href)
    sentence_id = href.split("#", 1)[1]
    assert (
        page.evaluate("document.querySelector(':target') && document.querySelector(':target').id")
        == sentence_id
    )
    target = page.locator(f"[id='{sentence_id}']")
    assert target.is_visible() and "iran" in target.inner_text().lower()
    assert page.evaluate(
        "(() => { const r = document.querySelector(':target').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; })()"
    )
    shot(page, "reader-at-hit", full=False)
    assert not page.watch.problems


def test_malformed_query(site, page):
    base, _ = site
    r = page.goto(base + '/search?q="New START')
    assert r.status == 400
    assert "unclosed quote" in page.inner_text(".callout.error")
    assert not [p for p in page.watch.problems if "dialog" in p or "page error" in p]


def test_reader(site, page):
    base, ids = site
    page.goto(f"{base}/documents/{ids['seed']}")
    assert "Sergey Lavrov is named in the title" in page.inner_text(".callout.warning")
    assert page.locator("section.turn").count() >= 5
    assert page.locator(".note-sic").count() >= 1
    assert page.locator("aside.exchange").count() == 4
    assert page.locator("aside.exchange .clarity").count() >= 1
    shot(page, "reader")
    # the labels can be hidden (the script runs under the CSP)
    page.check("#toggle-chips") if not page.is_checked("#toggle-chips") else None
    page.click("nav.side details.legend summary")
    page.uncheck("#toggle-chips")
    assert "nochips" in (page.get_attribute("body", "class") or "")
    page.check("#toggle-chips")
    assert not page.watch.problems


def test_hostile_transcript_stays_text(site, page):
    base, ids = site
    page.goto(f"{base}/documents/{ids['hostile']}")
    body = page.inner_text("#transcript")
    assert "<script>alert(1)</script>" in body
    assert "<img src=x onerror=alert(2)> is not a picture" in body
    assert (
        page.locator("#transcript img, #transcript script, #transcript b[onmouseover]").count() == 0
    )
    # the event's evidence shows on focus (a tap on a phone)
    mark = page.locator("#transcript mark.ev").first
    assert "AGREE" in (mark.get_attribute("title") or "")
    mark.focus()
    shot(page, "reader-event", full=False)
    assert (
        "Not answered by" in page.inner_text("#transcript")
        or page.locator("aside.exchange").count() >= 1
    )
    page.goto(base + '/search?q="onerror"')
    page.goto(base + "/search?q=alert")
    page.goto(base + "/qa")
    page.goto(base + "/positions")
    assert not page.watch.problems  # no alert() fired anywhere


def test_qa_explorer_filters(site, page):
    base, _ = site
    page.goto(base + "/qa")
    total = int(page.inner_text("#qacount").split()[0])
    with page.expect_navigation():
        page.select_option("select[name=clarity]", "clear_non_reply")  # submits on change
    assert "clarity=clear_non_reply" in page.url
    filtered = int(page.inner_text("#qacount").split()[0])
    assert 0 < filtered < total
    badges = page.locator("li.qarow .clarity").all_inner_texts()
    assert badges and any("clear non-reply" in b for b in badges)
    shot(page, "qa-filtered")
    with page.expect_navigation():
        page.click(".facet li a:text-is('declining to answer')")
    assert "evasion=declining_to_answer" in page.url
    assert page.locator("li.qarow").count() >= 1
    # follow a sub-question into its document
    link = page.locator("li.qarow .hitmeta a").first
    with page.expect_navigation():
        link.click()
    assert page.evaluate("document.querySelector(':target') !== null")
    assert not page.watch.problems


def test_other_pages(site, page):
    base, ids = site
    for name, path in (
        ("positions", "/positions"),
        ("positions-cell", "/positions?pair=RUS-USA&focus=arms_control"),
        ("speakers", "/speakers"),
        ("documents", "/documents"),
        ("compare", f"/compare?a={ids['seed']}&b={ids['hostile']}"),
    ):
        r = page.goto(base + path)
        assert r.status == 200, path
        shot(page, name)
    # speakers: "on what" is filled in from the search API
    page.goto(base + "/speakers")
    page.wait_for_selector("td.onwhat .topics .chip")
    row = page.locator("tr", has=page.locator("text=Julianne Smith"))
    row.locator(".topics .chip.issue").first.wait_for()
    assert "arms control" in row.locator(".topics").inner_text()
    shot(page, "speakers")
    page.goto(base + "/positions")
    assert page.locator("svg.matrix a").count() >= 1
    assert page.locator("svg.timeline circle").count() >= 1
    assert not page.watch.problems


def test_phone_width(site, browser):
    base, ids = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    try:
        for name, path in (
            ("home", "/"),
            ("reader", f"/documents/{ids['seed']}"),
            ("search", "/search?q=Iran"),
            ("qa", "/qa"),
        ):
            pg.goto(base + path)
            overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at phone width"
            shot(pg, f"phone-{name}", full=False)
    finally:
        context.close()
