"""Reading an uploaded file into a table of text cells: CSV (UTF-8), XLSX or JSON.

Unreadable input raises :class:`IntakeFileError` carrying a :class:`Problem`
that names the file-level fault and, where it can, the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lentera.errors import LenteraError
from lentera.intake.models import Problem

__all__ = [
    "MAX_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_ROWS",
    "IntakeFileError",
    "Table",
    "load_json",
    "read_table",
    "submissions_to_table",
    "too_deep",
]

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
_CSV_FIELD_LIMIT = 1_000_000
#: a submission nested deeper than this (groups in groups…) is refused, as the API refuses
#: request bodies deeper than 32 levels; real KoboToolbox forms stay far below it
MAX_JSON_DEPTH = 32
#: a JSON number at or beyond this size is no answer of an intake form (a NIK has 16 digits)
_NUMBER_LIMIT = 10**18
#: digits a JSON integer may have before it is read as "too large" (Python refuses > 4300)
_JSON_INT_DIGITS = 400
#: text no cell or column name may hold: lone surrogates cannot be stored or encrypted
_UNSTORABLE_RE = re.compile(r"[\ud800-\udfff]")


class IntakeFileError(LenteraError):
    """The file cannot be read at all; ``problem`` says why (and where)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code, problem.message("en"), params=problem.params)
        self.problem = problem


@dataclass
class Table:
    """A header and data rows of text cells, each row with its number in the file."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    problems: list[Problem] = field(default_factory=list)


def _fail(code: str, row: int | None = None, **params: Any) -> IntakeFileError:
    return IntakeFileError(Problem(row=row, code=code, params=params))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _line_of(data: bytes, pos: int) -> int:
    return data[:pos].count(b"\n") + 1


def _csv_table(content: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _fail("encoding_utf16", row=1)
    nul = content.find(b"\x00")
    if nul >= 0:
        raise _fail("binary", row=_line_of(content, nul))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail("encoding", row=_line_of(content, exc.start), byte=exc.start + 1) from exc
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    old_limit = csv.field_size_limit()
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        start = 1
        for record in reader:
            rows.append((start, record))
            start = reader.line_num + 1
            if len(rows) > max_rows + 1:
                raise _fail("too_many_rows", row=start - 1, limit=max_rows)
    except csv.Error as exc:
        raise _fail("csv_malformed", row=reader.line_num or 1, detail=str(exc)) from exc
    finally:
        csv.field_size_limit(old_limit)
    # Number rows as a spreadsheet shows them (1, 2, 3…), whatever line breaks cells hold.
    return [(i, record) for i, (_line, record) in enumerate(rows, start=1)]


def _xlsx_table(content: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    if not content.startswith(b"PK"):
        raise _fail("xlsx_unreadable")
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        try:
            sheet = book.worksheets[0]
            rows = []
            for i, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if i > max_rows + 1:
                    raise _fail("too_many_rows", row=i, limit=max_rows)
                rows.append((i, [_cell(v) for v in values]))
        finally:
            book.close()
    except IntakeFileError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError) as exc:
        raise _fail("xlsx_unreadable") from exc
    except Exception as exc:  # openpyxl raises many types on corrupt XML
        raise _fail("xlsx_unreadable") from exc
    return rows


def too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Is ``value`` (parsed JSON) nested deeper than ``limit``? Iterative: no recursion."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _json_int(text: str) -> int | float:
    # a number with hundreds of digits is no answer; Python would refuse > 4300 digits
    return int(text) if len(text) <= _JSON_INT_DIGITS else math.inf


def load_json(text: str) -> Any:
    """Parse JSON text from a file or the KoboToolbox API, refusing what would break later:
    nesting beyond the interpreter's recursion limit or :data:`MAX_JSON_DEPTH`, integers of
    hundreds of digits (read as infinity, then reported per cell as too large)."""
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise _fail("json_unreadable", row=exc.lineno, detail=exc.msg) from exc
    except RecursionError as exc:
        raise _fail("json_too_deep", limit=MAX_JSON_DEPTH) from exc
    except ValueError as exc:  # a number Python will not convert
        raise _fail("json_unreadable", detail=str(exc)[:80]) from exc
    if too_deep(data, MAX_JSON_DEPTH + 2):  # {"results": [ … ]} adds two levels
        raise _fail("json_too_deep", limit=MAX_JSON_DEPTH)
    return data


def _number_too_large(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) >= _NUMBER_LIMIT
    if isinstance(value, float):
        return not math.isfinite(value) or abs(value) >= _NUMBER_LIMIT
    return False


def _safe_name(key: str) -> str:
    """A column name fit for a report: unstorable and control characters replaced."""
    return _UNSTORABLE_RE.sub("\ufffd", re.sub(r"[\x00-\x1f\x7f]", "\ufffd", key))


def _flatten(prefix: str, value: Any, out: dict[str, Any], lists: set[str]) -> None:
    if isinstance(value, Mapping):
        for k, v in value.items():
            _flatten(f"{prefix}/{k}" if prefix else str(k), v, out, lists)
    elif isinstance(value, list):
        lists.add(prefix)
    else:
        out[prefix] = value


def submissions_to_table(submissions: Sequence[Any]) -> Table:
    """KoboToolbox/ODK JSON submissions → a table (keys as headers; repeat groups left out)."""
    header: list[str] = []
    seen: set[str] = set()
    flat_rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for i, sub in enumerate(submissions, start=2):
        if not isinstance(sub, Mapping):
            raise _fail("json_shape", row=i)
        if too_deep(sub, MAX_JSON_DEPTH):
            raise _fail("json_too_deep", row=i, limit=MAX_JSON_DEPTH)
        flat: dict[str, Any] = {}
        lists: set[str] = set()
        _flatten("", sub, flat, lists)
        for key in list(flat):
            safe = _safe_name(key)
            if safe != key:  # a question name no form has: refused, and named printably
                problems.append(Problem(row=i, column=safe, code="control_chars"))
                flat[safe] = flat.pop(key)
            if _number_too_large(flat[safe]):
                problems.append(Problem(row=i, column=safe, code="number_too_large"))
                flat[safe] = None
        for key in sorted(lists):
            if not key.split("/")[-1].startswith("_"):
                problems.append(
                    Problem(row=i, column=key, code="repeat_ignored", severity="warning")
                )
        for key in flat:
            if key not in seen:
                seen.add(key)
                header.append(key)
        flat_rows.append(flat)
    rows = [(i, [_cell(r.get(h)) for h in header]) for i, r in enumerate(flat_rows, start=2)]
    return Table(header=header, rows=rows, problems=problems)


def _json_table(content: bytes, max_rows: int) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail("encoding", row=_line_of(content, exc.start), byte=exc.start + 1) from exc
    data = load_json(text)
    if isinstance(data, Mapping) and isinstance(data.get("results"), list):
        data = data["results"]
    if not isinstance(data, list):
        raise _fail("json_shape")
    if len(data) > max_rows:
        raise _fail("too_many_rows", limit=max_rows)
    return submissions_to_table(data)


def read_table(
    filename: str, content: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> Table:
    """Read a .csv, .xlsx or .json upload; raise :class:`IntakeFileError` if it cannot be read."""
    if not content:
        raise _fail("file_empty")
    if len(content) > max_bytes:
        raise _fail("file_too_large", limit_mb=max_bytes // (1024 * 1024))
    name = (filename or "").lower()
    if name.endswith(".json"):
        table = _json_table(content, max_rows)
        raw = [(1, table.header), *table.rows]
    elif name.endswith(".xlsx"):
        raw = _xlsx_table(content, max_rows)
        table = Table(header=[], rows=[])
    elif name.endswith((".csv", ".txt")):
        raw = _csv_table(content, max_rows)
        table = Table(header=[], rows=[])
    else:
        raise _fail("file_type")
    nonempty = [(n, r) for n, r in raw if any(str(c).strip() for c in r)]
    if not nonempty:
        raise _fail("file_empty" if not raw else "no_rows")
    # Leading blank lines are allowed: the header is the first non-empty row.
    header_row, header = nonempty[0]
    data = [(n, list(r)) for n, r in nonempty[1:]]
    if not data:
        raise _fail("no_rows", row=header_row)
    width = len(header)
    for _n, cells in data:
        cells.extend([""] * (width - len(cells)))
    return Table(
        header=[str(h) for h in header],
        rows=[(n, cells) for n, cells in data],
        problems=table.problems,
    )
