"""Checking an import: columns, then every cell, then the rows against each other.

Each format's headers are matched to the intake fields (``data/formats.yaml``);
each cell is read by its field's type (dates in Indonesian formats, NIK decoded,
codes looked up in the caller's vocabulary, regions and countries in
:mod:`lentera.reference`); problems name the row, the column as written in the
file, the value and a message code. Valid rows become :class:`IntakeRecord`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from lentera import linkage, reference
from lentera.csvsafe import FORMULA_RE
from lentera.errors import LenteraError
from lentera.intake.fields import FieldDef, FormatDef, Vocabulary, fields, formats
from lentera.intake.models import (
    CaseRecord,
    ConsentRecord,
    EventRecord,
    IntakeRecord,
    PerpetratorRecord,
    PersonRecord,
    Problem,
    SurvivorRecord,
    ValidationReport,
)
from lentera.intake.reading import (
    MAX_BYTES,
    MAX_ROWS,
    IntakeFileError,
    Table,
    read_table,
    submissions_to_table,
)

__all__ = ["FORMULA_RE", "Progress", "check_file", "check_submissions", "check_table", "key"]

Progress = Callable[[int, int], None]

#: a cell a spreadsheet would run as a formula: = @ tab CR, or + - not followed by a number
#: control characters, and lone surrogates (a JSON "\ud800" escape: no encoding can store it)
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPLIT_RE = re.compile(r"\s*[;,\n]\s*")
_TRUE = {"1", "y", "ya", "yes", "true", "benar", "x", "iya"}
_FALSE = {"0", "n", "no", "tidak", "false", "salah", "tdk", "bukan"}
_PRECISION_ID = {"month": "bulan dan tahun", "year": "tahun"}


def key(text: str) -> str:
    """Comparison key of a code, label or value name: lower case, letters and digits only."""
    return re.sub(r"[\W_]+", "", (text or "").casefold())


def _norm_header(header: str) -> str:
    return re.sub(r"\s+", "_", str(header or "").strip().lower())


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


class _Vocab:
    """Code look-up for one format: codes, labels in both languages, and the format's aliases."""

    def __init__(self, vocab: Vocabulary, fmt: FormatDef) -> None:
        self.vocab = vocab
        self.fmt = fmt
        self._index: dict[str, dict[str, str]] = {}

    def index(self, name: str) -> dict[str, str]:
        if name not in self._index:
            entries = self.vocab.get(name)
            if entries is None:
                raise ValueError(f"the vocabulary has no list {name!r}")
            idx: dict[str, str] = {}
            for code, labels in entries.items():
                for text in (labels.get("en", ""), labels.get("id", "")):
                    if text:
                        idx.setdefault(key(text), code)
            for alias, code in self.fmt.aliases.get(name, {}).items():
                if code in entries:
                    idx[key(alias)] = code
            for code in entries:
                idx[key(code)] = code
            self._index[name] = idx
        return self._index[name]

    def resolve(self, name: str, value: str) -> str | None:
        pattern = self.fmt.value_patterns.get(name)
        if pattern and (m := re.match(pattern, value.strip())):
            value = m[1].upper()
        if value in self.vocab.get(name, {}):
            return value
        return self.index(name).get(key(value))


# --------------------------------------------------------------------------- columns


@dataclass
class _Column:
    index: int
    header: str
    kind: str  # field | option | compose | uuid | submitted
    field: FieldDef | None = None
    option: str = ""


@dataclass
class _Columns:
    columns: list[_Column] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[_Column]:
        return [c for c in self.columns if c.kind == kind]


def _candidates(n: str) -> list[str]:
    out = [n]
    for sep in ("/", "-", ":", "."):
        if sep in n:
            out.append(n.rsplit(sep, 1)[1])
    return out


def _resolve_columns(header: Sequence[str], fmt: FormatDef, vocab: _Vocab) -> _Columns:
    by_name = {f.name: f for f in fields()}
    compose_parts = {part: target for target, parts in fmt.compose.items() for part in parts}
    result = _Columns()
    uuid_found: list[tuple[int, _Column]] = []
    for i, raw in enumerate(header):
        n = _norm_header(raw)
        if not n:
            continue
        cands = _candidates(n)
        col: _Column | None = None
        if fmt.uuid_columns and (hit := [c for c in cands if c in fmt.uuid_columns]):
            uuid_found.append((fmt.uuid_columns.index(hit[0]), _Column(i, raw, "uuid")))
            continue
        if any(c in fmt.submitted_columns for c in cands):
            col = _Column(i, raw, "submitted")
        elif n in fmt.ignore_columns or any(c in fmt.ignore_columns for c in cands[1:]):
            continue
        elif n in compose_parts:
            col = _Column(i, raw, "compose", by_name[compose_parts[n]], option=n)
        else:
            target = next((fmt.columns[c] for c in cands if c in fmt.columns), None)
            if target is not None:
                col = _Column(i, raw, "field", by_name[target])
            else:
                for sep in ("/", "-"):
                    parts = n.split(sep)
                    if len(parts) >= 2 and parts[-2] in fmt.columns:
                        f = by_name[fmt.columns[parts[-2]]]
                        if f.type == "select_multiple" and parts[-1] in vocab.vocab.get(
                            f.vocab, {}
                        ):
                            col = _Column(i, raw, "option", f, option=parts[-1])
                            break
        if col is None:
            if fmt.name == "kobo" and n.startswith("_"):
                continue  # KoboToolbox metadata we do not use
            severity = "error" if fmt.unknown_columns == "error" else "warning"
            code = "unknown_column" if severity == "error" else "ignored_column"
            result.problems.append(Problem(row=1, column=raw, code=code, severity=severity))
            continue
        result.columns.append(col)
    if uuid_found:
        uuid_found.sort(key=lambda t: t[0])
        result.columns.append(uuid_found[0][1])
    # the same field twice
    seen: dict[tuple[str, str], _Column] = {}
    for col in result.columns:
        ident = (
            (col.kind, col.field.name if col.field else "")
            if col.kind != "option"
            else ("option", f"{col.field.name if col.field else ''}/{col.option}")
        )
        if col.kind == "compose":
            ident = ("compose", col.option)
        if ident in seen:
            result.problems.append(Problem(row=1, column=col.header, code="duplicate_column"))
        else:
            seen[ident] = col
    present = {c.field.name for c in result.columns if c.field and c.kind in {"field", "compose"}}
    for name in fmt.required:
        if name not in present:
            shown = fmt.compose.get(name, (name,))[0]
            result.problems.append(
                Problem(row=1, column=shown, code="missing_column", params={"column": shown})
            )
    if fmt.uuid_columns and not uuid_found:
        result.problems.append(
            Problem(
                row=1,
                column=fmt.uuid_columns[0],
                code="missing_column",
                params={"column": fmt.uuid_columns[0]},
            )
        )
    return result


# --------------------------------------------------------------------------- cells


class _RowChecker:
    """Reads one row's cells into typed values, collecting problems."""

    def __init__(self, row: int, vocab: _Vocab, today: dt.date) -> None:
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
        if _CONTROL_RE.search(value):
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
        if v in _TRUE:
            return True
        if v in _FALSE:
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


def _read_field(
    checker: _RowChecker, f: FieldDef, column: str, value: str, values: Mapping[str, Any]
) -> Any:
    t = f.type
    if t in {"text", "long_text"}:
        return value.strip()
    if t == "date":
        return checker.date(f, column, value)
    if t == "integer":
        return checker.integer(f, column, value)
    if t == "yes_no":
        return checker.yes_no(column, value)
    if t == "select_one":
        return checker.select_one(f, column, value)
    if t == "select_multiple":
        return checker.select_multiple(f, column, value)
    if t == "nik":
        return checker.nik(column, value)
    if t == "phone":
        return checker.phone(column, value)
    if t == "country":
        return checker.country(column, value)
    if t == "province":
        return checker.province(column, value)
    if t == "regency":
        return checker.regency(column, value, values.get("origin_province"))
    if t == "region":
        return checker.region(column, value)
    raise ValueError(f"unknown field type {t}")  # pragma: no cover - fields.yaml is checked


# --------------------------------------------------------------------------- rows


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    columns: dict[str, str]  # field name → header as written
    raw: dict[str, str]
    uuid: str
    submitted: dt.date | None
    problems: list[Problem]


def _check_row(
    number: int, cells: list[str], cols: _Columns, vocab: _Vocab, today: dt.date
) -> _Row:
    checker = _RowChecker(number, vocab, today)
    raw: dict[str, str] = {}
    header_of: dict[str, str] = {}
    options: dict[str, list[str]] = {}
    option_headers: dict[str, str] = {}
    composed: dict[str, list[str]] = {}
    uuid, submitted = "", None
    broken: set[str] = set()
    for col in cols.columns:
        value = cells[col.index].strip() if col.index < len(cells) else ""
        if col.kind == "uuid":
            uuid = re.sub(r"^uuid:", "", value)
            continue
        if col.kind == "submitted":
            if m := re.match(r"^(\d{4})-(\d{2})-(\d{2})", value):
                try:
                    submitted = dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    submitted = None
            continue
        assert col.field is not None
        name = col.field.name
        if not value:
            continue
        if not checker.cell_ok(col.field, col.header, value):
            broken.add(name)
            continue
        if col.kind == "option":
            option_headers.setdefault(name, col.header)
            truthy = value.lower() in _TRUE
            if not truthy and value.lower() not in _FALSE:
                checker.bad(col.header, value, "yes_no")
                broken.add(name)
            elif truthy:
                options.setdefault(name, []).append(col.option)
            continue
        if col.kind == "compose":
            composed.setdefault(name, []).append(value)
            header_of.setdefault(name, col.header)
            continue
        raw[name] = value
        header_of[name] = col.header
    for name, parts in composed.items():
        if name not in raw:
            raw[name] = " ".join(parts)
    values: dict[str, Any] = {}
    for f in fields():
        if f.name in broken:
            continue
        if f.name in raw:
            typed: Any = _read_field(checker, f, header_of[f.name], raw[f.name], values)
            if typed is None:
                broken.add(f.name)
                continue
            if f.name in options:
                typed = list(dict.fromkeys([*typed, *options[f.name]]))
            values[f.name] = typed
        elif f.name in options:
            values[f.name] = options[f.name]
            header_of[f.name] = option_headers[f.name]
            raw[f.name] = " ".join(options[f.name])
    # required fields
    for f in fields():
        if f.required and f.name not in values and f.name not in broken:
            shown = header_of.get(f.name) or next(
                (c.header for c in cols.columns if c.field is f), f.name
            )
            checker.bad(shown, "", "required")
    _cross_checks(checker, values, header_of, raw, broken)
    return _Row(number, values, header_of, raw, uuid, submitted, checker.problems)


def _cross_checks(
    checker: _RowChecker,
    values: dict[str, Any],
    header_of: Mapping[str, str],
    raw: Mapping[str, str],
    broken: set[str],
) -> None:
    province, regency = values.get("origin_province"), values.get("origin_regency")
    if province and regency and not regency.startswith(province):
        checker.bad(header_of["origin_regency"], raw["origin_regency"], "regency_province_mismatch")
        values.pop("origin_regency")
    if values.get("nik"):
        info = linkage.decode_nik(values["nik"], today=checker.today)
        birth = values.get("birth_date")
        if birth and birth != info.birth_date:
            checker.bad(
                header_of["birth_date"],
                raw["birth_date"],
                "nik_birth_mismatch",
                severity="warning",
                nik_date=info.birth_date.isoformat(),
            )
        sex = values.get("sex")
        if sex in {"female", "male"} and sex != info.sex:
            checker.bad(
                header_of["sex"],
                raw["sex"],
                "nik_sex_mismatch",
                severity="warning",
                nik_sex=info.sex,
            )
    for stage in ("recruitment", "exploitation", "event"):
        country = values.get(f"{stage}_country")
        region = values.get(f"{stage}_region")
        if region and country and country != "ID":
            checker.bad(header_of[f"{stage}_region"], raw[f"{stage}_region"], "region_outside_id")
            values.pop(f"{stage}_region")
    event_fields = [n for n in values if n.startswith("event_") and n != "event_stage"]
    if event_fields and "event_stage" not in values and "event_stage" not in broken:
        checker.bad(header_of.get("event_stage", "event_stage"), "", "event_stage_missing")


def _record(row: _Row, case_key: str) -> IntakeRecord:
    parts: dict[str, dict[str, Any]] = {}
    events: dict[str, dict[str, Any]] = {}
    consents: list[ConsentRecord] = []
    note = None
    for f in fields():
        if f.name not in row.values:
            continue
        value = row.values[f.name]
        entity = f.entity
        if entity == "event":
            _, stage, attr = f.target.split(".")
            events.setdefault(stage, {})[attr] = value
        elif entity == "consent":
            consents.append(ConsentRecord(purpose=f.attribute, granted=bool(value)))
        elif entity == "note":
            note = value
        elif entity != "meta":
            parts.setdefault(entity, {})[f.attribute] = value
    event_records = []
    for stage, attrs in events.items():
        if stage == "other":
            stage_value = attrs.pop("stage", None)
            if not attrs and stage_value is None:
                continue
            event_records.append(EventRecord(stage=stage_value, **attrs))
        else:
            event_records.append(EventRecord(stage=stage, **attrs))
    case = dict(parts.get("case", {}))
    if "opened_on" not in case and row.submitted is not None:
        case["opened_on"] = row.submitted
    return IntakeRecord(
        row=row.number,
        case_key=case_key,
        source_uuid=row.uuid,
        submitted_on=row.submitted,
        case=CaseRecord(**case),
        person=PersonRecord(**parts.get("person", {})),
        survivor=SurvivorRecord(**parts.get("survivor", {})),
        perpetrator=PerpetratorRecord(**parts["perpetrator"]) if "perpetrator" in parts else None,
        events=tuple(event_records),
        consents=tuple(consents),
        note=note,
        columns=dict(row.columns),
    )


_CASE_FIELDS = ("opened_on", "offence_date", "case_status", "summary")


def check_table(
    table: Table,
    fmt: str,
    vocab: Vocabulary,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
    sha256: str = "",
) -> ValidationReport:
    """Check a table already read from a file; see :func:`check_file`."""
    if fmt not in formats():
        raise LenteraError("format_unknown", f"unknown import format {fmt!r}")
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date
    fdef = formats()[fmt]
    lookups = _Vocab(vocab, fdef)
    report = ValidationReport(format=fmt, sha256=sha256, rows=len(table.rows))
    report.problems.extend(table.problems)
    cols = _resolve_columns(table.header, fdef, lookups)
    report.problems.extend(cols.problems)
    if any(p.severity == "error" for p in cols.problems):
        return report
    width = len(table.header)
    first_uuid: dict[str, int] = {}
    first_nik: dict[str, int] = {}
    first_row: dict[tuple[tuple[str, str], ...], int] = {}
    rows: list[_Row] = []
    total = len(table.rows)
    for done, (number, cells) in enumerate(table.rows, start=1):
        row = _check_row(number, cells, cols, lookups, today)
        if any(c.strip() for c in cells[width:]):
            row.problems.append(Problem(row=number, column="", code="extra_cells"))
        signature = tuple(sorted(row.raw.items()))
        if signature in first_row:
            row.problems.append(
                Problem(row=number, code="duplicate_row", params={"row": first_row[signature]})
            )
        elif signature:
            first_row[signature] = number
        uuid_col = next((c.header for c in cols.of_kind("uuid")), "")
        if uuid_col:
            if not row.uuid:
                row.problems.append(Problem(row=number, column=uuid_col, code="uuid_missing"))
            elif row.uuid in first_uuid:
                row.problems.append(
                    Problem(
                        row=number,
                        column=uuid_col,
                        value=row.uuid,
                        code="duplicate_uuid",
                        params={"row": first_uuid[row.uuid]},
                    )
                )
            else:
                first_uuid[row.uuid] = number
        nik = row.values.get("nik")
        if nik:
            if nik in first_nik:
                row.problems.append(
                    Problem(
                        row=number,
                        column=row.columns["nik"],
                        value=row.raw["nik"],
                        code="duplicate_nik",
                        params={"row": first_nik[nik]},
                    )
                )
            else:
                first_nik[nik] = number
        rows.append(row)
        report.problems.extend(row.problems)
        if progress is not None:
            progress(done, total)
    # group rows into cases
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        ref = row.values.get("case_ref")
        case_key = (
            f"ref:{ref}" if ref else (f"uuid:{row.uuid}" if row.uuid else f"row:{row.number}")
        )
        groups.setdefault(case_key, []).append(row)
    for case_key, members in groups.items():
        bad = [r for r in members if any(p.severity == "error" for p in r.problems)]
        if bad:
            for r in members:
                if r not in bad:
                    report.problems.append(
                        Problem(
                            row=r.number,
                            code="group_skipped",
                            params={"row": bad[0].number},
                            severity="warning",
                        )
                    )
            continue
        lead = members[0]
        for r in members[1:]:
            if any(r.values.get(n) != lead.values.get(n) for n in _CASE_FIELDS if n in r.values):
                report.problems.append(
                    Problem(
                        row=r.number,
                        code="case_fields_differ",
                        params={"row": lead.number},
                        severity="warning",
                    )
                )
        report.records.extend(_record(r, case_key) for r in members)
    report.records.sort(key=lambda r: r.row)
    return report


def check_file(
    content: bytes,
    filename: str,
    fmt: str,
    vocab: Vocabulary,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> ValidationReport:
    """Check an uploaded file of format ``kobo``, ``htcds`` or ``lentera`` against ``vocab``.

    Never raises for bad content: a file that cannot be read gives a report
    with one file-level problem.
    """
    digest = hashlib.sha256(content or b"").hexdigest()
    try:
        table = read_table(filename, content, max_bytes=max_bytes, max_rows=max_rows)
    except IntakeFileError as exc:
        return ValidationReport(format=fmt, sha256=digest, problems=[exc.problem])
    return check_table(table, fmt, vocab, today=today, progress=progress, sha256=digest)


def check_submissions(
    submissions: Sequence[Any],
    vocab: Vocabulary,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
    sha256: str = "",
) -> ValidationReport:
    """Check KoboToolbox/ODK submissions fetched as JSON (see :mod:`lentera.intake.kobo`)."""
    try:
        table = submissions_to_table(submissions)
    except IntakeFileError as exc:
        return ValidationReport(format="kobo", sha256=sha256, problems=[exc.problem])
    if not table.rows:
        return ValidationReport(
            format="kobo", sha256=sha256, problems=[Problem(row=None, code="no_rows")]
        )
    return check_table(table, "kobo", vocab, today=today, progress=progress, sha256=sha256)
