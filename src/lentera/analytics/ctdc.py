"""Import of CTDC global-dataset files into the warehouse, validated against their dictionaries.

Two layouts:

``2017``
    the k-anonymised Global Dataset (CTDC "DATA DICTIONARY version 28 11 2017": 62 variables,
    ``data/ctdc_data_dictionary_2017-11-28_main.csv`` and ``..._lookups.csv``). Booleans are
    ``0``, ``1`` or ``-99`` (unknown); ``Unknown``/``-99``/empty mean unknown everywhere and are
    stored as NULL. ``gender`` has no lookup sheet in the dictionary: ``Female``, ``Male`` and
    ``Unknown`` are accepted (the values of the published files).
``2024``
    the Global Synthetic Dataset (codebook version 2, February 2024: 27 variables,
    ``data/ctdc_2024_codebook.yaml``). Binary variables are ``1`` or empty; countries are
    ISO 3166 alpha-3; years 2002–2022.

Age bands and trafficking durations are stored with a plain hyphen (``0-8``, ``48+``) whatever
dash the file used (``0--8``, ``0—8``), so they equal :data:`lentera.analytics.snapshot.AGE_BANDS`.
Every problem is reported as ``row N column C: ...`` (row 1 is the header); up to 20 at once.
A file is imported whole or not at all; importing the same file name again replaces its rows.
"""

# ruff: noqa: S608 - SQL text here is built only from fixed identifiers (schema, registry,
# dictionaries); every value from outside is bound as a parameter.

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import yaml

from lentera import reference
from lentera.analytics.warehouse import content_digest, data_text, writable
from lentera.errors import LenteraError

__all__ = [
    "LAYOUTS",
    "CtdcError",
    "CtdcImport",
    "codebook_2024",
    "create_ctdc_tables",
    "dictionary_2017",
    "import_ctdc",
    "parse_ctdc",
]

LAYOUTS = ("2017", "2024")
MAX_ERRORS = 20
UNKNOWN = {"", "unknown", "-99", "null", "na", "n/a"}


class CtdcError(LenteraError):
    """A CTDC file does not follow its layout; ``errors`` lists the problems found."""

    def __init__(self, errors: list[str]) -> None:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__("ctdc_invalid", f"{errors[0]}{more}", params={"errors": errors})
        self.errors = errors


@dataclass(frozen=True)
class CtdcImport:
    """What an import did."""

    layout: str
    source_file: str
    rows: int


def _data(name: str) -> str:
    return data_text(name)


@cache
def dictionary_2017() -> dict[str, Any]:
    """Variables (name → kind) and lookups (name → codes) of the 2017 data dictionary."""
    main = list(csv.reader(io.StringIO(_data("ctdc_data_dictionary_2017-11-28_main.csv"))))
    lookups: dict[str, set[str]] = {}
    current = ""
    for row in list(csv.reader(io.StringIO(_data("ctdc_data_dictionary_2017-11-28_lookups.csv"))))[
        1:
    ]:
        if row[0].strip():
            current = row[0].strip()
        if len(row) > 1 and row[1].strip():
            lookups.setdefault(current, set()).add(row[1].strip())
    lookups["Gender"] = {"Female", "Male"}
    variables: dict[str, str] = {}
    for row in main[1:]:
        name, dtype, lookup = row[0].strip(), row[1].strip(), row[4].strip()
        if not name:
            continue
        if dtype == "Bool" or name == "recruiterRelationUnknown":
            kind = "bool"
        elif name == "yearOfRegistration":
            kind = "year"
        elif lookup:
            kind = f"lookup:{lookup}"
        else:
            kind = "text"
        variables[name] = kind
    return {"variables": variables, "lookups": lookups}


@cache
def codebook_2024() -> dict[str, Any]:
    book: dict[str, Any] = yaml.safe_load(_data("ctdc_2024_codebook.yaml"))
    return book


def _sql_type(kind: str) -> str:
    return {"bool": "SMALLINT", "binary": "SMALLINT", "year": "INTEGER"}.get(kind, "VARCHAR")


def _columns(layout: str) -> dict[str, str]:
    if layout == "2017":
        return {
            k: ("bool" if v == "bool" else "year" if v == "year" else "text")
            for k, v in dictionary_2017()["variables"].items()
        }
    return {
        k: ("binary" if v == "binary" else "year" if v == "year" else "text")
        for k, v in codebook_2024()["variables"].items()
    }


def create_ctdc_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the empty ``ctdc_2017`` and ``ctdc_2024`` tables (column per variable)."""
    for layout in LAYOUTS:
        cols = ", ".join(f'"{n}" {_sql_type(k)}' for n, k in _columns(layout).items())
        con.execute(
            f"CREATE TABLE IF NOT EXISTS ctdc_{layout} "
            f"(source_file VARCHAR, source_row INTEGER, {cols})"
        )


def _dash(value: str) -> str:
    return re.sub(r"\s*(--|—|–|-)\s*", "-", value.strip())


def parse_ctdc(
    text: str, layout: str, *, progress: Callable[[int], None] | None = None
) -> list[dict[str, Any]]:
    """Validate and convert the rows of a CTDC CSV text; raises :class:`CtdcError`."""
    if layout not in LAYOUTS:
        raise CtdcError([f"unknown layout {layout!r} (use 2017 or 2024)"])
    text = text.lstrip("\ufeff")
    head = text.split("\n", 1)[0]
    delimiter = ";" if head.count(";") > head.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise CtdcError(["row 1: empty file"]) from None
    columns = _columns(layout)
    aliases = codebook_2024().get("aliases", {}) if layout == "2024" else {}
    header = [aliases.get(h, h) for h in header]
    errors = [
        f"row 1 column {h}: not a variable of the CTDC {layout} layout"
        for h in header
        if h not in columns
    ]
    errors += [f"row 1 column {c}: missing from the header" for c in columns if c not in header]
    dupes = {h for h in header if header.count(h) > 1}
    errors += [f"row 1 column {h}: appears twice" for h in sorted(dupes)]
    if errors:
        raise CtdcError(errors[:MAX_ERRORS])
    check = _checker(layout)
    rows: list[dict[str, Any]] = []
    for number, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            errors.append(f"row {number}: {len(raw)} cells, the header has {len(header)}")
        else:
            out: dict[str, Any] = {"source_row": number}
            for name, cell in zip(header, raw, strict=True):
                try:
                    out[name] = check(name, cell.strip())
                except ValueError as exc:
                    errors.append(f"row {number} column {name}: {exc}")
            rows.append(out)
        if len(errors) >= MAX_ERRORS:
            break
        if progress and number % 1000 == 0:
            progress(1000)
    if errors:
        raise CtdcError(errors[:MAX_ERRORS])
    return rows


def _checker(layout: str) -> Callable[[str, str], Any]:
    this_year = dt.datetime.now(tz=dt.UTC).year
    if layout == "2017":
        spec = dictionary_2017()
        variables: Mapping[str, str] = spec["variables"]
        lookups: Mapping[str, set[str]] = spec["lookups"]
        ages = {_dash(a) for a in lookups["Age range 2"]}
        countries = lookups["Country"] - {"00"}

        def check(name: str, cell: str) -> Any:
            kind = variables[name]
            if kind == "bool":
                if cell in ("", "-99"):
                    return None
                if cell in ("0", "1"):
                    return int(cell)
                raise ValueError(f"{cell!r} is not 0, 1 or -99")
            if kind == "year":
                if not re.fullmatch(r"\d{4}", cell) or not 2002 <= int(cell) <= this_year:
                    raise ValueError(f"{cell!r} is not a year from 2002 to {this_year}")
                return int(cell)
            if cell.lower() in UNKNOWN:
                return None
            if kind.startswith("lookup:"):
                lookup = kind.split(":", 1)[1].strip()
                if lookup == "Age range 2":
                    if _dash(cell) not in ages:
                        raise ValueError(f"{cell!r} is not an age range of the dictionary")
                    return _dash(cell)
                if lookup.upper() == "COUNTRY":
                    if cell == "00":
                        return None
                    if cell not in countries:
                        raise ValueError(f"{cell!r} is not a country code of the dictionary")
                    return cell
                allowed = lookups.get(lookup, set()) or lookups.get(lookup.capitalize(), set())
                allowed = {a.strip() for a in allowed} - {"Unknown"}
                if cell not in allowed:
                    raise ValueError(f"{cell!r} is not one of {', '.join(sorted(allowed))}")
                return cell
            if any(ord(ch) < 32 for ch in cell):
                raise ValueError("control characters in text")
            return cell

        return check

    book = codebook_2024()
    variables = book["variables"]
    low, high = book["year_range"]
    alpha3 = {c.alpha3 for c in reference.countries().values()}

    def check24(name: str, cell: str) -> Any:
        kind = variables[name]
        if cell.lower() in UNKNOWN:
            return None
        if kind == "binary":
            if cell in ("1", "1.0"):
                return 1
            raise ValueError(f"{cell!r} is not 1 or empty (the codebook's binary coding)")
        if kind == "year":
            if not re.fullmatch(r"\d{4}", cell) or not low <= int(cell) <= high:
                raise ValueError(f"{cell!r} is not a year from {low} to {high}")
            return int(cell)
        if kind == "iso_alpha3":
            if cell not in alpha3:
                raise ValueError(f"{cell!r} is not an ISO 3166 alpha-3 code")
            return cell
        allowed = [str(a) for a in kind]
        value = _dash(cell) if name in ("ageBroad", "traffickMonths") else cell
        if value not in allowed:
            raise ValueError(f"{cell!r} is not one of {', '.join(allowed)}")
        return value

    return check24


def import_ctdc(
    warehouse: str | Path,
    file: str | Path,
    layout: str,
    *,
    progress: Callable[[int], None] | None = None,
) -> CtdcImport:
    """Validate ``file`` and load it into ``ctdc_<layout>`` of an existing warehouse."""
    path = Path(file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CtdcError([f"cannot read {path}: {exc}"]) from exc
    rows = parse_ctdc(text, layout, progress=progress)
    columns = ["source_file", "source_row", *_columns(layout)]
    values = [[path.name, *[r.get(c) for c in columns[1:]]] for r in rows]
    with writable(warehouse) as con:
        create_ctdc_tables(con)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"DELETE FROM ctdc_{layout} WHERE source_file = ?", [path.name])
            if values:
                marks = ", ".join("?" for _ in columns)
                con.executemany(f"INSERT INTO ctdc_{layout} VALUES ({marks})", values)
            con.execute(
                "UPDATE meta SET value = ? WHERE key = 'content_digest'", [content_digest(con)]
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return CtdcImport(layout=layout, source_file=path.name, rows=len(rows))
