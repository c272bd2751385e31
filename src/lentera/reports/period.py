"""Reporting periods: ``2026-Q3``, ``2026-S1``, ``2026-07``, ``2026`` or a range of months.

The warehouse holds months (day 1), so every period is a whole number of months. The
previous period is the one of the same length that ends the month before (a quarter's is the
quarter before, a year's the year before, a custom range's the same number of months before).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from babel.dates import get_month_names

from lentera.errors import LenteraError

__all__ = ["Period", "month_name", "parse_period"]


def month_name(month: int, lang: str) -> str:
    """The month's full name in Bahasa Indonesia or English (CLDR, through babel)."""
    return str(get_month_names("wide", locale=lang)[month])


_ROMAN = ("I", "II", "III", "IV")
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Months ``start`` to ``end`` inclusive (both on day 1); ``kind`` names how it was given."""

    start: dt.date
    end: dt.date
    kind: str  # year, semester, quarter, month, range

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def code(self) -> str:
        """The canonical text form (parses back to this period)."""
        y, m = self.start.year, self.start.month
        if self.kind == "year":
            return str(y)
        if self.kind == "semester":
            return f"{y}-S{(m - 1) // 6 + 1}"
        if self.kind == "quarter":
            return f"{y}-Q{(m - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{y}-{m:02d}"
        return f"{self.start:%Y-%m}..{self.end:%Y-%m}"

    def previous(self) -> Period:
        """The period of the same length ending the month before this one starts."""
        return Period(_add_months(self.start, -self.months), _add_months(self.start, -1), self.kind)

    def filters(self) -> dict[str, str]:
        """Metric filters selecting this period (on each metric's month)."""
        return {"period_from": f"{self.start:%Y-%m}", "period_to": f"{self.end:%Y-%m}"}

    def label(self, lang: str) -> str:
        y, m = self.start.year, self.start.month
        if self.kind == "year":
            return str(y) if lang == "en" else f"Tahun {y}"
        if self.kind == "semester":
            n = (m - 1) // 6 + 1
            return f"Semester {_ROMAN[n - 1]} {y}" if lang == "id" else f"H{n} {y}"
        if self.kind == "quarter":
            n = (m - 1) // 3 + 1
            return f"Triwulan {_ROMAN[n - 1]} {y}" if lang == "id" else f"Q{n} {y}"
        first = f"{month_name(m, lang)} {y}"
        if self.kind == "month":
            return first
        return f"{first} – {month_name(self.end.month, lang)} {self.end.year}"


def _bad(text: str, why: str) -> LenteraError:
    return LenteraError(
        "bad_period",
        f"period {text!r}: {why} (use 2026, 2026-S1, 2026-Q3, 2026-07 or 2026-01..2026-06)",
        field="period",
    )


def _year(text: str, value: str) -> int:
    year = int(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _bad(text, f"year {year} is outside {FIRST_YEAR}–{LAST_YEAR}")
    return year


def _month_bound(text: str, value: str, *, end: bool) -> dt.date:
    """A range bound: ``YYYY-MM`` or a date on the first (start) / last (end) day of a month."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}", value):
            day = dt.date.fromisoformat(value + "-01")
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
            first = dt.date(day.year, day.month, 1)
            last = _add_months(first, 1) - dt.timedelta(days=1)
            if day != (last if end else first):
                which = "the last day" if end else "the first day"
                raise _bad(
                    text,
                    f"{value} is not {which} of a month; the warehouse counts whole months",
                )
        else:
            raise _bad(text, f"{value!r} is not YYYY-MM or YYYY-MM-DD")
    except ValueError as exc:
        raise _bad(text, f"{value!r} is not a valid month or date") from exc
    _year(text, str(day.year))
    return dt.date(day.year, day.month, 1)


def parse_period(text: str) -> Period:
    """Parse a period; a clear :class:`LenteraError` (``bad_period``) for anything else."""
    value = str(text).strip().upper()
    if m := re.fullmatch(r"(\d{4})", value):
        y = _year(text, m[1])
        return Period(dt.date(y, 1, 1), dt.date(y, 12, 1), "year")
    if m := re.fullmatch(r"(\d{4})-[SH]([12])", value):
        y, n = _year(text, m[1]), int(m[2])
        return Period(dt.date(y, 6 * n - 5, 1), dt.date(y, 6 * n, 1), "semester")
    if m := re.fullmatch(r"(\d{4})-Q(\d)", value):
        y, n = _year(text, m[1]), int(m[2])
        if not 1 <= n <= 4:
            raise _bad(text, f"quarter {n} does not exist")
        return Period(dt.date(y, 3 * n - 2, 1), dt.date(y, 3 * n, 1), "quarter")
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        y, month = _year(text, m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise _bad(text, f"month {month} does not exist")
        return Period(dt.date(y, month, 1), dt.date(y, month, 1), "month")
    if ".." in value:
        first, _, last = value.partition("..")
        start = _month_bound(text, first.strip(), end=False)
        end = _month_bound(text, last.strip(), end=True)
        if end < start:
            raise _bad(text, "the range ends before it starts")
        return Period(start, end, "range")
    raise _bad(text, "not a period")
