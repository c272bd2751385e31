"""The features a NIK gives (sex, regency, birth date) are decode_nik's, decoded on arrays."""

from __future__ import annotations

import datetime as dt
import itertools

from lentera.errors import LenteraError
from lentera.linkage.dedupe.features import prepare
from lentera.linkage.nik import decode_nik, normalise_nik


def _niks() -> list[str]:
    year = dt.date.today().year % 100  # noqa: DTZ011 - a calendar year
    days = ("00", "01", "28", "29", "30", "31", "32", "40", "41", "69", "70", "71", "72")
    months = ("00", "01", "02", "04", "12", "13")
    years = ("00", "24", f"{year:02d}", f"{(year + 1) % 100:02d}", "99")
    regions = ("357801", "110101", "990101", "000101", "3578ab")
    out = [r + d + m + y + "0001" for r, d, m, y in itertools.product(regions, days, months, years)]
    out += ["3578014101900000", "35.78.01 410190 0001", "３５78014101900001", "357801410190001"]
    return out


def test_nik_features_equal_decode_nik() -> None:
    niks = _niks()
    cols = prepare([{"record_id": str(i), "nik": nik} for i, nik in enumerate(niks)])
    decoded = 0
    for i, text in enumerate(niks):
        nik = normalise_nik(text)
        try:
            info = decode_nik(nik[:12] + "0001") if nik[12:] != "0000" else None
        except LenteraError:
            info = None
        if info is None or not cols["nik"][i]:
            assert (cols["sex"][i], cols["regency"][i], cols["dob"][i]) == (None, None, None), text
            continue
        decoded += 1
        assert cols["sex"][i] == info.sex
        assert cols["regency"][i] == info.regency_code
        assert cols["dob"][i] == info.birth_date.isoformat()
        birth = (cols["birth_year"][i], cols["birth_month"][i], cols["birth_day"][i])
        assert birth == (info.birth_date.year, info.birth_date.month, info.birth_date.day)
    assert decoded > 100
