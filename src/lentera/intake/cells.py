"""Checking an import, step 2: the cells — each read by its field's type.

Dates in Indonesian formats, NIK decoded, codes looked up in the caller's vocabulary
(:class:`~lentera.intake.columns.CodeLookup`), regions and countries in
:mod:`lentera.reference`; a problem names the row, the column as written, the value and a
message code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from lentera import linkage, reference
from lentera.csvsafe import CONTROL_RE, FORMULA_RE
from lentera.errors import LenteraError
from lentera.intake.columns import CodeLookup, key
from lentera.intake.fields import FieldDef
from lentera.intake.models import Problem

__all__ = ["FALSE_WORDS", "TRUE_WORDS", "RowChecker", "read_field"]


_SPLIT_RE = re.compile(r"\s*[;,\n]\s*")
TRUE_WORDS = {"1", "y", "ya", "yes", "true", "benar", "x", "iya"}
FALSE_WORDS = {"0", "n", "no", "tidak", "false", "salah", "tdk", "bukan"}
_PRECISION_ID = {"month": "bulan dan tahun", "year": "tahun"}


# --------------------------------------------------------------------------- look-up tables


@cache
def _country_index() -> Mapping[str, str]:
    index: dict[str, str] = {}
    for c in reference.countries().values():
        for name in (c.name_en, c.name_id, c.alpha3, c.alpha2):
            index[key(name)] = c.alpha2
    return index


@cache
def _province_index() -> Mapping[str, str]:
    index: dict[str, str] = {}
    for code, p in reference.provinces().items():
        index[code] = code
        index[key(p.name)] = code
        index[key("provinsi " + p.name)] = code
    return index


@cache
def _regency_index() -> Mapping[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for code, r in reference.regencies().items():
        names = {key(r.name)}
        short = re.sub(r"^(kabupaten|kab\.?|kota)\s+", "", r.name, flags=re.IGNORECASE)
        names.add(key(short))
        if r.name.lower().startswith("kabupaten "):
            names.add(key("kab " + short))
        for name in names:
            index.setdefault(name, []).append(code)
    return {k: tuple(v) for k, v in index.items()}


class RowChecker:
    """Reads one row's cells into typed values, collecting problems."""

    def __init__(self, row: int, vocab: CodeLookup, today: dt.date) -> None:
        self.row = row
        self.vocab = vocab
        self.today = today
        self.problems: list[Problem] = []

    def bad(
        self, column: str, cell: str, code: str, severity: str = "error", **params: Any
    ) -> None:
        self.problems.append(
            Problem(
                row=self.row,
                column=column,
                value=cell[:80],
                code=code,
                params={k: (v if isinstance(v, int) else str(v)) for k, v in params.items()},
                severity="warning" if severity == "warning" else "error",
            )
        )

    def cell_ok(self, f: FieldDef | None, column: str, value: str) -> bool:
        limit = f.max_length if f is not None else 2000
        if len(value) > limit:
            self.bad(column, value, "cell_too_long", limit=limit)
            return False
        if FORMULA_RE.match(value):
            self.bad(column, value, "formula")
            return False
        if CONTROL_RE.search(value):
            self.bad(column, value, "control_chars")
            return False
        return True

    # ---- typed readers; each returns None after reporting a problem

    def date(self, f: FieldDef, column: str, value: str) -> dt.date | None:
        text = value
        if m := re.match(r"^(\d{4}-\d{2}-\d{2})[T ]\d", text):
            text = m[1]
        try:
            parsed = linkage.parse_date(text, today=self.today)
        except LenteraError as exc:
            code = "date_impossible" if exc.code == "date_impossible" else "date_format"
            self.bad(column, value, code)
            return None
        if parsed.date > self.today + dt.timedelta(days=1):
            self.bad(column, value, "date_future")
            return None
        if parsed.date.year < 1900:
            self.bad(column, value, "date_implausible")
            return None
        if parsed.precision != "day" and f.attribute == "birth_date":
            self.bad(
                column,
                value,
                "date_imprecise",
                severity="warning",
                precision=_PRECISION_ID.get(parsed.precision, parsed.precision),
            )
        return parsed.date

    def integer(self, f: FieldDef, column: str, value: str) -> int | None:
        text = value.strip()
        if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
            number = int(float(text))
        else:
            self.bad(column, value, "not_integer")
            return None
        low = f.min if f.min is not None else 0
        high = f.max if f.max is not None else 10**6
        if not low <= number <= high:
            self.bad(column, value, "out_of_range", min=low, max=high)
            return None
        return number

    def yes_no(self, column: str, value: str) -> bool | None:
        v = value.strip().lower()
        if v in TRUE_WORDS:
            return True
        if v in FALSE_WORDS:
            return False
        self.bad(column, value, "yes_no")
        return None

    def select_one(self, f: FieldDef, column: str, value: str) -> str | None:
        code = self.vocab.resolve(f.vocab, value)
        if code is not None:
            return code
        parts = [p for p in _SPLIT_RE.split(value) if p]
        if len(parts) > 1 and (code := self.vocab.resolve(f.vocab, parts[0])) is not None:
            self.bad(column, value, "too_many_values", severity="warning")
            return code
        self.bad(column, value, "code_unknown", value=value[:80])
        return None

    def select_multiple(self, f: FieldDef, column: str, value: str) -> list[str] | None:
        whole = self.vocab.resolve(f.vocab, value)
        if whole is not None:
            return [whole]
        codes: list[str] = []
        unknown: list[str] = []
        for part in (p for p in _SPLIT_RE.split(value) if p):
            code = self.vocab.resolve(f.vocab, part)
            if code is None and " " in part:
                sub = [self.vocab.resolve(f.vocab, s) for s in part.split()]
                if all(sub):
                    codes.extend(s for s in sub if s)
                    continue
                unknown.extend(s for s, c in zip(part.split(), sub, strict=True) if c is None)
            elif code is None:
                unknown.append(part)
            else:
                codes.append(code)
        if unknown:
            self.bad(column, value, "code_unknown", value=", ".join(unknown)[:80])
            return None
        return list(dict.fromkeys(codes))

    def nik(self, column: str, value: str) -> str | None:
        try:
            return linkage.decode_nik(value, today=self.today).nik
        except LenteraError as exc:
            code = (
                exc.code if exc.code in {"nik_date", "nik_serial", "nik_region"} else "nik_format"
            )
            self.bad(column, value, code)
            return None

    def phone(self, column: str, value: str) -> str | None:
        try:
            return linkage.normalise_phone(value)
        except LenteraError:
            self.bad(column, value, "phone_invalid")
            return None

    def country(self, column: str, value: str) -> str | None:
        parts = [p for p in _SPLIT_RE.split(value.strip()) if p]
        code = _country_index().get(key(value)) or (
            _country_index().get(key(parts[0])) if parts else None
        )
        if code is None:
            self.bad(column, value, "country_unknown")
            return None
        if len(parts) > 1 and _country_index().get(key(value)) is None:
            self.bad(column, value, "too_many_values", severity="warning")
        return code

    def province(self, column: str, value: str) -> str | None:
        code = _province_index().get(key(value)) or _province_index().get(value.strip())
        if code is None:
            self.bad(column, value, "province_unknown")
        return code

    def regency(self, column: str, value: str, province: str | None) -> str | None:
        text = value.strip()
        if text in reference.regencies():
            return text
        codes = _regency_index().get(key(text), ())
        if province and len(codes) > 1:
            codes = tuple(c for c in codes if c.startswith(province))
        if len(codes) == 1:
            return codes[0]
        self.bad(column, value, "regency_ambiguous" if codes else "regency_unknown")
        return None

    def region(self, column: str, value: str) -> str | None:
        text = value.strip()
        if reference.is_valid_region(text):
            return text
        if (code := _province_index().get(key(text))) is not None:
            return code
        codes = _regency_index().get(key(text), ())
        if len(codes) == 1:
            return codes[0]
        self.bad(column, value, "region_unknown")
        return None


#: field types read by the :class:`RowChecker` method of the same name, with the field (its
#: bounds or vocabulary) or with the cell alone
_READ_WITH_FIELD = frozenset({"date", "integer", "select_one", "select_multiple"})
_READ_CELL = frozenset({"yes_no", "nik", "phone", "country", "province", "region"})


def read_field(
    checker: RowChecker, f: FieldDef, column: str, value: str, values: Mapping[str, Any]
) -> Any:
    t = f.type
    if t in {"text", "long_text"}:
        return value.strip()
    if t == "regency":
        return checker.regency(column, value, values.get("origin_province"))
    if t in _READ_WITH_FIELD:
        return getattr(checker, t)(f, column, value)
    if t in _READ_CELL:
        return getattr(checker, t)(column, value)
    raise ValueError(f"unknown field type {t}")  # pragma: no cover - fields.yaml is checked
