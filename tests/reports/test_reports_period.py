"""Reporting periods and their previous periods."""

from __future__ import annotations

import datetime as dt

import pytest

from lentera.errors import LenteraError
from lentera.reports import parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "kind", "previous", "label_id", "label_en"),
    [
        ("2026-Q3", D(2026, 7, 1), D(2026, 9, 1), "quarter", "2026-Q2", "Triwulan III 2026", "Q3 2026"),
        ("2026-q1", D(2026, 1, 1), D(2026, 3, 1), "quarter", "2025-Q4", "Triwulan I 2026", "Q1 2026"),
        ("2026-07", D(2026, 7, 1), D(2026, 7, 1), "month", "2026-06", "Juli 2026", "July 2026"),
        ("2026-01", D(2026, 1, 1), D(2026, 1, 1), "month", "2025-12", "Januari 2026", "January 2026"),
        ("2026", D(2026, 1, 1), D(2026, 12, 1), "year", "2025", "Tahun 2026", "2026"),
        ("2026-S2", D(2026, 7, 1), D(2026, 12, 1), "semester", "2026-S1", "Semester II 2026", "H2 2026"),
        ("2026-H1", D(2026, 1, 1), D(2026, 6, 1), "semester", "2025-S2", "Semester I 2026", "H1 2026"),
        ("2026-02..2026-05", D(2026, 2, 1), D(2026, 5, 1), "range", "2025-10..2026-01",
         "Februari 2026 – Mei 2026", "February 2026 – May 2026"),
        ("2026-01-01..2026-06-30", D(2026, 1, 1), D(2026, 6, 1), "range", "2025-07..2025-12",
         "Januari 2026 – Juni 2026", "January 2026 – June 2026"),
    ],
)  # fmt: skip
def test_periods(text, start, end, kind, previous, label_id, label_en):
    p = parse_period(text)
    assert (p.start, p.end, p.kind) == (start, end, kind)
    assert p.previous().code == previous
    assert parse_period(p.code) == p
    assert (p.label("id"), p.label("en")) == (label_id, label_en)
    assert p.filters() == {"period_from": f"{start:%Y-%m}", "period_to": f"{end:%Y-%m}"}
    prev = p.previous()
    assert prev.months == p.months
    assert (prev.end.year * 12 + prev.end.month) + 1 == p.start.year * 12 + p.start.month


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2026-Q5", "quarter 5 does not exist"),
        ("2026-13", "month 13 does not exist"),
        ("1850", "outside 1990–2100"),
        ("2026-06..2026-01", "ends before it starts"),
        ("2026-01-15..2026-06-30", "2026-01-15 is not the first day of a month"),
        ("2026-01-01..2026-06-29", "2026-06-29 is not the last day of a month"),
        ("2026-02-30..2026-03", "not a valid month or date"),
        ("last quarter", "not a period"),
        ("", "not a period"),
    ],
)
def test_bad_periods_say_why(text, why):
    with pytest.raises(LenteraError) as info:
        parse_period(text)
    assert info.value.code == "bad_period" and why in info.value.message
    assert "2026-Q3" in info.value.message  # and how to write one
