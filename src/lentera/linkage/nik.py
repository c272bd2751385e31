"""NIK (Nomor Induk Kependudukan) validation and decoding.

Layout of the 16 digits: ``PPKKCC`` Kemendagri province/regency/district code,
``DDMMYY`` date of birth (day + 40 for women), ``SSSS`` serial (from 0001).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lentera import reference
from lentera.errors import LenteraError

__all__ = ["NikInfo", "decode_nik", "normalise_nik", "validate_nik"]


@dataclass(frozen=True)
class NikInfo:
    """What a NIK says about its holder."""

    nik: str
    kemendagri_region: str  # 6 digits: province, regency, district
    province_code: str | None  # BPS, None if the region code is unknown
    regency_code: str | None  # BPS
    sex: str  # female / male
    birth_date: dt.date
    serial: int


def normalise_nik(text: str) -> str:
    """Digits only (people type spaces, dots and dashes)."""
    return re.sub(r"[\s.\-]", "", text or "")


def _century(yy: int, today: dt.date) -> int:
    """Two-digit year → full year: the most recent year not after ``today``."""
    year = 2000 + yy
    return year if year <= today.year else year - 100


def decode_nik(text: str, *, today: dt.date | None = None) -> NikInfo:
    """Decode a NIK; raises :class:`LenteraError` (field ``nik``) naming what is wrong."""
    nik = normalise_nik(text)
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date, no time zone involved
    if not re.fullmatch(r"[0-9]{16}", nik):
        raise LenteraError("nik_format", "a NIK must be exactly 16 digits", field="nik")
    day, month, yy, serial = int(nik[6:8]), int(nik[8:10]), int(nik[10:12]), int(nik[12:])
    sex = "female" if day > 40 else "male"
    day = day - 40 if day > 40 else day
    try:
        birth = dt.date(_century(yy, today), month, day)
    except ValueError as exc:
        raise LenteraError(
            "nik_date", "the date of birth inside this NIK is impossible", field="nik"
        ) from exc
    if serial == 0:
        raise LenteraError("nik_serial", "the last four digits of a NIK start at 0001", field="nik")
    province = reference.kemendagri_to_bps(nik[:2])
    if province is None:
        raise LenteraError(
            "nik_region", f"the NIK begins with an unknown province code {nik[:2]}", field="nik"
        )
    regency = reference.kemendagri_to_bps(nik[:4])
    return NikInfo(nik, nik[:6], province, regency, sex, birth, serial)


def validate_nik(text: str, *, today: dt.date | None = None) -> str:
    """The normalised NIK if valid; :class:`LenteraError` otherwise."""
    return decode_nik(text, today=today).nik
