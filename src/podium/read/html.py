"""HTML to transcript text: the article body, one paragraph per block, no site chrome.

Published transcript pages (state.gov, whitehouse.gov, kremlin.ru, mid.ru...) wrap a
few dozen ``<p>`` paragraphs in banners, menus, breadcrumbs, share buttons and
footers. This module finds the element holding most of the paragraph text, drops the
chrome around and inside it, and writes the text out as published transcripts are:
paragraphs separated by a blank line, inline markup (``<strong>SECRETARY:</strong>``)
kept on its line, ``<s>`` corrections kept literally as ``<s>...</s>``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

log = logging.getLogger(__name__)

__all__ = ["extract", "declared_charset", "looks_like_html"]

_HEAD_RE = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]|<p[\s>]", re.IGNORECASE)
_ANY_TAG_RE = re.compile(rb"<[a-zA-Z!/]")
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx")

# Never text: removed wherever they are.
_ALWAYS_DROP = frozenset(
    "script style noscript svg iframe template head button select option object embed "
    "canvas video audio map input textarea title meta link".split()
)
# Site chrome by tag: removed unless they hold the article body.
_CHROME_TAGS = frozenset("nav header footer aside form menu dialog".split())
# Chrome that never wraps an article, however much text it holds.
_NEVER_BODY = frozenset("nav footer aside navigation contentinfo complementary search".split())
_CHROME_ROLES = frozenset("navigation banner contentinfo complementary search menu menubar".split())
# Site chrome by class/id: a class or id part that starts with one of these.
_CHROME_WORDS = (
    "nav", "menu", "banner", "breadcrumb", "cookie", "footer", "header", "masthead",
    "share", "sharing", "social", "sidebar", "related", "skip", "toolbar", "subscribe",
    "newsletter", "promo", "advert", "sr-only", "visually-hidden", "visuallyhidden",
    "screen-reader", "print-only", "popup", "modal", "signup", "pagination", "pager",
    "tags", "topics",
)  # fmt: skip
# Likely article containers by class/id.
_CONTENT_RE = re.compile(
    r"(?:^|[-_ ])(?:content|entry|article|post|story|transcript|body|text|main|release|"
    r"speech|remarks|field-item|rich-text|richtext)(?:$|[-_ ])",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol "
    "p pre section summary table tbody thead tfoot tr ul caption legend".split()
)
_CELL_TAGS = frozenset(("td", "th"))
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_STRIKE_TAGS = frozenset(("s", "strike"))
_SPACE_RE = re.compile(r"[ \t\n\r\f\u00a0]+")
_RUN_RE = re.compile(r" {2,}")
_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_BR = "\n"  # a line break inside a paragraph


def looks_like_html(data: bytes, name: str) -> bool:
    """Content first: HTML markup near the start; then the extension (if any tag occurs)."""
    head = data[:4096].replace(b"\0", b"")
    if _HEAD_RE.search(head[:2048]):
        return True
    return name.lower().endswith(HTML_EXTENSIONS) and bool(_ANY_TAG_RE.search(head))


def declared_charset(data: bytes) -> str | None:
    """The charset a ``<meta charset>`` or ``http-equiv`` Content-Type declares, if any."""
    m = _CHARSET_RE.search(data[:8192])
    return m.group(1).decode("ascii", "replace") if m else None


def extract(html: str) -> tuple[str, dict[str, str]]:
    """The page's main text and its metadata hints (title, url, date, publisher)."""
    tree = LexborHTMLParser(html)
    hints = _meta_hints(tree)
    body = tree.body or tree.root
    if body is None:
        return "", hints
    p_len = _paragraph_lengths(body)
    container = _main_container(tree, body, _core_lengths(body, p_len) or p_len)
    title = _title_line(body, container, hints)
    paragraphs = _Writer(container, p_len).run()
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    return "\n\n".join(paragraphs), hints


# -- metadata ---------------------------------------------------------------------------


def _meta(tree: LexborHTMLParser, *keys: str) -> str:
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            node = tree.css_first(f'meta[{attr}="{key}"]')
            if node is not None:
                value = _clean(node.attributes.get("content") or "")
                if value:
                    return value
    return ""


def _iso_date(value: str) -> str:
    m = _DATE_RE.search(value)
    if not m:
        return ""
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return ""


def _meta_hints(tree: LexborHTMLParser) -> dict[str, str]:
    hints: dict[str, str] = {}
    title_node = tree.css_first("title")
    title = _meta(tree, "og:title", "twitter:title") or (
        _clean(title_node.text()) if title_node is not None else ""
    )
    if title:
        hints["title"] = title
    url = _meta(tree, "og:url")
    if not url:
        canonical = tree.css_first('link[rel="canonical"]')
        url = _clean(canonical.attributes.get("href") or "") if canonical is not None else ""
    if url:
        hints["url"] = url
    date = _iso_date(
        _meta(
            tree, "article:published_time", "datePublished", "date", "dcterms.date",
            "DC.date", "dc.date", "pubdate", "publish-date", "og:published_time",
        )
    )  # fmt: skip
    if not date:
        for node in tree.css("time[datetime]"):
            date = _iso_date(node.attributes.get("datetime") or "")
            if date:
                break
    if date:
        hints["date"] = date
    publisher = _meta(tree, "og:site_name", "publisher", "application-name")
    if publisher:
        hints["publisher"] = publisher
    return hints


def _clean(s: str) -> str:
    return _SPACE_RE.sub(" ", s).strip()


# -- choosing the article body ----------------------------------------------------------


def _attr_words(node: LexborNode) -> list[str]:
    attrs = node.attributes
    words = (attrs.get("class") or "").lower().split()
    ident = (attrs.get("id") or "").lower()
    if ident:
        words.append(ident)
    return words


def _is_chrome_attr(node: LexborNode) -> bool:
    attrs = node.attributes
    if (attrs.get("role") or "").lower() in _CHROME_ROLES:
        return True
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    if node.tag in _HEADINGS:
        return False  # <h1 class="entry-header__title"> is the title, not chrome
    for word in _attr_words(node):
        if word.startswith(_CHROME_WORDS):
            return True
        for part in re.split(r"[-_]+", word):
            if part and part.startswith(_CHROME_WORDS):
                return True
    return False


def _is_chrome(node: LexborNode) -> bool:
    return node.tag in _CHROME_TAGS or _is_chrome_attr(node)


def _never_body(node: LexborNode) -> bool:
    return (
        node.tag in _ALWAYS_DROP
        or node.tag in _NEVER_BODY
        or (node.attributes.get("role") or "").lower() in _NEVER_BODY
    )


def _paragraph_lengths(body: LexborNode) -> dict[int, int]:
    """Text length of each ``<p>`` outside what is never the body (nav, footer...), by id.

    Paragraphs in softer chrome (a ``<form>``, a "share" box) still count: ASP.NET
    pages wrap the whole article in a ``<form>``.
    """
    lengths: dict[int, int] = {}
    for p in body.css("p"):
        if not any(_never_body(node) for node in _ancestors(p)):
            lengths[p.mem_id] = len(p.text(deep=True).strip())
    return lengths


def _core_lengths(body: LexborNode, p_len: dict[int, int]) -> dict[int, int]:
    """``p_len`` without the paragraphs inside any chrome (banners, share boxes...)."""
    chrome: dict[int, bool] = {}
    core: dict[int, int] = {}
    for p in body.css("p"):
        if p.mem_id not in p_len:
            continue
        inside = False
        for node in _ancestors(p):
            flag = chrome.get(node.mem_id)
            if flag is None:
                flag = chrome[node.mem_id] = _is_chrome(node)
            if flag:
                inside = True
                break
        if not inside and p_len[p.mem_id]:
            core[p.mem_id] = p_len[p.mem_id]
    return core


def _p_text(node: LexborNode, p_len: dict[int, int]) -> int:
    if node.tag == "p":
        return p_len.get(node.mem_id, 0)
    return sum(p_len.get(p.mem_id, 0) for p in node.css("p"))


def _depth(node: LexborNode) -> int:
    depth = 0
    while node.parent is not None:
        node = node.parent
        depth += 1
    return depth


def _main_container(tree: LexborHTMLParser, body: LexborNode, p_len: dict[int, int]) -> LexborNode:
    """The tightest article-like element holding most of the page's paragraph text."""
    total = sum(p_len.values())
    if total == 0:
        return body
    seen: set[int] = set()
    candidates: list[LexborNode] = []
    for node in tree.css('article, main, [role="main"], [itemprop="articleBody"], [id], [class]'):
        if node.mem_id in seen:
            continue
        if node.tag in ("article", "main") or (node.attributes.get("role") or "") == "main":
            pass
        elif (node.attributes.get("itemprop") or "") == "articleBody":
            pass
        elif not any(_CONTENT_RE.search(word) for word in _attr_words(node)):
            continue
        if node.tag in _ALWAYS_DROP or node.tag == "p":
            continue
        seen.add(node.mem_id)
        candidates.append(node)
    # The deepest candidate with most of the text; then a wider candidate around it if
    # that holds markedly more (an article split by an inline box keeps both halves).
    sized = [(_depth(node), _p_text(node, p_len), node) for node in candidates]
    fitting = sorted(
        (item for item in sized if item[1] * 2 > total), key=lambda item: item[0], reverse=True
    )
    if not fitting:
        return body
    _, size, chosen = fitting[0]
    for _, wider_size, wider in fitting[1:]:
        if wider_size >= 1.3 * size:
            size, chosen = wider_size, wider
    return chosen


def _ancestors(node: LexborNode) -> list[LexborNode]:
    chain = []
    node = node.parent
    while node is not None and node.tag not in ("body", "html"):
        chain.append(node)
        node = node.parent
    return chain


def _page_header(node: LexborNode) -> bool:
    """A header inside ``<main>``/``<article>``: the page's own heading, not site chrome."""
    headerish = node.tag == "header" or any(
        part.startswith("header") for word in _attr_words(node) for part in re.split(r"[-_]+", word)
    )
    if not headerish or (node.attributes.get("role") or "").lower() in _CHROME_ROLES:
        return False
    return any(
        n.tag in ("main", "article") or (n.attributes.get("role") or "") == "main"
        for n in _ancestors(node)
    )


def _title_line(body: LexborNode, container: LexborNode, hints: dict[str, str]) -> str:
    """The page's ``<h1>`` when the walk will not write it: it goes first.

    The first ``<h1>`` outside site chrome is the title. If it lies in the article
    body it is written in its place; if it sits outside (a page header above the
    body) it is returned to lead the text. An ``<h1>`` inside chrome is used only if
    the page title repeats it (a site logo in an ``<h1>`` does not qualify).
    """
    holds_container = {n.mem_id for n in _ancestors(container)} | {container.mem_id}
    fallback = ""
    page_title = hints.get("title", "").lower()
    for h1 in body.css("h1"):
        text = _clean(h1.text(deep=True))
        if not text:
            continue
        chain = _ancestors(h1)
        inside = container.tag == "body" or any(n.mem_id == container.mem_id for n in chain)
        chrome = _is_chrome_attr(h1) or any(
            n.tag in _ALWAYS_DROP
            or (_is_chrome(n) and n.mem_id not in holds_container and not _page_header(n))
            for n in chain
        )
        if not chrome:
            return "" if inside else text
        if not fallback and len(text) > 12 and text.lower() in page_title:
            fallback = text
    return fallback


# -- writing the text -------------------------------------------------------------------


class _Writer:
    """Walks the container and writes paragraphs; one instance per extraction."""

    def __init__(self, root: LexborNode, p_len: dict[int, int]) -> None:
        self.root = root
        self.p_len = p_len
        # Chrome holding more than half the body's text is the body: it is kept.
        self.use_p = _p_text(root, p_len) > 0
        self.protect = self.weight(root) // 2
        self.paragraphs: list[str] = []
        self.buffer: list[str] = []

    def weight(self, node: LexborNode) -> int:
        if self.use_p:
            return _p_text(node, self.p_len)
        return len(node.text(deep=True, strip=True))

    def run(self) -> list[str]:
        # Iterative walk: (node, entering). Deep pages must not hit the recursion limit.
        stack: list[tuple[LexborNode, bool]] = [(self.root, True)]
        pre_depth = 0
        while stack:
            node, entering = stack.pop()
            tag = node.tag
            if tag == "-text":
                text = node.text_content or ""
                if pre_depth:
                    self.buffer.append(text.replace("\r\n", "\n").replace("\u00a0", " "))
                else:
                    self.buffer.append(_SPACE_RE.sub(" ", text))
                continue
            if tag is None or tag.startswith("-"):  # comments, doctype
                continue
            if not entering:
                if tag in _STRIKE_TAGS:
                    self.buffer.append("</s>")
                elif tag == "pre":
                    pre_depth -= 1
                    self.flush()
                elif tag in _BLOCK_TAGS:
                    self.flush()
                elif tag in _CELL_TAGS:
                    self.buffer.append(" ")
                continue
            if node is not self.root and self.dropped(node):
                continue
            if tag == "br":
                self.buffer.append(_BR)
                continue
            if tag == "pre":
                self.flush()
                pre_depth += 1
            elif tag in _BLOCK_TAGS:
                self.flush()
            elif tag in _STRIKE_TAGS:
                self.buffer.append("<s>")
            elif tag in ("img", "hr", "wbr"):
                continue
            stack.append((node, False))
            children = list(node.iter(include_text=True))
            for child in reversed(children):
                stack.append((child, True))
        self.flush()
        return self.paragraphs

    def dropped(self, node: LexborNode) -> bool:
        if node.tag in _ALWAYS_DROP:
            return True
        if not _is_chrome(node):
            return False
        if node.tag in _NEVER_BODY or (node.attributes.get("role") or "").lower() in _NEVER_BODY:
            return True
        # Never drop what holds the article body (ASP.NET wraps whole pages in <form>).
        return not (self.protect and self.weight(node) > self.protect)

    def flush(self) -> None:
        if not self.buffer:
            return
        raw = "".join(self.buffer)
        self.buffer = []
        lines = [_RUN_RE.sub(" ", line.replace("\t", " ")).strip(" ") for line in raw.split("\n")]
        text = "\n".join(lines).strip("\n")
        text = re.sub(r"\n{3,}", "\n\n", text)
        if text:
            self.paragraphs.append(text)
