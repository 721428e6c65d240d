"""Charts drawn on the server as SVG: no JavaScript, nothing fetched, light over a slow
link, and the same markup prints in the PDF report (WeasyPrint draws SVG itself).

Every chart has a <title> and a <desc> (read by screen readers, `role="img"`), and the
figure that holds it shows the same numbers in a table beside it. Geometry uses
presentation attributes and classes, never inline styles (the pages' CSP forbids them).
Numbers are written as the reader's language writes them (babel).
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal, format_percent
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, to_locale

# A palette that stays apart in greyscale print and for the common colour blindnesses.
PALETTE = ("#1f5fa8", "#e08a2e", "#3a9a6a", "#b04a6e", "#7a66b8", "#8c8c3a", "#4aa0b5", "#999")
WIDTH = 640


def number(value: Any, digits: int = 0) -> str:
    """A number as the current language writes it ("1 500" in French, "1,500" in English)."""
    if value is None:
        return ""
    locale = to_locale(get_language() or "fr")
    fmt = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return format_decimal(Decimal(str(value)), format=fmt, locale=locale)


def percent(share: float) -> str:
    """A share as the current language writes it ("67 %" in French, "67%" in English)."""
    return format_percent(share, locale=to_locale(get_language() or "fr"))


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _svg(title: str, desc: str, width: int, height: int, body: list[str], cls: str) -> SafeString:
    ident = f"c{zlib.crc32(f'{title}|{desc}|{height}'.encode()):08x}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {cls}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-t {ident}-d" font-family="DejaVu Sans, sans-serif" '
        f'font-size="11">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")


@dataclass
class Bar:
    label: str
    value: float
    url: str = ""


def bars(title: str, rows: Sequence[Bar], unit: str = "", digits: int = 0) -> SafeString:
    """Horizontal bars, one per row, with the value written at the end of each."""
    rows = list(rows)
    row_height, left, top = 22, 210, 6
    height = top * 2 + max(len(rows), 1) * row_height
    largest = max((r.value for r in rows), default=0) or 1
    span = WIDTH - left - 70
    body = [f'<line x1="{left}" x2="{left}" y1="0" y2="{height}" class="axis" stroke="#999"/>']
    for i, row in enumerate(rows):
        y = top + i * row_height
        width = round(span * row.value / largest, 1)
        label = escape(_clip(row.label, 34))
        value = escape(number(row.value, digits) + (f" {unit}" if unit else ""))
        bar = (
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" fill="#1d2733">{label}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{max(width, 0.5)}" height="{row_height - 6}" '
            f'fill="{PALETTE[0]}" class="bar"/>'
            f'<text x="{left + width + 4}" y="{y + 15}" fill="#1d2733">{value}</text>'
        )
        if row.url:
            bar = (
                f'<a href="{escape(row.url)}"><title>{escape(row.label)}: {value}</title>{bar}</a>'
            )
        body.append(bar)
    desc = "; ".join(f"{r.label}: {number(r.value, digits)}" for r in rows)
    return _svg(title, desc, WIDTH, height, body, "bars")


@dataclass
class Series:
    name: str
    values: Sequence[float]
    colour: str = ""


@dataclass
class Columns:
    categories: list[str]
    series: list[Series] = field(default_factory=list)


def columns(
    title: str, data: Columns, *, stacked: bool = True, unit: str = "", digits: int = 0
) -> SafeString:
    """Vertical columns per category (years), the series stacked or side by side, with a
    legend under the axis."""
    cats = data.categories
    series = [
        Series(s.name, s.values, s.colour or PALETTE[i % len(PALETTE)])
        for i, s in enumerate(data.series)
    ]
    left, top, plot_h = 64, 10, 180
    legend_rows = (len(series) + 2) // 3
    height = top + plot_h + 24 + legend_rows * 18 + 6
    if stacked:
        largest = max((sum(s.values[i] for s in series) for i in range(len(cats))), default=0)
    else:
        largest = max((v for s in series for v in s.values), default=0)
    largest = float(largest) or 1.0
    scale = _nice(largest)
    span_w = WIDTH - left - 10
    slot = span_w / max(len(cats), 1)
    body = []
    for step in range(5):
        value = scale * step / 4
        y = round(top + plot_h - plot_h * value / scale, 1)
        body.append(
            f'<line x1="{left}" x2="{WIDTH - 10}" y1="{y}" y2="{y}" stroke="#dde" class="grid"/>'
            f'<text x="{left - 4}" y="{y + 4}" text-anchor="end" fill="#555">'
            f"{escape(number(value, digits if scale < 10 else 0))}</text>"
        )
    for i, cat in enumerate(cats):
        x0 = left + i * slot
        base: float = top + plot_h
        inner = slot * 0.7
        for j, s in enumerate(series):
            value = float(s.values[i])
            h = round(plot_h * value / scale, 1)
            if stacked:
                x, w = x0 + (slot - inner) / 2, inner
                y = base - h
                base = y
            else:
                w = inner / max(len(series), 1)
                x = x0 + (slot - inner) / 2 + j * w
                y = top + plot_h - h
            if value:
                shown = escape(f"{cat}, {s.name}: {number(value, digits)} {unit}".strip())
                body.append(
                    f'<rect x="{round(x, 1)}" y="{round(y, 1)}" width="{round(w, 1)}" '
                    f'height="{h}" fill="{s.colour}"><title>{shown}</title></rect>'
                )
        if len(cats) <= 16 or i % 2 == 0:
            body.append(
                f'<text x="{round(x0 + slot / 2, 1)}" y="{top + plot_h + 15}" '
                f'text-anchor="middle" fill="#1d2733">{escape(cat)}</text>'
            )
    body.append(
        f'<line x1="{left}" x2="{WIDTH - 10}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="#999"/>'
    )
    for j, s in enumerate(series):
        lx = left + (j % 3) * 190
        ly = top + plot_h + 30 + (j // 3) * 18
        body.append(
            f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{s.colour}"/>'
            f'<text x="{lx + 14}" y="{ly}" fill="#1d2733">{escape(_clip(s.name, 30))}</text>'
        )
    desc = "; ".join(
        f"{s.name}: "
        + ", ".join(f"{c} {number(v, digits)}" for c, v in zip(cats, s.values, strict=True))
        for s in series
    )
    return _svg(title, desc, WIDTH, height, body, "columns")


def _nice(value: float) -> float:
    """The round number just above `value` for the top of an axis (1, 2, 2.5, 5 x 10^n)."""
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= value:
            return float(factor * magnitude)
    return float(10 * magnitude)


@dataclass
class Span:
    label: str
    start: dt.date
    end: dt.date
    url: str = ""


def timeline(title: str, activities: list[Span], contexts: list[Span]) -> SafeString:
    """Activities as bars against the context (events as marks) on one time axis."""
    spans = activities + contexts
    if not spans:
        return _svg(title, "", WIDTH, 20, [], "timeline")
    first = dt.date(min(s.start for s in spans).year, 1, 1)
    last = dt.date(max(s.end for s in spans).year, 12, 31)
    total = (last - first).days or 1
    left, lane = 10, 18
    plot = WIDTH - 2 * left

    def x(day: dt.date) -> float:
        return round(left + plot * (day - first).days / total, 1)

    rows = [("context", s) for s in contexts] + [("activity", s) for s in activities]
    height = 24 + len(rows) * lane + 16
    body = []
    for year in range(first.year, last.year + 2):
        xx = x(min(dt.date(year, 1, 1), last + dt.timedelta(days=1)))
        body.append(f'<line x1="{xx}" x2="{xx}" y1="14" y2="{height}" stroke="#dde"/>')
        if year <= last.year:
            body.append(f'<text x="{xx + 2}" y="11" fill="#555">{year}</text>')
    for i, (kind, span) in enumerate(rows):
        y = 20 + i * lane
        x1, x2 = x(span.start), x(span.end + dt.timedelta(days=1))
        colour = "#d9825b" if kind == "context" else PALETTE[0]
        width = max(x2 - x1, 2)
        label = escape(_clip(span.label, 60))
        anchor, tx = ("end", x1 - 3) if x1 > WIDTH / 2 else ("start", x1 + width + 3)
        item = (
            f'<rect x="{x1}" y="{y}" width="{round(width, 1)}" height="{lane - 5}" '
            f'fill="{colour}" class="{kind}"/>'
            f'<text x="{round(tx, 1)}" y="{y + 10}" text-anchor="{anchor}" fill="#1d2733">'
            f"{label}</text>"
        )
        if span.url:
            item = f'<a href="{escape(span.url)}"><title>{escape(span.label)}</title>{item}</a>'
        body.append(item)
    desc = "; ".join(f"{s.label}: {s.start.isoformat()} / {s.end.isoformat()}" for s in spans)
    return _svg(title, desc, WIDTH, height, body, "timeline")
