"""Charts as inline SVG, rendered on the server (no script, no external library).

Every label that comes from the data is escaped here; the functions return ``Markup``.
Marks carry a ``<title>`` (the tooltip) and, where there is something behind them, a link.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from urllib.parse import quote, urlencode

from markupsafe import Markup

from .labels import (
    PLOVER_ORDER,
    QUAD_COLOURS,
    STANCE_COLOURS,
    focus_label,
    plover_class,
)
from .reader import safe_id


def _e(s: object) -> str:
    return html.escape(str(s))


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    y2, m2 = int(last[:4]), int(last[5:7])
    out = []
    while (y, m) <= (y2, m2) and len(out) < 1200:
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def month_bars(per_month: Sequence[Sequence], *, width: int = 760, height: int = 170) -> Markup:
    """Documents per month as a bar chart; months without documents are drawn empty."""
    counts = {}
    for row in per_month or []:
        if row and isinstance(row[0], str) and len(row[0]) >= 7 and row[0][:4].isdigit():
            counts[row[0][:7]] = int(row[1])
    if not counts:
        return Markup('<p class="muted">No dated documents yet.</p>')
    months = _months(min(counts), max(counts))
    top = max(counts.values()) or 1
    left, bottom, pad_top = 34, 22, 8
    plot_w, plot_h = width - left - 6, height - bottom - pad_top
    step = plot_w / len(months)
    bar = max(step * 0.8, 1.0) if step > 2 else step
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="documents per month">'
    ]
    # y axis: 0 and the maximum
    for v in (0, top):
        y = pad_top + plot_h - plot_h * v / top
        parts.append(
            f'<line x1="{left}" x2="{width - 6}" y1="{y:.1f}" y2="{y:.1f}" class="grid"></line>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="axis">{v}</text>'
        )
    years_marked = 0
    label_every = max(1, len({m[:4] for m in months}) // 12 + 1)
    for i, m in enumerate(months):
        n = counts.get(m, 0)
        x = left + i * step
        if m.endswith("-01") or i == 0:
            if years_marked % label_every == 0:
                parts.append(
                    f'<text x="{x:.1f}" y="{height - 6}" class="axis">{_e(m[:4])}</text>'
                    f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{pad_top + plot_h}" '
                    f'y2="{pad_top + plot_h + 4}" class="tick"></line>'
                )
            years_marked += 1
        if n:
            h = max(plot_h * n / top, 1.0)
            y = pad_top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.2f}" height="{h:.1f}" class="bar">'
                f"<title>{_e(m)}: {n} document{'s' if n != 1 else ''}</title></rect>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def share_bar(n: int, top: int) -> Markup:
    """A one-line bar (for tables and lists); scaled by the viewBox, no inline style."""
    w = 100 * n / top if top else 0
    return Markup(
        '<svg class="sbar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">'
        f'<rect x="0" y="0" width="{w:.2f}" height="8"></rect></svg>'
    )


def stance_matrix(cells: dict[tuple[str, str], dict], *, base: str = "/positions") -> Markup:
    """Pairs of countries (rows) × focus (columns); a cell's colour is the prevailing stance,
    its number the documents behind it, and its link shows those sentences."""
    if not cells:
        return Markup("")
    rows = sorted(
        {k[0] for k in cells}, key=lambda p: -sum(c["n"] for k, c in cells.items() if k[0] == p)
    )
    cols = sorted(
        {k[1] for k in cells}, key=lambda f: -sum(c["n"] for k, c in cells.items() if k[1] == f)
    )
    rows, cols = rows[:30], cols[:30]
    cell, left, top = 30, 150, 120
    width, height = left + cell * len(cols) + 90, top + cell * len(rows) + 10
    parts = [
        f'<svg class="chart matrix" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="stance by pair of countries and focus">'
    ]
    for j, f in enumerate(cols):
        x = left + j * cell + cell / 2
        parts.append(
            f'<text class="axis" transform="translate({x + 4:.1f},{top - 6}) rotate(-55)">'
            f"{_e(focus_label(f))}</text>"
        )
    for i, pair in enumerate(rows):
        y = top + i * cell
        parts.append(
            f'<text class="axis" x="{left - 6}" y="{y + cell / 2 + 4:.1f}" text-anchor="end">'
            f"{_e(pair)}</text>"
        )
        for j, f in enumerate(cols):
            c = cells.get((pair, f))
            if not c:
                continue
            x = left + j * cell
            colour = STANCE_COLOURS.get(c["stance"], "#888888")
            href = base + "?" + urlencode({"pair": pair, "focus": f}) + "#evidence"
            tip = (
                f"{pair} on {focus_label(f)}: {c['stance']} "
                f"({c['agree']} agree, {c['disagree']} disagree, {c['mixed']} mixed; "
                f"{c['n']} document{'s' if c['n'] != 1 else ''})"
            )
            parts.append(
                f'<a href="{_e(href)}"><rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" '
                f'height="{cell - 2}" rx="3" fill="{colour}"><title>{_e(tip)}</title></rect>'
                f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle" '
                f'class="cellnum">{c["n"]}</text></a>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _day(s: str | None) -> date | None:
    if not s:
        return None
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        return None


def timeline(events: Sequence[dict], *, width: int = 760) -> Markup:
    """Events over time, one row per PLOVER type; each dot links to its sentence."""
    dated = [(d, e) for e in events if (d := _day(e.get("date")))]
    if not dated:
        return Markup("")
    types = sorted({e.get("type") or "?" for _, e in dated}, key=lambda t: PLOVER_ORDER.get(t, 99))
    first = min(d for d, _ in dated)
    last = max(d for d, _ in dated)
    span = max((last - first).days, 1)
    left, right, top, row = 92, 14, 10, 24
    height = top + row * len(types) + 28
    plot_w = width - left - right
    parts = [
        f'<svg class="chart timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="events over time by type">'
    ]
    for i, t in enumerate(types):
        y = top + i * row + row / 2
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y}" y2="{y}" class="grid"></line>'
            f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" class="axis">{_e(t)}</text>'
        )
    axis_y = top + row * len(types) + 16
    for d in (first, last) if first != last else (first,):
        x = left + plot_w * (d - first).days / span
        anchor = "start" if d == first else "end"
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y}" text-anchor="{anchor}" class="axis">{d}</text>'
        )
    seen: dict[tuple[int, int], int] = {}
    for d, e in dated:
        i = types.index(e.get("type") or "?")
        x = left + plot_w * (d - first).days / span
        k = (i, round(x / 4))
        nudge = seen.get(k, 0)
        seen[k] = nudge + 1
        y = top + i * row + row / 2 + ((nudge % 5) - 2) * 3
        colour = QUAD_COLOURS[plover_class(e.get("type"))]
        href = f"/documents/{quote(str(e.get('doc_id', '')))}#{safe_id(e.get('sentence_id'))}"
        tip = (
            f"{e.get('date', '')} · {e.get('speaker') or '?'} · {e.get('type')} "
            f"{e.get('source') or '?'} → {e.get('target') or '?'}: {e.get('text') or ''}"
        )
        parts.append(
            f'<a href="{_e(href)}"><circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}" '
            f'fill-opacity="0.8"><title>{_e(tip[:400])}</title></circle></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
