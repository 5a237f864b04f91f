"""Views of a ``podium-compare/1`` record: the terminal (Rich), a self-contained HTML report,
and ``run_compare()``, the body of ``podium compare A B [--json] [--html OUT] [--strict]``.

Both views read the record alone (plus the two transcripts for titles): every sentence record
carries its text, its turn and the character spans of its word operations, so a turn is drawn
by walking its sentence records in order.
"""

from __future__ import annotations

import html
import json
import logging
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from . import analyze
from .compare import compare
from .errors import InputError
from .knowledge import Knowledge
from .model import Transcript

log = logging.getLogger(__name__)

MAX_TURN_BLOCKS = 200  # the terminal stops after this many changed turns (--html shows all)
PREVIEW_CHARS = 240  # text shown of a turn found in one version only
BAR_WIDTH = 20


# --------------------------------------------------------------------------------------------
# run_compare: what the CLI command does
# --------------------------------------------------------------------------------------------


def run_compare(
    path_a: str | os.PathLike,
    path_b: str | os.PathLike,
    *,
    as_json: bool = False,
    html: Path | None = None,
    strict: bool = False,
    console: Console | None = None,
    knowledge: Knowledge | None = None,
) -> int:
    """Analyse and compare two files; print the summary and diff (or the JSON record) and write
    the HTML report when asked. Returns the exit code (0). Raises ``InputError`` with one clear
    sentence when a file is missing, empty, binary or unreadable, or the report cannot be written."""
    console = console or Console(highlight=False)
    a = _read(path_a, "A", knowledge)
    b = _read(path_b, "B", knowledge)
    result = compare(a, b, strict=strict, knowledge=knowledge)
    if html is not None:
        write_html(result, a, b, html)
    if as_json:
        console.file.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        render(result, console)
        if html is not None:
            console.print(f"[dim]Side-by-side report written to {escape(str(html))}[/]")
    return 0


def _read(path: str | os.PathLike, side: str, knowledge: Knowledge | None) -> Transcript:
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p} is a directory: pass one transcript file as {side}.")
    if not p.exists():
        raise InputError(f"{p} does not exist: check the path given as {side}.")
    return analyze(p, knowledge=knowledge)


# --------------------------------------------------------------------------------------------
# Walking the record
# --------------------------------------------------------------------------------------------


def _sentences_by_turn(result: dict) -> tuple[dict, dict]:
    """Sentence records of each A turn and of each B turn, in reading order of that version."""
    by_a: dict[str | None, list[dict]] = defaultdict(list)
    by_b: dict[str | None, list[dict]] = defaultdict(list)
    for rec in result["sentences"]:
        if rec["a"] is not None:
            by_a[rec["a_turn"]].append(rec)
        if rec["b"] is not None:
            by_b[rec["b_turn"]].append(rec)
    for recs in by_a.values():
        recs.sort(key=lambda r: r["a_index"])
    for recs in by_b.values():
        recs.sort(key=lambda r: r["b_index"])
    return by_a, by_b


def _pieces(rec: dict, side: str) -> Iterable[tuple[str, str]]:
    """(text, kind) pieces of one side of a sentence record; kind: same, del, ins, gone, new,
    moved."""
    text = rec[side]
    status = rec["status"]
    if status == "only_a":
        yield text, "gone"
        return
    if status == "only_b":
        yield text, "new"
        return
    if rec.get("moved"):
        yield text, "moved"
        return
    if status == "same" or not rec["ops"]:
        yield text, "same"
        return
    pos = 0
    mark = "del" if side == "a" else "ins"
    for op in rec["ops"]:
        start, end = op[side + "_span"]
        if start > pos:
            yield text[pos:start], "same"
        if end > start:
            yield text[start:end], mark
        pos = max(pos, end)
    if pos < len(text):
        yield text[pos:], "same"


def _label(turn: dict, side: str) -> str:
    label = turn["label_" + side]
    speaker = turn["speaker_" + side]
    if label and speaker and speaker.casefold() != label.casefold():
        return f"{label} ({speaker})"
    return label or speaker or "(no speaker label)"


# --------------------------------------------------------------------------------------------
# Terminal
# --------------------------------------------------------------------------------------------

_STYLE = {
    "same": "",
    "del": "bold red strike",
    "ins": "bold green",
    "gone": "red",
    "new": "green",
    "moved": "blue",
}


def render(result: dict, console: Console) -> None:
    """Summary (headline, confidence, speakers) and a coloured diff by turn."""
    s = result["summary"]
    a, b = result["a"], result["b"]
    console.print(f"[bold]A[/] {escape(a['name'])}   [bold]B[/] {escape(b['name'])}")
    style = "green" if result["headline"].startswith("No differences") else "yellow"
    console.print(f"[bold {style}]{escape(result['headline'])}[/]")
    if result.get("warning"):
        console.print(f"[bold red]Warning:[/] {escape(result['warning'])}")
    console.print(
        f"[dim]confidence {result['confidence']:.0%} · words A {s['words_a']:,} B {s['words_b']:,} · "
        f"turns only in A {s['turns_only_a']}, only in B {s['turns_only_b']} · "
        f"sentences changed {s['sentences_changed']}, only in A {s['sentences_only_a']}, "
        f"only in B {s['sentences_only_b']}, moved {s['sentences_moved']} · "
        f"labels changed {s['labels_changed']}"
        + (
            f" · {s['formatting_only']} formatting-only (--strict shows them)"
            if s["formatting_only"]
            else ""
        )
        + "[/]"
    )
    table = Table(title="Words by speaker", title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("speaker")
    table.add_column("words A", justify="right")
    table.add_column("words B", justify="right")
    table.add_column("kept", justify="right")
    table.add_column("")
    for sp in result["speakers"]:
        filled = round(sp["kept"] * BAR_WIDTH) if sp["words_a"] else 0
        bar = Text("█" * filled, style="green") + Text(
            "░" * (BAR_WIDTH - filled), style="red" if sp["words_a"] else "dim"
        )
        kept = f"{sp['kept']:.0%}" if sp["words_a"] else "new"
        table.add_row(escape(sp["name"]), f"{sp['words_a']:,}", f"{sp['words_b']:,}", kept, bar)
    console.print(table)
    _render_turns(result, console)


def _render_turns(result: dict, console: Console) -> None:
    by_a, by_b = _sentences_by_turn(result)
    shown = 0
    unchanged = 0
    seen: set[int] = set()  # sentence records already drawn (a turn split in two is drawn once)
    for turn in [_outside_turns(result), *result["turns"]]:
        if turn is None:
            continue
        if turn["status"] == "same":
            unchanged += 1
            continue
        recs = _turn_records(turn, by_a, by_b, seen)
        if (
            turn["status"] == "changed"
            and not recs
            and not turn["label_changed"]
            and not turn.get("label_lost")
        ):
            unchanged += 1
            continue
        if shown >= MAX_TURN_BLOCKS:
            rest = sum(1 for t in result["turns"] if t["status"] != "same") - shown
            console.print(
                f"[dim]… {rest:,} more changed turns: --html or --json shows them all.[/]"
            )
            return
        if unchanged:
            console.print(
                f"[dim]  … {unchanged:,} unchanged turn{'s' if unchanged != 1 else ''} …[/]"
            )
            unchanged = 0
        shown += 1
        _render_turn(turn, recs, console)
    if unchanged:
        console.print(f"[dim]  … {unchanged:,} unchanged turn{'s' if unchanged != 1 else ''} …[/]")


def _outside_turns(result: dict) -> dict | None:
    """A pseudo turn for text outside any speaker turn (headers, datelines) when it differs."""
    differs = any(
        r["status"] != "same" and r["a_turn"] is None and r["b_turn"] is None
        for r in result["sentences"]
    )
    if not differs:
        return None
    return {
        "status": "changed", "a": None, "b": None, "label_a": None, "label_b": None,
        "speaker_a": "text outside speaker turns", "speaker_b": "text outside speaker turns",
        "label_changed": False, "speaker_changed": False, "label_lost": None, "moved": False,
        "words_a": 0, "words_b": 0, "similarity": 0.0, "outside": True,
    }  # fmt: skip


def _turn_records(turn: dict, by_a: dict, by_b: dict, seen: set[int]) -> list[dict]:
    """The sentence records to draw under a turn: its A sentences, then B sentences found in
    B only; each record once."""
    recs = []
    if turn.get("outside") or turn["a"] is not None:
        recs.extend(by_a.get(turn["a"], []))
    if turn.get("outside") or turn["b"] is not None:
        recs.extend(r for r in by_b.get(turn["b"], []) if r["a"] is None or turn["a"] is None)
    out = []
    for r in recs:
        if id(r) not in seen:
            seen.add(id(r))
            out.append(r)
    if turn["status"] == "changed":
        out = [r for r in out if r["status"] != "same" or r.get("moved")]
    return out


def _render_turn(turn: dict, recs: list[dict], console: Console) -> None:
    status = turn["status"]
    if status == "only_a":
        head = Text(
            f"− only in A  {_label(turn, 'a')}  ({turn['words_a']:,} words)", style="bold red"
        )
    elif status == "only_b":
        head = Text(
            f"+ only in B  {_label(turn, 'b')}  ({turn['words_b']:,} words)", style="bold green"
        )
    elif turn["label_changed"] or turn.get("label_lost"):
        head = Text(f"~ {_label(turn, 'a')}  →  {_label(turn, 'b')}", style="bold yellow")
    else:
        head = Text(
            f"~ {_label(turn, 'a') if turn['a'] or turn.get('outside') else _label(turn, 'b')}",
            style="bold",
        )
    if turn.get("moved"):
        head.append("  (moved)", style="blue")
    console.print(head)
    if status in ("only_a", "only_b"):
        side = status[-1]
        text = " ".join(r[side] for r in recs)
        more = "…" if len(text) > PREVIEW_CHARS else ""
        console.print(
            Text(
                "    " + text[:PREVIEW_CHARS] + more,
                style="dim " + ("red" if side == "a" else "green"),
            )
        )
        return
    k = 0
    while k < len(recs):
        r = recs[k]
        if r.get("moved"):  # a run of moved sentences is one passage: one line
            run = [r]
            while (
                k + 1 < len(recs)
                and recs[k + 1].get("moved")
                and recs[k + 1]["b_index"] == run[-1]["b_index"] + 1
            ):
                k += 1
                run.append(recs[k])
            text = " ".join(x["a"] for x in run)
            more = "…" if len(text) > PREVIEW_CHARS else ""
            where = f"moved, {len(run)} sentence{'s' if len(run) != 1 else ''}, in B's turn {run[0]['b_turn']}: "
            console.print(
                Text("    ↷ " + where, style="bold blue")
                + Text(text[:PREVIEW_CHARS] + more, style="blue")
            )
        elif r["status"] == "only_a":
            console.print(Text("    − ", style="red") + Text(r["a"], style="red"))
        elif r["status"] == "only_b":
            console.print(Text("    + ", style="green") + Text(r["b"], style="green"))
        else:
            console.print(Text("    − ", style="red") + _styled(r, "a"))
            console.print(Text("    + ", style="green") + _styled(r, "b"))
        k += 1


def _styled(rec: dict, side: str) -> Text:
    out = Text()
    for piece, kind in _pieces(rec, side):
        out.append(piece, style=_STYLE[kind])
    return out


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d232a;background:#fafafa}
header{padding:1.2em 2em;background:#fff;border-bottom:1px solid #ddd}
h1{font-size:1.3em;margin:.2em 0}
.headline{font-size:1.15em;font-weight:600;margin:.4em 0}
.warning{background:#fde8e8;border-left:4px solid #c0392b;padding:.5em 1em;margin:.6em 0}
.meta{color:#555;font-size:.9em}
.meta code{font-size:.85em}
section{padding:1em 2em}
table.sum{border-collapse:collapse;margin:.5em 0}
table.sum td,table.sum th{padding:.2em .8em;text-align:right;border-bottom:1px solid #eee}
table.sum th:first-child,table.sum td:first-child{text-align:left}
table.diff{width:100%;border-collapse:collapse;table-layout:fixed;background:#fff}
table.diff td{vertical-align:top;padding:.5em .8em;border-top:1px solid #e4e4e4;width:50%}
table.diff th{text-align:left;padding:.5em .8em;background:#f0f0f0;position:sticky;top:0}
.lab{font-weight:600;font-size:.85em;color:#444;display:block;margin-bottom:.2em}
.lab.changed{color:#a35c00}
tr.same td{color:#777}
tr.only_a td.a,tr.only_b td.b{background:#fff}
td.absent{background:repeating-linear-gradient(45deg,#f6f6f6,#f6f6f6 6px,#eee 6px,#eee 12px);color:#999;font-style:italic}
del{background:#fbd5d5;color:#8a1c1c}
ins{background:#d3f4d8;color:#145a22;text-decoration:none}
.gone{background:#fde8e8}
.new{background:#e6f8e9}
.moved{background:#e3ecfb;border-bottom:1px dashed #3461b5}
.tag{font-size:.75em;padding:0 .4em;border-radius:3px;margin-left:.4em;color:#fff;background:#888}
.tag.only_a{background:#c0392b}.tag.only_b{background:#1e8449}.tag.changed{background:#b9770e}.tag.moved{background:#3461b5}
details{margin:0}
summary{cursor:pointer;color:#777;font-size:.9em}
.legend span{margin-right:1em}
"""


def write_html(result: dict, a: Transcript, b: Transcript, path: str | os.PathLike) -> None:
    """Write a self-contained side-by-side report (no external assets; all text escaped)."""
    out = Path(path)
    page = render_html(result, a, b)
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as e:
        raise InputError(
            f"cannot write the report to {out}: {e.strerror or e}; pass a writable --html path."
        ) from e
    log.info("compare report written to %s", out)


def render_html(result: dict, a: Transcript, b: Transcript) -> str:
    """The side-by-side report as one HTML string."""
    esc = html.escape
    title_a = a.meta.title or a.source.name
    title_b = b.meta.title or b.source.name
    s = result["summary"]
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        '<meta name=viewport content="width=device-width,initial-scale=1">',
        f"<title>podium compare: {esc(title_a)}</title><style>{_CSS}</style></head><body>",
        "<header>",
        f"<h1>{esc(title_a)}"
        + (f" <span class=meta>vs</span> {esc(title_b)}" if title_b != title_a else "")
        + "</h1>",
        f"<div class=meta>A: <b>{esc(result['a']['name'])}</b> <code>{esc(result['a']['sha256'][:12])}</code> · "
        f"B: <b>{esc(result['b']['name'])}</b> <code>{esc(result['b']['sha256'][:12])}</code> · "
        f"confidence {result['confidence']:.0%}{' · strict' if result.get('strict') else ''}</div>",
        f"<p class=headline>{esc(result['headline'])}</p>",
    ]
    if result.get("warning"):
        parts.append(f"<p class=warning>{esc(result['warning'])}</p>")
    parts.append("</header><section>")
    parts.append(_summary_table(s))
    parts.append(_speaker_table(result["speakers"]))
    parts.append(
        "<p class=legend><span><del>deleted</del></span><span><ins>inserted</ins></span>"
        "<span class=gone>only in A</span><span class=new>only in B</span>"
        "<span class=moved>moved</span></p></section>"
    )
    parts.append("<table class=diff><thead><tr><th>A</th><th>B</th></tr></thead><tbody>")
    parts.extend(_diff_rows(result))
    parts.append("</tbody></table></body></html>\n")
    return "".join(parts)


def _summary_table(s: dict) -> str:
    rows = [
        ("words", s["words_a"], s["words_b"]),
        ("turns", s["turns_a"], s["turns_b"]),
        ("turns in this version only", s["turns_only_a"], s["turns_only_b"]),
        ("sentences in this version only", s["sentences_only_a"], s["sentences_only_b"]),
    ]
    body = "".join(
        f"<tr><td>{html.escape(n)}</td><td>{x:,}</td><td>{y:,}</td></tr>" for n, x, y in rows
    )
    formatting = s["formatting_only"]
    extra = (
        f"<p class=meta>{s['sentences_changed']:,} sentences changed · {s['sentences_moved']:,} moved "
        f"({s['passages_moved']:,} passages) · {s['labels_changed']:,} speaker labels changed"
        + (f" · {formatting:,} differ in formatting only" if formatting else "")
        + "</p>"
    )
    return f"<table class=sum><tr><th></th><th>A</th><th>B</th></tr>{body}</table>{extra}"


def _speaker_table(speakers: list[dict]) -> str:
    """Per speaker: words in A and B as two bars (inline SVG) and the share of A's words kept."""
    top = max([1, *(max(sp["words_a"], sp["words_b"]) for sp in speakers)])
    rows = []
    for sp in speakers:
        wa = 200 * sp["words_a"] / top
        wb = 200 * sp["words_b"] / top
        svg = (
            '<svg width="210" height="22" role="img" aria-label="words in A and B">'
            f'<rect x="0" y="2" width="{wa:.1f}" height="8" fill="#5b7db8"></rect>'
            f'<rect x="0" y="12" width="{wb:.1f}" height="8" fill="#d08a2e"></rect></svg>'
        )
        kept = f"{sp['kept']:.0%}" if sp["words_a"] else "new in B"
        rows.append(
            f"<tr><td>{html.escape(sp['name'])}</td><td>{sp['words_a']:,}</td><td>{sp['words_b']:,}</td>"
            f"<td>{kept}</td><td>{svg}</td></tr>"
        )
    return (
        "<table class=sum><tr><th>speaker</th><th>words A</th><th>words B</th><th>kept</th>"
        '<th><span style="color:#5b7db8">■ A</span> <span style="color:#d08a2e">■ B</span></th></tr>'
        + "".join(rows)
        + "</table>"
    )


def _diff_rows(result: dict) -> Iterable[str]:
    by_a, by_b = _sentences_by_turn(result)
    drawn_a: set[str | None] = set()
    drawn_b: set[str | None] = set()
    same_run: list[str] = []

    def flush() -> Iterable[str]:
        if same_run:
            n = len(same_run)
            yield (
                f"<tr class=same><td colspan=2><details><summary>{n:,} unchanged turn{'s' if n != 1 else ''}"
                f"</summary><table class=diff><tbody>{''.join(same_run)}</tbody></table></details></td></tr>"
            )
            same_run.clear()

    outside_a, outside_b = by_a.get(None, []), by_b.get(None, [])
    if outside_a or outside_b:
        differs = any(r["status"] != "same" for r in [*outside_a, *outside_b])
        row = (
            f"<tr class={'changed' if differs else 'same'}>"
            f"<td class=a><span class=lab>text outside speaker turns</span>{_html_side(outside_a, 'a')}</td>"
            f"<td class=b><span class=lab>text outside speaker turns</span>{_html_side(outside_b, 'b')}</td></tr>"
        )
        if differs:
            yield row
        else:
            same_run.append(row)
    for turn in result["turns"]:
        ta, tb = turn["a"], turn["b"]
        cell_a = _html_cell(turn, "a", by_a, drawn_a)
        cell_b = _html_cell(turn, "b", by_b, drawn_b)
        row = f"<tr class={turn['status']}>{cell_a}{cell_b}</tr>"
        if turn["status"] == "same":
            same_run.append(row)
            continue
        yield from flush()
        yield row
        drawn_a.add(ta)
        drawn_b.add(tb)
    yield from flush()


def _html_cell(turn: dict, side: str, by_turn: dict, drawn: set) -> str:
    tid = turn[side]
    if tid is None:
        if turn["status"] in ("only_a", "only_b"):
            note = f"not in {side.upper()}"
        else:
            note = f"in {side.upper()} as text without a speaker turn"
        return f"<td class='{side} absent'>{html.escape(note)}</td>"
    label_class = "lab changed" if turn["label_changed"] or turn["speaker_changed"] else "lab"
    tags = ""
    if turn["status"] != "same":
        tags += f"<span class='tag {turn['status']}'>{turn['status'].replace('_', ' ')}</span>"
    if turn.get("moved"):
        tags += "<span class='tag moved'>moved</span>"
    head = f"<span class='{label_class}'>{html.escape(_label(turn, side))}{tags}</span>"
    if tid in drawn:  # a turn split across two turns of the other version: drawn once
        return f"<td class={side}>{head}<span class=meta>(continued above)</span></td>"
    drawn.add(tid)
    return f"<td class={side}>{head}{_html_side(by_turn.get(tid, []), side)}</td>"


_HTML_KIND = {"same": "{}", "del": "<del>{}</del>", "ins": "<ins>{}</ins>", "gone": "<span class=gone>{}</span>",
              "new": "<span class=new>{}</span>", "moved": "<span class=moved title='moved'>{}</span>"}  # fmt: skip


def _html_side(recs: list[dict], side: str) -> str:
    out = []
    for rec in recs:
        out.append(
            "".join(
                _HTML_KIND[kind].format(html.escape(piece)) for piece, kind in _pieces(rec, side)
            )
        )
    return " ".join(out)
