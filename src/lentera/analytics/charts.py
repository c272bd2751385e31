"""Server-side SVG charts: no JavaScript, no CDN, small, readable at 360 px wide.

Every chart has a ``<title>`` and a ``<desc>`` (``role="img"`` with ``aria-labelledby``), text
labels on every bar or point, the Okabe–Ito colour-blind-safe palette, and a ``viewBox`` so it
scales to its container. Charts take **suppressed** values only (ints, floats, ``"<5"``,
``"x"`` or ``None``): a count from 1 to 4 raises ``ValueError``, so an unsuppressed frame cannot slip
into a picture. Suppressed bars are drawn as a hatched stub labelled with the marker.
Value labels carry ``class="v"`` so tests can read exactly the displayed numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from lentera.analytics.suppress import is_small, is_suppressed

__all__ = ["PALETTE", "bar_chart", "fmt", "line_chart"]

#: Okabe & Ito (2008) colour-blind-safe palette
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
GREY = "#9e9e9e"
#: the charts' typeface, as an SVG presentation attribute: an inline ``style`` would be
#: refused by the app's Content-Security-Policy (style-src 'self'); the page's stylesheet
#: caps the width (``.chart svg``)
FONT = "font-family=\"system-ui,-apple-system,'Segoe UI',Roboto,sans-serif\""


def fmt(value: Any, unit: str = "count", lang: str = "id") -> str:
    """Format a displayed value (``1.234`` / ``1,234``; ``12,5%``)."""
    if value is None:
        return "–"
    if is_suppressed(value):
        return str(value)
    dec, thou = (",", ".") if lang == "id" else (".", ",")
    if unit == "count":
        return f"{int(value):,}".replace(",", thou)
    text = f"{float(value):,.1f}".replace(",", "\x00").replace(".", dec).replace("\x00", thou)
    return text + ("%" if unit == "percent" else "")


def _check(values: Sequence[Any], unit: str) -> None:
    for v in values:
        if v is None or is_suppressed(v):
            continue
        if isinstance(v, str):
            raise ValueError(f"chart value {v!r} is neither a number nor a suppression marker")
        if unit == "count" and is_small(v):
            raise ValueError("unsuppressed small count given to a chart; suppress first")


def _open(width: int, height: int, title: str, desc: str, uid: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" {FONT} role="img" '
        f'aria-labelledby="{uid}-t {uid}-d">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
        f'<text x="8" y="20" font-size="15" font-weight="600" fill="#222">{escape(title)}</text>',
    ]


def _hatch(x: float, y: float, w: float, h: float) -> str:
    lines = [
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#eeeeee" stroke="{GREY}"/>'
    ]
    step = 5.0
    k = 0.0
    while k < w + h:
        x1, y1 = x + min(k, w), y + max(0.0, k - w)
        x2, y2 = x + max(0.0, k - h), y + min(k, h)
        lines.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{GREY}" stroke-width="1"/>'
        )
        k += step
    return "".join(lines)


#: the longest bar label shown in full
LABEL_CHARS = 24


def bar_chart(
    items: Sequence[tuple[str, Any]],
    *,
    title: str,
    desc: str,
    unit: str = "count",
    lang: str = "id",
    uid: str = "bar",
    color: str = PALETTE[0],
    width: int = 480,
) -> str:
    """Horizontal bar chart of ``(label, value)`` pairs; labels left, values at the bar end."""
    _check([v for _, v in items], unit)
    # 8 px a character at 13 px (7 clipped the first letters: "yanmar (Burma)"); long labels
    # are shortened to LABEL_CHARS with the whole label in the tooltip
    longest = max((min(len(label), LABEL_CHARS) for label, _ in items), default=4)
    label_w = 16 + 8 * longest
    plot_w = width - label_w - 70
    row_h = 24
    height = 40 + row_h * max(1, len(items)) + 10
    numbers = [float(v) for _, v in items if isinstance(v, int | float)]
    top = max(numbers, default=0.0) or 1.0
    parts = _open(width, height, title, desc, uid)
    if not items:
        parts.append(f'<text x="8" y="52" font-size="13" fill="#555">{escape("–")}</text>')
    for i, (label, value) in enumerate(items):
        y = 36 + i * row_h
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        parts.append(
            f"<g><title>{escape(label)}</title>"
            f'<text x="{label_w - 6}" y="{y + 15}" font-size="13" text-anchor="end" fill="#222">'
            f"{escape(short)}</text></g>"
        )
        bar_end: float
        if is_suppressed(value):
            parts.append(_hatch(label_w, y + 4, 14, row_h - 8))
            bar_end = label_w + 14
        elif value is None:
            bar_end = label_w
        else:
            w = max(0.0, plot_w * float(value) / top)
            parts.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{color}"/>'
            )
            bar_end = label_w + w
        parts.append(
            f'<text class="v" x="{bar_end + 5:.1f}" y="{y + 15}" font-size="13" fill="#222">'
            f"{escape(fmt(value, unit, lang))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _label(x: Any) -> str:
    if isinstance(x, dt.date | dt.datetime):
        return f"{x.year}-{x.month:02d}"
    if hasattr(x, "strftime"):
        return str(x.strftime("%Y-%m"))
    return str(x)


def line_chart(
    points: Sequence[tuple[Any, Any]],
    *,
    title: str,
    desc: str,
    unit: str = "count",
    lang: str = "id",
    uid: str = "line",
    series_labels: Mapping[str, str] | None = None,
    width: int = 480,
) -> str:
    """Line chart over time; suppressed points break the line and show as hollow ``<5`` marks."""
    _check([v for _, v in points], unit)
    height = 220
    left, right, top_y, bottom = 44, 16, 36, 180
    numbers = [float(v) for _, v in points if isinstance(v, int | float)]
    top = max(numbers, default=0.0) or 1.0
    n = len(points)
    parts = _open(width, height, title, desc, uid)
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{width - right}" y2="{bottom}" stroke="#555"/>'
    )
    if numbers:
        parts.append(
            f'<text class="v" x="{left - 4}" y="{top_y + 4}" font-size="11" text-anchor="end" fill="#555">{escape(fmt(top if unit != "count" else int(top), unit, lang))}</text>'
        )
    parts.append(
        f'<text x="{left - 4}" y="{bottom}" font-size="11" text-anchor="end" fill="#555">0</text>'
    )

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (width - left - right) * (i / max(1, n - 1))
        y = bottom - (bottom - top_y) * v / top
        return x, y

    segment: list[str] = []
    segments: list[list[str]] = []
    for i, (_, v) in enumerate(points):
        if isinstance(v, int | float):
            x, y = xy(i, float(v))
            segment.append(f"{x:.1f},{y:.1f}")
        else:
            if segment:
                segments.append(segment)
            segment = []
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>'
            )
    peak = max(
        range(n),
        key=lambda i: float(points[i][1]) if isinstance(points[i][1], int | float) else -1,
        default=None,
    )
    for i, (label, v) in enumerate(points):
        tip = f"{_label(label)}: {fmt(v, unit, lang)}"
        if isinstance(v, int | float):
            x, y = xy(i, float(v))
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{PALETTE[0]}"><title>{escape(tip)}</title></circle>'
            )
            if i in (peak, n - 1):
                parts.append(
                    f'<text class="v" x="{x:.1f}" y="{y - 6:.1f}" font-size="11" text-anchor="middle" fill="#222">{escape(fmt(v, unit, lang))}</text>'
                )
        elif is_suppressed(v):
            x, _y = xy(i, 0.0)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{bottom - 4}" r="3" fill="#fff" stroke="{GREY}"><title>{escape(tip)}</title></circle>'
            )
    if n:
        ticks = sorted({0, n - 1, *range(0, n, max(1, n // 4))})
        for i in ticks:
            x, _ = xy(i, 0.0)
            anchor = "start" if i == 0 else "end" if i == n - 1 else "middle"
            parts.append(
                f'<text x="{x:.1f}" y="{bottom + 16}" font-size="11" text-anchor="{anchor}" fill="#555">{escape(_label(points[i][0]))}</text>'
            )
    suppressed = sum(1 for _, v in points if is_suppressed(v))
    if suppressed:
        note = (
            "hollow point = <5 or x (suppressed)"
            if lang == "en"
            else "titik kosong = <5 atau x (disembunyikan)"
        )
        parts.append(
            f'<text x="{left}" y="{height - 8}" font-size="11" fill="#555">{escape(note)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
