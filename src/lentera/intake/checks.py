"""Checking an import: columns, then every cell, then the rows against each other.

The pipeline: :mod:`lentera.intake.columns` (headers → fields), :mod:`lentera.intake.cells`
(each cell read by its field's type), then here the rows (required fields, cross-field
checks, duplicates inside the file) and the three entry points. Problems name the row, the
column as written in the file, the value and a message code; valid rows become
:class:`IntakeRecord`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lentera import linkage
from lentera.csvsafe import FORMULA_RE, trim
from lentera.errors import LenteraError
from lentera.intake.cells import FALSE_WORDS, TRUE_WORDS, RowChecker, read_field
from lentera.intake.columns import CodeLookup, Columns, key, resolve_columns
from lentera.intake.fields import Vocabulary, fields, formats
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
    number: int, cells: list[str], cols: Columns, vocab: CodeLookup, today: dt.date
) -> _Row:
    checker = RowChecker(number, vocab, today)
    raw: dict[str, str] = {}
    header_of: dict[str, str] = {}
    options: dict[str, list[str]] = {}
    option_headers: dict[str, str] = {}
    composed: dict[str, list[str]] = {}
    uuid, submitted = "", None
    broken: set[str] = set()
    for col in cols.columns:
        value = trim(cells[col.index]) if col.index < len(cells) else ""
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
            truthy = value.lower() in TRUE_WORDS
            if not truthy and value.lower() not in FALSE_WORDS:
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
            typed: Any = read_field(checker, f, header_of[f.name], raw[f.name], values)
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
    checker: RowChecker,
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
    lookups = CodeLookup(vocab, fdef)
    report = ValidationReport(format=fmt, sha256=sha256, rows=len(table.rows))
    report.problems.extend(table.problems)
    cols = resolve_columns(table.header, fdef, lookups)
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
