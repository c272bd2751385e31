"""Working days in Indonesia: weekends, public holidays and cuti bersama skipped.

PP 7/2018 Pasal 1 defines "Hari adalah hari kerja", so its deadlines (e.g. LPSK's 7
days to check an application, Pasal 22) count working days. Public holidays come from
the ``holidays`` package (country ``ID``); the collective leave days (cuti bersama),
which change every year by joint ministerial decree, are data in
``data/cuti_bersama.yaml``. A year without recorded cuti bersama is reported by
:func:`missing_years` so the caller can say the count may be short.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from typing import Any

import holidays
import yaml

__all__ = ["add_working_days", "cuti_bersama", "is_working_day", "missing_years"]


@cache
def _data() -> dict[str, Any]:
    text = resources.files("lentera.law").joinpath("data/cuti_bersama.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    for year, entry in data["years"].items():
        for day in entry["days"]:
            if not isinstance(day, dt.date) or day.year != int(year):
                raise ValueError(f"cuti_bersama.yaml: {day!r} is not a date in {year}")
            if day.weekday() >= 5:
                raise ValueError(f"cuti_bersama.yaml: {day} falls on a weekend")
    return data


def cuti_bersama(year: int) -> frozenset[dt.date] | None:
    """The cuti bersama of ``year``, or None when the year is not recorded."""
    entry = _data()["years"].get(year)
    return None if entry is None else frozenset(entry["days"])


@cache
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("ID", years=year))


def is_working_day(day: dt.date) -> bool:
    if day.weekday() >= 5 or day in _public_holidays(day.year):
        return False
    return day not in (cuti_bersama(day.year) or frozenset())


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The day ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day, left = start, days
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def missing_years(start: dt.date, end: dt.date) -> list[int]:
    """Years between ``start`` and ``end`` whose cuti bersama are not recorded."""
    return [y for y in range(start.year, end.year + 1) if cuti_bersama(y) is None]
