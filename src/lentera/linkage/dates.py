"""Dates as Indonesian records write them: 17-08-1990, 17/8/90, 17 Agustus 1990, Agustus 1990, 1990."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lentera.errors import LenteraError

__all__ = ["ParsedDate", "parse_date"]

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip


@dataclass(frozen=True)
class ParsedDate:
    """A date and how much of it is known: ``day``, ``month`` or ``year``."""

    date: dt.date
    precision: str

    @property
    def year(self) -> int:
        return self.date.year


def _year(text: str, today: dt.date) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000
        if year > today.year:
            year -= 100
    return year


def _build(year: int, month: int, day: int, precision: str, original: str) -> ParsedDate:
    try:
        return ParsedDate(dt.date(year, month, day), precision)
    except ValueError as exc:
        raise LenteraError(
            "date_impossible", f"impossible date: {original!r}", field="date"
        ) from exc


def parse_date(text: str, *, today: dt.date | None = None) -> ParsedDate:
    """Parse day-first Indonesian dates, ISO dates, month names in Indonesian or English, or a year alone."""
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date
    original = text
    s = (text or "").strip().lower().replace(",", " ")
    if not s:
        raise LenteraError("date_empty", "empty date", field="date")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s):  # ISO
        return _build(int(m[1]), int(m[2]), int(m[3]), "day", original)
    if m := re.fullmatch(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{2}|\d{4})", s):  # day-first numeric
        return _build(_year(m[3], today), int(m[2]), int(m[1]), "day", original)
    if m := re.fullmatch(r"(\d{1,2})[-/. ]+([a-z]+)\.?[-/. ]+(\d{2}|\d{4})", s):
        month = MONTHS.get(m[2])
        if month is None:
            raise LenteraError("date_month", f"unknown month name in {original!r}", field="date")
        return _build(_year(m[3], today), month, int(m[1]), "day", original)
    if m := re.fullmatch(r"([a-z]+)\.?[-/. ]+(\d{4})", s):
        month = MONTHS.get(m[1])
        if month is None:
            raise LenteraError("date_month", f"unknown month name in {original!r}", field="date")
        return _build(int(m[2]), month, 1, "month", original)
    if m := re.fullmatch(r"(\d{1,2})[-/](\d{4})", s):
        return _build(int(m[2]), int(m[1]), 1, "month", original)
    if re.fullmatch(r"\d{4}", s):
        return _build(int(s), 1, 1, "year", original)
    raise LenteraError(
        "date_format", f"not a date this parser understands: {original!r}", field="date"
    )
