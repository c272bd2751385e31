"""NIK decoding, phone normalisation and Indonesian date parsing."""

from __future__ import annotations

import datetime as dt

import pytest

from lentera.errors import LenteraError
from lentera.linkage import decode_nik, normalise_phone, parse_date

TODAY = dt.date(2026, 11, 24)


def test_nik_decodes_region_sex_and_birth_date() -> None:
    info = decode_nik("3578 0147 0899 0003", today=TODAY)
    assert (info.province_code, info.regency_code, info.sex, info.birth_date, info.serial) == (
        "35",
        "3578",
        "female",
        dt.date(1999, 8, 7),
        3,
    )
    male = decode_nik("1101010101900001", today=TODAY)
    assert (
        male.sex == "male" and male.regency_code == "1103"
    )  # Kemendagri 11.01 is BPS 1103 (Aceh Selatan)
    assert decode_nik("9301010101200001", today=TODAY).province_code == "95"  # Papua Selatan
    assert decode_nik("3201014101100001", today=TODAY).birth_date == dt.date(2010, 1, 1)


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("123", "nik_format"),
        ("35780147089900AB", "nik_format"),
        ("3578013308990003", "nik_date"),  # day 33
        ("3578017208990003", "nik_date"),  # day 72 - 40 = 32
        ("3578010113990003", "nik_date"),  # month 13
        ("3578014708990000", "nik_serial"),
        ("9901014708990001", "nik_region"),
    ],
)
def test_invalid_nik_names_the_problem(nik: str, code: str) -> None:
    with pytest.raises(LenteraError) as err:
        decode_nik(nik, today=TODAY)
    assert err.value.code == code and err.value.field == "nik"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("+62 (812) 3456-7890", "+6281234567890"),
        ("812 3456 7890", "+6281234567890"),
        ("+60 12-345 6789", "+60123456789"),
    ],
)
def test_phone_numbers(raw: str, e164: str) -> None:
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "abc", "123", "0812"])
def test_bad_phone_numbers(raw: str) -> None:
    with pytest.raises(LenteraError):
        normalise_phone(raw)


@pytest.mark.parametrize(
    ("raw", "date", "precision"),
    [
        ("17-08-1990", dt.date(1990, 8, 17), "day"),
        ("17/8/90", dt.date(1990, 8, 17), "day"),
        ("17.08.1990", dt.date(1990, 8, 17), "day"),
        ("17 Agustus 1990", dt.date(1990, 8, 17), "day"),
        ("17 Agt 1990", dt.date(1990, 8, 17), "day"),
        ("5 Nopember 2001", dt.date(2001, 11, 5), "day"),
        ("1990-08-17", dt.date(1990, 8, 17), "day"),
        ("Mei 2001", dt.date(2001, 5, 1), "month"),
        ("08/2001", dt.date(2001, 8, 1), "month"),
        ("1990", dt.date(1990, 1, 1), "year"),
        ("3/4/25", dt.date(2025, 4, 3), "day"),
        ("3/4/27", dt.date(1927, 4, 3), "day"),
    ],
)
def test_indonesian_dates(raw: str, date: dt.date, precision: str) -> None:
    parsed = parse_date(raw, today=TODAY)
    assert (parsed.date, parsed.precision) == (date, precision)


@pytest.mark.parametrize("raw", ["", "30-02-1990", "17 Agustos 1990", "kemarin", "1990-13-01"])
def test_bad_dates(raw: str) -> None:
    with pytest.raises(LenteraError):
        parse_date(raw, today=TODAY)
